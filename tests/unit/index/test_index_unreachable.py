"""No cluster listening: the errors must name the URL and say what to run; nothing may be dropped."""

from __future__ import annotations

import socket

import pytest

from index import EsUnavailable, Indexer, connect
from index.client import client_for, client_kwargs
from lwcore.settings import EsSettings, load_settings


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_connect_names_url_and_remedy(tmp_path) -> None:
    url = _dead_url()
    settings = load_settings(environ={"LW_ES_URL": url}, overrides={"state_dir": str(tmp_path)})
    with pytest.raises(EsUnavailable) as err:
        connect(settings)
    msg = str(err.value)
    assert url in msg and "laborwatch es up" in msg and "LW_ES_URL" in msg


def test_connect_without_url_or_local_node(tmp_path) -> None:
    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path)})
    with pytest.raises(EsUnavailable, match=r"no local node is recorded in .*node.json.*laborwatch es up"):
        connect(settings)


def test_client_kwargs_auth_and_ca() -> None:
    es = EsSettings(url="https://es:9200", username="u", password="p", ca_file="/etc/ca.pem")
    kw = client_kwargs(es)
    assert kw["basic_auth"] == ("u", "p") and kw["ca_certs"] == "/etc/ca.pem"
    kw = client_kwargs(EsSettings(url="https://es:9200", api_key="k", username="u"))
    assert kw["api_key"] == "k" and "basic_auth" not in kw


def test_bulk_against_dead_cluster_retries_then_reports_every_post(make_item, split_segmenter) -> None:
    url = _dead_url()
    es = EsSettings(url=url, index_prefix="lwunit", bulk_chunk_size=2, bulk_max_retries=2, bulk_initial_backoff_s=0.5)
    slept: list[float] = []
    indexer = Indexer(client_for(url, es, check=False), es, segmenter=split_segmenter, sleep=slept.append)
    items = [make_item(f"p{i}") for i in range(5)]
    out = indexer.index(items)
    assert out.indexed == []
    assert sorted(pid for pid, _ in out.failed) == [f"p{i}" for i in range(5)]
    assert all("unavailable after 3 attempt(s)" in why for _, why in out.failed)
    assert slept == [0.5, 1.0]  # exponential backoff, then the rest is reported without hammering a dead node


def test_bad_item_fails_alone(make_item, split_segmenter) -> None:
    url = _dead_url()
    es = EsSettings(url=url, index_prefix="lwunit", bulk_max_retries=0)

    def broken(text: str) -> list[str]:
        if "坏" in text:
            raise RuntimeError("segmenter crashed")
        return split_segmenter(text)

    indexer = Indexer(client_for(url, es, check=False), es, segmenter=broken, sleep=lambda s: None)
    out = indexer.index([make_item("ok"), make_item("bad", title="坏")])
    assert "segmenter crashed" in dict(out.rejected)["bad"]  # would fail the same way again: a dead letter
    assert list(dict(out.failed)) == ["ok"] and "unavailable" in dict(out.failed)["ok"]  # worth retrying


def test_comma_separated_urls_give_one_client_over_several_nodes() -> None:
    a, b = _dead_url(), _dead_url()
    client = client_for(f"{a}, {b}", EsSettings(), check=False)
    try:
        assert sorted(n.base_url for n in client.transport.node_pool.all()) == sorted([a, b])
    finally:
        client.close()

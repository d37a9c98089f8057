"""The CLI against the real node, and a second local node started when the configured port is taken."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lwcore.settings import load_settings

pytestmark = pytest.mark.integration


def _cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "laborwatch", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_index_init_and_search_json(es_client, es_settings_isolated, indexer, make_item, tmp_path) -> None:
    indexer.index([make_item("cli1", title="华新镇某电子厂欠薪", content="工人反映电子厂拖欠两个月工资。")])
    indexer.refresh()
    env = {
        **os.environ,
        "LW_ES_URL": es_settings_isolated.url or "",
        "LW__ES__INDEX_PREFIX": es_settings_isolated.index_prefix,
        "LW_STATE_DIR": str(tmp_path),
    }
    init = _cli(["index", "init"], env)
    assert init.returncode == 0, init.stderr
    assert f"{es_settings_isolated.index_prefix}-template-v1" in init.stdout
    res = _cli(["search", "欠薪", "--since", "2024-05-01", "--until", "2024-05-31", "--json"], env)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["total"] == 1 and data["hits"][0]["id"] == "cli1"
    assert "<em>" in data["hits"][0]["highlights"]["title"][0]
    text = _cli(["search", "欠薪"], env)
    assert text.returncode == 0 and "共 1 条结果" in text.stdout and "【欠薪】" in text.stdout
    none = _cli(["search", "欠薪", "--until", "2024-05-01"], env)
    assert "共 0 条结果" in none.stdout


def test_unreachable_cluster_is_one_clear_line(tmp_path) -> None:
    env = {**os.environ, "LW_ES_URL": "http://127.0.0.1:9", "LW_STATE_DIR": str(tmp_path)}
    res = _cli(["search", "欠薪"], env)
    assert res.returncode == 1
    line = res.stderr.strip().splitlines()[-1]
    assert "http://127.0.0.1:9" in line and "laborwatch es up" in line


@pytest.mark.slow
def test_second_local_node_moves_off_a_taken_port(es_client) -> None:
    """Starts a real second node (about a minute, 256 MB heap) whose configured port is the running node's."""
    if shutil.which("mvn") is None and not any((Path.home() / ".cache/laborwatch/es").glob("*.zip")):
        pytest.skip("neither Maven nor a cached Elasticsearch zip: the local node cannot be provisioned")
    from index import LocalNode

    taken = urlparse(es_client.transport.node_pool.get().base_url).port
    state = Path(tempfile.mkdtemp(prefix="lw-node-test-", dir="/tmp"))
    state.chmod(0o755)  # the unprivileged ES user must reach its data dir
    settings = load_settings(
        environ={}, overrides={"state_dir": str(state), "es": {"local": {"port": taken, "heap": "256m"}}}
    )
    node = LocalNode(settings)
    try:
        url = node.up()
        assert urlparse(url).port != taken
        st = node.status()
        assert st["running"] and st["health"] in ("green", "yellow") and st["version"] == settings.es.local.version
        assert node.up() == url  # idempotent: a second up is a no-op
        recorded = json.loads((state / "es" / "node.json").read_text(encoding="utf-8"))
        assert recorded["url"] == url and str(taken) in recorded["port_moved"]
        if os.geteuid() == 0:
            assert recorded["run_as_user"] == settings.es.local.run_as_user
    finally:
        stopped = node.down()
    assert stopped is True
    assert node.url is None and node.status()["running"] is False
    shutil.rmtree(state, ignore_errors=True)

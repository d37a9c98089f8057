"""An Elasticsearch cluster named by several node URLs: a node that is down does not stop the client."""

from __future__ import annotations

import socket

import pytest

from index import connect
from lwcore.settings import load_settings

pytestmark = pytest.mark.integration


def test_a_dead_node_in_the_url_list_is_passed_over(es_client, tmp_path) -> None:
    live = es_client.transport.node_pool.get().base_url
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    settings = load_settings(environ={"LW_ES_URL": f"{dead},{live}"}, overrides={"state_dir": str(tmp_path)})
    for _ in range(4):  # whichever node the pool picks first, every call reaches the cluster
        client = connect(settings)
        try:
            assert client.cluster.health().body["status"] in ("green", "yellow")
        finally:
            client.close()

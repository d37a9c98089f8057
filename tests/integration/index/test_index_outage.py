"""Elasticsearch goes away in the middle of a bulk run: retried with backoff, then reported, nothing dropped.

A real TCP proxy sits between the client and the real node and shuts down when the second bulk request
arrives, as a node crash would.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

import pytest

from index import Indexer
from index.client import client_for

pytestmark = pytest.mark.integration


class CutAfterFirstBulk:
    def __init__(self, target: str) -> None:
        u = urlparse(target)
        self.target = (u.hostname or "127.0.0.1", u.port or 9200)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.bulks = 0
        self.dead = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.dead.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, requests: bool) -> None:
        try:
            while data := src.recv(65536):
                if requests and b" /_bulk" in data:  # the client sends PUT /_bulk
                    self.bulks += 1
                    if self.bulks >= 2:
                        self.kill()
                        return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def kill(self) -> None:
        self.dead.set()
        self.server.close()
        for s in self.conns:
            try:
                s.close()
            except OSError:
                pass


def test_node_dies_mid_bulk(es_client, es_settings_isolated, make_item, jieba_cut) -> None:
    base = es_client.transport.node_pool.get().base_url
    proxy = CutAfterFirstBulk(base)
    es = es_settings_isolated.model_copy(update={"url": proxy.url, "bulk_chunk_size": 3, "bulk_max_retries": 2})
    slept: list[float] = []
    indexer = Indexer(client_for(proxy.url, es, check=False), es, segmenter=jieba_cut, sleep=slept.append)
    items = [make_item(f"m{i}") for i in range(8)]
    try:
        out = indexer.index(items)
    finally:
        proxy.kill()
    assert proxy.bulks >= 2
    assert sorted(out.indexed) == ["m0", "m1", "m2"]  # the first chunk went through before the crash
    failed = dict(out.failed)
    assert sorted(failed) == [f"m{i}" for i in range(3, 8)]  # every other post is reported, none dropped
    assert all("unavailable" in why for why in failed.values())
    assert slept == [0.05, 0.1]  # bulk_max_retries=2 with exponential backoff from 0.05 s
    es_client.indices.refresh(index=es_settings_isolated.index_prefix)
    assert es_client.count(index=es_settings_isolated.index_prefix)["count"] == 3

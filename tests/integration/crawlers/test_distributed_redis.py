"""scrapy-redis: two crawler processes share one crawl through a real Redis server; every item exactly once."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from crawlers.testing.fault_site import FaultSite

from .conftest import crawl_cmd, crawl_env, read_posts, write_sources

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_two_processes_collect_every_item_exactly_once(fault_site: FaultSite, tmp_path: Path,
                                                       redis_url: str) -> None:
    import redis

    sources = write_sources(
        tmp_path, fault_site, demo=True,
        **{"  - id: sample-news\n": "  - id: sample-news\n    distributed: true\n",
           "politeness: {download_delay_s: 0, concurrency: 4}":
           "politeness: {download_delay_s: 0.2, concurrency: 2, autothrottle: false}"})
    run_key = uuid.uuid4().hex[:12]
    procs, outs = [], []
    for i in range(2):
        out = tmp_path / f"p{i}.jsonl"
        outs.append(out)
        env = crawl_env(tmp_path / f"state{i}", LW_REDIS_URL=redis_url)  # separate seen-stores: Redis dedups
        procs.append(subprocess.Popen(crawl_cmd(sources, out, "sample-news", extra=("--run-key", run_key)),
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        results = [p.communicate(timeout=180) for p in procs]
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"laborwatch:crawl:sample-news:{run_key}:*"):
            client.delete(key)
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err[-2000:]
    posts = [read_posts(o) for o in outs]
    ids = [p["id"] for batch in posts for p in batch]
    assert len(ids) == 12, [len(b) for b in posts]
    assert len(set(ids)) == 12
    assert fault_site.hits["/news/list_1.html"] == 1 and fault_site.hits["/news/list_2.html"] == 1
    article_hits = [n for path, n in fault_site.hits.items() if path.startswith("/news/2024/")]
    assert len(article_hits) == 12 and set(article_hits) == {1}

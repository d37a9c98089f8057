"""The crawl worker's decisions (which announced runs it joins), without Redis or Scrapy: the Redis reads and the
process start are replaced; the integration test (tests/integration/service/test_topology.py) runs the real thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from laborwatch.service import workers
from laborwatch.service.workers import CrawlWorker, WorkerError, add_worker_stats
from lwcore.settings import load_settings

SOURCES = """
sources:
  - id: shared-news
    name: 共享
    kind: news
    platform: web
    start_urls: ["https://news.example/list.html"]
    selectors: {item_links: "a"}
    distributed: true
  - id: local-news
    name: 本机
    kind: news
    platform: web
    start_urls: ["https://local.example/list.html"]
    selectors: {item_links: "a"}
"""


@pytest.fixture
def worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CrawlWorker:
    cfg = tmp_path / "configs"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state"), "config_dir": str(cfg),
                                                    "crawl": {"redis_url": "redis://127.0.0.1:1/0"}})
    w = CrawlWorker(settings, config_file=None, max_crawls=1)
    joined: list[tuple[str, str]] = []
    monkeypatch.setattr(w, "_join", lambda key, source, deadline: (joined.append((key, source)),
                                                                   w.joined.add(key)))
    w.started = joined  # type: ignore[attr-defined]
    return w


def _announce(monkeypatch: pytest.MonkeyPatch, runs: dict[str, dict[str, Any]]) -> None:
    monkeypatch.setattr(workers, "announced", lambda url: runs)


def test_joins_distributed_sources_once_and_never_local_ones(worker: CrawlWorker, monkeypatch) -> None:
    _announce(monkeypatch, {"run1-a": {"source": "shared-news", "deadline": 1e12, "announced_at": 1},
                            "run2-b": {"source": "local-news", "deadline": 1e12, "announced_at": 2}})
    worker.poll_once()
    worker.poll_once()
    assert worker.started == [("run1-a", "shared-news")]  # type: ignore[attr-defined]
    assert "run2-b" in worker.joined  # looked at once, not ours


def test_at_most_max_crawls_at_a_time(worker: CrawlWorker, monkeypatch) -> None:
    _announce(monkeypatch, {"run1-a": {"source": "shared-news", "deadline": 1e12, "announced_at": 1},
                            "run3-c": {"source": "shared-news", "deadline": 1e12, "announced_at": 3}})
    worker.active["run1-a"] = object()  # type: ignore[assignment]  # one crawl running already
    monkeypatch.setattr(worker, "_reap", lambda: None)
    worker.poll_once()
    assert worker.started == []  # type: ignore[attr-defined]


def test_a_broken_sources_file_keeps_the_last_good_reading(worker: CrawlWorker, monkeypatch, caplog) -> None:
    _announce(monkeypatch, {"run1-a": {"source": "shared-news", "deadline": 1e12, "announced_at": 1}})
    assert worker._distributed() == {"shared-news": True, "local-news": False}
    (Path(worker.settings.config_dir) / "sources.yaml").write_text("sources: [{id: 1}]\n", encoding="utf-8")
    assert worker._distributed() == {"shared-news": True, "local-news": False}
    assert worker._distributed() == {"shared-news": True, "local-news": False}
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "sources.yaml" in errors[0].getMessage()
    worker.poll_once()
    assert worker.started == [("run1-a", "shared-news")]  # type: ignore[attr-defined]


def test_without_redis_the_worker_refuses_to_start(tmp_path: Path) -> None:
    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path)})
    with pytest.raises(WorkerError, match="LW_REDIS_URL"):
        CrawlWorker(settings, config_file=None)


def test_the_run_record_adds_the_workers_counts() -> None:
    own = {"pages": 10, "items": 7, "new_items": 7, "errors": 0, "finish_reason": "finished"}
    total = add_worker_stats(own, {"w1": {"pages": 4, "items": 3, "new_items": 2, "errors": 1},
                                   "w2": {"pages": 2, "items": "x"}})
    assert total == {"pages": 16, "items": 10, "new_items": 9, "errors": 1, "finish_reason": "finished"}

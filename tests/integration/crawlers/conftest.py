"""Fixtures for the crawl tests: the fault-injecting local site and a runner for ``laborwatch crawl``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawlers.sample_site import DEMO_SOURCES
from crawlers.testing.fault_site import FaultSite, fault_sources_yaml


@dataclass
class CrawlResult:
    rc: int
    stats: dict[str, Any]
    posts: list[dict[str, Any]]
    stderr: str


@pytest.fixture
def fault_site() -> Iterator[FaultSite]:
    site = FaultSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()


def crawl_env(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_") or k in ("LW_TEST_REDIS_URL",)}
    env.update({
        "LW_STATE_DIR": str(state),
        "LW__CRAWL__DOWNLOAD_TIMEOUT_S": "2",
        "LW__CRAWL__RETRY_TIMES": "2",
        "LW__CRAWL__RETRY_BACKOFF_S": "0.2",
        "LW__CRAWL__MAX_RESPONSE_BYTES": str(1024 * 1024),
        "LW__CRAWL__DOWNLOAD_DELAY_S": "0",
        "LW__CRAWL__RUN_TIME_LIMIT_S": "120",
    })
    env.update(extra)
    return env


def write_sources(tmp: Path, site: FaultSite, *, demo: bool = False, **overrides: Any) -> Path:
    path = tmp / ("demo_sources.yaml" if demo else "fault_sources.yaml")
    if demo:
        text = DEMO_SOURCES.read_text(encoding="utf-8").replace("{base_url}", site.base_url)
        for old, new in overrides.items():
            text = text.replace(old, new)
    else:
        text = fault_sources_yaml(site.base_url, **overrides)
    path.write_text(text, encoding="utf-8")
    return path


def crawl_cmd(sources: Path, out: Path, *ids: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "laborwatch", "crawl", *ids, "--sources", str(sources), "--output", str(out),
            "--stats-json", str(out.with_suffix(".stats.json")), *extra]


def read_posts(out: Path) -> list[dict[str, Any]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_crawl_cli(sources: Path, out: Path, state: Path, *ids: str, extra: tuple[str, ...] = (),
                  env: dict[str, str] | None = None, timeout: float = 120) -> CrawlResult:
    proc = subprocess.run(crawl_cmd(sources, out, *ids, extra=extra), env=env or crawl_env(state),
                          capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    stats = json.loads(lines[-1]) if lines else {}
    return CrawlResult(proc.returncode, stats, read_posts(out), proc.stderr)

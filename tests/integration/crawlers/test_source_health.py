"""Issue 15: sources that used to fail silently, crawled through the real CLI against a local site serving them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawlers.testing.health_site import CURSOR_POSTS, GBK_ONLY, HealthSite, health_sources_yaml

from .conftest import crawl_env, run_crawl_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def site() -> Iterator[HealthSite]:
    s = HealthSite()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _sources(tmp: Path, site: HealthSite) -> Path:
    path = tmp / "health_sources.yaml"
    path.write_text(health_sources_yaml(site.base_url), encoding="utf-8")
    return path


def test_gbk_feed_declaring_gb2312_keeps_every_item(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "gbk-feed")
    assert r.rc == 0, r.stderr[-2000:]
    assert len(r.posts) == 15 and r.stats["errors"] == 0
    titles = {p["title"] for p in r.posts}
    assert {f"员工王{c}反映欠薪第1号" for c in GBK_ONLY[:1]} <= titles
    assert all(any(c in p["content"] for c in GBK_ONLY) and "\ufffd" not in p["content"] for p in r.posts)


def test_cursor_paged_api_follows_next_cursor(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "cursor-api")
    assert r.rc == 0, r.stderr[-2000:]
    assert len(r.posts) == CURSOR_POSTS and r.stats["errors"] == 0 and r.stats["problems"] == {}
    assert site.hits["/h/api/cursor"] == 3  # the last page names no cursor: paging ends there


def test_offset_paged_api(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "offset-api")
    assert r.rc == 0, r.stderr[-2000:]
    assert len(r.posts) == 10 and site.hits["/h/api/offset"] == 4  # 4 + 4 + 2, then an empty page


def test_api_error_body_is_an_error_and_fails_the_crawl(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "broken-api")
    assert r.rc == 3
    assert r.stats["errors"] == 1 and r.stats["problems"] == {"api_error": 1}
    assert "broken-api: collected nothing: 1 api_error" in r.stderr
    assert "code=10002 msg=invalid cursor" in r.stderr
    assert site.hits["/h/api/broken"] == 1  # no paging after an error body


def test_api_ignoring_page_stops_at_the_repeat_with_a_warning(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "same-api")
    assert r.rc == 0, r.stderr[-2000:]  # it did collect the first page
    assert len(r.posts) == 3 and r.stats["problems"] == {"page_repeated": 1}
    assert site.hits["/h/api/same"] == 2  # not max_pages (5) times
    assert "same-api: page_repeated" in r.stderr


def test_layout_change_selector_matching_nothing_fails_the_crawl(site: HealthSite, tmp_path: Path) -> None:
    sources, state = _sources(tmp_path, site), tmp_path / "state"
    first = run_crawl_cli(sources, tmp_path / "out1.jsonl", state, "layout-news")
    assert first.rc == 0 and len(first.posts) == 5 and first.stats["problems"] == {}
    site.layout = "v2"  # the site is redesigned: ul.news-list is gone
    second = run_crawl_cli(sources, tmp_path / "out2.jsonl", state, "layout-news")
    assert second.rc == 3
    assert second.stats["problems"] == {"selector_no_match:item_links": 1}
    assert "selector_no_match:item_links" in second.stderr and second.stats["items"] == 0


def test_robots_refusal_is_counted_apart_from_errors(site: HealthSite, tmp_path: Path) -> None:
    r = run_crawl_cli(_sources(tmp_path, site), tmp_path / "out.jsonl", tmp_path / "state", "robots-news")
    assert r.rc == 3 and "1 robots.txt refusal" in r.stderr
    assert r.stats["robots_refused"] == 1 and r.stats["errors"] == 0 and r.stats["pages"] == 0
    assert site.hits["/private/list.html"] == 0


def _check(sources: Path, state: Path, *ids: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "laborwatch", "sources", "check", "--sources", str(sources),
                           "--fetch", *ids], env=crawl_env(state), capture_output=True, text=True, timeout=180)


def test_sources_check_fetch_proves_a_source_works_or_says_why_not(site: HealthSite, tmp_path: Path) -> None:
    sources, state = _sources(tmp_path, site), tmp_path / "state"
    ok = _check(sources, state, "layout-news", "cursor-api")
    assert ok.returncode == 0, ok.stdout + ok.stderr[-2000:]
    block = ok.stdout.split("【layout-news】")[1].split("【")[0]
    assert "结果 result: 正常 OK" in block
    assert "选择器 selector item_links: 命中 matched 1/1 页" in block
    assert "标题 title: 青浦区劳动监察通报第" in block and "发布时间 published_at: 2024-09-1" in block
    assert "正文 content: 青浦区劳动保障监察大队" in block
    assert site.hits["/h/api/cursor"] == 3  # paging followed (two more pages after the first)
    assert sum(site.hits[f"/h/news/content_{n}.html"] for n in range(1, 6)) == 4  # a sample of items, not all

    site.layout = "v2"
    bad = _check(sources, state, "layout-news", "robots-news", "broken-api")
    assert bad.returncode == 1
    assert "OK" not in bad.stdout.split("【layout-news】")[1].split("【")[0]
    assert "selector_no_match:item_links" in bad.stdout and "← 未匹配 no match" in bad.stdout
    assert "robots.txt 禁止 1" in bad.stdout.split("【robots-news】")[1]
    assert site.hits["/private/list.html"] == 0  # --fetch obeys robots.txt
    assert "问题 problem: api_error" in bad.stdout
    assert "3 source(s) failed the fetch check" in bad.stderr


def test_pipeline_crawl_records_runs_and_a_quiet_source_fails(site: HealthSite, tmp_path: Path,
                                                               es_settings_isolated: Any) -> None:
    """Command-line crawls into the pipeline are recorded in crawl_runs with their per-source stats; a source
    that yielded in its last runs and now yields nothing is a quiet_source and fails the crawl."""
    sources, state = _sources(tmp_path, site), tmp_path / "state"
    env = crawl_env(state, LW_ES_URL=es_settings_isolated.url, LW__ES__INDEX_PREFIX=es_settings_isolated.index_prefix,
                    LW__NLP__USE_TRANSFORMER="false", LW_SECRET_KEY="issue-15-test-secret")

    def crawl(*extra: str, run_env: dict[str, str] = env) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "laborwatch", "crawl", "quiet-news", "--sources", str(sources),
                               *extra], env=run_env, capture_output=True, text=True, timeout=300)

    no_key = crawl(run_env={k: v for k, v in env.items() if k != "LW_SECRET_KEY"})
    assert no_key.returncode == 1 and "LW_SECRET_KEY is unset" in no_key.stderr
    for _ in range(3):
        r = crawl()
        assert r.returncode == 0, r.stderr[-3000:]
    site.layout = "empty"
    quiet = crawl()
    assert quiet.returncode == 3
    assert "quiet-news: quiet_source" in quiet.stderr and "collected nothing: 3 quiet_source" in quiet.stderr
    runs = subprocess.run([sys.executable, "-m", "laborwatch", "crawl-runs", "--json"], env=env,
                          capture_output=True, text=True, timeout=120)
    rows = [json.loads(line) for line in runs.stdout.splitlines() if line.startswith("{")]
    assert [(r["source_id"], r["trigger"], r["status"]) for r in rows] == (
        [("quiet-news", "cli", "failed")] + [("quiet-news", "cli", "finished")] * 3)
    assert rows[-1]["new_items"] == 5 and rows[0]["items"] == 0
    assert "quiet_source" in rows[0]["message"]

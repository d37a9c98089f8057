"""Cheap frequent crawls and the lag fields (issue 21), on the sample site served over loopback by a server
that answers conditional requests: real Scrapy crawls (``laborwatch crawl`` subprocesses), a real seen-store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crawlers.sample_site import DEMO_SOURCES
from crawlers.testing.conditional_site import ConditionalSite

from .conftest import run_crawl_cli


@pytest.fixture
def site():
    s = ConditionalSite()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _sources(tmp: Path, site: ConditionalSite) -> Path:
    path = tmp / "sources.yaml"
    path.write_text(DEMO_SOURCES.read_text(encoding="utf-8").replace("{base_url}", site.base_url), encoding="utf-8")
    return path


def test_unchanged_list_costs_one_request_and_no_parse_and_lags_are_recorded(site: ConditionalSite,
                                                                             tmp_path: Path) -> None:
    sources, state = _sources(tmp_path, site), tmp_path / "state"

    first = run_crawl_cli(sources, tmp_path / "run1.jsonl", state, "sample-news")
    assert first.rc == 0, first.stderr
    one = first.stats["per_source"]["sample-news"]
    assert one["new_items"] == len(first.posts) > 0 and one["not_modified"] == 0
    assert one["kind"] == "news"
    # publish -> crawl lag of every delivered post that has a publication time, as the posts themselves say
    expected = sorted(
        int((datetime.fromisoformat(p["fetched_at"]) - datetime.fromisoformat(p["published_at"])).total_seconds())
        for p in first.posts if p.get("published_at"))
    assert expected and sorted(one["lag_s"]) == expected
    list_pages = sorted(k for k in site.hits if k.startswith("/news/list_"))
    assert len(list_pages) >= 2  # the list spans pages: the first run walked them
    before = dict(site.hits)

    second = run_crawl_cli(sources, tmp_path / "run2.jsonl", state, "sample-news")
    assert second.rc == 0, second.stderr  # an unchanged source is healthy, not "quiet"
    two = second.stats["per_source"]["sample-news"]
    assert site.conditional_seen["/news/list_1.html"] == 1 and site.not_modified["/news/list_1.html"] == 1
    assert two["not_modified"] == 1 and two["pages"] == 1
    # no reparse: no link of the list was even looked up (skipped_seen 0), no item, no further page or article
    assert (two["items"], two["new_items"], two["skipped_seen"], two["errors"]) == (0, 0, 0, 0)
    new_hits = {k: v - before.get(k, 0) for k, v in site.hits.items() if v != before.get(k, 0)}
    assert new_hits == {"/robots.txt": 1, "/news/list_1.html": 1}  # robots.txt is read once per crawl process
    assert second.posts == [] and not two.get("problems")

    # the site publishes: the ETag changes, the list is fetched and parsed again, only the new post is fetched
    fresh = dict(site.articles[0], id=999, slug="2024/0913/999", title="赵巷镇一制衣厂停工 员工讨要两个月工资",
                 date="2024年9月13日 08:00")
    site.articles.insert(0, fresh)
    third = run_crawl_cli(sources, tmp_path / "run3.jsonl", state, "sample-news")
    assert third.rc == 0, third.stderr
    three = third.stats["per_source"]["sample-news"]
    assert [p["title"] for p in third.posts] == [fresh["title"]]
    assert three["not_modified"] == 0 and three["new_items"] == 1 and len(three["lag_s"]) == 1


def test_an_interrupted_or_failed_run_keeps_no_validator(site: ConditionalSite, tmp_path: Path) -> None:
    """Validators are kept only after a run that completed without a failed request: otherwise a 304 next
    time would hide the items the failed run missed."""
    sources, state = _sources(tmp_path, site), tmp_path / "state"
    broken = site.articles[1]
    failing = {site.article_path(broken)}  # this article page answers 500 during the first run

    original = site.route

    def route(path, q, count):
        if path in failing:
            return 500, {"Content-Type": "text/plain"}, b"boom"
        return original(path, q, count)

    site.route = route  # type: ignore[method-assign]
    first = run_crawl_cli(sources, tmp_path / "run1.jsonl", state, "sample-news")
    assert first.stats["per_source"]["sample-news"]["errors"] >= 1
    failing.clear()
    second = run_crawl_cli(sources, tmp_path / "run2.jsonl", state, "sample-news")
    two = second.stats["per_source"]["sample-news"]
    assert two["not_modified"] == 0  # no validator was kept: the list was fetched in full ...
    assert [p["title"] for p in second.posts] == [broken["title"]]  # ... and the missed article collected
    assert len(two["lag_s"]) == 1

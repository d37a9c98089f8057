from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crawlers.items import PostItem
from crawlers.jsonpath import get_items, get_path
from crawlers.pipelines import Drop, to_post
from crawlers.seen import SeenStore
from crawlers.stats import CrawlStats
from crawlers.urls import canonical_url
from laborwatch.domain import SHANGHAI, PostKind

NOW = datetime(2024, 9, 14, 12, 0, tzinfo=SHANGHAI)


def _item(**kw) -> PostItem:
    base = dict(id="u-1", url="http://x/1", source_id="s", platform="p", kind=PostKind.SOCIAL, title="",
                content="青浦某工地欠薪", fetched_at=NOW)
    base.update(kw)
    return PostItem(**base)


def test_to_post_resolves_relative_date_against_fetch_time() -> None:
    post = to_post(_item(published_raw="昨天 14:20", engagement={"reposts": 3, "bogus": 9}), region=("青浦区",))
    assert post.published_at == datetime(2024, 9, 13, 14, 20, tzinfo=SHANGHAI)
    assert post.engagement.reposts == 3 and post.region == ("青浦区",)


def test_to_post_drops_empty_and_out_of_window() -> None:
    with pytest.raises(Drop, match="empty_content"):
        to_post(_item(content="  ", title=""))
    with pytest.raises(Drop, match="out_of_window"):
        to_post(_item(published_at=NOW - timedelta(days=30)), time_window_days=7)


def test_future_date_is_discarded() -> None:
    post = to_post(_item(published_at=NOW + timedelta(days=30)))
    assert post.published_at is None and "published_in_future" in post.extra


def test_canonical_url() -> None:
    assert canonical_url("HTTP://News.Example.CN:80/a?utm_source=x&b=2&a=1#frag") == "http://news.example.cn/a?a=1&b=2"


def test_jsonpath() -> None:
    data = {"data": {"cards": [{"mblog": {"id": 1}}, {"card_type": 11}, {"mblog": {"id": 2}}]}, "list": [{"a": 1}]}
    assert [m["id"] for m in get_items(data, "data.cards[*].mblog")] == [1, 2]
    assert get_items(data, "list") == [{"a": 1}]
    assert get_path(data, "data.cards[0].mblog.id") == 1 and get_path(data, "nope.x", "d") == "d"


def test_seen_store_runs(tmp_path) -> None:
    store = SeenStore(tmp_path / "seen.sqlite")
    assert not store.last_run_complete("s")
    store.start_run("s")
    store.add("s", ["a", "b"])
    assert store.seen(["a", "c"]) == {"a"}
    store.finish_run("s", complete=False)
    assert not store.last_run_complete("s")
    store.start_run("s")
    store.finish_run("s", complete=True)
    assert store.last_run_complete("s") and store.count("s") == 2
    store.close()


def test_crawl_stats_ok() -> None:
    assert CrawlStats().ok
    assert not CrawlStats(pages=0, errors=3).ok
    assert not CrawlStats(finish_reason="shutdown").ok

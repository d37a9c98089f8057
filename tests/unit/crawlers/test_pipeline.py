from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crawlers.items import PostItem
from crawlers.jsonpath import compile_path, get_items, get_path
from crawlers.pipelines import Drop, to_post
from crawlers.run import stats_from_scrapy
from crawlers.seen import SeenStore
from crawlers.stats import CrawlStats
from crawlers.urls import canonical_url
from lwcore.domain import SHANGHAI, PostKind

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


def test_jsonpath_is_jmespath() -> None:
    data = {"data": {"list": [{"mid": "a", "user": {"name": "张三"}}]}, "code": 0}
    assert get_path(data, "data.list[0].user.name") == "张三" and get_path(data, "code") == 0
    assert get_path(data, "data.list[-1].mid") == "a" and get_items(data, "data.missing") == []
    with pytest.raises(ValueError, match="not a valid JMESPath expression 'data.list\\['"):
        compile_path("data.list[")


def test_stats_items_exclude_in_run_duplicates_and_robots_are_not_errors() -> None:
    raw = {"laborwatch/items": 12, "laborwatch/dropped/duplicate_in_run": 3, "laborwatch/new_items": 9,
           "response_received_count": 5, "robotstxt/response_count": 1, "laborwatch/robots_refused": 2,
           "laborwatch/dropped/robots_disallowed": 2, "finish_reason": "finished"}
    st = stats_from_scrapy(raw)
    assert (st.items, st.duplicates, st.pages, st.errors, st.robots_refused) == (9, 3, 4, 0, 2)
    assert st.ok


def test_selector_that_never_matches_is_a_problem_and_fails_an_empty_crawl() -> None:
    raw = {"laborwatch/selector/item_links/tried": 2, "laborwatch/selector/content/tried": 4,
           "laborwatch/selector/content/matched": 3, "response_received_count": 2, "finish_reason": "finished"}
    st = stats_from_scrapy(raw)
    assert st.problems == {"selector_no_match:item_links": 2}
    assert st.failure() == "collected nothing: 2 selector_no_match:item_links"
    total = CrawlStats()
    total.add(st, "s1")
    total.add(stats_from_scrapy({"laborwatch/skipped_seen": 4, "response_received_count": 1,
                                 "finish_reason": "finished"}), "s2")
    assert total.failures() == {"s1": "collected nothing: 2 selector_no_match:item_links"} and not total.ok


def test_pipeline_delivers_a_batch_once_its_first_post_waited_flush_after_s() -> None:
    from types import SimpleNamespace

    from crawlers.items import CrawlContext
    from crawlers.pipelines import PostPipeline
    from crawlers.sources import parse_sources
    from lwcore.settings import Settings

    src = parse_sources({"sources": [{"id": "s1", "name": "s", "kind": "news", "platform": "p",
                                      "start_urls": ["https://x.example.cn/"]}]}, "sources.yaml")[0]
    delivered: list[list[str]] = []
    ctx = CrawlContext(settings=Settings(), source=src, sink=lambda posts: delivered.append([p.id for p in posts]),
                       batch_size=50, flush_after_s=20.0)

    class Stats:
        def __init__(self) -> None:
            self.values: dict = {}

        def inc_value(self, key, n=1):
            self.values[key] = self.values.get(key, 0) + n

        def get_value(self, key, default=None):
            return self.values.get(key, default)

        def set_value(self, key, value):
            self.values[key] = value

    now = [100.0]
    pipe = PostPipeline(SimpleNamespace(spider=SimpleNamespace(ctx=ctx), stats=Stats()), clock=lambda: now[0])
    pipe.process_item(_item(id="a", url="http://x/a"))
    now[0] += 5
    pipe.process_item(_item(id="b", url="http://x/b"))
    pipe.flush_if_old()
    assert delivered == []  # the first post waited 5 s of 20
    now[0] += 15
    pipe.flush_if_old()  # the timer's check: 20 s since the first post
    assert delivered == [["a", "b"]]
    pipe.process_item(_item(id="c", url="http://x/c"))
    now[0] += 25
    pipe.process_item(_item(id="d", url="http://x/d"))  # an arriving post finds the batch old: delivered at once
    assert delivered == [["a", "b"], ["c", "d"]]
    pipe.close_spider()
    assert delivered == [["a", "b"], ["c", "d"]] and pipe.batch == []

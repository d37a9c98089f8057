"""Spider callbacks on responses built from the sample/fault site routes (no network, no reactor)."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.http import Request, TextResponse

from crawlers.items import CrawlContext, PostItem
from crawlers.sample_site import load_demo_sources
from crawlers.spiders import BoardSpider, FeedSpider, ForumSpider, NewsSpider, SearchSpider
from crawlers.testing.fault_site import FaultSite
from lwcore.domain import PostKind
from lwcore.settings import Settings

BASE = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def site() -> FaultSite:
    s = FaultSite()
    s.base_url = BASE
    return s


@pytest.fixture(scope="module")
def sources() -> dict[str, Any]:
    return {s.id: s for s in load_demo_sources(BASE)}


def _spider(cls: type, source: Any, seen: set[str] | None = None, early: bool = False) -> Any:
    ctx = CrawlContext(settings=Settings(), source=source, sink=lambda posts: None,
                       seen_ids=(lambda ids: {i for i in ids if i in (seen or set())}), allow_early_stop=early)
    return cls(source=source, context=ctx)


def _response(site: FaultSite, path: str, params: dict[str, str] | None = None, **meta: Any) -> TextResponse:
    status, headers, body = site.route(path.split("?")[0], params or {}, 1)
    url = BASE + path
    return TextResponse(url, status=status, body=body, headers=headers, request=Request(url, meta=meta))


def test_news_list_follows_articles_and_next_page(site: FaultSite, sources: dict) -> None:
    spider = _spider(NewsSpider, sources["sample-news"])
    out = list(spider.parse_list(_response(site, "/news/list_1.html", page=1)))
    reqs = [r for r in out if isinstance(r, Request)]
    articles = [r for r in reqs if r.meta["lw_item"]]
    assert len(articles) == 6
    nxt = [r for r in reqs if not r.meta["lw_item"]]
    assert [r.url for r in nxt] == [BASE + "/news/list_2.html"] and nxt[0].meta["page"] == 2


def test_news_list_skips_seen_and_stops_paging_when_all_seen(site: FaultSite, sources: dict) -> None:
    first = _spider(NewsSpider, sources["sample-news"])
    urls = [r.url for r in first.parse_list(_response(site, "/news/list_1.html", page=1)) if r.meta["lw_item"]]
    seen = {first.url_id(u) for u in urls}
    again = _spider(NewsSpider, sources["sample-news"], seen=seen, early=True)
    assert list(again.parse_list(_response(site, "/news/list_1.html", page=1))) == []
    # after an interrupted run (no early stop) the walk goes on to the next page
    resumed = _spider(NewsSpider, sources["sample-news"], seen=seen, early=False)
    out = list(resumed.parse_list(_response(site, "/news/list_1.html", page=1)))
    assert [r.url for r in out] == [BASE + "/news/list_2.html"]


def test_news_automatic_links_without_selectors(site: FaultSite, sources: dict) -> None:
    src = sources["sample-news"].model_copy(update={"selectors": sources["sample-news"].selectors.model_copy(
        update={"item_links": None, "next_page": None})})
    spider = _spider(NewsSpider, src)
    out = list(spider.parse_list(_response(site, "/news/list_1.html", page=1)))
    article_urls = {r.url for r in out if r.meta["lw_item"]}
    assert {BASE + site.article_path(a) for a in site.articles[:6]} <= article_urls
    assert any(r.url.endswith("/news/list_2.html") for r in out if not r.meta["lw_item"])


def test_news_article_item(site: FaultSite, sources: dict) -> None:
    spider = _spider(NewsSpider, sources["sample-news"])
    a = site.articles[0]
    items = list(spider.parse_article(_response(site, site.article_path(a))))
    assert len(items) == 1 and isinstance(items[0], PostItem)
    it = items[0]
    assert it.kind is PostKind.NEWS and it.title == a["title"] and it.author == "王晓敏"
    assert it.published_at is not None and it.published_at.hour == 10
    assert it.raw_hash and len(it.raw_hash) == 40


def test_search_json_items_engagement_and_paging(site: FaultSite, sources: dict) -> None:
    spider = _spider(SearchSpider, sources["sample-weibo"])
    out = list(spider.parse_results(_response(site, "/api/weibo/search", {"q": "青浦 讨薪", "page": "1"},
                                              page=1, query="青浦 讨薪")))
    items = [o for o in out if isinstance(o, PostItem)]
    assert items and all(i.kind is PostKind.SOCIAL for i in items)
    first = next(i for i in items if i.extra["platform_id"] == "4981000000000001")
    assert first.engagement["reposts"] == 120 and first.author == "青浦打工人小王"
    assert first.published_raw == "3分钟前"
    assert first.id.startswith("p-weibo-")
    nxt = [o for o in out if isinstance(o, Request)]
    assert len(nxt) == 1 and "page=2" in nxt[0].url


def test_search_malformed_json_is_counted_not_raised(site: FaultSite) -> None:
    import yaml

    from crawlers.sources import parse_sources
    from crawlers.testing.fault_site import fault_sources_yaml

    src = {s.id: s for s in parse_sources(yaml.safe_load(fault_sources_yaml(BASE)), "f")}["fault-search"]
    spider = _spider(SearchSpider, src)
    dropped: list[str] = []
    spider.drop = lambda reason, n=1: dropped.append(reason)  # type: ignore[method-assign]
    out = list(spider.parse_results(_response(site, "/faults/api/search", {"page": "2"}, page=2, query="讨薪")))
    assert out == [] and dropped == ["malformed_reply"]


def test_board_list_and_detail_with_reply(site: FaultSite, sources: dict) -> None:
    spider = _spider(BoardSpider, sources["sample-board"])
    out = list(spider.parse_list(_response(site, "/api/board/list", {"page": "1"}, page=1)))
    details = [r for r in out if r.meta.get("lw_item")]
    assert len(details) == 2 and any(not r.meta.get("lw_item") for r in out)
    req = details[0]
    tid = req.url.split("tid=")[1]
    resp = _response(site, f"/api/board/detail?tid={tid}", {"tid": tid}, lw_thread=req.meta["lw_thread"])
    item = next(iter(spider.parse_detail(resp)))
    assert item.kind is PostKind.BOARD and item.extra["reply_status"] == "已回复"
    assert "垫付" in item.extra["reply"] and "农民工" in item.content and item.title.startswith("赵巷镇")


def test_forum_rows_inside_html_comment(site: FaultSite, sources: dict) -> None:
    spider = _spider(ForumSpider, sources["sample-forum"])
    out = list(spider.parse_list(_response(site, "/forum/list", {"pn": "0"}, page=1)))
    threads = [r for r in out if r.meta.get("lw_item")]
    assert len(threads) == 3 and threads[0].meta["lw_replies"] == 23
    resp = _response(site, "/forum/p/9100001", lw_title=threads[0].meta["lw_title"], lw_replies=23)
    item = next(iter(spider.parse_thread(resp)))
    assert item.kind is PostKind.FORUM and item.content.startswith("在华新针织干缝纫") and "顶" not in item.content
    assert item.author == "青浦小针" and item.engagement["comments"] == 23
    assert item.published_raw == "2024-09-05 22:30"


def test_feed_requests_full_article_for_summaries(site: FaultSite) -> None:
    import yaml

    from crawlers.sources import parse_sources
    from crawlers.testing.fault_site import fault_sources_yaml

    src = {s.id: s for s in parse_sources(yaml.safe_load(fault_sources_yaml(BASE)), "f")}["fault-feed"]
    spider = _spider(FeedSpider, src)
    out = list(spider.parse_feed(_response(site, "/faults/feed.xml")))
    assert len(out) == 4 and all(isinstance(r, Request) for r in out)
    fallback = out[0].meta["lw_fallback_item"]
    assert fallback.content.endswith("……") and fallback.published_at is not None
    full = list(spider.parse_full(_response(site, site.article_path(site.articles[0]),
                                            lw_fallback_item=fallback)))[0]
    assert full.extra.get("full_article") and "上海众诚劳务派遣有限公司" in full.content


def test_broken_callback_is_isolated(site: FaultSite, sources: dict) -> None:
    spider = _spider(NewsSpider, sources["sample-news"])
    counted: list[str] = []
    spider.drop = lambda reason, n=1: counted.append(reason)  # type: ignore[method-assign]
    resp = _response(site, "/faults/crash.html", lw_item=True)
    assert list(spider.parse_article(resp)) == []
    assert counted == ["unextractable"]


@pytest.mark.parametrize(
    ("reply", "fields", "error"),
    [
        ({"code": 10002, "msg": "invalid cursor", "data": None}, {}, "code=10002 msg=invalid cursor"),
        ({"status_code": "SUCCESS", "data": {"list": []}}, {}, None),  # no items, but a success code
        ({"code": 0, "data": {"list": []}}, {}, None),
        ({"ok": 0, "msg": "login required"}, {"error_code": "ok", "ok_codes": [1], "error_message": "msg"},
         "code=0 msg=login required"),
        ({"ok": 1, "data": {"list": [{"mid": "1", "text": "x"}]}}, {"error_code": "ok", "ok_codes": [1]}, None),
    ],
)
def test_api_error_bodies(reply: dict, fields: dict, error: str | None) -> None:
    from crawlers.jsonpath import get_items
    from crawlers.sources import parse_sources

    src = parse_sources([{"id": "api", "name": "接口", "kind": "search", "platform": "x", "response": "json",
                          "endpoint": "https://a.example/?q={query}&p={page}", "keywords": ["欠薪"],
                          "json": {"items": "data.list", "id": "mid", "content": "text", **fields}}], "f")[0]
    spider = _spider(SearchSpider, src)
    assert spider.api_error(reply, bool(get_items(reply, "data.list"))) == error


def test_news_list_that_repeats_under_the_next_link_stops_with_a_problem(site: FaultSite, sources: dict) -> None:
    spider = _spider(NewsSpider, sources["sample-news"])
    first = _response(site, "/news/list_1.html", page=1, start=BASE + "/news/list_1.html")
    assert any(r.meta["lw_item"] for r in spider.parse_list(first))
    same = _response(site, "/news/list_1.html?page=2", page=2, start=BASE + "/news/list_1.html")
    assert list(spider.parse_list(same)) == []  # nothing followed, no next page: the repeat ends the walk


def test_search_combines_terms_into_or_queries_and_credits_each_post_to_its_term(site: FaultSite,
                                                                                  sources: dict) -> None:
    src = sources["sample-weibo"].model_copy(update={"max_terms_per_request": 3})
    spider = _spider(SearchSpider, src)
    first = list(spider.initial_requests())
    assert len(first) == 2  # 5 terms, 3 a request
    assert first[0].meta["query"] == "青浦 讨薪 OR 青浦 欠薪 OR 青浦 工资"
    assert first[0].meta["terms"] == ["青浦 讨薪", "青浦 欠薪", "青浦 工资"]
    combined = "青浦 讨薪 OR 青浦 欠薪"
    out = list(spider.parse_results(_response(site, "/api/weibo/search", {"q": combined, "page": "1"}, page=1,
                                              query=combined, terms=["青浦 讨薪", "青浦 欠薪"])))
    items = [o for o in out if isinstance(o, PostItem)]
    single = [o for o in _spider(SearchSpider, sources["sample-weibo"]).parse_results(
        _response(site, "/api/weibo/search", {"q": "青浦 讨薪", "page": "1"}, page=1, query="青浦 讨薪"))
        if isinstance(o, PostItem)]
    assert items and {i.id for i in items} >= {i.id for i in single[:1]}  # the newest 讨薪 post is in the OR reply
    for i in items:
        term = i.extra["query"]
        assert term in ("青浦 讨薪", "青浦 欠薪") and all(w in f"{i.title} {i.content}" for w in term.split())
    # the paging request carries the member terms on
    nxt = [o for o in out if isinstance(o, Request)]
    assert all(r.meta["terms"] == ["青浦 讨薪", "青浦 欠薪"] for r in nxt)

"""A local site that serves what real sites serve and used to fail silently (issue 15), for the health tests.

Routes (on top of :class:`~crawlers.testing.fault_site.FaultSite`, whose ``/robots.txt`` disallows ``/private/``):

- ``/h/gbk_feed.xml``: an RSS feed declaring gb2312 whose 15 items use GBK-only characters (镕, 喆, 堃 ...);
- ``/h/api/cursor?q=&cursor=``: a cursor-paged JSON API (3 pages of 4 posts, ``data.next_cursor``); an unknown
  cursor answers ``{"code": 10002, "msg": "invalid cursor", "data": null}``;
- ``/h/api/broken``: always the error body;
- ``/h/api/same?page=N``: an API that ignores ``page`` and answers the same 3 posts every time;
- ``/h/api/offset?offset=N``: offset paging over 10 posts, 4 at a time;
- ``/h/news/list.html``: a news list whose layout is ``layout`` (``"v1"``: ``ul.news-list``; ``"v2"``: the
  redesign, ``div.articles``, so a selector written for v1 stops matching; ``"empty"``: no items at all);
  ``/h/news/content_<n>.html`` its articles;
- ``/private/list.html``: a list page robots.txt forbids.
"""

from __future__ import annotations

import html
import json
from typing import Any

from crawlers.sample_site import Reply
from crawlers.testing.fault_site import FaultSite

__all__ = ["HealthSite", "GBK_ONLY", "health_sources_yaml", "CURSOR_POSTS"]

#: Characters of GBK that GB2312 lacks (a feed declaring gb2312 uses them anyway).
GBK_ONLY = "镕喆堃昇赟珺玥"
_PER_CURSOR_PAGE = 4
CURSOR_POSTS = 12


def _cursor_post(i: int) -> dict[str, Any]:
    return {"mid": f"c{i:03d}", "text": f"青浦讨薪第{i}条：某工地拖欠农民工工资{i}万元", "time": "2024-09-12 10:00",
            "user": {"name": f"网友{i}"}}


class HealthSite(FaultSite):
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.layout = "v1"

    def extra_routes(self, path: str, q: dict[str, str], count: int) -> Reply | None:
        if path == "/h/gbk_feed.xml":
            return self._gbk_feed()
        if path == "/h/api/cursor":
            return self._cursor(q.get("cursor", ""))
        if path == "/h/api/broken":
            return self._json({"code": 10002, "msg": "invalid cursor", "data": None})
        if path == "/h/api/same":
            return self._json({"code": 0, "data": {"list": [_cursor_post(i) for i in range(3)]}})
        if path == "/h/api/offset":
            start = int(q.get("offset") or 0)
            return self._json({"code": 0, "data": {"list": [_cursor_post(100 + i)
                                                            for i in range(start, min(start + 4, 10))]}})
        if path == "/h/news/list.html":
            return self._text(self._list_page(), "text/html; charset=utf-8")
        if path.startswith("/h/news/content_") and path.endswith(".html"):
            n = path.removeprefix("/h/news/content_").removesuffix(".html")
            if n.isdigit() and 1 <= int(n) <= 5:
                return self._text(self._article_page(int(n)), "text/html; charset=utf-8")
        if path == "/private/list.html":
            return self._text(self._list_page(), "text/html; charset=utf-8")
        return super().extra_routes(path, q, count)

    def _gbk_feed(self) -> Reply:
        items = []
        for i in range(15):
            name = GBK_ONLY[i % len(GBK_ONLY)]
            body = (f"青浦区某企业员工王{name}等{10 + i}人反映，公司拖欠{i + 1}个月工资未发。"
                    f"区劳动保障监察大队已介入调查，责令企业限期支付。{name}表示将继续依法维权。") * 3
            items.append(f"<item><title>员工王{name}反映欠薪第{i + 1}号</title>"
                         f"<link>{self.base_url}/h/feed/{i}.html</link><guid>gbk-{i}</guid>"
                         f"<description>{html.escape(body)}</description>"
                         "<pubDate>Thu, 12 Sep 2024 10:30:00 +0800</pubDate></item>")
        xml = ('<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>青浦区劳动维权</title>'
               + "".join(items) + "</channel></rss>")
        return 200, {"Content-Type": "application/rss+xml"}, xml.encode("gbk")

    def _cursor(self, cursor: str) -> Reply:
        pages = {"": 0, "c2": 1, "c3": 2}
        if cursor not in pages:
            return self._json({"code": 10002, "msg": "invalid cursor", "data": None})
        n = pages[cursor]
        posts = [_cursor_post(i) for i in range(n * _PER_CURSOR_PAGE, (n + 1) * _PER_CURSOR_PAGE)]
        nxt = {0: "c2", 1: "c3", 2: None}[n]
        return self._json({"code": 0, "msg": "ok", "data": {"list": posts, "next_cursor": nxt}})

    def _list_page(self) -> str:
        links = "".join(f'<li><a href="/h/news/content_{n}.html">青浦区劳动监察通报第{n}期企业欠薪案件处理</a></li>'
                        for n in range(1, 6))
        if self.layout == "empty":  # the list is there, its items are not (a CMS fault, a moved column)
            body = '<ul class="news-list"></ul><p>暂无信息</p>'
        elif self.layout == "v1":
            body = f'<ul class="news-list">{links}</ul>'
        else:
            body = f'<div class="articles"><ol>{links}</ol></div>'
        return f"<html><head><meta charset='utf-8'><title>通报</title></head><body>{body}</body></html>"

    def _article_page(self, n: int) -> str:
        paras = "".join(f"<p>{html.escape(t)}</p>" for t in (
            f"青浦区劳动保障监察大队第{n}期通报：上海某建设工程有限公司拖欠二十名农民工工资共计{n * 10}万元。",
            "经调查核实，监察大队已责令该企业限期支付，企业已于本周内全部结清。",
        ))
        return ("<html><head><meta charset='utf-8'><title>通报</title></head><body><div class='main'>"
                f"<h1>青浦区劳动监察通报第{n}期企业欠薪案件处理</h1>"
                f"<div class='info'>发布时间：2024-09-1{n} 09:00 来源：青浦区人社局</div>"
                f"<div class='content'>{paras}</div></div></body></html>")


def health_sources_yaml(base_url: str, **overrides: Any) -> str:
    """Sources for the health site, as YAML (JSON) text; ``overrides`` patch a source by id."""
    api_fields = {"items": "data.list", "id": "mid", "content": "text", "author": "user.name",
                  "published_at": "time", "error_code": "code", "error_message": "msg"}
    data: dict[str, Any] = {
        "defaults": {"region": ["青浦区"], "politeness": {"download_delay_s": 0, "concurrency": 8}},
        "sources": [
            {"id": "gbk-feed", "name": "GBK 订阅", "kind": "feed", "platform": "gbkfeed",
             "start_urls": [f"{base_url}/h/gbk_feed.xml"], "encoding": "gbk", "fetch_full_article": False},
            {"id": "cursor-api", "name": "游标分页接口", "kind": "search", "platform": "cursorapi",
             "response": "json", "endpoint": f"{base_url}/h/api/cursor?q={{query}}&cursor={{cursor}}",
             "keywords": ["讨薪"], "max_pages": 5,
             "json": {**api_fields, "next_cursor": "data.next_cursor"}},
            {"id": "broken-api", "name": "报错接口", "kind": "search", "platform": "brokenapi",
             "response": "json", "endpoint": f"{base_url}/h/api/broken?q={{query}}&page={{page}}",
             "keywords": ["讨薪"], "max_pages": 5, "json": api_fields},
            {"id": "same-api", "name": "忽略页码的接口", "kind": "search", "platform": "sameapi",
             "response": "json", "endpoint": f"{base_url}/h/api/same?q={{query}}&page={{page}}",
             "keywords": ["讨薪"], "max_pages": 5, "json": api_fields},
            {"id": "offset-api", "name": "偏移分页接口", "kind": "search", "platform": "offsetapi",
             "response": "json", "endpoint": f"{base_url}/h/api/offset?q={{query}}&offset={{offset}}",
             "keywords": ["讨薪"], "max_pages": 10, "json": api_fields},
            {"id": "layout-news", "name": "改版的新闻列表", "kind": "news", "platform": "layoutnews",
             "start_urls": [f"{base_url}/h/news/list.html"], "selectors": {"item_links": "ul.news-list a"}},
            {"id": "quiet-news", "name": "自动识别链接的新闻列表", "kind": "news", "platform": "quietnews",
             "start_urls": [f"{base_url}/h/news/list.html"]},
            {"id": "robots-news", "name": "robots 禁止的列表", "kind": "news", "platform": "robotsnews",
             "start_urls": [f"{base_url}/private/list.html"]},
        ],
    }
    for src in data["sources"]:
        src.update(overrides.get(src["id"], {}))
    return json.dumps(data, ensure_ascii=False)

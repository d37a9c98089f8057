"""``search``: keyword search endpoints (JSON APIs like Weibo's mobile search, or HTML result pages).

Queries are the cross product of the source's place names and labour terms; each query pages up to
``max_pages`` (by ``{page}`` number, ``{offset}`` of items received, or the ``{cursor}`` the previous reply named in
``json.next_cursor``) and stops early on an empty page, a page of already-collected items (after a completed
run), a page entirely outside the time window, the API's own "no more" flag, a missing or repeated cursor, a
page identical to an earlier one (the site ignores the paging parameter: a ``page_repeated`` problem), or an
error body (``api_error``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from parsel import Selector
from scrapy.http import Request, Response

from crawlers.dates import parse_datetime
from crawlers.jsonpath import get_items, get_path
from crawlers.spiders.base import SourceSpider, guarded
from lwcore.domain import PostKind

__all__ = ["SearchSpider", "SINCE_OVERLAP_S", "group_terms", "term_of"]

#: ``{since}`` reaches back this far before the last complete run's start (posts indexed late by the site).
SINCE_OVERLAP_S = 600


def group_terms(terms: list[str], size: int, joiner: str) -> list[tuple[str, list[str]]]:
    """``(query, terms)`` per request: ``size`` terms (in order) joined by ``joiner`` (``max_terms_per_request``)."""
    size = max(1, size)
    return [(joiner.join(terms[i:i + size]), terms[i:i + size]) for i in range(0, len(terms), size)]


def term_of(text: str, terms: list[str]) -> str | None:
    """The term a result of a combined query is credited to: the first whose every word is in ``text``, else the
    first term (None: no terms)."""
    for t in terms:
        if all(w in text for w in t.split()):
            return t
    return terms[0] if terms else None


class SearchSpider(SourceSpider):
    kind = PostKind.SOCIAL

    def page_url(self, query: str, page: int, *, offset: int = 0, cursor: str = "") -> str:
        assert self.source.endpoint
        now = self.now()
        start = now - timedelta(days=self.source.time_window_days or 7)
        since = self.ctx.since
        return self.source.endpoint.format(
            keyword=quote(query), query=quote(query), page=page, offset=offset, cursor=quote(str(cursor)),
            start=start.strftime("%Y-%m-%d"), end=now.strftime("%Y-%m-%d"),
            since=int(since - SINCE_OVERLAP_S) if since else int(start.timestamp()),
        )

    def initial_requests(self) -> Iterable[Request]:
        if self.source.endpoint:
            chosen = self.source.queries if self.ctx.only_queries is None else list(self.ctx.only_queries)
            terms = [*chosen, *self.ctx.extra_queries] or ([""] if self.ctx.only_queries is None else [])
            for q, members in group_terms(terms, self.source.max_terms_per_request, self.source.terms_joiner):
                yield self.request(self.page_url(q, 1), self.parse_results, page=1, query=q, offset=0, cursor="",
                                   terms=members)
        for url in self.source.start_urls:
            yield self.request(url, self.parse_results, page=1, query=None)

    def in_window(self, raw: Any) -> bool:
        if not self.source.time_window_days or raw in (None, ""):
            return True
        dt = parse_datetime(raw, self.now())
        return dt is None or dt >= self.now() - timedelta(days=self.source.time_window_days)

    @guarded
    def parse_results(self, response: Response) -> Iterator[Any]:
        if self.source.response == "json":
            yield from self._json_results(response)
        else:
            yield from self._html_results(response)

    def _json_results(self, response: Response) -> Iterator[Any]:
        f = self.source.json_fields
        assert f is not None
        data = self.json_of(response)
        if data is None:
            return  # malformed reply: counted; paging for this query stops here
        objs = get_items(data, f.items)
        error = self.api_error(data, bool(objs))
        if error:
            self.report_api_error(response, error)
            return
        if not objs:
            self.stat("empty_pages")
            return
        if self.page_repeats(response.meta.get("query"), [json.dumps(o, sort_keys=True) for o in objs]):
            return
        items = [it for it in (self.json_item(o, response, kind=self.kind) for o in objs) if it is not None]
        in_window = [it for it in items if self.in_window(it.published_raw)]
        if len(in_window) < len(items):
            self.drop("out_of_window", len(items) - len(in_window))
        new = self.unseen([it.id for it in in_window])
        for it in in_window:
            if it.id in new:
                it.extra["query"] = self._credit(response, f"{it.title} {it.content}")
                yield it
        more = get_path(data, f.has_more) if f.has_more else True
        # the page's last (oldest) result already collected: everything older was collected too (issue 21)
        reached_seen = bool(in_window) and in_window[-1].id not in new and self.ctx.stop_at_seen
        if reached_seen and new:
            self.stat("paging_stopped_at_seen")
        stop = (not in_window) or reached_seen or more is False
        cursor = get_path(data, f.next_cursor) if f.next_cursor else None
        yield from self._next(response, stop, received=len(objs), cursor=cursor)

    def _html_results(self, response: Response) -> Iterator[Any]:
        sel = Selector(text=self.text_of(response))
        links = self.item_links(sel, response)
        if links and self.page_repeats(response.meta.get("query"), links):
            return
        ids = {u: self.url_id(u) for u in links}
        new = self.unseen(list(ids.values()))
        for u in links:
            if ids[u] in new:
                yield self.request(u, self.parse_article, item=True, query=response.meta.get("query"),
                                   terms=response.meta.get("terms"))
        reached_seen = bool(links) and ids[links[-1]] not in new and self.ctx.stop_at_seen
        if reached_seen and new:
            self.stat("paging_stopped_at_seen")
        stop = not links or reached_seen
        yield from self._next(response, stop, received=len(links))

    def _next(self, response: Response, stop: bool, *, received: int = 0, cursor: Any = None) -> Iterator[Request]:
        page = int(response.meta.get("page", 1))
        query = response.meta.get("query")
        if stop:
            self.stat("paging_stopped")
            return
        if page >= self.source.max_pages:
            self.stat("paging_stopped_max_pages")
            return
        if query is not None and self.source.endpoint:
            paging = self.source.paging
            meta = {"page": page + 1, "query": query, "offset": int(response.meta.get("offset", 0)),
                    "cursor": response.meta.get("cursor", ""), "terms": response.meta.get("terms")}
            if paging is None:
                return  # the endpoint has no paging placeholder: one request per query
            if paging == "offset":
                meta["offset"] += received
            elif paging == "cursor":
                if cursor in (None, "", False) or str(cursor) == str(meta["cursor"]):
                    self.stat("paging_stopped_no_cursor")
                    return
                meta["cursor"] = str(cursor)
            url = self.page_url(query, page + 1, offset=meta["offset"], cursor=meta["cursor"])
            yield self.request(url, self.parse_results, **meta)
        else:
            nxt = self.next_page_url(Selector(text=self.text_of(response)), response)
            if nxt:
                yield self.request(nxt, self.parse_results, page=page + 1, query=None)

    @guarded
    def parse_article(self, response: Response) -> Iterator[Any]:
        item = self.article_item(response, kind=PostKind.NEWS)
        if item is not None and response.meta.get("query") is not None:
            item.extra["query"] = self._credit(response, f"{item.title} {item.content}")
        yield item

    @staticmethod
    def _credit(response: Response, text: str) -> Any:
        """The search term a result counts for: the query itself, or for a combined query the matching term."""
        terms = response.meta.get("terms")
        if terms and len(terms) > 1:
            return term_of(text, list(terms))
        return response.meta.get("query")

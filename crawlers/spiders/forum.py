"""``forum``: thread lists (Tieba-style, rows possibly shipped inside HTML comments) -> first post of each thread."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Request, Response

from crawlers.dates import parse_datetime
from crawlers.links import auto_article_links
from crawlers.spiders.base import SourceSpider, guarded
from crawlers.textnorm import normalize_inline
from lwcore.domain import PostKind

__all__ = ["ForumSpider"]

_COMMENT_MARKS = re.compile(r"<!--|-->")


class ForumSpider(SourceSpider):
    kind = PostKind.FORUM

    def initial_requests(self) -> Iterable[Request]:
        for url in self.source.start_urls:
            yield self.request(url, self.parse_list, page=1, start=url)

    def rows(self, sel: Selector, response: Response) -> list[tuple[str, str, int]]:
        """(url, title, replies) per thread row."""
        s = self.source.selectors
        out: list[tuple[str, str, int]] = []
        if s.item:
            for row in sel.css(s.item) if not s.item.startswith(("/", "(")) else sel.xpath(s.item):
                link_q = s.item_links or "a"
                a = row.css(link_q) if not link_q.startswith(("/", "(")) else row.xpath(link_q)
                href = a.attrib.get("href") if a else None
                if not href:
                    continue
                title = normalize_inline(" ".join(a[0].css("::text").getall())) or a.attrib.get("title", "")
                replies = 0
                if s.replies:
                    m = re.search(r"\d+", " ".join(row.css(s.replies + " ::text").getall()))
                    replies = int(m.group()) if m else 0
                out.append((response.urljoin(href), title, replies))
            self.selector_used("item", bool(out))
            return out
        return [(u, "", 0) for u in auto_article_links(sel, response.url, response.urljoin)]

    @guarded
    def parse_list(self, response: Response) -> Iterator[Any]:
        text = _COMMENT_MARKS.sub("", self.text_of(response))  # Tieba ships the list inside <!-- -->
        sel = Selector(text=text)
        rows = self.rows(sel, response)
        if rows and self.page_repeats(response.meta.get("start"), [u for u, _, _ in rows]):
            return  # the "next" page shows the same threads as an earlier one
        ids = {u: self.url_id(u) for u, _, _ in rows}
        new = self.unseen(list(ids.values()))
        for url, title, replies in rows:
            if ids[url] in new:
                yield self.request(url, self.parse_thread, item=True, lw_title=title, lw_replies=replies)
        page = int(response.meta.get("page", 1))
        if not rows:
            return
        if not new and self.ctx.allow_early_stop:
            self.stat("paging_stopped_seen")
            return
        if page < self.source.max_pages:
            nxt = self.next_page_url(sel, response)
            if nxt and nxt != response.url:
                yield self.request(nxt, self.parse_list, page=page + 1, start=response.meta.get("start"))

    @guarded
    def parse_thread(self, response: Response) -> Iterator[Any]:
        item = self.article_item(response, kind=self.kind)
        s = self.source.selectors
        sel = Selector(text=self.text_of(response))
        if s.content:  # first post only
            first = self.select(sel, s.content)
            item.content = first[0] if first else ""
        if s.author:
            authors = self.select(sel, s.author)
            item.author = authors[0] if authors else item.author
        if s.published_at:
            item.published_raw = None
            for t in self.select(sel, s.published_at):
                if parse_datetime(t, item.fetched_at) is not None and re.search(r"\d{1,2}[:：]\d{2}|前|年|-", t):
                    item.published_raw = t
                    break
        item.title = response.meta.get("lw_title") or item.title
        item.engagement = {"comments": int(response.meta.get("lw_replies") or 0)}
        yield item

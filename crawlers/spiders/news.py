"""``news``: list pages -> article pages, pagination to ``max_pages``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Request, Response

from crawlers.spiders.base import SourceSpider, guarded
from crawlers.textnorm import normalize_inline
from laborwatch.domain import PostKind

__all__ = ["NewsSpider", "auto_article_links"]

_ARTICLE_PATH = re.compile(r"(\d{4,}|/t\d+|content_|detail|article|/a/)", re.IGNORECASE)
_NOT_ARTICLE = re.compile(r"(list|index|channel|column|tag|search|login|javascript:)", re.IGNORECASE)
_CN = re.compile(r"[\u4e00-\u9fa5]")


def auto_article_links(sel: Selector, page_url: str, urljoin: Any) -> list[str]:
    """Links that look like articles: same site, a headline-like Chinese text, an article-like path."""
    host = urlsplit(page_url).hostname
    out: list[str] = []
    for a in sel.css("a[href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("#", "javascript", "mailto")):
            continue
        url = urljoin(href)
        parts = urlsplit(url)
        if parts.hostname != host or url.split("#")[0] == page_url:
            continue
        text = normalize_inline(" ".join(a.css("::text").getall())) or a.attrib.get("title", "")
        if len(_CN.findall(text)) < 6:
            continue
        if _NOT_ARTICLE.search(parts.path) or not _ARTICLE_PATH.search(parts.path + "?" + parts.query):
            continue
        out.append(url)
    return list(dict.fromkeys(out))


class NewsSpider(SourceSpider):
    kind = PostKind.NEWS

    def initial_requests(self) -> Iterable[Request]:
        for url in self.source.start_urls:
            yield self.request(url, self.parse_list, page=1)

    def list_links(self, sel: Selector, response: Response) -> list[str]:
        q = self.source.selectors.item_links
        if q:
            hrefs = sel.xpath(q + "/@href").getall() if q.startswith(("/", "(")) else sel.css(q + "::attr(href)").getall()
            return list(dict.fromkeys(response.urljoin(h.strip()) for h in hrefs if h.strip()))
        return auto_article_links(sel, response.url, response.urljoin)

    @guarded
    def parse_list(self, response: Response) -> Iterator[Any]:
        sel = Selector(text=self.text_of(response))
        links = self.list_links(sel, response)
        yield from self.follow_links(links, self.parse_article)
        yield from self.maybe_next(sel, response, links)

    def follow_links(self, links: list[str], callback: Any, **meta: Any) -> Iterator[Request]:
        ids = {url: self.url_id(url) for url in links}
        new = self.unseen(list(ids.values()))
        for url in links:
            if ids[url] in new:
                yield self.request(url, callback, item=True, **meta)
        self._last_page_all_seen = bool(links) and not new

    def maybe_next(self, sel: Selector, response: Response, links: list[str]) -> Iterator[Request]:
        page = int(response.meta.get("page", 1))
        if getattr(self, "_last_page_all_seen", False) and self.ctx.allow_early_stop:
            self.stat("paging_stopped_seen")
            return
        if not links:
            return
        if page >= self.source.max_pages:
            self.stat("paging_stopped_max_pages")
            return
        nxt = self.next_page_url(sel, response)
        if nxt and nxt != response.url:
            yield self.request(nxt, response.request.callback if response.request else self.parse_list,
                               page=page + 1)

    @guarded
    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self.article_item(response)

"""``news``: list pages -> article pages, pagination to ``max_pages``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Request, Response

from crawlers.links import auto_article_links
from crawlers.spiders.base import SourceSpider, guarded
from lwcore.domain import PostKind

__all__ = ["NewsSpider", "auto_article_links"]



class NewsSpider(SourceSpider):
    kind = PostKind.NEWS

    def initial_requests(self) -> Iterable[Request]:
        for url in self.source.start_urls:
            yield self.request(url, self.parse_list, page=1, start=url)

    def list_links(self, sel: Selector, response: Response) -> list[str]:
        return self.item_links(sel, response)

    @guarded
    def parse_list(self, response: Response) -> Iterator[Any]:
        sel = Selector(text=self.text_of(response))
        links = self.list_links(sel, response)
        if links and self.page_repeats(response.meta.get("start"), links):
            return  # the "next" page shows the same list as an earlier one: the site ignores the page parameter
        yield from self.follow_links(links, self.parse_article)
        yield from self.maybe_next(sel, response, links)

    def follow_links(self, links: list[str], callback: Any, **meta: Any) -> Iterator[Request]:
        ids = {url: self.url_id(url) for url in links}
        new = self.unseen(list(ids.values()))
        for url in links:
            if ids[url] in new:
                yield self.request(url, callback, item=True, **meta)
        self._last_page_all_seen = bool(links) and not new
        # the page's last (oldest) link already collected: the pages after it hold older, collected posts
        self._last_link_seen = bool(links) and ids[links[-1]] not in new

    def maybe_next(self, sel: Selector, response: Response, links: list[str]) -> Iterator[Request]:
        page = int(response.meta.get("page", 1))
        if getattr(self, "_last_page_all_seen", False) and self.ctx.allow_early_stop:
            self.stat("paging_stopped_seen")
            return
        if getattr(self, "_last_link_seen", False) and self.ctx.stop_at_seen:
            self.stat("paging_stopped_at_seen")
            return
        if not links:
            return
        if page >= self.source.max_pages:
            self.stat("paging_stopped_max_pages")
            return
        nxt = self.next_page_url(sel, response)
        if nxt and nxt != response.url:
            yield self.request(nxt, response.request.callback if response.request else self.parse_list,
                               page=page + 1, start=response.meta.get("start"))

    @guarded
    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self.article_item(response)

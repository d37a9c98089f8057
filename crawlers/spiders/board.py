"""``board``: government message boards (留言板): list API -> detail API with the official reply and its status."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scrapy.http import Request, Response

from crawlers.jsonpath import get_items, get_path
from crawlers.spiders.base import SourceSpider, guarded
from lwcore.domain import PostKind

__all__ = ["BoardSpider"]


class BoardSpider(SourceSpider):
    kind = PostKind.BOARD

    def list_url(self, page: int) -> str:
        assert self.source.endpoint
        since = self.ctx.since
        return self.source.endpoint.format(page=page, keyword="", query="", start="", end="",
                                           since=int(since - 600) if since else "")

    def initial_requests(self) -> Iterable[Request]:
        if self.source.endpoint:
            yield self.request(self.list_url(1), self.parse_list, page=1)
        for url in self.source.start_urls:
            yield self.request(url, self.parse_list, page=self.source.max_pages)

    @guarded
    def parse_list(self, response: Response) -> Iterator[Any]:
        f = self.source.json_fields
        assert f is not None
        data = self.json_of(response)
        if data is None:
            return
        threads = get_items(data, f.items)
        error = self.api_error(data, bool(threads))
        if error:
            self.report_api_error(response, error)
            return
        if threads and self.page_repeats("list", [get_path(t, f.id) for t in threads]):
            return
        keyed = []
        for t in threads:
            native = get_path(t, f.id)
            if native in (None, ""):
                self.drop("no_id")
                continue
            keyed.append((self.platform_id(str(native)), native, t))
        new = self.unseen([k[0] for k in keyed])
        for pid, native, t in keyed:
            if pid not in new:
                continue
            if f.detail_url_template:
                yield self.request(f.detail_url_template.format(id=native), self.parse_detail, item=True,
                                   lw_thread=t)
            else:
                item = self.json_item(t, response, kind=self.kind)
                if item is not None:
                    yield item
        page = int(response.meta.get("page", 1))
        more = get_path(data, f.has_more) if f.has_more else bool(threads)
        if not threads or more is False:
            return
        if keyed and not new and self.ctx.allow_early_stop:
            self.stat("paging_stopped_seen")
            return
        if page < self.source.max_pages and self.source.paging == "page":
            yield self.request(self.list_url(page + 1), self.parse_list, page=page + 1)

    @guarded
    def parse_detail(self, response: Response) -> Iterator[Any]:
        f = self.source.json_fields
        assert f is not None
        data = self.json_of(response)
        listed = response.meta["lw_thread"]
        if data is None:
            return
        node = get_path(data, f.detail_item) if f.detail_item else data
        if not isinstance(node, dict):
            self.drop("malformed_reply")
            return
        reply = self.strip_tags(get_path(node, f.reply)) if f.reply else ""
        status = str(get_path(node, f.reply_status) or "") if f.reply_status else ""
        item = self.json_item(node, response, kind=self.kind, fallback=listed,
                              extra={"reply": reply or None, "reply_status": status or None})
        if item is not None:
            yield item

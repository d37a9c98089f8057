"""``feed``: RSS 2.0 / Atom (including RSSHub routes); the full article is fetched when an entry is a summary."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy.http import Request, Response

from crawlers.dates import parse_datetime
from crawlers.encoding import decode_html
from crawlers.items import PostItem
from crawlers.spiders.base import SourceSpider, guarded
from crawlers.urls import canonical_url
from lwcore.domain import PostKind

__all__ = ["FeedSpider", "parse_feed"]

_SUMMARY_MAX = 200


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_feed(body: bytes, *, header_encoding: str | None = None,
               declared: str | None = None) -> list[dict[str, str]]:
    """Entries of an RSS/Atom document as dicts (link, guid, title, content, published, author).

    The bytes are decoded as pages are (:func:`crawlers.encoding.decode_html`): the source's ``encoding``
    override, the HTTP header, the ``<?xml encoding=...?>`` declaration (gb2312/gbk widened to GB18030),
    then a guess. lxml never sees the declaration, so a feed that declares gb2312 but uses GBK-only
    characters keeps every item instead of losing those after the first undecodable byte.
    """
    from lxml import etree

    text, _ = decode_html(body, header_encoding=header_encoding, declared=declared)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise ValueError("empty feed")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, encoding="utf-8")
    root = etree.fromstring(text.encode("utf-8"), parser=parser)
    if root is None:
        raise ValueError("not an XML feed")
    entries = []
    for node in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        def first(*names: str, node: Any = node) -> str:
            for name in names:
                found = node.xpath(f"./*[local-name()='{name}']")
                for el in found:
                    if name == "link" and el.get("href") and el.get("rel", "alternate") == "alternate":
                        return str(el.get("href"))
                    text = "".join(el.itertext()).strip()
                    if text:
                        return text
            return ""

        entries.append({
            "link": first("link"),
            "guid": first("guid", "id"),
            "title": first("title"),
            "content": first("encoded", "content", "description", "summary"),
            "published": first("pubDate", "published", "updated", "date"),
            "author": first("creator", "author", "name"),
        })
    return entries


class FeedSpider(SourceSpider):
    kind = PostKind.NEWS

    def initial_requests(self) -> Iterable[Request]:
        for url in self.source.start_urls:
            yield self.request(url, self.parse_feed)

    @guarded
    def parse_feed(self, response: Response) -> Iterator[Any]:
        try:
            entries = parse_feed(response.body, header_encoding=self.header_charset(response),
                                 declared=self.source.encoding)
        except (ValueError, SyntaxError) as exc:
            self.drop("malformed_reply")
            self.count_error("malformed_reply")
            self.logger.warning("malformed feed %s: %s", response.url, exc)
            return
        keyed = []
        for e in entries:
            link = response.urljoin(e["link"]) if e["link"] else ""
            pid = self.url_id(link) if link else self.platform_id(e["guid"] or e["title"])
            keyed.append((pid, link, e))
        new = self.unseen([k[0] for k in keyed])
        for pid, link, e in keyed:
            if pid not in new:
                continue
            now = self.now()
            summary = self.strip_tags(e["content"])
            item = PostItem(
                id=pid, url=canonical_url(link) if link else response.url, source_id=self.source.id,
                platform=self.source.platform, kind=self.kind, title=self.strip_tags(e["title"]),
                content=summary, fetched_at=now, published_at=parse_datetime(e["published"], now),
                author=e["author"] or None, extra={"from_feed": True},
            )
            is_summary = len(summary) < _SUMMARY_MAX or summary.endswith(("…", "...", "……"))
            if link and self.source.fetch_full_article and is_summary:
                yield self.request(link, self.parse_full, item=True, lw_fallback_item=item)
            else:
                yield item

    @guarded
    def parse_full(self, response: Response) -> Iterator[Any]:
        entry: PostItem = response.meta["lw_fallback_item"]
        page = self.article_item(response)
        if len(page.content) > len(entry.content):
            entry.content = page.content
            entry.raw_hash = page.raw_hash
            entry.author = entry.author or page.author
            entry.published_at = entry.published_at or page.published_at
            entry.title = entry.title or page.title
            entry.extra["full_article"] = True
        yield entry

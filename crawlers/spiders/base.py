"""Behaviour shared by every spider: decoding, seen checks, item building, failure accounting."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers.encoding import decode_html
from crawlers.errors import ExtractionError
from crawlers.extract import extract_article
from crawlers.items import CrawlContext, PostItem
from crawlers.jsonpath import get_path
from crawlers.links import auto_article_links
from crawlers.sources import SourceConfig
from crawlers.stats import DROP_PREFIX
from crawlers.textnorm import normalize_inline, normalize_text
from crawlers.urls import canonical_url
from lwcore.domain import SHANGHAI, PostKind, post_id_for_platform, post_id_for_url

__all__ = ["SourceSpider", "guarded", "failure_reason"]

logger = logging.getLogger(__name__)

_TAGS = re.compile(r"<[^>]+>")
_NEXT_TEXTS = {
    "下一页", "下页", "下一页>", "下一页>>", "下一页 >", "下一页»", "›", "»", ">", "next", "next page", "后页",
}


def failure_reason(failure: Failure) -> str:
    """A short reason for a failed request (used as the dropped-item reason)."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    text = str(exc)
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if "max redirections" in text or "redirect loop" in text:
        return "redirect_loop"
    if "robots.txt" in text:
        return "robots_disallowed"
    if "max size" in text or "maxsize" in text.replace("_", "").lower() or "warnsize" in text:
        return "too_large"
    name = type(exc).__name__
    if "Timeout" in name or "timed out" in text.lower():
        return "timeout"
    if "Cancel" in name:
        return "too_large" if "size" in text else "cancelled"
    if "DNS" in name or "Connection" in name or "Refused" in name:
        return "connection"
    if isinstance(exc, IgnoreRequest):
        return "ignored"
    return name.lower()


def guarded(fn: Callable[..., Iterable[Any] | None]) -> Callable[..., Iterator[Any]]:
    """Isolation boundary for a callback: one broken page is logged, counted and never stops the crawl."""

    def wrapper(self: SourceSpider, response: Response, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from fn(self, response, *args, **kwargs) or ()
        except ExtractionError as exc:
            logger.warning("[%s] no article in %s: %s", self.source.id, response.url, exc)
            if response.meta.get("lw_item"):
                self.drop("unextractable")
        except Exception:  # noqa: BLE001 - isolation boundary (STYLE.md 8): log the traceback and count it
            logger.exception("[%s] callback %s failed on %s", self.source.id, fn.__name__, response.url)
            self.count_error("parse_error")
            if response.meta.get("lw_item"):
                self.drop("parse_error")

    wrapper.__name__ = fn.__name__
    return wrapper


class SourceSpider(scrapy.Spider):
    """Base of the generic spiders. Built by run_crawl with ``source=`` and ``context=`` keyword arguments."""

    name = "laborwatch"
    kind: PostKind = PostKind.NEWS

    def __init__(self, *args: Any, source: SourceConfig, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(*args, name=source.id, **kwargs)
        self.source = source
        self.ctx = context
        if source.allowed_domains:
            self.allowed_domains = list(source.allowed_domains)

    #: distributed sources: seconds a process stays up while idle, so it can take work that another process
    #: pushes into the shared Redis queue (a list page being parsed elsewhere)
    idle_grace_s = 4.0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.source.distributed:
            from scrapy import signals

            spider._idle_since = None
            crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
            crawler.signals.connect(spider._on_busy, signal=signals.request_scheduled)
            crawler.signals.connect(spider._on_busy, signal=signals.response_received)
        return spider

    def _on_busy(self, *args: Any, **kwargs: Any) -> None:
        self._idle_since: float | None = None

    def _on_idle(self, *args: Any, **kwargs: Any) -> None:
        import time

        from scrapy.exceptions import DontCloseSpider

        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_grace_s:
            raise DontCloseSpider

    # -- start ----------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for req in self.initial_requests():
            yield req

    def initial_requests(self) -> Iterable[Request]:
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------------------------
    def request(self, url: str, callback: Callable[..., Any], *, item: bool = False, **meta: Any) -> Request:
        meta["lw_item"] = item
        return Request(url, callback=callback, errback=self.on_error, meta=meta)

    def now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def stat(self, key: str, n: int = 1) -> None:
        if getattr(self, "crawler", None) is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"laborwatch/{key}", n)

    def drop(self, reason: str, n: int = 1) -> None:
        if getattr(self, "crawler", None) is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(DROP_PREFIX + reason, n)

    def count_error(self, reason: str) -> None:
        self.stat(f"errors/{reason}")

    def on_error(self, failure: Failure) -> Iterator[Any]:
        from crawlers.middlewares import NotModified

        if isinstance(failure.value, NotModified):  # 304: the page is unchanged, counted by the middleware
            return
        request = failure.request if hasattr(failure, "request") else None  # type: ignore[attr-defined]
        reason = failure_reason(failure)
        url = request.url if request is not None else "?"
        if reason == "robots_disallowed":  # the site's wish, not a failure: counted apart from errors
            logger.info("[%s] robots.txt forbids %s", self.source.id, url)
            self.stat("robots_refused")
        else:
            logger.warning("[%s] request failed (%s): %s", self.source.id, reason, url)
            self.count_error(reason)
        if request is not None and request.meta.get("lw_item"):
            fallback = request.meta.get("lw_fallback_item")
            if fallback is not None:  # e.g. a feed entry whose full article could not be fetched
                self.stat("fallback_summary")
                yield fallback
            else:
                self.drop(reason)

    @staticmethod
    def header_charset(response: Response) -> str | None:
        """The charset of the Content-Type header, if any."""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        m = re.search(r"charset=[\"']?([\w-]+)", ctype, re.IGNORECASE)
        return m.group(1) if m else None

    def text_of(self, response: Response) -> str:
        """The page decoded with the source's encoding override, the header, the page's meta, or a guess."""
        text, _ = decode_html(response.body, header_encoding=self.header_charset(response),
                              declared=self.source.encoding)
        return text

    def json_of(self, response: Response) -> Any | None:
        """Parsed JSON, or None after counting a malformed reply."""
        try:
            return json.loads(self.text_of(response))
        except ValueError:
            logger.warning("[%s] malformed JSON reply from %s", self.source.id, response.url)
            self.drop("malformed_reply")
            self.count_error("malformed_reply")
            return None

    #: keys of a reply that usually hold an API's status code and error text, for sources that configure none
    _CODE_KEYS = ("code", "errcode", "error_code", "errno", "status_code", "ret")
    _MSG_KEYS = ("msg", "message", "errmsg", "error_msg", "error", "errmsg")

    def api_error(self, data: Any, items_found: bool) -> str | None:
        """The error an API reply reports, or None. With ``json.error_code`` configured, a code outside
        ``json.ok_codes`` is an error; without it, a reply with no items whose top-level code/errcode is non-zero
        (``{"code": 10002, "msg": "invalid cursor", "data": null}``) is one. Counted as ``api_error``."""
        f = self.source.json_fields
        if f is None or not isinstance(data, dict):
            return None
        if f.error_code:
            code = get_path(data, f.error_code)
            if code is None or str(code).lower() in {str(c).lower() for c in f.ok_codes}:
                return None
            msg = get_path(data, f.error_message) if f.error_message else None
        else:
            if items_found:
                return None
            code = next((data[k] for k in self._CODE_KEYS if k in data), None)
            if code is None or str(code).strip().lower() in ("0", "200", "true", "ok", "success", ""):
                return None
            msg = next((data[k] for k in self._MSG_KEYS if isinstance(data.get(k), str)), None)
        return f"code={code}" + (f" msg={msg}" if msg else "")

    def report_api_error(self, response: Response, error: str) -> None:
        logger.warning("[%s] API answered with an error body (%s): %s", self.source.id, error, response.url)
        self.count_error("api_error")
        self.problem("api_error")

    def problem(self, name: str, n: int = 1) -> None:
        """A sign that the source is broken or changed (selector matching nothing, error body, repeated page):
        reported in the stats' ``problems`` and, when the source collected nothing, failing the crawl."""
        self.stat(f"problems/{name}", n)

    def page_repeats(self, key: Any, signature: Any) -> bool:
        """True when a page of the same listing (``key``: the query) has the same content as an earlier one:
        the site ignores the paging parameter. Logged and counted as the ``page_repeated`` problem."""
        sigs = self.__dict__.setdefault("_page_signatures", {}).setdefault(key, set())
        digest = hashlib.sha1(repr(signature).encode()).hexdigest()
        if digest in sigs:
            logger.warning("[%s] page repeats an earlier page of the same listing; paging stopped (does the "
                           "site ignore the paging placeholder?)", self.source.id)
            self.problem("page_repeated")
            return True
        sigs.add(digest)
        return False

    def unseen(self, ids: list[str]) -> set[str]:
        seen = self.ctx.is_seen(ids)
        if seen:
            self.stat("skipped_seen", len(set(ids) & seen))
        new = [i for i in dict.fromkeys(ids) if i not in seen]
        if self.ctx.item_limit is not None:  # a probe: a sample of items is enough
            new = new[: max(self.ctx.item_limit - self.ctx.granted, 0)]
            self.ctx.granted += len(new)
        return set(new)

    @staticmethod
    def url_id(url: str) -> str:
        return post_id_for_url(canonical_url(url))

    def platform_id(self, native_id: str) -> str:
        return post_id_for_platform(self.source.platform, native_id)

    @staticmethod
    def select(sel: Selector, query: str | None) -> list[str]:
        if not query:
            return []
        nodes = sel.xpath(query) if query.startswith(("/", "(")) else sel.css(query)
        out = []
        for n in nodes:
            if isinstance(n.root, str):
                out.append(n.root)
            else:
                out.append(normalize_text(" ".join(n.xpath(".//text()").getall())))
        return [t.strip() for t in out if t and t.strip()]

    @staticmethod
    def strip_tags(text: Any) -> str:
        from w3lib.html import replace_entities

        return normalize_text(replace_entities(_TAGS.sub(" ", str(text or ""))))

    def selector_used(self, key: str, matched: bool) -> None:
        """Count one use of the configured selector ``key`` on a page and whether it matched anything; a selector
        that never matches in a run is a ``selector_no_match`` problem (see :func:`crawlers.run.stats_from_scrapy`)."""
        self.stat(f"selector/{key}/tried")
        if matched:
            self.stat(f"selector/{key}/matched")

    def selected(self, sel: Selector, key: str) -> list[str]:
        """Texts the source's selector ``key`` picks on a page (counted with :meth:`selector_used`)."""
        query = getattr(self.source.selectors, key)
        if not query:
            return []
        found = self.select(sel, query)
        self.selector_used(key, bool(found))
        return found

    def item_links(self, sel: Selector, response: Response) -> list[str]:
        """Absolute, de-duplicated item links: the source's ``item_links`` selector (XPath or CSS) where it
        has one, else links found automatically on a list page."""
        q = self.source.selectors.item_links
        if not q:
            return auto_article_links(sel, response.url, response.urljoin)
        if q.startswith(("/", "(")):
            hrefs = sel.xpath(q + "/@href").getall()
        else:
            hrefs = sel.css(q + "::attr(href)").getall()
        links = list(dict.fromkeys(response.urljoin(h.strip()) for h in hrefs if h.strip()))
        self.selector_used("item_links", bool(links))
        if not links:
            logger.warning("[%s] selector item_links %r matched no link on %s", self.source.id, q, response.url)
        return links

    def next_page_url(self, sel: Selector, response: Response) -> str | None:
        if self.source.selectors.next_page:
            hrefs = sel.css(self.source.selectors.next_page + "::attr(href)").getall() \
                if not self.source.selectors.next_page.startswith(("/", "(")) \
                else sel.xpath(self.source.selectors.next_page + "/@href").getall()
            return response.urljoin(hrefs[0]) if hrefs else None
        rel = sel.css('a[rel="next"]::attr(href), link[rel="next"]::attr(href)').get()
        if rel:
            return response.urljoin(rel)
        for a in sel.css("a"):
            text = normalize_inline(" ".join(a.css("::text").getall())).lower()
            href = a.attrib.get("href")
            if href and text in _NEXT_TEXTS and not href.startswith(("javascript", "#")):
                return response.urljoin(href)
        return None

    def article_item(self, response: Response, *, kind: PostKind | None = None,
                     extra: dict[str, Any] | None = None) -> PostItem:
        """A PostItem from an article page: configured selectors first, automatic extraction for the rest."""
        fetched = self.now()
        text = self.text_of(response)
        s = self.source.selectors
        sel = Selector(text=text)
        art = extract_article(text, response.url, now=fetched)
        title = (self.selected(sel, "title") or [art.title])[0]
        content = "\n".join(self.selected(sel, "content")) if s.content else art.content
        author = (self.selected(sel, "author") or [art.author or ""])[0] or None
        published_raw = None
        published = art.published_at
        if s.published_at:
            published_raw = " ".join(self.selected(sel, "published_at")) or None
            published = None if published_raw else art.published_at
        return PostItem(
            id=self.url_id(response.url),
            url=canonical_url(response.url),
            source_id=self.source.id,
            platform=self.source.platform,
            kind=kind or self.kind,
            title=title,
            content=content,
            fetched_at=fetched,
            published_at=published,
            published_raw=published_raw,
            author=author,
            raw_hash=hashlib.sha1(response.body).hexdigest(),
            extra=extra or {},
        )

    def json_item(self, obj: Any, response: Response, *, kind: PostKind, fallback: Any = None,
                  extra: dict[str, Any] | None = None) -> PostItem | None:
        """A PostItem from one JSON object (search result, board thread) using the source's json fields."""
        f = self.source.json_fields
        assert f is not None

        def field(path: str | None) -> Any:
            value = get_path(obj, path)
            if value is None and fallback is not None:
                value = get_path(fallback, path)
            return value

        native = field(f.id)
        if native in (None, ""):
            self.drop("no_id")
            return None
        url = field(f.url) if f.url else None
        if not url and f.url_template:
            url = f.url_template.format(id=native)
        url = url or f"{response.url}#{native}"

        def count(path: str | None) -> int:
            try:
                return int(field(path) or 0)
            except (TypeError, ValueError):
                return 0

        published = field(f.published_at)
        return PostItem(
            id=self.platform_id(str(native)),
            url=str(url),
            source_id=self.source.id,
            platform=self.source.platform,
            kind=kind,
            title=self.strip_tags(field(f.title)) if f.title else "",
            content=self.strip_tags(field(f.content)),
            fetched_at=self.now(),
            published_raw=None if published is None else str(published),
            author=normalize_inline(str(field(f.author) or "")) or None,
            engagement={"reposts": count(f.reposts), "comments": count(f.comments), "likes": count(f.likes),
                        "views": count(f.views)},
            raw_hash=hashlib.sha1(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest(),
            extra={"platform_id": str(native), **(extra or {})},
        )

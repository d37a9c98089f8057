"""Downloader middlewares: retry with exponential backoff (429/5xx/timeouts), credentials and proxy per source."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

__all__ = ["BackoffRetryMiddleware", "DelayMiddleware", "SourceRequestMiddleware", "RedirectLoopMiddleware",
           "ConditionalRequestMiddleware", "NotModified"]

logger = logging.getLogger(__name__)

_MAX_DELAY_S = 120.0


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but each retry waits ``LW_RETRY_BACKOFF_S * 2**(n-1)`` (or the server's Retry-After)."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_s = settings.getfloat("LW_RETRY_BACKOFF_S", 2.0)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        new = super()._retry(request, reason)
        if new is not None:
            n = int(new.meta.get("retry_times", 1))
            delay = self.backoff_s * (2 ** (n - 1))
            after = request.meta.pop("lw_retry_after", None)
            if after is not None:
                delay = max(delay, after)
            new.meta["lw_delay_s"] = min(delay, _MAX_DELAY_S)
            new.meta.pop("lw_retry_after", None)
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("laborwatch/retries")
        return new

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if response.status == 429 or response.status == 503:
            header = response.headers.get(b"Retry-After")
            if header:
                try:
                    request.meta["lw_retry_after"] = min(float(header.decode()), _MAX_DELAY_S)
                except ValueError:
                    pass
        return super().process_response(request, response)


class DelayMiddleware:
    """Waits ``meta["lw_delay_s"]`` before a request goes out (the backoff of a retry)."""

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = request.meta.pop("lw_delay_s", None)
        if delay:
            await asyncio.sleep(float(delay))
        return None


class SourceRequestMiddleware:
    """Adds the source's credentials (from settings, never logged) and proxy to its requests."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SourceRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        spider = self.crawler.spider
        src = getattr(spider, "source", None)
        ctx = getattr(spider, "ctx", None)
        if src is None or ctx is None:
            return None
        creds = ctx.settings.crawl.credentials
        if src.auth.cookie and src.auth.cookie in creds and b"Cookie" not in request.headers:
            request.headers[b"Cookie"] = creds[src.auth.cookie].get_secret_value()
        if src.auth.header and src.auth.header in creds and src.auth.header_name.encode() not in request.headers:
            request.headers[src.auth.header_name] = creds[src.auth.header].get_secret_value()
        proxy = src.proxy or ctx.settings.crawl.proxy
        if proxy and "proxy" not in request.meta:
            request.meta["proxy"] = proxy
        return None


class RedirectLoopMiddleware:
    """Fails a redirect that goes back to a URL already in its chain (instead of the dupefilter silently
    swallowing it), so the lost item is counted as ``redirect_loop``. Chains are also capped by
    ``REDIRECT_MAX_TIMES``."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        from scrapy.exceptions import IgnoreRequest

        if response.status in (301, 302, 303, 307, 308) and b"Location" in response.headers:
            target = response.urljoin(response.headers[b"Location"].decode("latin-1"))
            chain = set(request.meta.get("redirect_urls", [])) | {request.url}
            if target in chain:
                logger.warning("redirect loop: %s -> %s", request.url, target)
                raise IgnoreRequest(f"redirect loop back to {target}")
        return response


class NotModified(IgnoreRequest):
    """The server answered 304: the page is unchanged since the last complete run; nothing to parse."""


class ConditionalRequestMiddleware:
    """Cheap frequent crawls (issue 21): list pages, feeds and API pages (not article pages) are requested with
    the ``If-None-Match`` / ``If-Modified-Since`` the server sent for the same URL in the last run that
    completed without errors. A 304 is counted (``laborwatch/not_modified``) and the request ends there:
    nothing is parsed, no item followed. Validators of this run are staged in the seen-store and kept only if
    the run completes without errors (``crawlers.run``), so an interrupted run never hides a page's items."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def _store(self) -> Any:
        spider = self.crawler.spider
        ctx = getattr(spider, "ctx", None)
        if ctx is None or ctx.store is None or not ctx.settings.crawl.conditional_requests:
            return None
        if ctx.item_limit is not None:  # a probe (`sources check --fetch`) always fetches in full
            return None
        return ctx

    @staticmethod
    def _eligible(request: Request) -> bool:
        return not request.meta.get("lw_item") and request.method == "GET" and "dont_obey_robotstxt" not in \
            request.meta and not request.url.endswith("/robots.txt")

    def process_request(self, request: Request, spider: Any = None) -> None:
        ctx = self._store()
        if ctx is None or not self._eligible(request):
            return None
        etag, modified = ctx.store.validator(request.url)
        if etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = etag
        if modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = modified
        if etag or modified:
            request.meta["lw_conditional"] = True
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        ctx = self._store()
        if ctx is None or not self._eligible(request):
            return response
        if response.status == 304 and request.meta.get("lw_conditional"):
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("laborwatch/not_modified")
            raise NotModified(f"not modified since the last run: {request.url}")
        if 200 <= response.status < 300:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            ctx.store.stage_validator(ctx.source.id, request.url, etag.decode("latin-1") if etag else None,
                                      modified.decode("latin-1") if modified else None)
        return response

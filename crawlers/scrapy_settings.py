"""Scrapy settings built from laborwatch Settings (process level) and a SourceConfig (per spider)."""

from __future__ import annotations

from typing import Any

from crawlers.errors import CrawlError
from crawlers.sources import SourceConfig
from lwcore.settings import Settings

__all__ = ["process_settings", "spider_settings", "spider_class_for", "RETRY_HTTP_CODES"]

RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 408, 522, 524]


def process_settings(settings: Settings, *, log_level: str = "WARNING") -> dict[str, Any]:
    c = settings.crawl
    return {
        "BOT_NAME": "laborwatch",
        "USER_AGENT": c.user_agent,
        "ROBOTSTXT_OBEY": c.obey_robots,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrent_requests_per_domain,
        "DOWNLOAD_DELAY": c.download_delay_s,
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "DOWNLOAD_TIMEOUT": c.download_timeout_s,
        "DOWNLOAD_MAXSIZE": c.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(c.max_response_bytes, 4 * 1024 * 1024),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": c.retry_times,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "LW_RETRY_BACKOFF_S": c.retry_backoff_s,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_MAXDELAY": 10,
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(c.download_delay_s, 0.5),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(c.concurrent_requests_per_domain),
        "CLOSESPIDER_TIMEOUT": c.run_time_limit_s,
        "COOKIES_ENABLED": True,
        "COOKIES_DEBUG": False,  # never log cookies
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "LOG_LEVEL": log_level,
        "LOG_FORMATTER": "crawlers.logformatter.ConciseLogFormatter",
        "HTTPERROR_ALLOWED_CODES": [],
        "DOWNLOADER_MIDDLEWARES": {
            "crawlers.middlewares.DelayMiddleware": 50,
            "crawlers.middlewares.SourceRequestMiddleware": 60,
            "crawlers.middlewares.ConditionalRequestMiddleware": 70,  # 304 = unchanged list page (issue 21)
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.BackoffRetryMiddleware": 550,
            "crawlers.middlewares.RedirectLoopMiddleware": 650,  # sees 3xx before RedirectMiddleware (600)
        },
        "ITEM_PIPELINES": {"crawlers.pipelines.PostPipeline": 300},
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }


def spider_settings(settings: Settings, source: SourceConfig, *, run_key: str | None = None) -> dict[str, Any]:
    """Per-source overrides (custom_settings), including the switch to scrapy-redis."""
    p = source.politeness
    out: dict[str, Any] = {}
    if p.obey_robots is not None:
        out["ROBOTSTXT_OBEY"] = p.obey_robots
    if p.download_delay_s is not None:
        out["DOWNLOAD_DELAY"] = p.download_delay_s
        out["AUTOTHROTTLE_START_DELAY"] = max(p.download_delay_s, 0.01)
    if p.concurrency is not None:
        out["CONCURRENT_REQUESTS_PER_DOMAIN"] = p.concurrency
        out["AUTOTHROTTLE_TARGET_CONCURRENCY"] = float(p.concurrency)
    if p.autothrottle is not None:
        out["AUTOTHROTTLE_ENABLED"] = p.autothrottle
    if p.max_response_bytes is not None:
        out["DOWNLOAD_MAXSIZE"] = p.max_response_bytes
        out["DOWNLOAD_WARNSIZE"] = min(p.max_response_bytes, 4 * 1024 * 1024)
    if source.distributed:
        if not settings.crawl.redis_url:
            raise CrawlError(f"source {source.id}: distributed: true needs crawl.redis_url (LW_REDIS_URL)")
        prefix = f"laborwatch:crawl:{source.id}:{run_key or 'default'}"
        per_domain = p.concurrency or settings.crawl.concurrent_requests_per_domain
        out.update({
            "CONCURRENT_REQUESTS": per_domain,  # take from the shared queue only what this process can fetch now
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
            "REDIS_URL": settings.crawl.redis_url,
            "SCHEDULER_PERSIST": True,  # other processes may still be working on the shared queue
            "SCHEDULER_QUEUE_KEY": prefix + ":requests",
            "SCHEDULER_DUPEFILTER_KEY": prefix + ":dupefilter",
            "DUPEFILTER_KEY": prefix + ":dupefilter",
            "LW_RUN_ITEMS_KEY": prefix + ":items",  # post ids delivered in this run (crawlers.pipelines)
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # non-blocking pops: a blocking pop would stall the reactor
        })
    return out


def spider_class_for(settings: Settings, source: SourceConfig, *, run_key: str | None = None) -> type[Any]:
    """A subclass of the kind's generic spider carrying the source's custom settings."""
    from crawlers.spiders import SPIDERS

    base = SPIDERS[source.kind]
    name = "Spider_" + source.id.replace("-", "_")
    return type(name, (base,), {"name": source.id, "custom_settings": spider_settings(settings, source,
                                                                                      run_key=run_key)})

"""``run_crawl``: one crawl of some sources in the current process (Scrapy's reactor: one call per process)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from crawlers.errors import CrawlError
from crawlers.seen import SeenStore
from crawlers.sources import SourceConfig
from crawlers.stats import DROP_PREFIX, CrawlStats
from lwcore.domain import Post
from lwcore.settings import Settings

__all__ = ["run_crawl", "stats_from_scrapy", "follow_queries_of", "query_plan_of"]

logger = logging.getLogger(__name__)

_PINNED_LOGGERS = ("scrapy", "scrapy_redis", "twisted", "py.warnings", "protego", "crawlers", "asyncio")


_SELECTOR = "laborwatch/selector/"
_PROBLEM = "laborwatch/problems/"
_MISSING = "laborwatch/missing/"
_QUERY_NEW = "laborwatch/query_new/"


def stats_from_scrapy(raw: dict[str, Any]) -> CrawlStats:
    """One spider's :class:`CrawlStats` from its Scrapy stats (the ``laborwatch/...`` keys the spiders count)."""
    dropped = {k[len(DROP_PREFIX):]: int(v) for k, v in raw.items() if k.startswith(DROP_PREFIX)}
    errors = sum(int(v) for k, v in raw.items() if k.startswith("laborwatch/errors/"))
    problems = {k[len(_PROBLEM):]: int(v) for k, v in raw.items() if k.startswith(_PROBLEM)}
    selectors: dict[str, dict[str, int]] = {}
    for key in sorted({k[len(_SELECTOR):].rsplit("/", 1)[0] for k in raw if k.startswith(_SELECTOR)}):
        tried = int(raw.get(f"{_SELECTOR}{key}/tried", 0))
        matched = int(raw.get(f"{_SELECTOR}{key}/matched", 0))
        selectors[key] = {"tried": tried, "matched": matched}
        if tried and not matched:
            problems[f"selector_no_match:{key}"] = tried  # on every page it was tried on
    duplicates = int(dropped.get("duplicate_in_run", 0))
    # a 304 ends in the downloader middleware (never "received"), but it is a request the site answered
    pages = (int(raw.get("response_received_count", 0)) - int(raw.get("robotstxt/response_count", 0))
             + int(raw.get("laborwatch/not_modified", 0)))
    return CrawlStats(
        pages=max(pages, 0),
        items=int(raw.get("laborwatch/items", 0)) - duplicates,
        new_items=int(raw.get("laborwatch/new_items", 0)),
        duplicates=duplicates,
        skipped_seen=int(raw.get("laborwatch/skipped_seen", 0)),
        dropped=dropped,
        errors=errors,
        robots_refused=int(raw.get("laborwatch/robots_refused", 0)),
        missing={k[len(_MISSING):]: int(v) for k, v in raw.items() if k.startswith(_MISSING)},
        selectors=selectors,
        problems=problems,
        finish_reason=str(raw.get("finish_reason", "unknown")),
        not_modified=int(raw.get("laborwatch/not_modified", 0)),
        lag_s=[int(x) for x in raw.get("laborwatch/lag_s") or [] if isinstance(x, int | float)],
        queries_new={k[len(_QUERY_NEW):]: int(v) for k, v in raw.items() if k.startswith(_QUERY_NEW)},
    )


def follow_queries_of(settings: Settings, src: SourceConfig) -> list[str]:
    """Search terms the scheduler asked this crawl to add while it follows an incident (search sources only)."""
    if src.kind != "search" or not src.endpoint or not any(f"{{{k}}}" in src.endpoint for k in ("query", "keyword")):
        return []
    from crawlers.follow import read_follow_queries

    known = set(src.queries)
    return [q for q in read_follow_queries(settings.state_path, src.id) if q not in known]


def query_plan_of(settings: Settings, src: SourceConfig) -> tuple[str, ...] | None:
    """The source's terms the scheduler found due (None: every term), unknown terms left out."""
    if src.kind != "search" or not src.queries:
        return None
    from crawlers.follow import read_query_plan

    plan = read_query_plan(settings.state_path, src.id)
    if plan is None:
        return None
    known = set(src.queries)
    return tuple(q for q in plan if q in known)


def run_crawl(
    settings: Settings,
    sources: Sequence[SourceConfig],
    *,
    sink: Callable[[list[Post]], None],
    seen_ids: Callable[[Sequence[str]], set[str]] | None = None,
    batch_size: int = 50,
    run_key: str | None = None,
    use_seen_store: bool = True,
    item_limit: int | None = None,
) -> CrawlStats:
    """Crawl ``sources`` (Scrapy CrawlerProcess in this process) and feed Posts in batches to ``sink``.

    Items already delivered (local seen-store under the state dir, or ``seen_ids`` e.g. the index) are not
    fetched again. ``run_key`` names the shared Redis queue of distributed sources (several processes with
    the same key share one crawl). ``item_limit`` caps the items followed per source (a probe). Returns the
    summed :class:`CrawlStats` (``per_source`` keeps each).
    """
    if not sources:
        raise CrawlError("no sources to crawl")
    from scrapy.crawler import CrawlerProcess

    from crawlers.items import CrawlContext
    from crawlers.scrapy_settings import process_settings, spider_class_for

    t0 = time.monotonic()
    store = SeenStore(settings.state_path / "crawl" / "seen.sqlite") if use_seen_store else None
    root = logging.getLogger()
    level = root.getEffectiveLevel()
    # Scrapy's start-up re-configures logging (the "scrapy" family to DEBUG) and then logs its banner: hold
    # the root handlers at the CLI's level while it does, then pin the families it reset
    handlers = [(h, h.level) for h in root.handlers]
    for h, old_level in handlers:
        h.setLevel(max(old_level, level))
    try:
        process = CrawlerProcess(process_settings(settings, log_level=logging.getLevelName(level)))
    finally:
        for h, old_level in handlers:
            h.setLevel(old_level)
    for name in _PINNED_LOGGERS:
        logging.getLogger(name).setLevel(level)
    runs = []
    try:
        for src in sources:
            ctx = CrawlContext(
                settings=settings, source=src, sink=sink, store=store, seen_ids=seen_ids,
                batch_size=batch_size, flush_after_s=settings.crawl.flush_after_s,
                allow_early_stop=bool(store and store.last_run_complete(src.id)),
                item_limit=item_limit, since=store.last_complete_start(src.id) if store is not None else None,
                extra_queries=tuple(follow_queries_of(settings, src)),
                only_queries=query_plan_of(settings, src),
                stop_at_seen=bool(store and store.last_run_clean(src.id)),
            )
            if store is not None:
                store.start_run(src.id)
            crawler = process.create_crawler(spider_class_for(settings, src, run_key=run_key))
            process.crawl(crawler, source=src, context=ctx)
            runs.append((src, crawler, ctx))
        process.start()
        total = CrawlStats()
        for src, crawler, ctx in runs:
            one = stats_from_scrapy(crawler.stats.get_stats() if crawler.stats else {})
            one.kind = src.kind
            if src.kind == "search" and src.endpoint and src.queries:  # the terms this run searched
                crawled = src.queries if ctx.only_queries is None else list(ctx.only_queries)
                one.queries = dict.fromkeys([*crawled, *ctx.extra_queries], 0)
                one.queries_new = {q: one.queries_new.get(q, 0) for q in one.queries}
                one.partial_terms = ctx.only_queries is not None
            total.add(one, src.id)
            if store is not None:
                complete = one.finish_reason == "finished" and ctx.sink_failures == 0
                store.finish_run(src.id, complete=complete)
                # a list page's validators only when every item it listed was collected (no failed request)
                clean = complete and one.errors == 0
                store.commit_validators(src.id, keep=clean)
                store.set_clean(src.id, clean)
        total.seconds = round(time.monotonic() - t0, 3)
        return total
    finally:
        if store is not None:
            store.close()

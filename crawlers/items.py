"""The spiders' item (an internal dataclass) and the crawl context a spider gets from :func:`run_crawl`.

The item pipeline turns :class:`PostItem` into :class:`lwcore.domain.Post` (validated, normalised).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawlers.seen import SeenStore
from crawlers.sources import SourceConfig
from lwcore.domain import Post, PostKind
from lwcore.settings import Settings

__all__ = ["PostItem", "CrawlContext"]

logger = logging.getLogger(__name__)


@dataclass
class PostItem:
    id: str
    url: str
    source_id: str
    platform: str
    kind: PostKind
    title: str
    content: str
    fetched_at: datetime
    published_at: datetime | None = None
    published_raw: str | None = None  # resolved against fetched_at in the pipeline when published_at is None
    author: str | None = None
    engagement: dict[str, int] = field(default_factory=dict)
    raw_hash: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlContext:
    """What one source's spider needs from the caller of run_crawl (not Scrapy settings: never deep-copied)."""

    settings: Settings
    source: SourceConfig
    sink: Callable[[list[Post]], None]
    store: SeenStore | None = None
    seen_ids: Callable[[Sequence[str]], set[str]] | None = None
    batch_size: int = 50
    flush_after_s: float = 0.0  # deliver a batch once its first post waited this long (0: by size and at the end)
    allow_early_stop: bool = False  # the previous run completed, so "page all seen" may end paging
    delivered: set[str] = field(default_factory=set)
    sink_failures: int = 0
    item_limit: int | None = None  # ``sources check --fetch``: follow at most this many items per source
    granted: int = 0  # items let through so far under item_limit
    since: float | None = None  # start (epoch s) of the last complete run: an endpoint's {since}
    extra_queries: tuple[str, ...] = ()  # follow-the-story search terms (employer, place + employer)
    stop_at_seen: bool = False  # the previous run completed without a failed request: paging may stop at the
    #   first already-collected entry (no failed item behind it waits for a retry)
    only_queries: tuple[str, ...] | None = None  # the scheduler's plan: crawl only these of the source's queries

    def is_seen(self, ids: Sequence[str]) -> set[str]:
        """Ids already collected: this run, the local seen-store, or the index (``seen_ids``)."""
        ids = [i for i in ids if i]
        found = {i for i in ids if i in self.delivered}
        rest = [i for i in ids if i not in found]
        if rest and self.store is not None:
            found |= self.store.seen(rest)
            rest = [i for i in rest if i not in found]
        if rest and self.seen_ids is not None:
            try:
                found |= set(self.seen_ids(rest))
            except Exception:  # noqa: BLE001 - an unreachable index must not stop the crawl: fetch again
                logger.warning("seen-id check failed for %s; treating %d id(s) as new", self.source.id, len(rest),
                               exc_info=True)
        return found

"""Item pipeline: PostItem -> validated, normalised :class:`Post`, batched to the sink, then marked seen."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from scrapy.exceptions import DropItem

from crawlers.dates import parse_datetime
from crawlers.items import PostItem
from crawlers.stats import DROP_PREFIX
from crawlers.textnorm import normalize_inline, normalize_text
from lwcore.domain import Engagement, Post
from lwcore.errors import LaborwatchError

__all__ = ["PostPipeline", "to_post"]

logger = logging.getLogger(__name__)

#: Scrapy stats prefix: new posts delivered per search term.
QUERY_NEW = "laborwatch/query_new/"

#: Lags kept per run (a run delivering more keeps the newest): enough for a histogram, small in ``stats_json``.
MAX_LAGS = 2000


class Drop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def to_post(item: PostItem, *, region: tuple[str, ...] = (), time_window_days: float | None = None) -> Post:
    """Validate and normalise one item; raises :class:`Drop` with the reason."""
    title = normalize_inline(item.title)
    content = normalize_text(item.content)
    if not content and not title:
        raise Drop("empty_content")
    if not content:
        content = title
    published = item.published_at
    if published is None and item.published_raw:
        published = parse_datetime(item.published_raw, item.fetched_at)
    if published is not None and published > item.fetched_at + timedelta(days=1):
        item.extra["published_in_future"] = published.isoformat()
        published = None
    if time_window_days and published is not None and published < item.fetched_at - timedelta(days=time_window_days):
        raise Drop("out_of_window")
    eng = {k: max(0, int(v or 0)) for k, v in item.engagement.items() if k in ("reposts", "comments", "likes", "views")}
    try:
        return Post(
            id=item.id, url=item.url, source_id=item.source_id, platform=item.platform, kind=item.kind,
            title=title, content=content, published_at=published, fetched_at=item.fetched_at,
            author=normalize_inline(item.author) or None, engagement=Engagement(**eng), region=region,
            raw_hash=item.raw_hash, extra=dict(item.extra),
        )
    except ValueError as exc:
        raise Drop(f"invalid_post: {exc}") from None


class PostPipeline:
    """Batches posts to the sink: a batch goes when it holds ``batch_size`` posts, when its first post has waited
    ``flush_after_s`` (checked on each item and by a timer, so that a long crawl, e.g. 72 search terms at 6 s
    apart, alerts what its first requests found without waiting for its end; issue 21), and at the end."""

    def __init__(self, crawler: Any, clock: Any = time.monotonic) -> None:
        self.crawler = crawler
        self.batch: list[Post] = []
        self.clock = clock
        self.batch_since: float | None = None  # when the batch's first post arrived
        self._timer: Any = None
        # distributed sources: the run's post ids in Redis, so that a post found by two processes (the same weibo
        # post on two search pages) is delivered by one of them only
        crawl_settings = getattr(crawler, "settings", None)
        self._items_key: str | None = crawl_settings.get("LW_RUN_ITEMS_KEY") if crawl_settings is not None else None
        self._redis: Any = None

    @property
    def flush_after_s(self) -> float:
        return float(getattr(self.ctx, "flush_after_s", 0.0) or 0.0)

    def open_spider(self, spider: Any = None) -> None:
        after = self.flush_after_s
        if after > 0:
            from twisted.internet import task

            self._timer = task.LoopingCall(self.flush_if_old)
            self._timer.start(max(1.0, after / 4), now=False)

    def flush_if_old(self) -> None:
        """Deliver the batch when its first post has waited ``flush_after_s`` (0: never by age)."""
        after = self.flush_after_s
        if self.batch and after > 0 and self.batch_since is not None and self.clock() - self.batch_since >= after:
            self.flush()

    def _first_in_run(self, post_id: str) -> bool:
        if not self._items_key:
            return True
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.crawler.settings.get("REDIS_URL"), socket_timeout=10)
        return bool(self._redis.sadd(self._items_key, post_id))

    @classmethod
    def from_crawler(cls, crawler: Any) -> PostPipeline:
        return cls(crawler)

    @property
    def ctx(self) -> Any:
        return self.crawler.spider.ctx

    def _inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(key, n)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PostItem):
            return item
        ctx = self.ctx
        self._inc("laborwatch/items")
        try:
            post = to_post(item, region=ctx.source.region, time_window_days=ctx.source.time_window_days)
            if post.id in ctx.delivered or any(p.id == post.id for p in self.batch):
                raise Drop("duplicate_in_run")
            if not self._first_in_run(post.id):
                raise Drop("duplicate_in_run")  # another process of the distributed run has it
        except Drop as d:
            reason = d.reason.split(":")[0]
            self._inc(DROP_PREFIX + reason)
            raise DropItem(f"{reason}: {item.url}") from None
        for name, absent in (("published_at", post.published_at is None), ("author", not post.author),
                             ("content", post.content == post.title)):
            if absent:
                self._inc(f"laborwatch/missing/{name}")
        if not self.batch:
            self.batch_since = self.clock()
        self.batch.append(post)
        if len(self.batch) >= ctx.batch_size:
            self.flush()
        else:
            self.flush_if_old()
        return item

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        self.batch_since = None
        ctx = self.ctx
        try:
            ctx.sink(batch)
        except LaborwatchError as exc:  # e.g. the state folder is full: one line naming the path and the reason
            logger.error("[%s] sink failed for a batch of %d post(s), not marked seen (collected again next run): "
                         "%s", ctx.source.id, len(batch), exc)
            ctx.sink_failures += 1
            self._inc(DROP_PREFIX + "sink_error", len(batch))
            return
        except Exception:  # noqa: BLE001 - isolation boundary: count, keep crawling; not marked seen -> re-collected
            logger.exception("[%s] sink failed for a batch of %d post(s)", ctx.source.id, len(batch))
            ctx.sink_failures += 1
            self._inc(DROP_PREFIX + "sink_error", len(batch))
            return
        ids = [p.id for p in batch]
        self._record_lags(batch)
        for p in batch:  # per search term: what each found (the scheduler plans terms on it)
            query = (p.extra or {}).get("query")
            if query:
                self._inc(f"{QUERY_NEW}{query}")
        ctx.delivered.update(ids)
        if ctx.store is not None:
            ctx.store.add(ctx.source.id, ids)
        self._inc("laborwatch/new_items", len(batch))

    def _record_lags(self, batch: list[Post]) -> None:
        """Freshness (issue 21): how long each delivered post waited between its publication and this crawl."""
        lags = [max(0, int((p.fetched_at - p.published_at).total_seconds())) for p in batch
                if p.published_at is not None]
        if not lags:
            return
        stats = self.crawler.stats
        kept = list(stats.get_value("laborwatch/lag_s") or [])
        stats.set_value("laborwatch/lag_s", (kept + lags)[-MAX_LAGS:])

    def close_spider(self, spider: Any = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self._timer = None
        self.flush()

"""The 待复核 queue: the posts the model is least sure of, and a small random sample of unflagged posts (so that the
disputes it misses surface), short enough to clear in about ten minutes a day.

- **uncertain**: posts of the last ``nlp.learning.review_days`` days that the prefilter passed (score > 0), still
  unverified, nearest the active bundle's relevance threshold first;
- **random**: unflagged posts of the same days (any score), drawn with a seed of the day, so every member of staff
  sees the same sample that day;
- **cap**: ``review_daily_cap`` posts a day in all (``review_random_share`` of them random), less the decisions already
  taken from the queue today (audit action ``review.decision``).

A decision goes through :func:`laborwatch.web.verification.verify_post` like any other, so
``laborwatch nlp export-labels`` (and ``nlp retrain``) include it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from lwcore.db import Database
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["ReviewItem", "pick_queue", "review_queue", "active_threshold", "done_today", "REVIEW_ACTION"]

logger = logging.getLogger(__name__)

REVIEW_ACTION = "review.decision"
_FETCH = 300  # candidates read from the index per kind before the pick


@dataclass(frozen=True)
class ReviewItem:
    post_id: str
    doc: dict[str, Any]
    why: str  # "uncertain" | "random"
    score: float

    @property
    def why_label(self) -> str:
        return "模型拿不准" if self.why == "uncertain" else "随机抽查（未判为争议）"


def active_threshold(settings: Settings) -> float:
    """The relevance threshold of the bundle in use (settings override, else the bundle's own)."""
    if settings.nlp.threshold is not None:
        return float(settings.nlp.threshold)
    from pathlib import Path

    from nlp.bundle import BundleInfo
    from nlp.bundles import BundleStore
    from nlp.errors import NlpError

    d = Path(settings.nlp.model_dir) if settings.nlp.model_dir else BundleStore.from_settings(settings).active_dir()
    try:
        return float(BundleInfo.load(d).threshold)
    except NlpError:
        return 0.5


def pick_queue(uncertain: Sequence[dict[str, Any]], unflagged: Sequence[dict[str, Any]], *, threshold: float,
               size: int, random_share: float, skip: set[str], seed: str) -> list[ReviewItem]:
    """The queue from index documents: ``size`` posts, ``random_share`` of them drawn from ``unflagged`` with
    ``seed``, the rest from ``uncertain`` nearest ``threshold``; ``skip``: posts already decided."""
    if size <= 0:
        return []
    n_random = min(round(size * random_share), size)
    if random_share > 0 and size >= 2:
        n_random = max(1, n_random)

    def score(d: dict[str, Any]) -> float:
        return float((d.get("analysis") or {}).get("score") or 0.0)

    pool_u = sorted((d for d in uncertain if d.get("id") not in skip), key=lambda d: (abs(score(d) - threshold),
                                                                                          str(d.get("id"))))
    chosen: list[ReviewItem] = []
    seen: set[str] = set()
    for d in pool_u:
        if len(chosen) >= size - n_random:
            break
        seen.add(str(d["id"]))
        chosen.append(ReviewItem(str(d["id"]), d, "uncertain", score(d)))
    pool_r = sorted((d for d in unflagged if d.get("id") not in skip and str(d.get("id")) not in seen),
                    key=lambda d: str(d.get("id")))
    rng = random.Random(seed)
    rng.shuffle(pool_r)
    for d in pool_r[: size - len(chosen)]:
        chosen.append(ReviewItem(str(d["id"]), d, "random", score(d)))
    return chosen


def done_today(db: Database, now: datetime | None = None) -> int:
    """Decisions taken from the queue today (Shanghai day)."""
    from laborwatch.web.models import AuditEntry

    now = now or datetime.now(SHANGHAI)
    start = datetime.combine(now.astimezone(SHANGHAI).date(), time(0), tzinfo=SHANGHAI)
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == REVIEW_ACTION, AuditEntry.at >= start)) or 0)


def _decided(db: Database, ids: Sequence[str]) -> set[str]:
    from laborwatch.web.models import FeedbackLabel

    if not ids:
        return set()
    with db.session() as s:
        return set(s.scalars(select(FeedbackLabel.post_id).where(FeedbackLabel.post_id.in_(list(ids)))))


def _search(client: Any, settings: Settings, query: dict[str, Any], *, size: int,  # noqa: ANN401
            sort: list[Any] | None = None) -> list[dict[str, Any]]:
    resp = client.search(index=settings.es.index_prefix, query=query, size=size, sort=sort,
                         ignore_unavailable=True, allow_no_indices=True)
    return [{**h["_source"], "id": h["_source"].get("id") or h["_id"]} for h in resp["hits"]["hits"]]


def review_queue(settings: Settings, client: Any, db: Database, *,  # noqa: ANN401
                 now: datetime | None = None) -> tuple[list[ReviewItem], dict[str, Any]]:
    """Today's queue from the index; returns (items, facts for the page: threshold, cap, done today)."""
    cfg = settings.nlp.learning
    now = now or datetime.now(SHANGHAI)
    done = done_today(db, now)
    size = max(0, cfg.review_daily_cap - done)
    thr = active_threshold(settings)
    facts = {"threshold": thr, "cap": cfg.review_daily_cap, "done": done, "days": cfg.review_days}
    if size == 0:
        return [], facts
    since = (now - timedelta(days=cfg.review_days)).isoformat()
    pending = [{"range": {"post_time": {"gte": since}}}]
    not_verified = {"bool": {"should": [{"term": {"verification.state": "pending"}},
                                        {"bool": {"must_not": {"exists": {"field": "verification.state"}}}}],
                             "minimum_should_match": 1}}
    # prefilter candidates only (non-candidates score exactly 0), within 0.35 of the threshold
    band = {"range": {"analysis.score": {"gte": max(1e-6, thr - 0.35), "lte": min(1.0, thr + 0.35)}}}
    uncertain = _search(client, settings, {"bool": {"filter": [*pending, not_verified, band]}}, size=_FETCH,
                        sort=[{"post_time": "desc"}])
    unflagged = _search(client, settings, {"function_score": {
        "query": {"bool": {"filter": [*pending, not_verified, {"term": {"analysis.labor_dispute": False}}]}},
        "random_score": {"seed": int(now.strftime("%Y%m%d")), "field": "_seq_no"}, "boost_mode": "replace"}},
        size=max(20, size * 3))
    skip = _decided(db, [str(d["id"]) for d in [*uncertain, *unflagged]])
    items = pick_queue(uncertain, unflagged, threshold=thr, size=size, random_share=cfg.review_random_share,
                       skip=skip, seed=now.strftime("%Y-%m-%d"))
    return items, facts

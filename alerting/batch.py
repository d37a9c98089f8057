"""Small helpers over a batch of analysed posts and alert rows, shared by the engine's parts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from alerting.models import Alert, AlertEvent
from lwcore.domain import AnalyzedPost

__all__ = ["CHUNK", "chunks", "post_time", "cluster_key", "record_event"]

CHUNK = 500  # ids per IN (...) query


def chunks(seq: Sequence[Any], n: int = CHUNK) -> list[Sequence[Any]]:
    return [seq[i : i + n] for i in range(0, len(seq), n)]


def post_time(item: AnalyzedPost, now: datetime) -> datetime:
    """When a post counts: published, else fetched, never in the future."""
    t = item.post.published_at or item.post.fetched_at
    return min(t, now)


def cluster_key(item: AnalyzedPost) -> str:
    """The incident key without the tracker (``alerting.tracking.mode: event_id``)."""
    return item.analysis.event_id or f"post:{item.post.id}"


def record_event(
    s: Session,
    alert: Alert,
    at: datetime,
    kind: str,
    *,
    actor: str | None = "system",
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one row to the alert's history in the caller's transaction."""
    s.add(AlertEvent(alert_id=alert.id, at=at, kind=kind, actor=actor, detail=detail or {}))

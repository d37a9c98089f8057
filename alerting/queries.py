"""Read-side helpers for the CLI and the web UI (plain values, no live rows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from alerting.errors import AlertingError
from alerting.models import Alert, AlertEvent, AlertPost, OutboxMessage
from lwcore.db import Database

__all__ = ["list_alerts", "get_alert", "outbox_summary"]


def list_alerts(
    db: Database,
    *,
    status: str | None = None,
    level: str | None = None,
    since: datetime | None = None,
    town: str | None = None,
    include_silenced: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    q = select(Alert)
    if status:
        q = q.where(Alert.status == status)
    if level:
        q = q.where(Alert.level == level)
    if since:
        q = q.where(Alert.updated_at >= since)
    if town:
        q = q.where(Alert.town == town)
    if not include_silenced:
        q = q.where(Alert.silenced.is_(False))
    with db.session() as s:
        total = int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)
        rows = list(s.scalars(q.order_by(Alert.updated_at.desc(), Alert.id.desc()).limit(limit).offset(offset)))
    return rows, total


def get_alert(db: Database, alert_id: int) -> dict[str, Any]:
    """The alert with its posts, history and messages."""
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        if alert is None:
            raise AlertingError(f"no alert #{alert_id}")
        posts = list(s.scalars(select(AlertPost).where(AlertPost.alert_id == alert_id).order_by(AlertPost.id)))
        events = list(s.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)))
        msgs = list(
            s.scalars(select(OutboxMessage).where(OutboxMessage.alert_id == alert_id).order_by(OutboxMessage.id))
        )
    return {"alert": alert, "posts": posts, "events": events, "messages": msgs}


def outbox_summary(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            st: int(n) for st, n in s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        }

"""Silence / snooze (静默): per company, rule or alert, always with an expiry and a reason.

A silenced alert is still stored and updated, never notified while the silence lasts, and listed in the
hourly and daily digests, so nothing disappears silently.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from alerting.errors import AlertingError
from alerting.models import Alert, AlertEvent, Silence
from lwcore.db import Database, utcnow

__all__ = ["add_silence", "lift_silence", "active_silences", "SCOPES"]

SCOPES = ("company", "rule", "alert")


def add_silence(
    db: Database, *, scope: str, value: str, until: datetime, reason: str, by: str, now: datetime | None = None
) -> Silence:
    now = now or utcnow()
    if scope not in SCOPES:
        raise AlertingError(f"unknown silence scope {scope!r}; use one of {SCOPES}")
    if not value.strip():
        raise AlertingError("a silence needs a value (company id or name, rule name, alert id)")
    if not reason.strip():
        raise AlertingError("a silence needs a reason (静默原因)")
    if until.tzinfo is None:
        raise AlertingError("the silence expiry must be timezone-aware")
    if until <= now:
        raise AlertingError(f"the silence expiry {until.isoformat()} is not in the future")
    with db.session() as s:
        if scope == "alert":
            alert = s.get(Alert, int(value)) if value.isdigit() else None
            if alert is None:
                raise AlertingError(f"no alert #{value}")
            s.add(
                AlertEvent(
                    alert_id=alert.id,
                    at=now,
                    kind="snoozed",
                    actor=by,
                    detail={"until": until.isoformat(), "reason": reason},
                )
            )
            alert.ack_deadline = None  # a snoozed alert is not escalated
        row = Silence(
            scope=scope, value=value.strip(), until=until, reason=reason.strip(), created_by=by, created_at=now
        )
        s.add(row)
        s.flush()
        return row


def lift_silence(db: Database, silence_id: int, *, by: str, now: datetime | None = None) -> Silence:
    with db.session() as s:
        row = s.get(Silence, silence_id)
        if row is None:
            raise AlertingError(f"no silence #{silence_id}")
        row.lifted_at = now or utcnow()
        row.reason = f"{row.reason}（{by} 已解除）"
        return row


def active_silences(db: Database, *, now: datetime | None = None) -> list[Silence]:
    now = now or utcnow()
    with db.session() as s:
        return list(
            s.scalars(select(Silence).where(Silence.until > now, Silence.lifted_at.is_(None)).order_by(Silence.until))
        )

"""Tables of the alerting room (Alembic branch ``alerting``, see ``alerting/migrations``).

- ``alerts``: one row per incident (``cluster_key``: the incident tracker's key, or the NLP ``event_id`` with
  ``alerting.tracking.mode: event_id``), updated as it grows; ``profile`` is what the tracker compares new posts
  with, ``merged_into`` points at the alert a merged one went into;
- ``alert_posts``: the evidence (one row per post and alert, never twice);
- ``alert_events``: the full history of an alert (created, level raised, notified, escalated, acknowledged...);
- ``alert_outbox``: messages written in the same transaction as the alert, before any send;
- ``alert_silences``: silence/snooze per company, rule or alert, with an expiry and a reason;
- ``alert_observations``: relevant posts per key (company / town / event type) for the spike rule's windows;
- ``alert_digests``: one row per digest period already queued (hourly, daily), so none is sent twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lwcore.db import Base, UtcDateTime

__all__ = [
    "Alert",
    "AlertPost",
    "AlertEvent",
    "OutboxMessage",
    "Silence",
    "Observation",
    "DigestRun",
    "ALERTING_TABLES",
]


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_key: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[str] = mapped_column(String(4))  # I..IV
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged | closed
    silenced: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(500))
    company_id: Mapped[str | None] = mapped_column(String(64), index=True)
    company_name: Mapped[str | None] = mapped_column(String(300))
    company_registered: Mapped[bool] = mapped_column(Boolean, default=True)
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    town: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    workers: Mapped[int | None] = mapped_column(Integer)
    amount_yuan: Mapped[float | None] = mapped_column(Float)
    max_severity: Mapped[str | None] = mapped_column(String(4))
    unit: Mapped[str | None] = mapped_column(String(100))  # responsible unit (归口)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notified_level: Mapped[str | None] = mapped_column(String(4))
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    notified_post_count: Mapped[int] = mapped_column(Integer, default=0)
    ack_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)  # 0 officer, 1 backup, 2 leader
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acked_by: Mapped[str | None] = mapped_column(String(100))
    acked_via: Mapped[str | None] = mapped_column(String(20))
    incident_state: Mapped[str | None] = mapped_column(String(20))  # None | pending | opened | failed
    incident_ref: Mapped[str | None] = mapped_column(String(64))
    # incident tracking (alerting/tracking.py): the incident's evidence profile, and the alert this one was
    # merged into (then status is closed and the tracker no longer offers it)
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    merged_into: Mapped[int | None] = mapped_column(Integer, index=True)


class AlertPost(Base):
    __tablename__ = "alert_posts"
    __table_args__ = (UniqueConstraint("alert_id", "post_id", name="uq_alert_posts_alert_post"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[str] = mapped_column(String(100), index=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)
    source_id: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(50))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    severity: Mapped[str | None] = mapped_column(String(4))
    score: Mapped[float] = mapped_column(Float)
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    workers: Mapped[int | None] = mapped_column(Integer)
    amount_yuan: Mapped[float | None] = mapped_column(Float)
    severity_factors: Mapped[list[str]] = mapped_column(JSON, default=list)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # what the incident tracker read from the post (firms, towns, ...), so a profile can be rebuilt after a
    # hand merge or split, and why it joined (score and evidence)
    signal: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AlertEvent(Base):
    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    __tablename__ = "alert_outbox"
    __table_args__ = (Index("ix_alert_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # email | webhook
    recipient: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))  # alert | escalation | digest | admin
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Silence(Base):
    __tablename__ = "alert_silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # company | rule | alert
    value: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Observation(Base):
    __tablename__ = "alert_observations"
    __table_args__ = (
        UniqueConstraint("key_kind", "key", "post_id", name="uq_alert_observations_key_post"),
        Index("ix_alert_observations_key_at", "key_kind", "key", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_kind: Mapped[str] = mapped_column(String(20))  # company | town | event_type
    key: Mapped[str] = mapped_column(String(200))
    post_id: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class DigestRun(Base):
    __tablename__ = "alert_digests"
    __table_args__ = (UniqueConstraint("kind", "period_start", name="uq_alert_digests_kind_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # hourly | daily
    period_start: Mapped[datetime] = mapped_column(UtcDateTime)
    period_end: Mapped[datetime] = mapped_column(UtcDateTime)
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


ALERTING_TABLES = tuple(
    m.__table__  # type: ignore[attr-defined]
    for m in (Alert, AlertPost, AlertEvent, OutboxMessage, Silence, Observation, DigestRun)
)

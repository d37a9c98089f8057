"""Tables of the web room: accounts, server-side sessions, the audit log and the staff's feedback labels.

Schema changes go through the Alembic branch ``web`` in ``laborwatch/web/migrations/``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lwcore.db import Base, UtcDateTime, utcnow

__all__ = ["Role", "ROLE_LABELS", "User", "WebSession", "AuditEntry", "FeedbackLabel", "Decision", "DECISION_LABELS",
           "SavedSearch"]


class Role(StrEnum):
    ADMIN = "admin"
    DUTY = "duty"  # 值班员: the on-duty officer
    VERIFIER = "verifier"  # 核实员
    READONLY = "readonly"  # 只读


ROLE_LABELS: dict[str, str] = {
    Role.ADMIN.value: "管理员",
    Role.DUTY.value: "值班员",
    Role.VERIFIER.value: "核实员",
    Role.READONLY.value: "只读",
}


class Decision(StrEnum):
    """What a member of staff decided about a post (stored as a feedback label)."""

    CONFIRM = "confirm"  # a real labour dispute
    NOT_DISPUTE = "not_dispute"
    DUPLICATE = "duplicate"
    OUTSIDE_DISTRICT = "outside_district"
    CORRECT = "correct"  # event types and/or company corrected, still a dispute


DECISION_LABELS: dict[str, str] = {
    Decision.CONFIRM.value: "确认属实",
    Decision.NOT_DISPUTE.value: "排除：非劳动争议",
    Decision.DUPLICATE.value: "排除：重复信息",
    Decision.OUTSIDE_DISTRICT.value: "排除：非本辖区",
    Decision.CORRECT.value: "更正",
}


class User(Base):
    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def label(self) -> str:
        return self.display_name or self.username


class WebSession(Base):
    """A login. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    ip: Mapped[str | None] = mapped_column(String(64))
    # whose session this is: a digest of the user's id, name and password hash at login. A session whose user
    # row was deleted and whose id was reused, or whose password changed, no longer matches and is revoked.
    user_stamp: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Who changed what, when. Written in the same transaction as the change where the change is ours."""

    __tablename__ = "web_audit_log"
    __table_args__ = (Index("ix_web_audit_log_at", "at"), Index("ix_web_audit_log_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    target_type: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    target_id: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class FeedbackLabel(Base):
    """One verification decision on a post, in the terms of the training set.

    The newest label of a post wins when labels are exported (``laborwatch nlp export-labels``).
    """

    __tablename__ = "web_feedback_labels"
    __table_args__ = (Index("ix_web_feedback_labels_post", "post_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[str] = mapped_column(String(128), nullable=False)
    source: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision: Mapped[str] = mapped_column(String(32), nullable=False)
    labor_dispute: Mapped[bool] = mapped_column(Boolean, nullable=False)
    event_types: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    employers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    company_id: Mapped[str | None] = mapped_column(String(64))
    workers: Mapped[int | None] = mapped_column(Integer)
    amount_yuan: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[str] = mapped_column(String(8), nullable=False, default="high")
    model_labor_dispute: Mapped[bool | None] = mapped_column(Boolean)  # what the machine said
    model_event_types: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    model_version: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    alert_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)


class SavedSearch(Base):
    """A search a user named and keeps (the search page's query string); ``subscribed``: count what is new
    since the user last opened it (shown on 今日态势 and the list of saved searches)."""

    __tablename__ = "web_saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_web_saved_searches_user_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    query: Mapped[str] = mapped_column(Text, nullable=False, default="")
    subscribed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # last subscription e-mail

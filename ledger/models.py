"""Tables of the ledger room (Alembic branch "ledger"; schema in ``ledger/migrations/``).

Alerts and posts belong to other rooms: they are referenced by plain id columns, never by foreign key, so the
migration branches stay independent. Every change to a case or an incident is a row in ``ledger_history``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lwcore.db import Base, UtcDateTime

# Partial-index predicates (the open statuses of ledger.vocab; the migration ledger_0002 writes the same text)
OPEN_CASE_PREDICATE = "event_id IS NOT NULL AND status IN ('pending', 'verifying', 'resolving')"
OPEN_INCIDENT_PREDICATE = "event_id IS NOT NULL AND status = 'open'"

__all__ = [
    "CaseRow",
    "CaseAlertRow",
    "CasePostRow",
    "HistoryRow",
    "IncidentRow",
    "IncidentAlertRow",
    "IncidentStepRow",
    "IncidentReportRow",
    "IncidentDispatchRow",
    "ReferralRow",
    "WageFundRow",
]


class CaseRow(Base):
    """One dispute case (台账 row): 一人一案一策 — one owner, one plan, one deadline per case."""

    __tablename__ = "ledger_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # 编号
    title: Mapped[str] = mapped_column(String(300))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))  # 企业名称
    company_id: Mapped[str | None] = mapped_column(String(40), index=True)  # 统一社会信用代码 (registry id)
    town: Mapped[str | None] = mapped_column(String(60), index=True)  # 所属街镇
    industry: Mapped[str | None] = mapped_column(String(60))
    dispute_types: Mapped[str] = mapped_column(String(300), default="")  # ",code,code," for LIKE filters
    workers: Mapped[int | None] = mapped_column(Integer)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)  # 涉及金额 in fen (exact money)
    risk_level: Mapped[str | None] = mapped_column(String(4), index=True)  # I..IV
    responsible_unit: Mapped[str | None] = mapped_column(String(120))  # 责任单位
    responsible_person: Mapped[str | None] = mapped_column(String(60))  # 责任人
    lead_official: Mapped[str | None] = mapped_column(String(60))  # 包案领导
    plan: Mapped[str | None] = mapped_column(Text)  # 化解方案及措施
    deadline: Mapped[date | None] = mapped_column(Date, index=True)  # 化解时限 (a Shanghai calendar day)
    summary: Mapped[str | None] = mapped_column(Text)  # 简要情况
    resolution: Mapped[str | None] = mapped_column(Text)  # 化解结果 / 核实结论
    remarks: Mapped[str | None] = mapped_column(Text)  # 备注
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_changed_by: Mapped[str] = mapped_column(String(60))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str | None] = mapped_column(String(80), index=True)
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # fingerprint of an imported row
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    created_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)

    alerts: Mapped[list[CaseAlertRow]] = relationship(
        back_populates="case", lazy="selectin", order_by="CaseAlertRow.id", cascade="all, delete-orphan"
    )
    posts: Mapped[list[CasePostRow]] = relationship(
        back_populates="case", lazy="selectin", order_by="CasePostRow.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_ledger_cases_status_deadline", "status", "deadline"),
        # one open case per event cluster, even when two writers open it at the same instant (the loser's insert
        # fails and it attaches its alert to the winner's case: Ledger.create_from_alert retries)
        Index("uq_ledger_cases_open_event", "event_id", unique=True,
              sqlite_where=sql_text(OPEN_CASE_PREDICATE), postgresql_where=sql_text(OPEN_CASE_PREDICATE)),
    )


class CaseAlertRow(Base):
    """An alert (alerting room) linked to a case. An alert belongs to at most one case."""

    __tablename__ = "ledger_case_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ledger_cases.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[str | None] = mapped_column(String(4))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    linked_by: Mapped[str] = mapped_column(String(60))

    case: Mapped[CaseRow] = relationship(back_populates="alerts")


class CasePostRow(Base):
    """A post (evidence) linked to a case, with its link when known (来源链接)."""

    __tablename__ = "ledger_case_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ledger_cases.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(String(2000))
    alert_id: Mapped[str | None] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)

    case: Mapped[CaseRow] = relationship(back_populates="posts")

    __table_args__ = (UniqueConstraint("case_id", "post_id", name="uq_ledger_case_posts_case_post"),)


class HistoryRow(Base):
    """Who changed what when: one row per changed field (old -> new) or per event (created, step, link)."""

    __tablename__ = "ledger_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # case | incident
    entity_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))  # created, update, transition, link_alert, step, ...
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_ledger_history_entity", "entity", "entity_id", "id"),)


class IncidentRow(Base):
    """A group incident (突发事件) and its response."""

    __tablename__ = "ledger_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(4), index=True)
    town: Mapped[str | None] = mapped_column(String(60), index=True)
    company_id: Mapped[str | None] = mapped_column(String(40))
    company_name: Mapped[str | None] = mapped_column(String(200))
    workers: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(80), index=True)
    post_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_cases.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)  # 接报
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    alerts: Mapped[list[IncidentAlertRow]] = relationship(
        lazy="selectin", order_by="IncidentAlertRow.id", cascade="all, delete-orphan"
    )
    steps: Mapped[list[IncidentStepRow]] = relationship(
        lazy="selectin", order_by="IncidentStepRow.id", cascade="all, delete-orphan"
    )
    reports: Mapped[list[IncidentReportRow]] = relationship(
        lazy="selectin", order_by="IncidentReportRow.id", cascade="all, delete-orphan"
    )
    dispatches: Mapped[list[IncidentDispatchRow]] = relationship(
        lazy="selectin", order_by="IncidentDispatchRow.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # one open incident per event cluster (Incidents.open_for_alert retries on the clash)
        Index("uq_ledger_incidents_open_event", "event_id", unique=True,
              sqlite_where=sql_text(OPEN_INCIDENT_PREDICATE), postgresql_where=sql_text(OPEN_INCIDENT_PREDICATE)),
    )


class IncidentAlertRow(Base):
    __tablename__ = "ledger_incident_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ledger_incidents.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[str | None] = mapped_column(String(4))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IncidentStepRow(Base):
    """A timeline step: 接报, 报告上级, 到场, 处置, 平息 (``at`` = when it happened, ``recorded_at`` = when typed)."""

    __tablename__ = "ledger_incident_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ledger_incidents.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IncidentReportRow(Base):
    """A report sent about the incident (to whom, how, when, what)."""

    __tablename__ = "ledger_incident_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ledger_incidents.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    recipient: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(60))


class IncidentDispatchRow(Base):
    """People sent to the scene."""

    __tablename__ = "ledger_incident_dispatches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ledger_incidents.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    people: Mapped[list[str]] = mapped_column(JSON)
    unit: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(60))


class ReferralRow(Base):
    """A case referred to another department (plan 三(四)): sent, due and reply dates; cross-district cases name
    the other district (区区联动) or the city department (市区联动)."""

    __tablename__ = "ledger_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ledger_cases.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(40))  # ledger.casework.DEPARTMENTS
    other_district: Mapped[str | None] = mapped_column(String(60))
    sent_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(60))


class WageFundRow(Base):
    """The wage guarantee fund (欠薪保障金) on a case: proposed -> requested -> approved -> paid, or rejected."""

    __tablename__ = "ledger_wage_fund"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ledger_cases.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    proposal_reason: Mapped[str | None] = mapped_column(Text)
    requested_fen: Mapped[int | None] = mapped_column(BigInteger)
    requested_on: Mapped[date | None] = mapped_column(Date)
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    approved_on: Mapped[date | None] = mapped_column(Date)
    paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(60))

"""Tables of the companies room.

- ``companies``: the registry, one row per unified social credit code (the ``company_id`` that alerts and ledger
  cases carry);
- ``company_aliases``: every other name a company is known by (short names, brands, former names), kept across
  imports;
- ``supervision_entries``: the key supervision and service list (重点监管服务名单), proposed / active / delisted /
  rejected entries;
- ``guidance_visits``: guidance visits (指导走访) to a firm;
- ``arrears_blacklist``: the wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单) with credit repair;
- ``companies_history``: the room's own trail of who changed what (the web audit log records web changes too).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from lwcore.db import Base, UtcDateTime

__all__ = ["Company", "CompanyAlias", "SupervisionEntry", "GuidanceVisit", "HistoryEntry", "BlacklistEntry",
           "FieldReport"]


class Company(Base):
    __tablename__ = "companies"

    credit_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    town: Mapped[str | None] = mapped_column(String(60))
    industry: Mapped[str | None] = mapped_column(String(60))
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    is_test: Mapped[bool] = mapped_column(Boolean, default=False)
    # operating | suspended | closed | moved (companies.registry.OPERATING_STATUS); follow-up lists only operating firms
    operating_status: Mapped[str] = mapped_column(String(12), default="operating", server_default="operating")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CompanyAlias(Base):
    __tablename__ = "company_aliases"
    __table_args__ = (UniqueConstraint("credit_code", "alias", name="uq_company_aliases_code_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(
        String(40), ForeignKey("companies.credit_code", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200), index=True)


#: at most one proposed or active entry per firm (partial unique index; the migration keeps its own copy)
OPEN_ENTRY_PREDICATE = "status IN ('proposed', 'active')"


class SupervisionEntry(Base):
    __tablename__ = "supervision_entries"
    __table_args__ = (
        Index("ix_supervision_entries_status", "status"),
        Index("uq_supervision_entries_open", "credit_code", unique=True,
              sqlite_where=sql_text(OPEN_ENTRY_PREDICATE), postgresql_where=sql_text(OPEN_ENTRY_PREDICATE)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(40), ForeignKey("companies.credit_code"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # proposed | active | delisted | rejected
    ground: Mapped[str] = mapped_column(String(24))  # see companies.supervision.GROUNDS
    reason: Mapped[str] = mapped_column(Text)
    risk_level: Mapped[str] = mapped_column(String(4))  # I..IV
    person_in_charge: Mapped[str | None] = mapped_column(String(60))
    key_area: Mapped[bool] = mapped_column(Boolean, default=False)  # key area or industry: weekly visits apply
    listed_on: Mapped[date | None] = mapped_column(Date)
    delisted_on: Mapped[date | None] = mapped_column(Date)
    delist_reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposed_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class GuidanceVisit(Base):
    __tablename__ = "guidance_visits"
    __table_args__ = (Index("ix_guidance_visits_code_date", "credit_code", "visited_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(40), ForeignKey("companies.credit_code"))
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(120))
    findings: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(60))


class HistoryEntry(Base):
    __tablename__ = "companies_history"
    __table_args__ = (Index("ix_companies_history_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BlacklistEntry(Base):
    """拖欠农民工工资失信联合惩戒名单: one decision listing a firm, its publication, the push to other
    departments, and credit repair (信用修复)."""

    __tablename__ = "arrears_blacklist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(40), ForeignKey("companies.credit_code"), index=True)
    decision_no: Mapped[str] = mapped_column(String(80), unique=True)  # 决定文书号
    decided_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    workers: Mapped[int | None] = mapped_column(Integer)
    arrears_from: Mapped[date | None] = mapped_column(Date)
    arrears_to: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    pushed_on: Mapped[date | None] = mapped_column(Date)
    pushed_to: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # listed | repaired
    repair_applied_on: Mapped[date | None] = mapped_column(Date)
    repair_outcome: Mapped[str | None] = mapped_column(String(12))  # pending | approved | refused
    repair_decided_on: Mapped[date | None] = mapped_column(Date)
    repair_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(60))


class FieldReport(Base):
    """网格上报 / 12345 热线工单: a report from the field (a grid worker's form, a row of a hotline ticket export) that
    enters the pipeline as a post (``companies.fieldreports``); kept here as the durable record of what was reported,
    by whom, from which file and row, and what the pipeline made of it."""

    __tablename__ = "field_reports"
    __table_args__ = (
        UniqueConstraint("origin", "ticket_no", name="uq_field_reports_origin_ticket"),
        UniqueConstraint("post_id", name="uq_field_reports_post_id"),
        Index("ix_field_reports_status", "status"),
        Index("ix_field_reports_company_name", "company_name"),  # the profile finds reports by the firm's names
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(12))  # grid | hotline
    ticket_no: Mapped[str | None] = mapped_column(String(60))  # 12345 工单编号 (unique per origin when given)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    company_name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    town: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(200))
    workers: Mapped[int | None] = mapped_column(Integer)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    reporter: Mapped[str | None] = mapped_column(String(60))  # grid worker / 承办人
    source_file: Mapped[str | None] = mapped_column(String(255))
    source_row: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # pending | processed | failed
    post_id: Mapped[str] = mapped_column(String(64))
    labor_dispute: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

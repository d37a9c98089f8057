"""Value objects the ledger API returns (plain, frozen; no database session behind them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lwcore.domain import SHANGHAI, Severity

from .vocab import CaseSource, CaseStatus, IncidentStage, IncidentStatus, dispute_types_zh

__all__ = [
    "Case",
    "HistoryEntry",
    "Incident",
    "IncidentStep",
    "IncidentReport",
    "Dispatch",
    "ResponseTimes",
    "ImportIssue",
    "ImportReport",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """A dispute case (台账 row) as read, with ``overdue`` computed at read time."""

    id: int
    number: str
    title: str
    enterprise_name: str | None
    company_id: str | None
    town: str | None
    industry: str | None
    dispute_types: tuple[str, ...]
    workers: int | None
    amount_yuan: Decimal | None
    risk_level: Severity | None
    responsible_unit: str | None
    responsible_person: str | None
    lead_official: str | None
    plan: str | None
    deadline: date | None
    summary: str | None
    resolution: str | None
    remarks: str | None
    status: CaseStatus
    status_changed_at: datetime
    status_changed_by: str
    closed_at: datetime | None
    source: CaseSource
    event_id: str | None
    alert_ids: tuple[str, ...]
    post_ids: tuple[str, ...]
    source_urls: tuple[str, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int
    overdue: bool

    @property
    def status_label(self) -> str:
        return self.status.label_zh

    @property
    def risk_label(self) -> str:
        return self.risk_level.label_zh if self.risk_level else ""

    @property
    def dispute_types_label(self) -> str:
        return dispute_types_zh(self.dispute_types)

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "enterprise_name": self.enterprise_name,
            "company_id": self.company_id,
            "town": self.town,
            "industry": self.industry,
            "dispute_types": list(self.dispute_types),
            "workers": self.workers,
            "amount_yuan": str(self.amount_yuan) if self.amount_yuan is not None else None,
            "risk_level": self.risk_level.value if self.risk_level else None,
            "responsible_unit": self.responsible_unit,
            "responsible_person": self.responsible_person,
            "lead_official": self.lead_official,
            "plan": self.plan,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "summary": self.summary,
            "resolution": self.resolution,
            "remarks": self.remarks,
            "status": self.status.value,
            "status_label": self.status_label,
            "status_changed_at": self.status_changed_at.isoformat(),
            "status_changed_by": self.status_changed_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "source": self.source.value,
            "event_id": self.event_id,
            "alert_ids": list(self.alert_ids),
            "post_ids": list(self.post_ids),
            "source_urls": list(self.source_urls),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
            "version": self.version,
            "overdue": self.overdue,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }

    def describe_zh(self) -> str:
        when = self.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        what = _ACTION_ZH.get(self.action, self.action)
        if self.field:
            what += f" {self.field}: {self.old or '（空）'} → {self.new or '（空）'}"
        elif self.new:
            what += f" {self.new}"
        if self.note:
            what += f"（{self.note}）"
        return f"{when} {self.actor} {what}"


_ACTION_ZH = {
    "created": "登记",
    "update": "修改",
    "transition": "状态变更",
    "link_alert": "关联预警",
    "link_post": "关联信息",
    "imported": "导入",
    "step": "处置节点",
    "report": "报告",
    "dispatch": "派员",
    "link_case": "关联台账",
    "link_incident": "关联突发事件",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentStep:
    stage: IncidentStage
    at: datetime
    by: str
    note: str | None
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "stage_label": self.stage.label_zh,
            "at": self.at.isoformat(),
            "by": self.by,
            "note": self.note,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentReport:
    at: datetime
    recipient: str
    channel: str | None
    summary: str | None
    by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "recipient": self.recipient,
            "channel": self.channel,
            "summary": self.summary,
            "by": self.by,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Dispatch:
    at: datetime
    people: tuple[str, ...]
    unit: str | None
    note: str | None
    by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "people": list(self.people),
            "unit": self.unit,
            "note": self.note,
            "by": self.by,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseTimes:
    """Minutes from 接报 to each later stage (None while not reached), and the within-the-hour check.

    ``late`` is True when 到场 or 处置 (whichever comes first) happened more than ``limit`` after 接报, or has
    not happened and ``limit`` has already passed.
    """

    to_report: float | None
    to_on_scene: float | None
    to_handling: float | None
    to_settled: float | None
    limit: timedelta
    late: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "to_report_min": self.to_report,
            "to_on_scene_min": self.to_on_scene,
            "to_handling_min": self.to_handling,
            "to_settled_min": self.to_settled,
            "limit_min": self.limit.total_seconds() / 60,
            "late": self.late,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    id: int
    number: str
    title: str
    level: Severity
    town: str | None
    company_id: str | None
    company_name: str | None
    workers: int | None
    location: str | None
    summary: str | None
    event_id: str | None
    status: IncidentStatus
    case_id: int | None
    received_at: datetime
    settled_at: datetime | None
    alert_ids: tuple[str, ...]
    post_ids: tuple[str, ...]
    steps: tuple[IncidentStep, ...]
    reports: tuple[IncidentReport, ...]
    dispatches: tuple[Dispatch, ...]
    response: ResponseTimes
    created_at: datetime
    created_by: str
    updated_at: datetime
    version: int

    @property
    def status_label(self) -> str:
        return self.status.label_zh

    @property
    def late(self) -> bool:
        return self.response.late

    @property
    def last_stage(self) -> IncidentStage:
        return self.steps[-1].stage if self.steps else IncidentStage.RECEIVED

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "level": self.level.value,
            "town": self.town,
            "company_id": self.company_id,
            "company_name": self.company_name,
            "workers": self.workers,
            "location": self.location,
            "summary": self.summary,
            "event_id": self.event_id,
            "status": self.status.value,
            "status_label": self.status_label,
            "case_id": self.case_id,
            "received_at": self.received_at.isoformat(),
            "settled_at": self.settled_at.isoformat() if self.settled_at else None,
            "alert_ids": list(self.alert_ids),
            "post_ids": list(self.post_ids),
            "steps": [s.to_dict() for s in self.steps],
            "reports": [r.to_dict() for r in self.reports],
            "dispatches": [d.to_dict() for d in self.dispatches],
            "response": self.response.to_dict(),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(),
            "version": self.version,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportIssue:
    """A problem with one cell or row of an imported ledger (row numbers as Excel shows them)."""

    sheet: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet} row {self.row}"
        return f"{where}: {self.reason}"


@dataclass(slots=True, kw_only=True)
class ImportReport:
    """What an import did. Nothing is skipped silently: every row is created, updated, unchanged or in errors."""

    file: str
    sheet: str
    rows: int = 0
    created: list[str] = field(default_factory=list)  # case numbers
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column, "reason": e.reason} for e in self.errors],
            "ignored_columns": self.ignored_columns,
            "committed": self.committed,
        }

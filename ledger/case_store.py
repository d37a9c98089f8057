"""The case store under the dispute ledger: the shared state (database, clock, numbering, default deadlines), the
row-level writes every part of the ledger uses (insert, apply a change with history, link alerts and posts) and
the conversion of rows to frozen :class:`~ledger.records.Case` values.

Split from ``ledger/cases.py`` (issue 20): intake (:mod:`ledger.intake`), workflow (:mod:`ledger.workflow`) and
queries (:mod:`ledger.queries`) build on :class:`CaseStore`; :class:`ledger.cases.Ledger` joins them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI, Severity

from .errors import AlertAlreadyLinked, NotFound, StaleVersion, ValidationError
from .fields import format_value, from_fen, to_fen
from .history import record
from .models import CaseAlertRow, CasePostRow, CaseRow
from .records import Case
from .vocab import OPEN_STATUSES, CaseSource, CaseStatus

__all__ = ["CaseStore", "DEFAULT_DEADLINE_DAYS", "RACE_ATTEMPTS", "alert_value", "shanghai_today"]

#: Tries of a write that can lose a race to another writer (each loser re-reads what the winner made).
RACE_ATTEMPTS = 3

#: Default 化解时限 for a case created from an alert, by risk level (days from creation, Shanghai calendar).
DEFAULT_DEADLINE_DAYS: dict[Severity, int] = {
    Severity.I: 3,
    Severity.II: 7,
    Severity.III: 15,
    Severity.IV: 30,
}


def alert_value(alert: Any, key: str, default: Any = None) -> Any:
    """Read ``key`` from an alert snapshot given as a mapping or as an object with attributes."""
    if isinstance(alert, Mapping):
        return alert.get(key, default)
    return getattr(alert, key, default)


def shanghai_today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


class CaseStore:
    """State and row-level operations shared by intake, workflow and queries.

    ``clock`` returns the current aware time (tests pass a fixed one). All public methods of the ledger open their
    own transaction; the ``_``-methods here work inside the caller's session.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        number_prefix: str = "TZ",
        deadline_days: Mapping[Severity, int] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock or utcnow
        self.number_prefix = number_prefix
        self.deadline_days = dict(deadline_days or DEFAULT_DEADLINE_DAYS)

    def _other_open(self, s: Session, row: CaseRow, event_id: str) -> CaseRow | None:
        """Another open case of the event cluster ``event_id`` (at most one can exist: a partial unique index)."""
        return s.scalar(
            select(CaseRow).where(CaseRow.event_id == event_id, CaseRow.id != row.id,
                                  CaseRow.status.in_([st.value for st in OPEN_STATUSES])).limit(1)
        )

    def _refuse_second_open(self, s: Session, row: CaseRow, event_id: str, *, field: str) -> None:
        other = self._other_open(s, row, event_id)
        if other is not None:
            raise ValidationError(field, f"case {other.number} is already open for event {event_id}: one open case "
                                         "per event (close or merge one of them first)")

    def _insert(
        self,
        s: Session,
        values: dict[str, Any],
        *,
        by: str,
        source: CaseSource,
        status: CaseStatus = CaseStatus.PENDING,
        created_at: datetime | None = None,
        import_key: str | None = None,
        note: str | None = None,
    ) -> CaseRow:
        now = self.clock()
        created = created_at or now
        row = CaseRow(
            number=f"tmp-{uuid.uuid4().hex}",
            title=values["title"],
            status=status.value,
            status_changed_at=created,
            status_changed_by=by,
            closed_at=None if status.is_open else created,
            source=source.value,
            import_key=import_key,
            created_at=created,
            created_by=by,
            updated_at=now,
            updated_by=by,
            dispute_types="",
        )
        for name, value in values.items():
            _set(row, name, value)
        s.add(row)
        s.flush()
        if not values.get("number"):
            year = created.astimezone(SHANGHAI).year
            row.number = f"{self.number_prefix}{year}-{row.id:05d}"
        record(
            s,
            "case",
            row.id,
            now,
            by,
            "imported" if source is CaseSource.IMPORT else "created",
            new=row.number,
            note=note,
        )
        return row

    def _apply(self, s: Session, row: CaseRow, values: Mapping[str, Any], *, by: str, note: str | None) -> bool:
        changed = False
        now = self.clock()
        for name, new in values.items():
            old = _get(row, name)
            if _same(old, new):
                continue
            _set(row, name, new)
            record(
                s,
                "case",
                row.id,
                now,
                by,
                "update",
                field=name,
                old=format_value(name, old),
                new=format_value(name, new),
                note=note,
            )
            changed = True
        return changed

    def _link_alert(self, s: Session, row: CaseRow, alert_id: str, level: Severity | None, by: str) -> None:
        existing = s.scalar(select(CaseAlertRow).where(CaseAlertRow.alert_id == alert_id))
        if existing is not None:
            if existing.case_id != row.id:
                raise AlertAlreadyLinked(alert_id, existing.case.number)
            return
        row.alerts.append(
            CaseAlertRow(alert_id=alert_id, level=level.value if level else None, linked_at=self.clock(), linked_by=by)
        )
        record(s, "case", row.id, self.clock(), by, "link_alert", new=alert_id)

    def _link_posts(
        self, s: Session, row: CaseRow, links: Iterable[tuple[str, str | None]], alert_id: str | None
    ) -> list[str]:
        have = {p.post_id: p for p in row.posts}
        added: list[str] = []
        for post_id, url in links:
            if post_id in have:
                if url and not have[post_id].url:
                    have[post_id].url = url
                continue
            link = CasePostRow(post_id=post_id, url=url, alert_id=alert_id, added_at=self.clock())
            row.posts.append(link)
            have[post_id] = link
            added.append(post_id)
        return added

    def _load(self, s: Session, case_id: int | str) -> CaseRow:
        row: CaseRow | None
        if isinstance(case_id, int) or (isinstance(case_id, str) and case_id.isdigit()):
            row = s.get(CaseRow, int(case_id))
        else:
            row = s.scalar(select(CaseRow).where(CaseRow.number == str(case_id).strip()))
        if row is None:
            raise NotFound("case", case_id)
        return row

    def _to_case(self, row: CaseRow, *, now: datetime | None = None) -> Case:
        status = CaseStatus(row.status)
        today = shanghai_today(now or self.clock())
        return Case(
            id=row.id,
            number=row.number,
            title=row.title,
            enterprise_name=row.enterprise_name,
            company_id=row.company_id,
            town=row.town,
            industry=row.industry,
            dispute_types=_split_types(row.dispute_types),
            workers=row.workers,
            amount_yuan=from_fen(row.amount_fen),
            risk_level=Severity(row.risk_level) if row.risk_level else None,
            responsible_unit=row.responsible_unit,
            responsible_person=row.responsible_person,
            lead_official=row.lead_official,
            plan=row.plan,
            deadline=row.deadline,
            summary=row.summary,
            resolution=row.resolution,
            remarks=row.remarks,
            status=status,
            status_changed_at=row.status_changed_at,
            status_changed_by=row.status_changed_by,
            closed_at=row.closed_at,
            source=CaseSource(row.source),
            event_id=row.event_id,
            alert_ids=tuple(a.alert_id for a in row.alerts),
            post_ids=tuple(p.post_id for p in row.posts),
            source_urls=tuple(p.url for p in row.posts if p.url),
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            version=row.version,
            overdue=status.is_open and row.deadline is not None and row.deadline < today,
        )


# --- module helpers ------------------------------------------------------------------------------------


def _actor(by: str) -> str:
    if not by or not str(by).strip():
        raise ValidationError("by", "who makes the change must be given")
    by = str(by).strip()
    if len(by) > 60:
        raise ValidationError("by", "at most 60 characters")
    return by


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _split_types(stored: str | None) -> tuple[str, ...]:
    return tuple(t for t in (stored or "").split(",") if t)


def _get(row: CaseRow, name: str) -> Any:
    if name == "amount_yuan":
        return from_fen(row.amount_fen)
    if name == "dispute_types":
        return _split_types(row.dispute_types)
    if name == "risk_level":
        return Severity(row.risk_level) if row.risk_level else None
    return getattr(row, name)


def _set(row: CaseRow, name: str, value: Any) -> None:
    if name == "amount_yuan":
        row.amount_fen = to_fen(value)
    elif name == "dispute_types":
        row.dispute_types = ("," + ",".join(value) + ",") if value else ""
    elif name == "risk_level":
        row.risk_level = value.value if value is not None else None
    elif name == "number":
        row.number = value
    else:
        setattr(row, name, value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, tuple) or isinstance(new, tuple | list):
        return tuple(old or ()) == tuple(new or ())
    return bool(old == new)


def _check_version(row: CaseRow, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise StaleVersion("case", row.number, expected, row.version)


def _post_links(alert: Any) -> list[tuple[str, str | None]]:
    urls = alert_value(alert, "urls") or {}
    if not isinstance(urls, Mapping):
        urls = {}
    return [(str(p), urls.get(str(p))) for p in (alert_value(alert, "post_ids") or ())]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _title(filters: Mapping[str, Any] | None) -> str:
    return "劳动争议风险台账"

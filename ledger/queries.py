"""Reading the dispute ledger: one case, the case of an alert, filtered and paged lists, overdue cases, history,
and the .xlsx / .csv exports of a filtered list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Select, and_, func, or_, select

from lwcore.domain import Severity

from .case_store import CaseStore, _escape_like, _title, shanghai_today
from .errors import ValidationError
from .history import entries
from .models import CaseAlertRow, CaseRow
from .records import Case, HistoryEntry
from .vocab import OPEN_STATUSES, CaseStatus, parse_dispute_types, parse_risk_level, parse_status

__all__ = ["CaseQueries"]

_ORDERS: dict[str, Any] = {
    "created_at": CaseRow.created_at,
    "updated_at": CaseRow.updated_at,
    "deadline": CaseRow.deadline,
    "risk_level": CaseRow.risk_level,
    "number": CaseRow.number,
}


class CaseQueries(CaseStore):
    """Read-only questions about cases (and the exports built on them)."""

    def get(self, case_id: int | str) -> Case:
        """A case by id (int or digits) or by number (编号)."""
        with self.db.session() as s:
            return self._to_case(self._load(s, case_id))

    def case_for_alert(self, alert_id: str) -> Case | None:
        with self.db.session() as s:
            link = s.scalar(select(CaseAlertRow).where(CaseAlertRow.alert_id == str(alert_id)))
            return self._to_case(link.case) if link else None

    def list_cases(
        self,
        *,
        status: CaseStatus | str | Iterable[CaseStatus | str] | None = None,
        town: str | None = None,
        risk_level: Severity | str | Iterable[Severity | str] | None = None,
        overdue: bool | None = None,
        q: str | None = None,
        industry: str | None = None,
        dispute_type: str | None = None,
        responsible_unit: str | None = None,
        company_id: str | None = None,
        order: str = "-created_at",
        page: int = 1,
        size: int = 50,
    ) -> tuple[list[Case], int]:
        """One page of cases and the total matching the filters.

        ``order``: created_at, updated_at, deadline, risk_level or number, ``-`` in front for descending.
        ``overdue=True``: open cases whose deadline has passed (Shanghai calendar); ``False``: all others.
        """
        if page < 1:
            raise ValidationError("page", "must be >= 1")
        if not 1 <= size <= 10_000:
            raise ValidationError("size", "must be between 1 and 10000")
        stmt = self._filtered(
            status=status,
            town=town,
            risk_level=risk_level,
            overdue=overdue,
            q=q,
            industry=industry,
            dispute_type=dispute_type,
            responsible_unit=responsible_unit,
            company_id=company_id,
        )
        key = order.lstrip("-")
        if key not in _ORDERS:
            raise ValidationError("order", f"unknown order {order!r} (one of {', '.join(_ORDERS)})")
        col = _ORDERS[key]
        ordering = [col.desc() if order.startswith("-") else col.asc(), CaseRow.id.desc()]
        with self.db.session() as s:
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(*ordering).offset((page - 1) * size).limit(size)).all()
            return [self._to_case(r) for r in rows], int(total)

    def iter_cases(self, filters: Mapping[str, Any] | None = None, *, order: str = "number") -> list[Case]:
        """Every case matching ``filters`` (the keyword filters of :meth:`list_cases`), for exports."""
        out: list[Case] = []
        page = 1
        while True:
            rows, total = self.list_cases(**dict(filters or {}), order=order, page=page, size=1000)
            out.extend(rows)
            if len(out) >= total or not rows:
                return out
            page += 1

    def _filtered(
        self,
        *,
        status: Any,
        town: str | None,
        risk_level: Any,
        overdue: bool | None,
        q: str | None,
        industry: str | None,
        dispute_type: str | None,
        responsible_unit: str | None,
        company_id: str | None,
    ) -> Select[CaseRow]:
        stmt = select(CaseRow)
        if status is not None:
            statuses = [status] if isinstance(status, str | CaseStatus) else list(status)
            stmt = stmt.where(CaseRow.status.in_([parse_status(x).value for x in statuses]))
        if risk_level is not None:
            levels = [risk_level] if isinstance(risk_level, str | Severity) else list(risk_level)
            stmt = stmt.where(CaseRow.risk_level.in_([parse_risk_level(x).value for x in levels]))
        if town:
            stmt = stmt.where(CaseRow.town == town)
        if industry:
            stmt = stmt.where(CaseRow.industry == industry)
        if responsible_unit:
            stmt = stmt.where(CaseRow.responsible_unit == responsible_unit)
        if company_id:
            stmt = stmt.where(CaseRow.company_id == company_id)
        if dispute_type:
            (code,) = parse_dispute_types(dispute_type)[:1] or (dispute_type,)
            stmt = stmt.where(CaseRow.dispute_types.like(f"%,{code},%"))
        if overdue is not None:
            today = shanghai_today(self.clock())
            late = and_(
                CaseRow.status.in_([st.value for st in OPEN_STATUSES]),
                CaseRow.deadline.is_not(None),
                CaseRow.deadline < today,
            )
            stmt = stmt.where(late if overdue else ~late)
        if q and q.strip():
            pattern = "%" + _escape_like(q.strip()) + "%"
            # Codes (编号, credit code) match case-insensitively; the Chinese text columns use plain LIKE, which
            # PostgreSQL evaluates several times faster than ILIKE on multibyte text (Chinese has no case).
            stmt = stmt.where(
                or_(
                    CaseRow.number.ilike(pattern, escape="\\"),
                    CaseRow.company_id.ilike(pattern, escape="\\"),
                    *(
                        col.like(pattern, escape="\\")
                        for col in (
                            CaseRow.title,
                            CaseRow.enterprise_name,
                            CaseRow.town,
                            CaseRow.responsible_person,
                            CaseRow.responsible_unit,
                            CaseRow.plan,
                            CaseRow.summary,
                        )
                    ),
                )
            )
        return stmt

    def overdue(self, now: datetime | None = None) -> list[Case]:
        """Open cases past their deadline at ``now`` (default: the clock), most severe first."""
        today = shanghai_today(now or self.clock())
        with self.db.session() as s:
            rows = s.scalars(
                select(CaseRow)
                .where(
                    CaseRow.status.in_([st.value for st in OPEN_STATUSES]),
                    CaseRow.deadline.is_not(None),
                    CaseRow.deadline < today,
                )
                .order_by(CaseRow.risk_level, CaseRow.deadline, CaseRow.id)
            ).all()
            return [self._to_case(r, now=now) for r in rows]

    def history(self, case_id: int | str) -> list[HistoryEntry]:
        with self.db.session() as s:
            row = self._load(s, case_id)
            return entries(s, "case", row.id)

    def export_xlsx(self, path_or_stream: str | Any | IO[bytes], filters: Mapping[str, Any] | None = None) -> int:
        """Write the 台账 as an Excel workbook; returns the number of cases written."""
        from .excel import write_xlsx

        cases = self.iter_cases(filters)
        write_xlsx(path_or_stream, cases, title=_title(filters), generated_at=self.clock())
        return len(cases)

    def export_csv(self, path_or_stream: str | Any | IO[str], filters: Mapping[str, Any] | None = None) -> int:
        """Write the 台账 as CSV (UTF-8 with BOM so Excel opens it); returns the number of cases written."""
        from .excel import write_csv

        cases = self.iter_cases(filters)
        write_csv(path_or_stream, cases)
        return len(cases)

"""Negative-coverage follow-up (plan 三(三)): firms with verified negative coverage that still operate are followed,
not forgotten once the alert is closed.

Verified negative coverage = a ledger case of the firm (cases are registered after verification) that was not found
unfounded. For each such firm still operating, the list says how it is being followed: an open case, the key
supervision list, a recent guidance visit, or nothing (待跟进) when none of these holds within ``stale_days`` of the
firm's latest case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

from lwcore.db import Database
from lwcore.domain import SHANGHAI

from .models import Company, GuidanceVisit, SupervisionEntry

__all__ = ["FOLLOWUP_LABELS", "FollowUp", "negative_coverage_followups"]

FOLLOWUP_LABELS = {"needs_followup": "待跟进", "open_case": "案件办理中", "supervised": "已列入重点监管",
                   "visited": "近期已走访"}


@dataclass(frozen=True)
class FollowUp:
    credit_code: str
    name: str
    town: str | None
    cases: int
    open_cases: int
    last_case_on: date
    supervised: bool
    last_visit: date | None
    state: str

    @property
    def state_label(self) -> str:
        return FOLLOWUP_LABELS[self.state]


def negative_coverage_followups(db: Database, *, today: date | None = None, stale_days: int = 30) -> list[FollowUp]:
    from ledger.models import CaseRow
    from ledger.vocab import CaseStatus

    today = today or datetime.now(SHANGHAI).date()
    open_statuses = (CaseStatus.PENDING.value, CaseStatus.VERIFYING.value, CaseStatus.RESOLVING.value)
    with db.sessions() as s:
        rows = s.execute(
            select(CaseRow.company_id, func.count(CaseRow.id),
                   func.sum(case((CaseRow.status.in_(open_statuses), 1), else_=0)),
                   func.max(CaseRow.created_at))
            .join(Company, Company.credit_code == CaseRow.company_id)
            .where(CaseRow.status != CaseStatus.UNFOUNDED.value, Company.operating_status == "operating")
            .group_by(CaseRow.company_id)
        ).all()
        codes = [r[0] for r in rows]
        companies = {c.credit_code: c for c in s.scalars(select(Company).where(Company.credit_code.in_(codes)))}
        supervised = set(s.scalars(select(SupervisionEntry.credit_code).where(
            SupervisionEntry.credit_code.in_(codes), SupervisionEntry.status == "active")))
        visits: dict[str, date] = {
            r[0]: r[1] for r in s.execute(select(GuidanceVisit.credit_code, func.max(GuidanceVisit.visited_on))
                                          .where(GuidanceVisit.credit_code.in_(codes))
                                          .group_by(GuidanceVisit.credit_code))
        } if codes else {}
    out = []
    for code, n, n_open, last_case in rows:
        last_on = last_case.astimezone(SHANGHAI).date()
        last_visit = visits.get(code)
        if n_open:
            state = "open_case"
        elif code in supervised:
            state = "supervised"
        elif last_visit and last_visit >= max(last_on, today - timedelta(days=stale_days)):
            state = "visited"
        else:
            state = "needs_followup"
        c = companies[code]
        out.append(FollowUp(code, c.name, c.town, int(n), int(n_open or 0), last_on, code in supervised, last_visit,
                            state))
    order = list(FOLLOWUP_LABELS)
    out.sort(key=lambda f: (order.index(f.state), -f.last_case_on.toordinal(), f.name))
    return out

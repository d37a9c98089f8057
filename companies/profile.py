"""The company profile (企业画像): everything stored about one registry firm, read in a handful of queries.

Alerts and their posts come from the alerting room's tables, cases from the ledger's, list entries and visits from
this room; the profile only reads them (stored data, one direction).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from lwcore.db import Database
from lwcore.domain import SHANGHAI

from .blacklist import Blacklist, BlacklistView
from .errors import NotFound
from .fieldreports import FieldReports
from .registry import CompanyView, Registry
from .supervision import EntryView, SupervisionList, VisitView

__all__ = ["CompanyProfile", "build_profile"]

RECENT = 50  # rows of alerts, cases and posts shown


@dataclass
class CompanyProfile:
    company: CompanyView
    entries: list[EntryView]
    blacklist: list[BlacklistView]
    visits: list[VisitView]
    alerts: list[dict[str, Any]]
    alert_count: int
    cases: list[dict[str, Any]]
    case_count: int
    posts: list[dict[str, Any]]
    post_count: int
    event_types: list[tuple[str, int]]
    max_workers: int | None
    case_amount_yuan: float
    trend: list[tuple[str, int, int]] = field(default_factory=list)  # (YYYY-MM, alerts, cases), oldest first
    field_reports: list[Any] = field(default_factory=list)  # 网格上报 / 12345 tickets about the firm, newest first

    @property
    def active_entry(self) -> EntryView | None:
        return next((e for e in self.entries if e.status == "active"), None)

    @property
    def blacklisted(self) -> bool:
        return any(b.status == "listed" for b in self.blacklist)

    @property
    def open_proposal(self) -> EntryView | None:
        return next((e for e in self.entries if e.status == "proposed"), None)


def _month(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m") if dt else ""


def build_profile(db: Database, credit_code: str) -> CompanyProfile:
    from alerting.models import Alert, AlertPost
    from ledger.models import CaseRow

    company = Registry(db).get(credit_code)
    if company is None:
        raise NotFound("company", credit_code)
    from .mentions import alerts_filter

    sv = SupervisionList(db)
    mine = alerts_filter(credit_code, [company.name, *company.aliases])
    with db.sessions() as s:
        alert_rows = s.execute(
            select(Alert.id, Alert.level, Alert.title, Alert.status, Alert.created_at, Alert.event_types,
                   Alert.workers, Alert.amount_yuan, Alert.post_count)
            .where(mine, Alert.merged_into.is_(None))
            .order_by(Alert.created_at.desc())
        ).all()
        case_rows = s.execute(
            select(CaseRow.id, CaseRow.number, CaseRow.title, CaseRow.status, CaseRow.risk_level,
                   CaseRow.created_at, CaseRow.workers, CaseRow.amount_fen, CaseRow.dispute_types)
            .where(CaseRow.company_id == credit_code).order_by(CaseRow.created_at.desc())
        ).all()
        post_filter = AlertPost.alert_id.in_(select(Alert.id).where(mine))
        post_count = int(s.scalar(select(func.count(func.distinct(AlertPost.post_id))).where(post_filter)) or 0)
        posts = s.execute(
            select(AlertPost.post_id, AlertPost.title, AlertPost.url, AlertPost.platform, AlertPost.published_at,
                   AlertPost.alert_id)
            .where(post_filter).order_by(AlertPost.published_at.desc().nulls_last(), AlertPost.id.desc())
            .limit(RECENT * 2)
        ).all()
    seen: set[str] = set()
    post_list = []
    for p in posts:
        if p.post_id in seen:
            continue
        seen.add(p.post_id)
        post_list.append(p._asdict())
        if len(post_list) == RECENT:
            break
    events = Counter(t for a in alert_rows for t in (a.event_types or []))
    months: dict[str, list[int]] = {}
    for a in alert_rows:
        months.setdefault(_month(a.created_at), [0, 0])[0] += 1
    for c in case_rows:
        months.setdefault(_month(c.created_at), [0, 0])[1] += 1
    workers = [w for w in [*(a.workers for a in alert_rows), *(c.workers for c in case_rows)] if w]
    return CompanyProfile(
        company=company,
        entries=sv.entries(credit_code=credit_code),
        blacklist=Blacklist(db).entries(credit_code=credit_code),
        visits=sv.visits(credit_code),
        alerts=[a._asdict() for a in alert_rows[:RECENT]],
        alert_count=len(alert_rows),
        cases=[c._asdict() for c in case_rows[:RECENT]],
        case_count=len(case_rows),
        posts=post_list,
        post_count=post_count,
        event_types=events.most_common(),
        max_workers=max(workers) if workers else None,
        case_amount_yuan=sum((c.amount_fen or 0) for c in case_rows) / 100,
        trend=[(m, n[0], n[1]) for m, n in sorted(months.items()) if m],
        field_reports=FieldReports(db).for_firm(credit_code, (company.name, *company.aliases), limit=RECENT),
    )

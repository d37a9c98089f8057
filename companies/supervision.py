"""The key supervision and service list (重点监管服务名单) and its guidance visits (指导走访).

An entry moves ``proposed -> active | rejected`` (a person confirms or rejects what the evidence proposed) and
``active -> delisted``; an entry a person adds is active at once. A firm has at most one proposed or active entry.
Every change is written to ``companies_history`` in the same transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI

from .config import ProposalRules, VisitPeriod
from .errors import InvalidTransition, NotFound, ValidationError
from .history import add_history
from .models import Company, GuidanceVisit, SupervisionEntry

__all__ = ["GROUNDS", "STATUS_LABELS", "LEVELS", "EntryView", "VisitView", "VisitDue", "SupervisionList",
           "weeks_due"]

logger = logging.getLogger(__name__)

#: the four grounds of the plan (青治欠办〔2023〕3号 三(二)), code -> label shown to staff
GROUNDS: dict[str, str] = {
    "latent_dispute": "存在劳资纠纷隐患",
    "major_change": "生产经营即将发生重大变化",
    "violations": "存在严重违法或多次违法行为",
    "incident_risk": "存在引发突发事件风险",
}
STATUS_LABELS: dict[str, str] = {"proposed": "待确认", "active": "在册", "delisted": "已移出", "rejected": "未采纳"}
LEVELS = ("I", "II", "III", "IV")  # I is the highest risk, as in the ledger
_OPEN = ("proposed", "active")
# alert event types that point at a ground other than latent disputes
_GROUND_OF_EVENT = {"group_action": "incident_risk", "strike_stoppage": "incident_risk",
                    "closure_relocation": "major_change"}


@dataclass(frozen=True)
class EntryView:
    id: int
    credit_code: str
    company_name: str
    town: str | None
    industry: str | None
    status: str
    ground: str
    reason: str
    risk_level: str
    person_in_charge: str | None
    key_area: bool
    listed_on: date | None
    delisted_on: date | None
    delist_reason: str | None
    evidence: dict[str, Any]
    proposed_by: str
    created_at: datetime
    decided_by: str | None

    @property
    def ground_label(self) -> str:
        return GROUNDS.get(self.ground, self.ground)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class VisitView:
    id: int
    credit_code: str
    visited_on: date
    visitor: str
    findings: str
    next_step: str | None
    created_by: str


@dataclass(frozen=True)
class VisitDue:
    """A week in a visit period when a listed firm needed a visit and had none."""

    entry_id: int
    credit_code: str
    company_name: str
    person_in_charge: str | None
    period: str
    week_start: date
    week_end: date
    overdue: bool  # False: the week is still running
    last_visit: date | None


def _today() -> date:
    return datetime.now(SHANGHAI).date()


def _check_level(level: str) -> str:
    value = (level or "").strip().upper()
    if value not in LEVELS:
        raise ValidationError("risk_level", f"{level!r} must be one of {', '.join(LEVELS)}")
    return value


def _check_ground(ground: str) -> str:
    if ground not in GROUNDS:
        raise ValidationError("ground", f"{ground!r} must be one of {', '.join(GROUNDS)}")
    return ground


def _required(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, "empty")
    return text


def weeks_due(period: VisitPeriod, listed_on: date, delisted_on: date | None, today: date) -> list[tuple[date, date]]:
    """The Monday-to-Sunday weeks of ``period`` while the entry was listed, up to the week holding ``today``."""
    start = max(period.start, listed_on)
    end = min(period.end, delisted_on or period.end, today + timedelta(days=6 - today.weekday()))
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        weeks.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return weeks


class SupervisionList:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------- entries
    def add(self, credit_code: str, *, ground: str, reason: str, risk_level: str, actor: str,
            person_in_charge: str | None = None, key_area: bool = False, listed_on: date | None = None,
            now: datetime | None = None) -> EntryView:
        """List a firm at once (a person decides)."""
        now = now or utcnow()
        try:
            with self.db.session() as s:
                return self._view(s, self._add_in(s, credit_code, ground=ground, reason=reason,
                                                  risk_level=risk_level, actor=actor,
                                                  person_in_charge=person_in_charge, key_area=key_area,
                                                  listed_on=listed_on, now=now))
        except IntegrityError as exc:  # a concurrent writer listed or proposed the firm first
            raise ValidationError("credit_code", f"{credit_code} already has a proposed or active list entry") \
                from exc

    def check_new_entry(self, s: Session, credit_code: str, *, ground: str, reason: str, risk_level: str,
                        **_: object) -> None:
        """Raise what :meth:`add` would refuse for these values, writing nothing."""
        self._company(s, credit_code)
        self._no_open_entry(s, credit_code)
        _check_ground(ground)
        _required("reason", reason)
        _check_level(risk_level)

    def _add_in(self, s: Session, credit_code: str, *, ground: str, reason: str, risk_level: str, actor: str,
                person_in_charge: str | None, key_area: bool, listed_on: date | None,
                now: datetime) -> SupervisionEntry:
        self._company(s, credit_code)
        self._no_open_entry(s, credit_code)
        entry = SupervisionEntry(
            credit_code=credit_code, status="active", ground=_check_ground(ground),
            reason=_required("reason", reason), risk_level=_check_level(risk_level),
            person_in_charge=(person_in_charge or "").strip() or None, key_area=key_area,
            listed_on=listed_on or now.astimezone(SHANGHAI).date(), evidence={}, proposed_by=actor,
            created_at=now, decided_by=actor, decided_at=now,
        )
        s.add(entry)
        s.flush()
        add_history(s, actor=actor, action="supervision.add", target_type="supervision", target_id=entry.id,
                    detail={"credit_code": credit_code, "ground": ground, "risk_level": entry.risk_level}, now=now)
        return entry

    def confirm(self, entry_id: int, *, actor: str, person_in_charge: str | None = None,
                risk_level: str | None = None, key_area: bool | None = None, listed_on: date | None = None,
                now: datetime | None = None) -> EntryView:
        now = now or utcnow()
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            if entry.status != "proposed":
                raise InvalidTransition(entry_id, entry.status, "active")
            entry.status = "active"
            if person_in_charge is not None:
                entry.person_in_charge = person_in_charge.strip() or None
            if risk_level is not None:
                entry.risk_level = _check_level(risk_level)
            if key_area is not None:
                entry.key_area = key_area
            entry.listed_on = listed_on or now.astimezone(SHANGHAI).date()
            entry.decided_by, entry.decided_at = actor, now
            add_history(s, actor=actor, action="supervision.confirm", target_type="supervision",
                        target_id=entry_id, detail={"credit_code": entry.credit_code}, now=now)
            return self._view(s, entry)

    def reject(self, entry_id: int, *, actor: str, reason: str, now: datetime | None = None) -> EntryView:
        now = now or utcnow()
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            if entry.status != "proposed":
                raise InvalidTransition(entry_id, entry.status, "rejected")
            entry.status = "rejected"
            entry.delist_reason = _required("reason", reason)
            entry.decided_by, entry.decided_at = actor, now
            add_history(s, actor=actor, action="supervision.reject", target_type="supervision",
                        target_id=entry_id, detail={"credit_code": entry.credit_code, "reason": reason}, now=now)
            return self._view(s, entry)

    def delist(self, entry_id: int, *, actor: str, reason: str, delisted_on: date | None = None,
               now: datetime | None = None) -> EntryView:
        now = now or utcnow()
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            if entry.status != "active":
                raise InvalidTransition(entry_id, entry.status, "delisted")
            out = delisted_on or now.astimezone(SHANGHAI).date()
            if entry.listed_on and out < entry.listed_on:
                raise ValidationError("delisted_on", f"{out} is before the listing date {entry.listed_on}")
            entry.status, entry.delisted_on = "delisted", out
            entry.delist_reason = _required("reason", reason)
            entry.decided_by, entry.decided_at = actor, now
            add_history(s, actor=actor, action="supervision.delist", target_type="supervision",
                        target_id=entry_id, detail={"credit_code": entry.credit_code, "reason": reason}, now=now)
            return self._view(s, entry)

    def get(self, entry_id: int) -> EntryView:
        with self.db.sessions() as s:
            return self._view(s, self._entry(s, entry_id))

    def entries(self, *, status: str | None = None, credit_code: str | None = None) -> list[EntryView]:
        with self.db.sessions() as s:
            q = select(SupervisionEntry, Company).join(Company, Company.credit_code == SupervisionEntry.credit_code)
            if status:
                q = q.where(SupervisionEntry.status == status)
            if credit_code:
                q = q.where(SupervisionEntry.credit_code == credit_code)
            rows = s.execute(q.order_by(SupervisionEntry.created_at.desc(), SupervisionEntry.id.desc())).all()
            return [self._view(s, e, c) for e, c in rows]

    # ---------------------------------------------------------------- proposals
    def propose_from_evidence(self, rules: ProposalRules, *, actor: str = "system",
                              now: datetime | None = None) -> list[EntryView]:
        """Propose each registry firm with enough recent alerts or ledger cases and no open entry; a firm whose
        proposal was rejected inside the window is not proposed again until new evidence ages past it."""
        from alerting.models import Alert
        from ledger.models import CaseRow

        now = now or utcnow()
        since = now - timedelta(days=rules.window_days)
        with self.db.session() as s:
            alerts: dict[str, list[Any]] = defaultdict(list)
            for a in s.execute(select(Alert.id, Alert.company_id, Alert.level, Alert.event_types)
                               .where(Alert.company_id.is_not(None), Alert.created_at >= since,
                                      Alert.merged_into.is_(None))):
                alerts[a.company_id].append(a)
            cases: dict[str, list[Any]] = defaultdict(list)
            for c in s.execute(select(CaseRow.number, CaseRow.company_id, CaseRow.risk_level)
                               .where(CaseRow.company_id.is_not(None), CaseRow.created_at >= since)):
                cases[c.company_id].append(c)
            candidates = {code for code, xs in alerts.items() if len(xs) >= rules.min_alerts}
            candidates |= {code for code, xs in cases.items() if len(xs) >= rules.min_cases}
            if not candidates:
                return []
            known = set(s.scalars(select(Company.credit_code).where(Company.credit_code.in_(candidates))))
            blocked = set(s.scalars(select(SupervisionEntry.credit_code).where(
                SupervisionEntry.credit_code.in_(known),
                (SupervisionEntry.status.in_(_OPEN))
                | ((SupervisionEntry.status == "rejected") & (SupervisionEntry.decided_at >= since)),
            )))
            made = []
            for code in sorted(known - blocked):
                xs, cs = alerts.get(code, []), cases.get(code, [])
                levels = [a.level for a in xs if a.level in LEVELS] + [c.risk_level for c in cs
                                                                      if c.risk_level in LEVELS]
                events = {t for a in xs for t in (a.event_types or [])}
                ground = next((g for t, g in _GROUND_OF_EVENT.items() if t in events), "latent_dispute")
                reason = f"近{rules.window_days}天内预警{len(xs)}条、台账案件{len(cs)}件"
                entry = SupervisionEntry(
                    credit_code=code, status="proposed", ground=ground, reason=reason,
                    risk_level=min(levels, key=LEVELS.index) if levels else "III", key_area=False,
                    evidence={"window_days": rules.window_days, "alerts": sorted(a.id for a in xs),
                              "cases": sorted(c.number for c in cs), "event_types": sorted(events)},
                    proposed_by=actor, created_at=now,
                )
                s.add(entry)
                s.flush()
                add_history(s, actor=actor, action="supervision.propose", target_type="supervision",
                            target_id=entry.id, detail={"credit_code": code, **entry.evidence}, now=now)
                made.append(self._view(s, entry))
            logger.info("%d firm(s) proposed for the key supervision list", len(made))
            return made

    # ---------------------------------------------------------------- visits
    def record_visit(self, credit_code: str, *, visited_on: date, visitor: str, findings: str, actor: str,
                     next_step: str | None = None, now: datetime | None = None) -> VisitView:
        now = now or utcnow()
        if visited_on > now.astimezone(SHANGHAI).date():
            raise ValidationError("visited_on", f"{visited_on} is in the future")
        with self.db.session() as s:
            self._company(s, credit_code)
            visit = GuidanceVisit(credit_code=credit_code, visited_on=visited_on, visitor=_required("visitor", visitor),
                                  findings=_required("findings", findings),
                                  next_step=(next_step or "").strip() or None, created_at=now, created_by=actor)
            s.add(visit)
            s.flush()
            add_history(s, actor=actor, action="visit.add", target_type="visit", target_id=visit.id,
                        detail={"credit_code": credit_code, "visited_on": visited_on.isoformat()}, now=now)
            return _visit_view(visit)

    def visits(self, credit_code: str | None = None, *, limit: int = 500) -> list[VisitView]:
        with self.db.sessions() as s:
            q = select(GuidanceVisit)
            if credit_code:
                q = q.where(GuidanceVisit.credit_code == credit_code)
            rows = s.scalars(q.order_by(GuidanceVisit.visited_on.desc(), GuidanceVisit.id.desc()).limit(limit))
            return [_visit_view(v) for v in rows]

    def visits_due(self, periods: tuple[VisitPeriod, ...], *, today: date | None = None) -> list[VisitDue]:
        """Every week of a visit period without a visit, for each key-area entry listed then: past weeks are
        overdue, the running week is due."""
        today = today or _today()
        if not periods:
            return []
        out: list[VisitDue] = []
        with self.db.sessions() as s:
            rows = s.execute(
                select(SupervisionEntry, Company.name)
                .join(Company, Company.credit_code == SupervisionEntry.credit_code)
                .where(SupervisionEntry.key_area.is_(True), SupervisionEntry.status.in_(("active", "delisted")),
                       SupervisionEntry.listed_on.is_not(None))
            ).all()
            codes = {e.credit_code for e, _ in rows}
            visited: dict[str, list[date]] = defaultdict(list)
            if codes:
                for code, day in s.execute(select(GuidanceVisit.credit_code, GuidanceVisit.visited_on)
                                           .where(GuidanceVisit.credit_code.in_(codes))):
                    visited[code].append(day)
            for entry, name in rows:
                days = sorted(visited.get(entry.credit_code, []))
                listed_on = entry.listed_on
                if listed_on is None:  # excluded by the query; keeps the type checker informed
                    continue
                for period in periods:
                    for monday, sunday in weeks_due(period, listed_on, entry.delisted_on, today):
                        if any(monday <= d <= sunday for d in days):
                            continue
                        before = [d for d in days if d < monday]
                        out.append(VisitDue(entry.id, entry.credit_code, name, entry.person_in_charge, period.name,
                                            monday, sunday, overdue=sunday < today,
                                            last_visit=before[-1] if before else None))
        out.sort(key=lambda v: (not v.overdue, v.week_start, v.company_name))
        return out

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _company(s: Session, credit_code: str) -> Company:
        company = s.get(Company, credit_code)
        if company is None:
            raise NotFound("company", credit_code)
        return company

    @staticmethod
    def _entry(s: Session, entry_id: int) -> SupervisionEntry:
        entry = s.get(SupervisionEntry, entry_id)
        if entry is None:
            raise NotFound("list entry", entry_id)
        return entry

    @staticmethod
    def _no_open_entry(s: Session, credit_code: str) -> None:
        open_id = s.scalar(select(func.min(SupervisionEntry.id)).where(
            SupervisionEntry.credit_code == credit_code, SupervisionEntry.status.in_(_OPEN)))
        if open_id is not None:
            raise ValidationError("credit_code", f"{credit_code} already has list entry {open_id} "
                                                 "(proposed or active)")

    @staticmethod
    def _view(s: Session, e: SupervisionEntry, company: Company | None = None) -> EntryView:
        company = company or s.get(Company, e.credit_code)
        return EntryView(
            e.id, e.credit_code, company.name if company else e.credit_code, company.town if company else None,
            company.industry if company else None, e.status, e.ground, e.reason, e.risk_level, e.person_in_charge,
            e.key_area, e.listed_on, e.delisted_on, e.delist_reason, dict(e.evidence or {}), e.proposed_by,
            e.created_at, e.decided_by,
        )


def _visit_view(v: GuidanceVisit) -> VisitView:
    return VisitView(v.id, v.credit_code, v.visited_on, v.visitor, v.findings, v.next_step, v.created_by)

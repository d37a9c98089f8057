"""Group incidents (突发事件): timeline 接报 -> 报告上级 -> 到场 -> 处置 -> 平息, reports sent, people dispatched,
the linked case, and the within-the-hour response check (the bureau requires a response within 60 minutes)."""

from __future__ import annotations

import builtins
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI, Severity

from .case_store import RACE_ATTEMPTS, alert_value
from .errors import InvalidStep, NotFound, ValidationError
from .fields import parse_workers
from .history import entries, record
from .models import (
    CaseRow,
    IncidentAlertRow,
    IncidentDispatchRow,
    IncidentReportRow,
    IncidentRow,
    IncidentStepRow,
)
from .records import Dispatch, HistoryEntry, Incident, IncidentReport, IncidentStep, ResponseTimes
from .vocab import IncidentStage, IncidentStatus, parse_risk_level, parse_stage

__all__ = ["Incidents", "RESPONSE_LIMIT", "incident_required"]

logger = logging.getLogger(__name__)

#: The bureau's rule: respond to a group incident within the hour (到场 or 处置 within 60 min of 接报).
RESPONSE_LIMIT = timedelta(minutes=60)

#: How far in the future a step time may be (clock skew between a phone and the server).
_FUTURE_SLACK = timedelta(minutes=5)

_UPDATABLE = {"title", "level", "town", "company_id", "company_name", "workers", "location", "summary"}


def incident_required(alert: Any) -> bool:
    """Whether an alert opens an incident: level I, or a group action among its event types."""
    level = alert_value(alert, "level")
    if level not in (None, "") and parse_risk_level(level) is Severity.I:
        return True
    return "group_action" in (alert_value(alert, "event_types") or ())


class Incidents:
    """Incident records. ``clock`` returns the current aware time."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] | None = None,
        number_prefix: str = "SJ",
        response_limit: timedelta = RESPONSE_LIMIT,
    ) -> None:
        self.db = db
        self.clock = clock or utcnow
        self.number_prefix = number_prefix
        self.response_limit = response_limit

    # --- opening ---------------------------------------------------------------------------------------

    def open_for_alert(
        self,
        *,
        alert_id: str,
        title: str,
        level: Severity | str,
        town: str | None,
        company_id: str | None,
        company_name: str | None,
        post_ids: Sequence[str] = (),
        workers: int | None = None,
        event_id: str | None = None,
        received_at: datetime | None = None,
        by: str = "system",
    ) -> Incident:
        """The incident for an alert, opened on first call (接报 = ``received_at`` or now).

        Idempotent per alert and per event cluster: the same ``alert_id`` returns the same incident; a new
        alert of an open incident's ``event_id`` is linked to it (level raised, workers and posts added).
        """
        if not alert_id:
            raise ValidationError("alert_id", "required")
        lvl = parse_risk_level(level)
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                with self.db.session() as s:
                    link = s.scalar(select(IncidentAlertRow).where(IncidentAlertRow.alert_id == str(alert_id)))
                    if link is not None:
                        return self._to_incident(s, s.get(IncidentRow, link.incident_id))  # type: ignore[arg-type]
                    row = None
                    if event_id:
                        row = s.scalar(
                            select(IncidentRow)
                            .where(IncidentRow.event_id == event_id, IncidentRow.status == IncidentStatus.OPEN.value)
                            .order_by(IncidentRow.id)
                            .limit(1)
                        )
                    if row is not None:
                        self._grow(s, row, lvl, workers, post_ids, by=by, note=f"预警 {alert_id}")
                    else:
                        row = self._insert(
                            s,
                            title=title,
                            level=lvl,
                            town=town,
                            company_id=company_id,
                            company_name=company_name,
                            post_ids=post_ids,
                            workers=workers,
                            event_id=event_id,
                            received_at=received_at,
                            by=by,
                            note=f"来自预警 {alert_id}",
                        )
                    s.add(
                        IncidentAlertRow(
                            incident_id=row.id, alert_id=str(alert_id), level=lvl.value, linked_at=self.clock()
                        )
                    )
                    record(s, "incident", row.id, self.clock(), by, "link_alert", new=str(alert_id))
                    s.flush()
                    s.refresh(row)
                    return self._to_incident(s, row)
            except (IntegrityError, StaleDataError):  # another writer opened or grew it: read what it made
                if attempt == RACE_ATTEMPTS:
                    raise
                logger.info("alert %s opened an incident concurrently; reading it", alert_id)
        raise AssertionError("unreachable")

    def open(
        self,
        *,
        title: str,
        level: Severity | str,
        by: str,
        town: str | None = None,
        company_id: str | None = None,
        company_name: str | None = None,
        post_ids: Sequence[str] = (),
        workers: int | None = None,
        location: str | None = None,
        summary: str | None = None,
        received_at: datetime | None = None,
        note: str | None = None,
    ) -> Incident:
        """Open an incident by hand (e.g. reported by phone); 接报 is recorded at ``received_at`` or now."""
        lvl = parse_risk_level(level)
        with self.db.session() as s:
            row = self._insert(
                s,
                title=title,
                level=lvl,
                town=town,
                company_id=company_id,
                company_name=company_name,
                post_ids=post_ids,
                workers=workers,
                event_id=None,
                received_at=received_at,
                by=_actor(by),
                note=note,
                location=location,
                summary=summary,
            )
            s.flush()
            s.refresh(row)
            return self._to_incident(s, row)

    def _insert(
        self,
        s: Session,
        *,
        title: str,
        level: Severity,
        town: str | None,
        company_id: str | None,
        company_name: str | None,
        post_ids: Sequence[str],
        workers: int | None,
        event_id: str | None,
        received_at: datetime | None,
        by: str,
        note: str | None,
        location: str | None = None,
        summary: str | None = None,
    ) -> IncidentRow:
        title = (title or "").strip()
        if not title:
            raise ValidationError("title", "must not be empty")
        now = self.clock()
        at = self._check_time(received_at or now, "received_at")
        row = IncidentRow(
            number=f"tmp-{uuid.uuid4().hex}",
            title=title[:300],
            level=level.value,
            town=town or None,
            company_id=company_id or None,
            company_name=company_name or None,
            workers=parse_workers(workers),
            location=location,
            summary=summary,
            event_id=event_id,
            post_ids=list(dict.fromkeys(str(p) for p in post_ids)),
            status=IncidentStatus.OPEN.value,
            received_at=at,
            created_at=now,
            created_by=by,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        row.number = f"{self.number_prefix}{at.astimezone(SHANGHAI).year}-{row.id:05d}"
        s.add(
            IncidentStepRow(
                incident_id=row.id, stage=IncidentStage.RECEIVED.value, at=at, by=by, note=note, recorded_at=now
            )
        )
        record(s, "incident", row.id, now, by, "created", new=row.number, note=note)
        return row

    def _grow(
        self,
        s: Session,
        row: IncidentRow,
        level: Severity,
        workers: int | None,
        post_ids: Iterable[str],
        *,
        by: str,
        note: str,
    ) -> None:
        now = self.clock()
        if level.more_severe_than(Severity(row.level)):
            record(s, "incident", row.id, now, by, "update", field="level", old=row.level, new=level.value, note=note)
            row.level = level.value
        w = parse_workers(workers)
        if w is not None and (row.workers is None or w > row.workers):
            record(
                s,
                "incident",
                row.id,
                now,
                by,
                "update",
                field="workers",
                old=None if row.workers is None else str(row.workers),
                new=str(w),
                note=note,
            )
            row.workers = w
        merged = list(dict.fromkeys([*row.post_ids, *(str(p) for p in post_ids)]))
        if merged != row.post_ids:
            row.post_ids = merged
        row.updated_at = now

    # --- timeline, reports, dispatches -----------------------------------------------------------------

    def add_step(
        self,
        incident_id: int | str,
        stage: IncidentStage | str,
        *,
        by: str,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Incident:
        """Record a timeline step. Steps go forward in stage order (接报 < 报告上级 < 到场 < 处置 < 平息) and
        in time; 报告上级 and 处置 may repeat; nothing follows 平息, which settles the incident."""
        by = _actor(by)
        st = parse_stage(stage)
        with self.db.session() as s:
            row = self._load(s, incident_id)
            when = self._check_time(at or self.clock(), "at")
            if row.status == IncidentStatus.SETTLED.value:
                raise InvalidStep(row.number, st.label_zh, "the incident is already settled (平息)")
            last = max(
                (IncidentStage(x.stage) for x in row.steps), key=lambda g: g.order, default=IncidentStage.RECEIVED
            )
            if st is IncidentStage.RECEIVED:
                raise InvalidStep(row.number, st.label_zh, "接报 is recorded when the incident is opened")
            if st.order < last.order:
                raise InvalidStep(row.number, st.label_zh, f"comes before the last step {last.label_zh}")
            if st is last and not st.repeatable:
                raise InvalidStep(row.number, st.label_zh, "already recorded")
            latest_at = max(x.at for x in row.steps)
            if when < latest_at:
                prev = latest_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                raise InvalidStep(row.number, st.label_zh, f"time is before the previous step ({prev})")
            now = self.clock()
            row.steps.append(IncidentStepRow(stage=st.value, at=when, by=by, note=note, recorded_at=now))
            if st is IncidentStage.SETTLED:
                row.status = IncidentStatus.SETTLED.value
                row.settled_at = when
            row.updated_at = now
            record(s, "incident", row.id, now, by, "step", field="stage", new=st.label_zh, note=_join(when, note))
            s.flush()
            return self._to_incident(s, row)

    def record_report(
        self,
        incident_id: int | str,
        *,
        recipient: str,
        by: str,
        channel: str | None = None,
        summary: str | None = None,
        at: datetime | None = None,
    ) -> Incident:
        """Record a report sent about the incident (e.g. to 区政府总值班室 by phone, a written 快报)."""
        by = _actor(by)
        if not recipient or not recipient.strip():
            raise ValidationError("recipient", "who the report went to must be given")
        with self.db.session() as s:
            row = self._load(s, incident_id)
            when = self._check_time(at or self.clock(), "at")
            row.reports.append(
                IncidentReportRow(at=when, recipient=recipient.strip(), channel=channel, summary=summary, by=by)
            )
            row.updated_at = self.clock()
            record(s, "incident", row.id, self.clock(), by, "report", new=recipient.strip(), note=_join(when, summary))
            s.flush()
            return self._to_incident(s, row)

    def dispatch(
        self,
        incident_id: int | str,
        *,
        people: Sequence[str],
        by: str,
        unit: str | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Incident:
        """Record people sent to the scene."""
        by = _actor(by)
        names = [p.strip() for p in people if p and p.strip()]
        if not names:
            raise ValidationError("people", "at least one person must be named")
        with self.db.session() as s:
            row = self._load(s, incident_id)
            when = self._check_time(at or self.clock(), "at")
            row.dispatches.append(IncidentDispatchRow(at=when, people=names, unit=unit, note=note, by=by))
            row.updated_at = self.clock()
            record(s, "incident", row.id, self.clock(), by, "dispatch", new="、".join(names), note=_join(when, unit))
            s.flush()
            return self._to_incident(s, row)

    def link_case(self, incident_id: int | str, case_id: int | str, *, by: str) -> Incident:
        """Link the incident to its ledger case (by case id or number)."""
        by = _actor(by)
        with self.db.session() as s:
            row = self._load(s, incident_id)
            if isinstance(case_id, int) or str(case_id).isdigit():
                case = s.get(CaseRow, int(case_id))
            else:
                case = s.scalar(select(CaseRow).where(CaseRow.number == str(case_id)))
            if case is None:
                raise NotFound("case", case_id)
            if row.case_id != case.id:
                old = s.get(CaseRow, row.case_id).number if row.case_id else None  # type: ignore[union-attr]
                row.case_id = case.id
                row.updated_at = self.clock()
                record(s, "incident", row.id, self.clock(), by, "link_case", field="case", old=old, new=case.number)
                record(s, "case", case.id, self.clock(), by, "link_incident", new=row.number)
            s.flush()
            return self._to_incident(s, row)

    def update(self, incident_id: int | str, *, by: str, note: str | None = None, **fields: Any) -> Incident:
        """Change descriptive fields (title, level, town, company_id, company_name, workers, location, summary)."""
        by = _actor(by)
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValidationError(", ".join(sorted(unknown)), f"unknown incident field (known: {sorted(_UPDATABLE)})")
        with self.db.session() as s:
            row = self._load(s, incident_id)
            now = self.clock()
            for name, value in fields.items():
                if name == "level":
                    new: Any = parse_risk_level(value).value
                elif name == "workers":
                    new = parse_workers(value)
                else:
                    new = (str(value).strip() or None) if value is not None else None
                    if name == "title" and not new:
                        raise ValidationError("title", "must not be empty")
                old = getattr(row, name)
                if old == new:
                    continue
                setattr(row, name, new)
                record(
                    s,
                    "incident",
                    row.id,
                    now,
                    by,
                    "update",
                    field=name,
                    old=None if old is None else str(old),
                    new=None if new is None else str(new),
                    note=note,
                )
                row.updated_at = now
            s.flush()
            return self._to_incident(s, row)

    # --- reading ---------------------------------------------------------------------------------------

    def get(self, incident_id: int | str) -> Incident:
        with self.db.session() as s:
            return self._to_incident(s, self._load(s, incident_id))

    def for_alert(self, alert_id: str) -> Incident | None:
        with self.db.session() as s:
            link = s.scalar(select(IncidentAlertRow).where(IncidentAlertRow.alert_id == str(alert_id)))
            return self._to_incident(s, s.get(IncidentRow, link.incident_id)) if link else None  # type: ignore[arg-type]

    def list(
        self,
        *,
        status: IncidentStatus | str | None = None,
        town: str | None = None,
        level: Severity | str | None = None,
        late: bool | None = None,
        since: datetime | None = None,
        page: int = 1,
        size: int = 50,
    ) -> tuple[list[Incident], int]:
        """Incidents, newest 接报 first, and the total. ``late`` filters on the within-the-hour check
        (computed, so it is applied after the database filters)."""
        if page < 1 or not 1 <= size <= 10_000:
            raise ValidationError("page/size", "page >= 1, 1 <= size <= 10000")
        stmt = select(IncidentRow)
        if status is not None:
            st = status if isinstance(status, IncidentStatus) else _parse_incident_status(status)
            stmt = stmt.where(IncidentRow.status == st.value)
        if town:
            stmt = stmt.where(IncidentRow.town == town)
        if level is not None:
            stmt = stmt.where(IncidentRow.level == parse_risk_level(level).value)
        if since is not None:
            stmt = stmt.where(IncidentRow.received_at >= since)
        stmt = stmt.order_by(IncidentRow.received_at.desc(), IncidentRow.id.desc())
        with self.db.session() as s:
            if late is None:
                total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
                rows = s.scalars(stmt.offset((page - 1) * size).limit(size)).all()
                return [self._to_incident(s, r) for r in rows], int(total)
            items = [self._to_incident(s, r) for r in s.scalars(stmt).all()]
            items = [i for i in items if i.late is late]
            return items[(page - 1) * size : page * size], len(items)

    def late(self, now: datetime | None = None) -> builtins.list[Incident]:
        """Incidents that missed (or are missing) the within-the-hour response."""
        with self.db.session() as s:
            rows = s.scalars(select(IncidentRow).order_by(IncidentRow.received_at)).all()
            return [i for i in (self._to_incident(s, r, now=now) for r in rows) if i.late]

    def history(self, incident_id: int | str) -> builtins.list[HistoryEntry]:
        with self.db.session() as s:
            row = self._load(s, incident_id)
            return entries(s, "incident", row.id)

    def response_times(self, incident: Incident, now: datetime | None = None) -> ResponseTimes:
        return _response(incident.received_at, incident.steps, self.response_limit, now or self.clock())

    # --- helpers ---------------------------------------------------------------------------------------

    def _check_time(self, at: datetime, name: str) -> datetime:
        if at.tzinfo is None:
            raise ValidationError(name, "time must be timezone-aware")
        if at > self.clock() + _FUTURE_SLACK:
            raise ValidationError(name, f"time {at.isoformat()} is in the future")
        return at

    def _load(self, s: Session, incident_id: int | str) -> IncidentRow:
        row: IncidentRow | None
        if isinstance(incident_id, int) or (isinstance(incident_id, str) and incident_id.isdigit()):
            row = s.get(IncidentRow, int(incident_id))
        else:
            row = s.scalar(select(IncidentRow).where(IncidentRow.number == str(incident_id).strip()))
        if row is None:
            raise NotFound("incident", incident_id)
        return row

    def _to_incident(self, s: Session, row: IncidentRow, *, now: datetime | None = None) -> Incident:
        steps = tuple(
            IncidentStep(stage=IncidentStage(x.stage), at=x.at, by=x.by, note=x.note, recorded_at=x.recorded_at)
            for x in sorted(row.steps, key=lambda x: (x.at, x.id))
        )
        return Incident(
            id=row.id,
            number=row.number,
            title=row.title,
            level=Severity(row.level),
            town=row.town,
            company_id=row.company_id,
            company_name=row.company_name,
            workers=row.workers,
            location=row.location,
            summary=row.summary,
            event_id=row.event_id,
            status=IncidentStatus(row.status),
            case_id=row.case_id,
            received_at=row.received_at,
            settled_at=row.settled_at,
            alert_ids=tuple(a.alert_id for a in row.alerts),
            post_ids=tuple(row.post_ids or ()),
            steps=steps,
            reports=tuple(
                IncidentReport(at=r.at, recipient=r.recipient, channel=r.channel, summary=r.summary, by=r.by)
                for r in row.reports
            ),
            dispatches=tuple(
                Dispatch(at=d.at, people=tuple(d.people), unit=d.unit, note=d.note, by=d.by) for d in row.dispatches
            ),
            response=_response(row.received_at, steps, self.response_limit, now or self.clock()),
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            version=row.version,
        )


def _response(received_at: datetime, steps: Sequence[IncidentStep], limit: timedelta, now: datetime) -> ResponseTimes:
    def minutes_to(stage: IncidentStage) -> float | None:
        times = [x.at for x in steps if x.stage is stage]
        return round((min(times) - received_at).total_seconds() / 60, 1) if times else None

    on_scene = minutes_to(IncidentStage.ON_SCENE)
    handling = minutes_to(IncidentStage.HANDLING)
    settled = minutes_to(IncidentStage.SETTLED)
    responded = [m for m in (on_scene, handling, settled) if m is not None]
    limit_min = limit.total_seconds() / 60
    if responded:
        late = min(responded) > limit_min
    else:
        late = now - received_at > limit
    return ResponseTimes(
        to_report=minutes_to(IncidentStage.REPORTED),
        to_on_scene=on_scene,
        to_handling=handling,
        to_settled=settled,
        limit=limit,
        late=late,
    )


def _parse_incident_status(value: str) -> IncidentStatus:
    for st in IncidentStatus:
        if value in (st.value, st.label_zh):
            return st
    raise ValidationError("status", f"unknown incident status {value!r} (open/处置中, settled/已平息)")


def _actor(by: str) -> str:
    if not by or not str(by).strip():
        raise ValidationError("by", "who makes the change must be given")
    return str(by).strip()[:60]


def _join(when: datetime, text: str | None) -> str:
    stamp = when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return f"{stamp} {text}" if text else stamp

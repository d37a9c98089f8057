"""The dispute ledger (台账): cases, their workflow, links to alerts and posts, full history."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import IO, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from laborwatch.db import Database, utcnow
from laborwatch.domain import SHANGHAI, Severity

from .errors import AlertAlreadyLinked, InvalidTransition, NotFound, StaleVersion, ValidationError
from .fields import coerce_fields, format_value, from_fen, to_fen
from .history import entries, record
from .models import CaseAlertRow, CasePostRow, CaseRow
from .records import Case, HistoryEntry, ImportReport
from .vocab import (
    OPEN_STATUSES,
    TRANSITIONS,
    CaseSource,
    CaseStatus,
    parse_dispute_types,
    parse_risk_level,
    parse_status,
)

__all__ = ["Ledger", "DEFAULT_DEADLINE_DAYS", "alert_value"]

logger = logging.getLogger(__name__)

#: Tries of a write that can lose a race to another writer (each loser re-reads what the winner made).
RACE_ATTEMPTS = 3

#: Default 化解时限 for a case created from an alert, by risk level (days from creation, Shanghai calendar).
DEFAULT_DEADLINE_DAYS: dict[Severity, int] = {
    Severity.I: 3,
    Severity.II: 7,
    Severity.III: 15,
    Severity.IV: 30,
}

#: Fields required before a case may go to 化解中 (一人一案一策: one owner, one plan, one deadline).
_RESOLVING_REQUIRES = ("responsible_person", "plan", "deadline")

_ORDERS: dict[str, Any] = {
    "created_at": CaseRow.created_at,
    "updated_at": CaseRow.updated_at,
    "deadline": CaseRow.deadline,
    "risk_level": CaseRow.risk_level,
    "number": CaseRow.number,
}


def alert_value(alert: Any, key: str, default: Any = None) -> Any:
    """Read ``key`` from an alert snapshot given as a mapping or as an object with attributes."""
    if isinstance(alert, Mapping):
        return alert.get(key, default)
    return getattr(alert, key, default)


def shanghai_today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


class Ledger:
    """The dispute ledger.

    ``clock`` returns the current aware time (tests pass a fixed one). All methods open their own transaction;
    they return frozen :class:`~ledger.records.Case` values, never live ORM rows.
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

    # --- creating --------------------------------------------------------------------------------------

    def create_case(self, *, by: str, **fields: Any) -> Case:
        """Register a case by hand. ``title`` is required; any field of :data:`ledger.fields.EDITABLE_FIELDS`.

        ``alert_ids`` / ``post_ids`` (sequences) may be given to link evidence at once.
        """
        by = _actor(by)
        alert_ids = tuple(fields.pop("alert_ids", ()) or ())
        post_ids = tuple(fields.pop("post_ids", ()) or ())
        values = coerce_fields(fields)
        if "title" not in values:
            raise ValidationError("title", "required")
        with self.db.session() as s:
            row = self._insert(s, values, by=by, source=CaseSource.MANUAL)
            for alert_id in alert_ids:
                self._link_alert(s, row, str(alert_id), None, by)
            self._link_posts(s, row, [(str(p), None) for p in post_ids], None)
            s.flush()
            return self._to_case(row)

    def create_from_alert(self, alert: Any, *, by: str, attach_to_open: bool = False) -> Case:
        """Open a case from a verified alert snapshot (or return the one it already has).

        Idempotent: the same alert id always gives the same case. An alert of the same event cluster
        (``event_id``) as an open case is attached to it. With ``attach_to_open`` an alert for a company that
        already has an open case is attached to that case instead of opening a second one. Attaching raises
        the case's risk level when the alert's is higher, and keeps the larger workers/amount figures.

        Snapshot keys: id, level, company_id, company_name, town, industry, event_types, workers,
        amount_yuan, post_ids, title; optional: event_id, urls (post id -> url), summary,
        responsible_unit, responsible_person.
        """
        by = _actor(by)
        alert_id = alert_value(alert, "id")
        if alert_id in (None, ""):
            raise ValidationError("alert.id", "the alert snapshot has no id")
        alert_id = str(alert_id)
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                return self._create_from_alert(alert, alert_id, by=by, attach_to_open=attach_to_open)
            except (IntegrityError, StaleDataError, AlertAlreadyLinked) as exc:
                # Another writer linked the same alert, opened the event's case or grew that case at the same
                # moment (a unique-key clash, a version clash, or its link seen after our own insert): this
                # transaction was rolled back; read what it made.
                if attempt == RACE_ATTEMPTS or (isinstance(exc, AlertAlreadyLinked) and exc.alert_id != alert_id):
                    raise
                logger.info("alert %s linked concurrently; reading the existing case", alert_id)
        raise AssertionError("unreachable")

    def _create_from_alert(self, alert: Any, alert_id: str, *, by: str, attach_to_open: bool) -> Case:
        level_raw = alert_value(alert, "level")
        level = parse_risk_level(level_raw) if level_raw not in (None, "") else None
        post_links = _post_links(alert)
        with self.db.session() as s:
            existing = s.scalar(select(CaseAlertRow).where(CaseAlertRow.alert_id == alert_id))
            if existing is not None:
                return self._to_case(existing.case)
            target = self._find_open_for(
                s,
                event_id=_opt_str(alert_value(alert, "event_id")),
                company_id=_opt_str(alert_value(alert, "company_id")),
                by_company=attach_to_open,
            )
            if target is not None:
                self._absorb_alert(s, target, alert, level, by)
                self._link_alert(s, target, alert_id, level, by)
                self._link_posts(s, target, post_links, alert_id)
                target.updated_at = self.clock()
                target.updated_by = by
                s.flush()
                return self._to_case(target)
            values = self._values_from_alert(alert, level)
            row = self._insert(s, values, by=by, source=CaseSource.ALERT, note=f"来自预警 {alert_id}")
            self._link_alert(s, row, alert_id, level, by)
            self._link_posts(s, row, post_links, alert_id)
            s.flush()
            return self._to_case(row)

    def _values_from_alert(self, alert: Any, level: Severity | None) -> dict[str, Any]:
        company_name = _opt_str(alert_value(alert, "company_name"))
        title = _opt_str(alert_value(alert, "title")) or (
            f"{company_name or '未知企业'}劳动争议" if company_name else "舆情预警线索"
        )
        raw = {
            "title": title[:300],
            "enterprise_name": company_name,
            "company_id": alert_value(alert, "company_id"),
            "town": alert_value(alert, "town"),
            "industry": alert_value(alert, "industry"),
            "dispute_types": list(alert_value(alert, "event_types") or ()),
            "workers": alert_value(alert, "workers"),
            "amount_yuan": alert_value(alert, "amount_yuan"),
            "risk_level": level,
            "event_id": alert_value(alert, "event_id"),
            "summary": alert_value(alert, "summary"),
            "responsible_unit": alert_value(alert, "responsible_unit"),
            "responsible_person": alert_value(alert, "responsible_person"),
        }
        values = coerce_fields(raw)
        if level is not None:
            values["deadline"] = shanghai_today(self.clock()) + timedelta(days=self.deadline_days[level])
        return values

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

    def _find_open_for(
        self, s: Session, *, event_id: str | None, company_id: str | None, by_company: bool
    ) -> CaseRow | None:
        open_values = [st.value for st in OPEN_STATUSES]
        if event_id:
            row = s.scalar(
                select(CaseRow)
                .where(CaseRow.event_id == event_id, CaseRow.status.in_(open_values))
                .order_by(CaseRow.id)
                .limit(1)
            )
            if row is not None:
                return row
        if by_company and company_id:
            return s.scalar(
                select(CaseRow)
                .where(CaseRow.company_id == company_id, CaseRow.status.in_(open_values))
                .order_by(CaseRow.id)
                .limit(1)
            )
        return None

    def _absorb_alert(self, s: Session, row: CaseRow, alert: Any, level: Severity | None, by: str) -> None:
        """Grow a case with a new alert's figures (level up, more workers/amount, new dispute types)."""
        changes: dict[str, Any] = {}
        current = Severity(row.risk_level) if row.risk_level else None
        if level is not None and level.more_severe_than(current):
            changes["risk_level"] = level
        new = coerce_fields(
            {
                "workers": alert_value(alert, "workers"),
                "amount_yuan": alert_value(alert, "amount_yuan"),
                "dispute_types": list(alert_value(alert, "event_types") or ()),
            }
        )
        if new["workers"] is not None and (row.workers is None or new["workers"] > row.workers):
            changes["workers"] = new["workers"]
        if new["amount_yuan"] is not None and (
            row.amount_fen is None or to_fen(new["amount_yuan"]) > row.amount_fen  # type: ignore[operator]
        ):
            changes["amount_yuan"] = new["amount_yuan"]
        types = _split_types(row.dispute_types)
        merged = types + tuple(t for t in new["dispute_types"] if t not in types)
        if merged != types:
            changes["dispute_types"] = merged
        self._apply(s, row, changes, by=by, note=f"预警 {alert_value(alert, 'id')}")

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

    # --- linking ---------------------------------------------------------------------------------------

    def attach_alert(
        self,
        case_id: int | str,
        alert_id: str,
        post_ids: Sequence[str] = (),
        by: str = "system",
        *,
        level: Severity | str | None = None,
        urls: Mapping[str, str] | None = None,
    ) -> Case:
        """Link an alert (and its posts) to a case. Linking the same alert again is a no-op; an alert that
        belongs to another case raises :class:`AlertAlreadyLinked`."""
        by = _actor(by)
        lvl = parse_risk_level(level) if level not in (None, "") else None
        with self.db.session() as s:
            row = self._load(s, case_id)
            self._link_alert(s, row, str(alert_id), lvl, by)
            self._link_posts(s, row, [(str(p), (urls or {}).get(str(p))) for p in post_ids], str(alert_id))
            if lvl is not None:
                current = Severity(row.risk_level) if row.risk_level else None
                if lvl.more_severe_than(current):
                    self._apply(s, row, {"risk_level": lvl}, by=by, note=f"预警 {alert_id}")
            s.flush()
            return self._to_case(row)

    def attach_posts(
        self, case_id: int | str, post_ids: Sequence[str], *, by: str, urls: Mapping[str, str] | None = None
    ) -> Case:
        """Link posts (evidence found by staff in search) to a case; already linked ones are kept once."""
        by = _actor(by)
        with self.db.session() as s:
            row = self._load(s, case_id)
            added = self._link_posts(s, row, [(str(p), (urls or {}).get(str(p))) for p in post_ids], None)
            if added:
                record(s, "case", row.id, self.clock(), by, "link_post", new="、".join(added))
            s.flush()
            return self._to_case(row)

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

    # --- reading ---------------------------------------------------------------------------------------

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

    # --- changing --------------------------------------------------------------------------------------

    def update(
        self,
        case_id: int | str,
        *,
        by: str,
        note: str | None = None,
        expected_version: int | None = None,
        **fields: Any,
    ) -> Case:
        """Change case fields; every changed field is written to the history (old -> new).

        ``expected_version`` (the ``version`` the caller read) makes a concurrent edit fail with
        :class:`StaleVersion` instead of silently overwriting it.
        """
        by = _actor(by)
        values = coerce_fields(fields)
        try:
            with self.db.session() as s:
                row = self._load(s, case_id)
                _check_version(row, expected_version)
                if row.status in {st.value for st in OPEN_STATUSES} and values.get("event_id"):
                    self._refuse_second_open(s, row, str(values["event_id"]), field="event_id")
                if self._apply(s, row, values, by=by, note=note):
                    row.updated_at = self.clock()
                    row.updated_by = by
                s.flush()
                return self._to_case(row)
        except StaleDataError:
            raise StaleVersion("case", case_id, expected_version or 0, -1) from None

    def transition(
        self,
        case_id: int | str,
        to_status: CaseStatus | str,
        *,
        by: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Case:
        """Move a case along the workflow 待核实 -> 核实中 -> 化解中 -> 已化解 / 不属实.

        Raises :class:`InvalidTransition` for a change the workflow does not allow, for 化解中 without a
        responsible person, a plan and a deadline (一人一案一策), and for closing or reopening without a note.
        The note of a closing change is kept as the case's ``resolution``.
        """
        by = _actor(by)
        target = parse_status(to_status)
        note = (note or "").strip() or None
        with self.db.session() as s:
            row = self._load(s, case_id)
            _check_version(row, expected_version)
            current = CaseStatus(row.status)
            if target is current:
                raise InvalidTransition(row.number, current.label_zh, target.label_zh, "already in that status")
            if target not in TRANSITIONS[current]:
                allowed = "、".join(t.label_zh for t in TRANSITIONS[current]) or "无"
                raise InvalidTransition(row.number, current.label_zh, target.label_zh, f"allowed next: {allowed}")
            if target is CaseStatus.RESOLVING:
                missing = [f for f in _RESOLVING_REQUIRES if getattr(row, f) in (None, "")]
                if missing:
                    raise InvalidTransition(
                        row.number,
                        current.label_zh,
                        target.label_zh,
                        "一人一案一策: set " + ", ".join(missing) + " first",
                    )
            closing = not target.is_open
            reopening = not current.is_open
            if (closing or reopening) and not note:
                raise InvalidTransition(
                    row.number, current.label_zh, target.label_zh, "a note (reason / result) is required"
                )
            if reopening and row.event_id:
                other = self._other_open(s, row, row.event_id)
                if other is not None:
                    raise InvalidTransition(
                        row.number, current.label_zh, target.label_zh,
                        f"case {other.number} is already open for the same event ({row.event_id}): work there",
                    )
            now = self.clock()
            row.status = target.value
            row.status_changed_at = now
            row.status_changed_by = by
            row.closed_at = now if closing else None
            if closing:
                row.resolution = note
            row.updated_at = now
            row.updated_by = by
            record(
                s,
                "case",
                row.id,
                now,
                by,
                "transition",
                field="status",
                old=current.label_zh,
                new=target.label_zh,
                note=note,
            )
            s.flush()
            return self._to_case(row)

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

    # --- import / export -------------------------------------------------------------------------------

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

    def import_xlsx(
        self, path: str | Any, *, by: str, sheet: str | None = None, partial: bool = False, dry_run: bool = False
    ) -> ImportReport:
        """Import an existing Excel ledger. See :func:`ledger.excel.import_ledger`."""
        from .excel import import_ledger

        return import_ledger(self, path, by=_actor(by), sheet=sheet, partial=partial, dry_run=dry_run)

    # --- helpers ---------------------------------------------------------------------------------------

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

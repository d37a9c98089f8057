"""Case intake for the dispute ledger: cases registered by hand, created from alerts (idempotent per alert and per
event cluster), evidence (alerts, posts) attached, and old Excel ledgers imported.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from lwcore.domain import Severity

from .case_store import (
    RACE_ATTEMPTS,
    CaseStore,
    _actor,
    _opt_str,
    _post_links,
    _split_types,
    alert_value,
    shanghai_today,
)
from .errors import AlertAlreadyLinked, ValidationError
from .fields import coerce_fields, to_fen
from .history import record
from .models import CaseAlertRow, CaseRow
from .records import Case, ImportReport
from .vocab import OPEN_STATUSES, CaseSource, parse_risk_level

__all__ = ["CaseIntake"]

logger = logging.getLogger(__name__)


class CaseIntake(CaseStore):
    """How cases enter the ledger and gain evidence."""

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

    def import_xlsx(
        self, path: str | Any, *, by: str, sheet: str | None = None, partial: bool = False, dry_run: bool = False
    ) -> ImportReport:
        """Import an existing Excel ledger. See :func:`ledger.excel.import_ledger`."""
        from .excel import import_ledger

        return import_ledger(self, path, by=_actor(by), sheet=sheet, partial=partial, dry_run=dry_run)

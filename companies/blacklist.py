"""The wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单, plan 三(五)).

An entry records the decision (number, date, reason, amount, workers, arrears period), its publication and its push
to other departments. Credit repair (信用修复): the firm applies (``repair_outcome`` pending), then a person
approves (the entry becomes ``repaired``: the firm is no longer listed) or refuses (it stays listed and may apply
again). A firm is *listed* while it has an entry in status ``listed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI

from .errors import InvalidTransition, NotFound, ValidationError
from .history import add_history
from .models import BlacklistEntry, Company

__all__ = ["BLACKLIST_STATUS_LABELS", "REPAIR_LABELS", "BlacklistView", "Blacklist"]

BLACKLIST_STATUS_LABELS = {"listed": "在列", "repaired": "已信用修复"}
REPAIR_LABELS = {"pending": "修复申请审核中", "approved": "准予修复", "refused": "不予修复"}


@dataclass(frozen=True)
class BlacklistView:
    id: int
    credit_code: str
    company_name: str
    decision_no: str
    decided_on: date
    reason: str
    amount_yuan: Decimal | None
    workers: int | None
    arrears_from: date | None
    arrears_to: date | None
    published_on: date | None
    pushed_on: date | None
    pushed_to: str | None
    status: str
    repair_applied_on: date | None
    repair_outcome: str | None
    repair_decided_on: date | None
    repair_note: str | None

    @property
    def status_label(self) -> str:
        return BLACKLIST_STATUS_LABELS.get(self.status, self.status)

    @property
    def repair_label(self) -> str:
        return REPAIR_LABELS.get(self.repair_outcome or "", "")


def _fen(amount_yuan: object) -> int | None:
    if amount_yuan is None or str(amount_yuan).strip() == "":
        return None
    try:
        value = Decimal(str(amount_yuan).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError("amount_yuan", f"{amount_yuan!r} is not an amount in yuan") from None
    if value < 0:
        raise ValidationError("amount_yuan", f"{value} is negative")
    return int((value * 100).to_integral_value())


def _required(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, "empty")
    return text


class Blacklist:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, credit_code: str, *, decision_no: str, decided_on: date, reason: str, actor: str,
            amount_yuan: object = None, workers: int | None = None, arrears_from: date | None = None,
            arrears_to: date | None = None, now: datetime | None = None) -> BlacklistView:
        now = now or utcnow()
        if decided_on > now.astimezone(SHANGHAI).date():
            raise ValidationError("decided_on", f"{decided_on} is in the future")
        if arrears_from and arrears_to and arrears_to < arrears_from:
            raise ValidationError("arrears_to", f"{arrears_to} is before {arrears_from}")
        if workers is not None and workers < 0:
            raise ValidationError("workers", f"{workers} is negative")
        with self.db.session() as s:
            if s.get(Company, credit_code) is None:
                raise NotFound("company", credit_code)
            number = _required("decision_no", decision_no)
            if s.scalar(select(BlacklistEntry.id).where(BlacklistEntry.decision_no == number)) is not None:
                raise ValidationError("decision_no", f"decision {number} is already recorded")
            entry = BlacklistEntry(
                credit_code=credit_code, decision_no=number, decided_on=decided_on,
                reason=_required("reason", reason), amount_fen=_fen(amount_yuan), workers=workers,
                arrears_from=arrears_from, arrears_to=arrears_to, status="listed", created_at=now, created_by=actor,
                updated_at=now, updated_by=actor,
            )
            s.add(entry)
            try:
                s.flush()
            except IntegrityError as exc:  # a concurrent writer recorded the same decision number
                raise ValidationError("decision_no", f"decision {number} is already recorded") from exc
            add_history(s, actor=actor, action="blacklist.add", target_type="blacklist", target_id=entry.id,
                        detail={"credit_code": credit_code, "decision_no": number}, now=now)
            return self._view(s, entry)

    def publish(self, entry_id: int, *, published_on: date, actor: str, now: datetime | None = None) -> BlacklistView:
        return self._set(entry_id, actor, "blacklist.publish", now, published_on=published_on)

    def push(self, entry_id: int, *, pushed_on: date, departments: str, actor: str,
             now: datetime | None = None) -> BlacklistView:
        return self._set(entry_id, actor, "blacklist.push", now, pushed_on=pushed_on,
                         pushed_to=_required("departments", departments))

    def apply_repair(self, entry_id: int, *, applied_on: date, actor: str, note: str | None = None,
                     now: datetime | None = None) -> BlacklistView:
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            if entry.status != "listed" or entry.repair_outcome == "pending":
                raise InvalidTransition(entry_id, f"{entry.status}/{entry.repair_outcome or '-'}", "repair pending",
                                        kind="blacklist entry")
            if applied_on < entry.decided_on:
                raise ValidationError("applied_on", f"{applied_on} is before the decision date {entry.decided_on}")
            entry.repair_applied_on, entry.repair_outcome, entry.repair_decided_on = applied_on, "pending", None
            entry.repair_note = (note or "").strip() or None
            return self._touch(s, entry, actor, "blacklist.repair_apply", now)

    def decide_repair(self, entry_id: int, *, approved: bool, decided_on: date, actor: str, note: str,
                      now: datetime | None = None) -> BlacklistView:
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            if entry.repair_outcome != "pending":
                raise InvalidTransition(entry_id, entry.repair_outcome or "no application",
                                        "approved" if approved else "refused", kind="blacklist entry")
            if entry.repair_applied_on and decided_on < entry.repair_applied_on:
                raise ValidationError("decided_on", f"{decided_on} is before the application {entry.repair_applied_on}")
            entry.repair_outcome = "approved" if approved else "refused"
            entry.repair_decided_on = decided_on
            entry.repair_note = _required("note", note)
            if approved:
                entry.status = "repaired"
            return self._touch(s, entry, actor, "blacklist.repair_" + entry.repair_outcome, now)

    def entries(self, *, credit_code: str | None = None, status: str | None = None) -> list[BlacklistView]:
        with self.db.sessions() as s:
            q = select(BlacklistEntry)
            if credit_code:
                q = q.where(BlacklistEntry.credit_code == credit_code)
            if status:
                q = q.where(BlacklistEntry.status == status)
            return [self._view(s, e) for e in s.scalars(q.order_by(BlacklistEntry.decided_on.desc(),
                                                                   BlacklistEntry.id.desc()))]

    def get(self, entry_id: int) -> BlacklistView:
        with self.db.sessions() as s:
            return self._view(s, self._entry(s, entry_id))

    def listed_codes(self) -> set[str]:
        """Credit codes of the firms listed now (for alert and case pages, and severity)."""
        with self.db.sessions() as s:
            return set(s.scalars(select(BlacklistEntry.credit_code).where(BlacklistEntry.status == "listed")))

    # ---------------------------------------------------------------- helpers
    def _set(self, entry_id: int, actor: str, action: str, now: datetime | None, **values: object) -> BlacklistView:
        with self.db.session() as s:
            entry = self._entry(s, entry_id)
            for key, value in values.items():
                if isinstance(value, date) and value < entry.decided_on:
                    raise ValidationError(key, f"{value} is before the decision date {entry.decided_on}")
                setattr(entry, key, value)
            return self._touch(s, entry, actor, action, now, {k: str(v) for k, v in values.items()})

    def _touch(self, s: Session, entry: BlacklistEntry, actor: str, action: str, now: datetime | None,
               detail: dict[str, str] | None = None) -> BlacklistView:
        now = now or utcnow()
        entry.updated_at, entry.updated_by = now, actor
        add_history(s, actor=actor, action=action, target_type="blacklist", target_id=entry.id,
                    detail={"credit_code": entry.credit_code, "decision_no": entry.decision_no, **(detail or {})},
                    now=now)
        return self._view(s, entry)

    @staticmethod
    def _entry(s: Session, entry_id: int) -> BlacklistEntry:
        entry = s.get(BlacklistEntry, entry_id)
        if entry is None:
            raise NotFound("blacklist entry", entry_id)
        return entry

    @staticmethod
    def _view(s: Session, e: BlacklistEntry) -> BlacklistView:
        company = s.get(Company, e.credit_code)
        return BlacklistView(
            e.id, e.credit_code, company.name if company else e.credit_code, e.decision_no, e.decided_on, e.reason,
            Decimal(e.amount_fen) / 100 if e.amount_fen is not None else None, e.workers, e.arrears_from,
            e.arrears_to, e.published_on, e.pushed_on, e.pushed_to, e.status, e.repair_applied_on,
            e.repair_outcome, e.repair_decided_on, e.repair_note,
        )

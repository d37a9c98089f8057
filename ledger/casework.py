"""Joint work on a case: referrals to other departments (plan 三(四)) and the wage guarantee fund (欠薪保障金,
plan 三(七)).

A referral records the department, the sent, due and reply dates; it is *overdue* when its due date has passed
without a reply. Cross-district cases name the other district (区区联动) or the city department (市区联动).

The fund on a case moves ``proposed -> requested -> approved -> paid``; ``rejected`` from proposed, requested or
approved. Cases meeting the thresholds (:class:`FundRules`: workers or sum) are proposed by
:meth:`CaseWork.propose_fund`; a person requests, approves and records payment with amounts and dates. Every change
is a row of ``ledger_history`` on the case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI

from . import history
from .errors import InvalidTransition, NotFound, ValidationError
from .models import CaseRow, ReferralRow, WageFundRow
from .vocab import CaseStatus

__all__ = ["DEPARTMENTS", "FUND_STATUS_LABELS", "FundRules", "Referral", "FundRecord", "CaseWork"]

logger = logging.getLogger(__name__)

#: the departments of plan 三(四), code -> label shown to staff
DEPARTMENTS: dict[str, str] = {
    "jianguanwei": "建管委",
    "xinfang": "信访办",
    "police": "公安",
    "court": "法院",
    "procuratorate": "检察院",
    "market": "市场监管",
    "town": "街镇",
    "union": "工会",
    "justice": "司法",
    "other_district": "外区（区区联动）",
    "city": "市级部门（市区联动）",
}
FUND_STATUS_LABELS = {"proposed": "建议启用", "requested": "已申请", "approved": "已批准", "paid": "已垫付",
                      "rejected": "不予启用"}
_FUND_NEXT = {"proposed": {"requested", "rejected"}, "requested": {"approved", "rejected"},
              "approved": {"paid", "rejected"}, "paid": set(), "rejected": set()}
_OPEN = (CaseStatus.PENDING.value, CaseStatus.VERIFYING.value, CaseStatus.RESOLVING.value)


@dataclass(frozen=True)
class FundRules:
    """A case is proposed for the fund when it involves at least ``min_workers`` workers or ``min_amount_yuan``."""

    min_workers: int = 30
    min_amount_yuan: int = 500_000


@dataclass(frozen=True)
class Referral:
    id: int
    case_id: int
    department: str
    other_district: str | None
    sent_on: date
    due_on: date | None
    replied_on: date | None
    reply: str | None
    note: str | None
    overdue: bool

    @property
    def department_label(self) -> str:
        return DEPARTMENTS.get(self.department, self.department)


@dataclass(frozen=True)
class FundRecord:
    id: int
    case_id: int
    case_number: str
    status: str
    proposal_reason: str | None
    requested_yuan: Decimal | None
    requested_on: date | None
    approved_yuan: Decimal | None
    approved_on: date | None
    paid_yuan: Decimal | None
    paid_on: date | None
    note: str | None

    @property
    def status_label(self) -> str:
        return FUND_STATUS_LABELS.get(self.status, self.status)


def _today() -> date:
    return datetime.now(SHANGHAI).date()


def _fen(field: str, amount: object) -> int:
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(field, f"{amount!r} is not an amount in yuan") from None
    if value <= 0:
        raise ValidationError(field, f"{value} must be more than 0")
    return int((value * 100).to_integral_value())


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen) / 100


class CaseWork:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------- referrals
    def refer(self, case_id: int, *, department: str, sent_on: date, by: str, due_on: date | None = None,
              other_district: str | None = None, note: str | None = None,
              now: datetime | None = None) -> Referral:
        if department not in DEPARTMENTS:
            raise ValidationError("department", f"{department!r} must be one of {', '.join(DEPARTMENTS)}")
        if due_on and due_on < sent_on:
            raise ValidationError("due_on", f"{due_on} is before the sent date {sent_on}")
        district = (other_district or "").strip() or None
        if department in ("other_district", "city") and not district:
            raise ValidationError("other_district", "a cross-district referral names the other district or "
                                                    "city department")
        now = now or utcnow()
        with self.db.session() as s:
            case = self._case(s, case_id)
            row = ReferralRow(case_id=case.id, department=department, other_district=district, sent_on=sent_on,
                              due_on=due_on, note=(note or "").strip() or None, created_at=now, created_by=by)
            s.add(row)
            s.flush()
            history.record(s, "case", case.id, now, by, "referral", field="department",
                           new=DEPARTMENTS[department] + (f"（{district}）" if district else ""),
                           note=f"移送 #{row.id}，时限 {due_on or '未定'}")
            return self._referral(row)

    def reply(self, referral_id: int, *, replied_on: date, reply: str, by: str,
              now: datetime | None = None) -> Referral:
        text = (reply or "").strip()
        if not text:
            raise ValidationError("reply", "empty")
        now = now or utcnow()
        with self.db.session() as s:
            row = s.get(ReferralRow, referral_id)
            if row is None:
                raise NotFound("referral", referral_id)
            if replied_on < row.sent_on:
                raise ValidationError("replied_on", f"{replied_on} is before the sent date {row.sent_on}")
            row.replied_on, row.reply = replied_on, text
            label = DEPARTMENTS.get(row.department, row.department)
            history.record(s, "case", row.case_id, now, by, "referral_reply", field="reply", new=text,
                           note=f"移送 #{row.id} {label} 于 {replied_on} 回复")
            return self._referral(row)

    def referrals(self, case_id: int | None = None, *, overdue_only: bool = False,
                  today: date | None = None) -> list[Referral]:
        today = today or _today()
        with self.db.sessions() as s:
            q = select(ReferralRow)
            if case_id is not None:
                q = q.where(ReferralRow.case_id == self._case(s, case_id).id)
            if overdue_only:
                q = q.where(ReferralRow.replied_on.is_(None), ReferralRow.due_on < today)
            return [self._referral(r, today) for r in s.scalars(q.order_by(ReferralRow.sent_on, ReferralRow.id))]

    # ---------------------------------------------------------------- wage guarantee fund
    def propose_fund(self, rules: FundRules, *, by: str = "system", now: datetime | None = None) -> list[FundRecord]:
        """Propose every open case meeting the thresholds that has no fund record yet."""
        now = now or utcnow()
        with self.db.session() as s:
            rows = s.scalars(select(CaseRow).where(
                CaseRow.status.in_(_OPEN),
                (CaseRow.workers >= rules.min_workers) | (CaseRow.amount_fen >= rules.min_amount_yuan * 100),
                CaseRow.id.not_in(select(WageFundRow.case_id)),
            ).order_by(CaseRow.id)).all()
            made = []
            for case in rows:
                reasons = []
                if case.workers is not None and case.workers >= rules.min_workers:
                    reasons.append(f"涉及 {case.workers} 人（≥{rules.min_workers}）")
                if case.amount_fen is not None and case.amount_fen >= rules.min_amount_yuan * 100:
                    reasons.append(f"涉及金额 {_yuan(case.amount_fen)} 元（≥{rules.min_amount_yuan}）")
                fund = WageFundRow(case_id=case.id, status="proposed", proposal_reason="；".join(reasons),
                                   created_at=now, updated_at=now, updated_by=by)
                s.add(fund)
                s.flush()
                history.record(s, "case", case.id, now, by, "wage_fund", field="wage_fund", new="proposed",
                               note=fund.proposal_reason)
                made.append(self._fund(fund, case.number))
            logger.info("%d case(s) proposed for the wage guarantee fund", len(made))
            return made

    def fund_step(self, case_id: int, to: str, *, on: date, by: str, amount_yuan: object = None,
                  note: str | None = None, now: datetime | None = None) -> FundRecord:
        """Move a case's fund record to ``to`` (requested / approved / paid need an amount; a case with no record
        may go straight to requested)."""
        now = now or utcnow()
        with self.db.session() as s:
            case = self._case(s, case_id)
            fund = s.scalar(select(WageFundRow).where(WageFundRow.case_id == case.id))
            if fund is None:
                if to != "requested":
                    raise InvalidTransition(case.number, "none", to, "the fund starts with a request")
                fund = WageFundRow(case_id=case.id, status="proposed", created_at=now, updated_at=now, updated_by=by)
                s.add(fund)
            if to not in _FUND_NEXT.get(fund.status, set()):
                raise InvalidTransition(case.number, fund.status, to, "wage guarantee fund: "
                                        + "proposed -> requested -> approved -> paid, or rejected")
            if to in ("requested", "approved", "paid"):
                fen = _fen("amount_yuan", amount_yuan)
                if to == "approved" and fund.requested_fen is not None and fen > fund.requested_fen:
                    raise ValidationError("amount_yuan", f"approved {_yuan(fen)} is more than requested "
                                                         f"{_yuan(fund.requested_fen)}")
                if to == "paid" and fund.approved_fen is not None and fen > fund.approved_fen:
                    raise ValidationError("amount_yuan", f"paid {_yuan(fen)} is more than approved "
                                                         f"{_yuan(fund.approved_fen)}")
                before = {"requested": None, "approved": fund.requested_on, "paid": fund.approved_on}[to]
                if before and on < before:
                    raise ValidationError("on", f"{on} is before the previous step ({before})")
                setattr(fund, f"{to}_fen", fen)
                setattr(fund, f"{to}_on", on)
            old = fund.status
            fund.status, fund.updated_at, fund.updated_by = to, now, by
            if note:
                fund.note = note.strip()
            history.record(s, "case", case.id, now, by, "wage_fund", field="wage_fund", old=old, new=to,
                           note=(f"{on} 金额 {_yuan(getattr(fund, f'{to}_fen', None))} 元" if to != "rejected"
                                 else f"{on}") + (f"；{note.strip()}" if note else ""))
            s.flush()
            return self._fund(fund, case.number)

    def fund_records(self, *, status: str | None = None) -> list[FundRecord]:
        with self.db.sessions() as s:
            q = select(WageFundRow, CaseRow.number).join(CaseRow, CaseRow.id == WageFundRow.case_id)
            if status:
                q = q.where(WageFundRow.status == status)
            return [self._fund(f, n) for f, n in s.execute(q.order_by(WageFundRow.id))]

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _case(s: Session, case_id: int | str) -> CaseRow:
        if isinstance(case_id, int) or str(case_id).isdigit():
            row = s.get(CaseRow, int(case_id))
        else:
            row = s.scalar(select(CaseRow).where(CaseRow.number == str(case_id).strip()))
        if row is None:
            raise NotFound("case", case_id)
        return row

    @staticmethod
    def _referral(r: ReferralRow, today: date | None = None) -> Referral:
        today = today or _today()
        overdue = r.replied_on is None and r.due_on is not None and r.due_on < today
        return Referral(r.id, r.case_id, r.department, r.other_district, r.sent_on, r.due_on, r.replied_on, r.reply,
                        r.note, overdue)

    @staticmethod
    def _fund(f: WageFundRow, number: str) -> FundRecord:
        return FundRecord(f.id, f.case_id, number, f.status, f.proposal_reason, _yuan(f.requested_fen),
                          f.requested_on, _yuan(f.approved_fen), f.approved_on, _yuan(f.paid_fen), f.paid_on, f.note)

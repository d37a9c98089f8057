"""``laborwatch ledger refer / referrals / referral-reply / fund ...``: referrals and the wage guarantee fund on
cases (:mod:`ledger.casework`). Output in Chinese for bureau staff; errors as one line (``LedgerError``)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from lwcore.settings import Settings

    from .casework import CaseWork

__all__ = ["register_casework"]


def _work(settings: Settings) -> CaseWork:
    from .casework import CaseWork
    from .opening import open_ledger

    ledger, _ = open_ledger(settings)
    return CaseWork(ledger.db)


def _date(field: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(field, f"not a date: {text!r} (e.g. 2026-11-03)") from None


def _today_or(field: str, text: str | None) -> date:
    from datetime import datetime

    from lwcore.domain import SHANGHAI

    return _date(field, text) or datetime.now(SHANGHAI).date()


def _cmd_refer(args: argparse.Namespace, settings: Settings) -> int:
    r = _work(settings).refer(args.case, department=args.dept, sent_on=_today_or("--sent", args.sent),
                              due_on=_date("--due", args.due), other_district=args.district, note=args.note,
                              by=args.by)
    print(f"已移送 #{r.id}：{r.department_label}{f'（{r.other_district}）' if r.other_district else ''}，"
          f"发送 {r.sent_on}，时限 {r.due_on or '未定'}")
    return 0


def _cmd_reply(args: argparse.Namespace, settings: Settings) -> int:
    r = _work(settings).reply(args.id, replied_on=_today_or("--on", args.on), reply=args.reply, by=args.by)
    print(f"已记录回复：移送 #{r.id} {r.department_label} {r.replied_on}")
    return 0


def _cmd_referrals(args: argparse.Namespace, settings: Settings) -> int:
    rows = _work(settings).referrals(args.case, overdue_only=args.overdue)
    if args.json:
        json.dump([{**dataclasses.asdict(r), "department_label": r.department_label} for r in rows], sys.stdout,
                  ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("没有移送记录。")
    for r in rows:
        state = "逾期未回复" if r.overdue else ("已回复" if r.replied_on else "待回复")
        print(f"#{r.id}  案件{r.case_id}  {r.department_label}{f'（{r.other_district}）' if r.other_district else ''}"
              f"  发送 {r.sent_on}  时限 {r.due_on or '未定'}  [{state}]" + (f"  回复：{r.reply}" if r.reply else ""))
    return 1 if args.fail_on_overdue and any(r.overdue for r in rows) else 0


def _cmd_fund_propose(args: argparse.Namespace, settings: Settings) -> int:
    from .casework import FundRules

    made = _work(settings).propose_fund(FundRules(args.min_workers, args.min_amount), by=args.by)
    print(f"建议启用欠薪保障金的案件 {len(made)} 件：")
    for f in made:
        print(f"  {f.case_number}：{f.proposal_reason}")
    return 0


def _cmd_fund_step(args: argparse.Namespace, settings: Settings) -> int:
    f = _work(settings).fund_step(args.case, args.to, on=_today_or("--on", args.on), amount_yuan=args.amount,
                                  note=args.note, by=args.by)
    print(f"{f.case_number} 欠薪保障金：{f.status_label}")
    return 0


def _cmd_fund_list(args: argparse.Namespace, settings: Settings) -> int:
    rows = _work(settings).fund_records(status=args.status)
    if not rows:
        print("没有欠薪保障金记录。")
    for f in rows:
        print(f"{f.case_number}  [{f.status_label}]  申请 {f.requested_yuan or '—'}（{f.requested_on or ''}）  "
              f"批准 {f.approved_yuan or '—'}（{f.approved_on or ''}）  垫付 {f.paid_yuan or '—'}（{f.paid_on or ''}）"
              + (f"  {f.proposal_reason}" if f.proposal_reason else ""))
    return 0


def register_casework(lsub: argparse._SubParsersAction) -> None:
    """Add the referral and fund sub-commands under ``laborwatch ledger``."""
    from .casework import DEPARTMENTS, FUND_STATUS_LABELS

    c = lsub.add_parser("refer", help="refer a case to another department (移送/交办, 区区联动, 市区联动)")
    c.add_argument("case", help="case id or 编号")
    c.add_argument("--dept", required=True, choices=list(DEPARTMENTS),
                   help="; ".join(f"{k}={v}" for k, v in DEPARTMENTS.items()))
    c.add_argument("--district", help="the other district or city department of a cross-district case")
    c.add_argument("--sent", help="发送日期 YYYY-MM-DD (default today)")
    c.add_argument("--due", help="回复时限 YYYY-MM-DD")
    c.add_argument("--note")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_refer)

    c = lsub.add_parser("referral-reply", help="record a department's reply to a referral")
    c.add_argument("id", type=int)
    c.add_argument("--reply", required=True)
    c.add_argument("--on", help="回复日期 (default today)")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_reply)

    c = lsub.add_parser("referrals", help="list referrals (all, of one case, or overdue)")
    c.add_argument("--case")
    c.add_argument("--overdue", action="store_true")
    c.add_argument("--fail-on-overdue", action="store_true", help="exit 1 when one is overdue")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_referrals)

    p = lsub.add_parser("fund", help="wage guarantee fund (欠薪保障金) on cases")
    fsub = p.add_subparsers(dest="fund_command", metavar="ACTION", required=True)
    c = fsub.add_parser("propose", help="propose open cases meeting the thresholds")
    c.add_argument("--min-workers", type=int, default=30)
    c.add_argument("--min-amount", type=int, default=500_000, help="yuan")
    c.add_argument("--by", default="system")
    c.set_defaults(handler=_cmd_fund_propose)
    c = fsub.add_parser("step", help="requested / approved / paid (with --amount) or rejected")
    c.add_argument("case", help="case id or 编号")
    c.add_argument("to", choices=["requested", "approved", "paid", "rejected"])
    c.add_argument("--amount", help="金额(元)")
    c.add_argument("--on", help="日期 (default today)")
    c.add_argument("--note")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_fund_step)
    c = fsub.add_parser("list", help="fund records")
    c.add_argument("--status", choices=list(FUND_STATUS_LABELS))
    c.set_defaults(handler=_cmd_fund_list)

"""移送与欠薪保障金 for one ledger case: referrals to other departments (sent, due, reply, overdue; 区区联动 and
市区联动) and the wage guarantee fund (proposed / requested / approved / paid / rejected). All through
:mod:`ledger.casework`; every change is in the case history and the web audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayManageCase,
    UserMayView,
    ctx,
    flash_redirect,
    record,
    render,
)
from lwcore.errors import LaborwatchError

router = APIRouter()


def _work(request: Request) -> Any:
    from ledger.casework import CaseWork

    return CaseWork(ctx(request).db)


def _back(request: Request, case_id: int, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, f"/cases/{case_id}/casework", message, kind)


def _text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


def _date(form: Any, name: str, *, required: bool = False) -> date | None:
    value = _text(form, name)
    if not value:
        if required:
            raise ValueError("请填写日期。")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期格式无效：{value}（应为 年-月-日）") from None


@router.get("/cases/{case_id}/casework")
def casework_page(request: Request, case_id: int, flash: str = "", kind: str = "ok",
                  *, _user: UserMayView) -> Response:
    from ledger import Ledger
    from ledger.casework import DEPARTMENTS, FUND_STATUS_LABELS

    try:
        case = Ledger(ctx(request).db).get(case_id)
    except LaborwatchError:
        raise HTTPException(status_code=404, detail="台账案件不存在。") from None
    work = _work(request)
    fund = next((f for f in work.fund_records() if f.case_id == case.id), None)
    return render(request, "casework.html", {
        "case": case, "referrals": work.referrals(case.id), "fund": fund, "departments": DEPARTMENTS,
        "fund_labels": FUND_STATUS_LABELS, "today": date.today().isoformat(), "flash": flash, "flash_kind": kind,
        "active": "cases",
    })


@router.post("/cases/{case_id}/referrals")
async def referral_add(request: Request, case_id: int,
                       user: UserMayManageCase) -> Response:
    form = await request.form()
    try:
        r = _work(request).refer(case_id, department=_text(form, "department"),
                                 sent_on=_date(form, "sent_on", required=True), due_on=_date(form, "due_on"),
                                 other_district=_text(form, "other_district") or None,
                                 note=_text(form, "note") or None, by=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, case_id, f"未移送：{exc}", "error")
    record(request, user, "case.referral", "case", case_id, {"referral": r.id, "department": r.department})
    return _back(request, case_id, f"已移送{r.department_label}。")


@router.post("/cases/{case_id}/referrals/{referral_id}/reply")
async def referral_reply(request: Request, case_id: int, referral_id: int,
                         user: UserMayManageCase) -> Response:
    form = await request.form()
    try:
        _work(request).reply(referral_id, replied_on=_date(form, "replied_on", required=True),
                             reply=_text(form, "reply"), by=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, case_id, f"未记录：{exc}", "error")
    record(request, user, "case.referral_reply", "case", case_id, {"referral": referral_id})
    return _back(request, case_id, "已记录回复。")


@router.post("/cases/{case_id}/fund")
async def fund_step(request: Request, case_id: int,
                    user: UserMayManageCase) -> Response:
    form = await request.form()
    to = _text(form, "to")
    try:
        f = _work(request).fund_step(case_id, to, on=_date(form, "on", required=True),
                                     amount_yuan=_text(form, "amount_yuan") or None, note=_text(form, "note") or None,
                                     by=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, case_id, f"未保存：{exc}", "error")
    record(request, user, "case.wage_fund", "case", case_id, {"to": to})
    return _back(request, case_id, f"欠薪保障金：{f.status_label}。")

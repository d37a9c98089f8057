"""企业画像 and 重点监管服务名单: find a firm by name, alias or credit code; its profile; the key supervision list
(add, confirm or reject proposals, delist); guidance visits and the weeks without one. All reads and changes go
through the companies room's API; every change is also written to the web audit log."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayExport,
    UserMayKeepBlacklist,
    UserMayKeepLists,
    UserMayRecordVisits,
    UserMayVerify,
    UserMayView,
    ctx,
    flash_redirect,
    record,
    render,
)
from laborwatch.web.routes.casework import router as casework_router
from lwcore.errors import LaborwatchError

logger = logging.getLogger(__name__)

router = APIRouter()
# referrals and the wage guarantee fund of a case (linked from the profile's case list) travel with this router
router.include_router(casework_router)

FOLLOWUP_ROWS = 100  # rows of the follow-up list on the page (待跟进 first); the CLI lists all


def _config(request: Request) -> Any:
    from companies import load_supervision_config
    from companies.config import FILE_NAME

    return load_supervision_config(ctx(request).settings.config_file(FILE_NAME))


def _back(request: Request, url: str, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, url, message, kind)


def _text(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


def _date(form: Any, name: str) -> date | None:
    value = _text(form, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期格式无效：{value}（应为 年-月-日）") from None


@router.get("/companies")
def companies_page(request: Request, q: str = "", status: str = "active", flash: str = "", kind: str = "ok",
                   *, _user: UserMayView) -> Response:
    from companies import GROUNDS, STATUS_LABELS, Registry, SupervisionList

    db = ctx(request).db
    sv = SupervisionList(db)
    found = Registry(db).find(q) if q.strip() else []
    if status not in STATUS_LABELS:
        status = "active"
    config = _config(request)
    due = sv.visits_due(config.periods)
    return render(request, "companies.html", {
        "q": q, "found": found, "status": status, "entries": sv.entries(status=status),
        "statuses": STATUS_LABELS, "grounds": GROUNDS, "due": due, "periods": config.periods,
        "overdue": sum(1 for d in due if d.overdue),
        "flash": flash, "flash_kind": kind, "active": "companies",
    })


@router.get("/companies/followup")
def followup_page(request: Request, _user: UserMayView) -> Response:
    from companies.followup import negative_coverage_followups

    followups = negative_coverage_followups(ctx(request).db)
    return render(request, "company_followup.html", {
        "followups": followups[:FOLLOWUP_ROWS], "followup_total": len(followups),
        "followup_pending": sum(1 for f in followups if f.state == "needs_followup"), "active": "companies"})


@router.get("/companies/mentions")
def mentions_page(request: Request, flash: str = "", kind: str = "ok",
                  *, _user: UserMayView) -> Response:
    from companies.mentions import unlinked_mentions

    return render(request, "company_mentions.html", {
        "mentions": unlinked_mentions(ctx(request).db), "flash": flash, "flash_kind": kind, "active": "companies"})


@router.post("/companies/mentions/link")
async def mention_link(request: Request, user: UserMayVerify) -> Response:
    from companies import Registry
    from companies.mentions import add_company_from_mention, link_mention

    form = await request.form()
    mention, target, new_code = _text(form, "mention"), _text(form, "company"), _text(form, "new_code")
    db = ctx(request).db
    try:
        if new_code:
            c = add_company_from_mention(db, mention, credit_code=new_code, name=_text(form, "name") or mention,
                                         town=_text(form, "town") or None, actor=user.username)
        else:
            found = Registry(db).find(target) if target else []
            exact = [f for f in found if target in (f.credit_code, f.name, *f.aliases)]
            if len(exact or found) != 1:
                raise ValueError(f"“{target}”未能唯一确定一家登记企业，请填写统一社会信用代码。" if target
                                 else "请填写要关联的企业，或填写新企业的统一社会信用代码。")
            c = link_mention(db, mention, (exact or found)[0].credit_code, actor=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, "/companies/mentions", f"未关联：{exc}", "error")
    record(request, user, "mention.link", "company", c.credit_code, {"mention": mention, "new": bool(new_code)})
    return _back(request, "/companies/mentions", f"已将“{mention}”关联到 {c.name}。")


@router.get("/companies/supervision/export.xlsx")
def supervision_export(request: Request, status: str = "",
                       *, _user: UserMayExport) -> Response:
    from companies import STATUS_LABELS, SupervisionList
    from companies.excel import export_supervision_xlsx

    data = export_supervision_xlsx(SupervisionList(ctx(request).db), status=status if status in STATUS_LABELS
                                   else None)
    name = quote(f"重点监管服务名单_{date.today():%Y%m%d}.xlsx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.get("/companies/{credit_code}")
def company_page(request: Request, credit_code: str, flash: str = "", kind: str = "ok",
                 *, _user: UserMayView) -> Response:
    from companies import GROUNDS, NotFound
    from companies.profile import build_profile

    try:
        profile = build_profile(ctx(request).db, credit_code)
    except NotFound:
        raise HTTPException(status_code=404, detail="登记名录中没有这家企业。") from None
    return render(request, "company.html", {"p": profile, "grounds": GROUNDS, "today": date.today().isoformat(),
                                            "flash": flash, "flash_kind": kind, "active": "companies"})


@router.post("/companies/supervision/add")
async def supervision_add(request: Request,
                          user: UserMayKeepLists) -> Response:
    from companies import SupervisionList

    form = await request.form()
    code = _text(form, "credit_code")
    back = f"/companies/{quote(code)}" if code else "/companies"
    try:
        e = SupervisionList(ctx(request).db).add(
            code, ground=_text(form, "ground"), reason=_text(form, "reason"), risk_level=_text(form, "risk_level"),
            actor=user.username, person_in_charge=_text(form, "person_in_charge") or None,
            key_area=bool(form.get("key_area")), listed_on=_date(form, "listed_on"))
    except (LaborwatchError, ValueError) as exc:
        return _back(request, back, f"未列入：{exc}", "error")
    record(request, user, "supervision.add", "supervision", e.id, {"credit_code": code, "ground": e.ground})
    return _back(request, back, f"已列入重点监管服务名单（#{e.id}）。")


@router.post("/companies/supervision/propose")
async def supervision_propose(request: Request,
                              user: UserMayKeepLists) -> Response:
    from companies import SupervisionList

    made = SupervisionList(ctx(request).db).propose_from_evidence(_config(request).proposal, actor=user.username)
    record(request, user, "supervision.propose", "supervision", "", {"proposed": [e.id for e in made]})
    return _back(request, "/companies?status=proposed", f"根据预警和台账新提出 {len(made)} 家企业，请逐一确认。")


@router.post("/companies/supervision/{entry_id}/{action}")
async def supervision_decide(request: Request, entry_id: int, action: str,
                             user: UserMayKeepLists) -> Response:
    from companies import SupervisionList

    if action not in ("confirm", "reject", "delist"):
        raise HTTPException(status_code=404, detail="Not Found")
    form = await request.form()
    sv = SupervisionList(ctx(request).db)
    try:
        code = sv.get(entry_id).credit_code
    except LaborwatchError:
        raise HTTPException(status_code=404, detail="名单记录不存在。") from None
    back = f"/companies/{quote(code)}"
    try:
        if action == "confirm":
            e = sv.confirm(entry_id, actor=user.username, person_in_charge=_text(form, "person_in_charge") or None,
                           risk_level=_text(form, "risk_level") or None, key_area=bool(form.get("key_area")),
                           listed_on=_date(form, "listed_on"))
            message = "已确认列入重点监管服务名单。"
        elif action == "reject":
            e = sv.reject(entry_id, actor=user.username, reason=_text(form, "reason"))
            message = "已不予采纳。"
        else:
            e = sv.delist(entry_id, actor=user.username, reason=_text(form, "reason"),
                          delisted_on=_date(form, "delisted_on"))
            message = "已移出重点监管服务名单。"
    except (LaborwatchError, ValueError) as exc:
        return _back(request, back, f"未变更：{exc}", "error")
    record(request, user, f"supervision.{action}", "supervision", entry_id,
           {"credit_code": code, "status": e.status, "reason": _text(form, "reason") or None})
    return _back(request, back, message)


@router.post("/companies/{credit_code}/visits")
async def visit_add(request: Request, credit_code: str,
                    user: UserMayRecordVisits) -> Response:
    from companies import SupervisionList

    form = await request.form()
    back = f"/companies/{quote(credit_code)}"
    try:
        visited_on = _date(form, "visited_on")
        if visited_on is None:
            raise ValueError("请填写走访日期。")
        v = SupervisionList(ctx(request).db).record_visit(
            credit_code, visited_on=visited_on, visitor=_text(form, "visitor"), findings=_text(form, "findings"),
            next_step=_text(form, "next_step") or None, actor=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, back, f"未登记：{exc}", "error")
    record(request, user, "visit.add", "visit", v.id, {"credit_code": credit_code,
                                                      "visited_on": v.visited_on.isoformat()})
    return _back(request, back, "已登记指导走访。")


@router.post("/companies/{credit_code}/blacklist")
async def blacklist_add(request: Request, credit_code: str,
                        user: UserMayKeepBlacklist) -> Response:
    from companies import Blacklist

    form = await request.form()
    back = f"/companies/{quote(credit_code)}"
    try:
        decided_on = _date(form, "decided_on")
        if decided_on is None:
            raise ValueError("请填写决定日期。")
        workers = _text(form, "workers")
        if workers and not workers.isdigit():
            raise ValueError(f"涉及人数应为整数：{workers}")
        b = Blacklist(ctx(request).db).add(
            credit_code, decision_no=_text(form, "decision_no"), decided_on=decided_on,
            reason=_text(form, "reason"), amount_yuan=_text(form, "amount_yuan") or None,
            workers=int(workers) if workers else None, arrears_from=_date(form, "arrears_from"),
            arrears_to=_date(form, "arrears_to"), actor=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, back, f"未列入：{exc}", "error")
    record(request, user, "blacklist.add", "blacklist", b.id, {"credit_code": credit_code,
                                                              "decision_no": b.decision_no})
    return _back(request, back, "已列入拖欠农民工工资失信联合惩戒名单。")


_BLACKLIST_ACTIONS = {"publish": "companies.blacklist", "push": "companies.blacklist",
                      "repair-apply": "companies.blacklist", "repair-decide": "companies.credit_repair"}


@router.post("/companies/blacklist/{entry_id}/{action}")
async def blacklist_change(request: Request, entry_id: int, action: str,
                           user: UserMayView) -> Response:
    from companies import Blacklist

    if action not in _BLACKLIST_ACTIONS:
        raise HTTPException(status_code=404, detail="Not Found")
    if not user.can(_BLACKLIST_ACTIONS[action]):
        raise HTTPException(status_code=403, detail="您的角色无权执行此操作。")
    form = await request.form()
    bl = Blacklist(ctx(request).db)
    try:
        code = bl.get(entry_id).credit_code
    except LaborwatchError:
        raise HTTPException(status_code=404, detail="名单记录不存在。") from None
    back = f"/companies/{quote(code)}"
    try:
        on = _date(form, "on")
        if on is None:
            raise ValueError("请填写日期。")
        if action == "publish":
            b = bl.publish(entry_id, published_on=on, actor=user.username)
        elif action == "push":
            b = bl.push(entry_id, pushed_on=on, departments=_text(form, "departments"), actor=user.username)
        elif action == "repair-apply":
            b = bl.apply_repair(entry_id, applied_on=on, note=_text(form, "note") or None, actor=user.username)
        else:
            b = bl.decide_repair(entry_id, approved=_text(form, "outcome") == "approve", decided_on=on,
                                 note=_text(form, "note"), actor=user.username)
    except (LaborwatchError, ValueError) as exc:
        return _back(request, back, f"未保存：{exc}", "error")
    record(request, user, f"blacklist.{action}", "blacklist", entry_id,
           {"credit_code": code, "status": b.status, "repair": b.repair_outcome})
    return _back(request, back, "已保存。")

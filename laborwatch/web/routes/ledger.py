"""Ledger (台账) and incidents (突发事件): lists with filters, case pages with plan/owner/deadline/history,
incident timelines, Excel export. All reads and changes go through the ledger room's API."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayExport,
    UserMayManageCase,
    UserMayOpenCase,
    UserMayView,
    clamp_page,
    ctx,
    flash_redirect,
    page_count,
    record,
    render,
    zh,
)
from laborwatch.web.xlsx import append_row
from lwcore.domain import SHANGHAI
from lwcore.errors import LaborwatchError

logger = logging.getLogger(__name__)

router = APIRouter()

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_ORDERS = {"-created_at": "登记时间（新→旧）", "deadline": "化解时限（近→远）", "risk_level": "风险等级",
               "-updated_at": "最近更新"}
EDIT_FIELDS = ("title", "enterprise_name", "company_id", "town", "industry", "workers", "amount_yuan", "risk_level",
               "responsible_unit", "responsible_person", "lead_official", "plan", "deadline", "summary", "remarks")


def _ledger(request: Request) -> Any:
    from ledger import Ledger

    return Ledger(ctx(request).db)


def _incidents(request: Request) -> Any:
    from ledger import Incidents

    return Incidents(ctx(request).db)


def _case_filters(status: str, town: str, risk_level: str, overdue: str, q: str) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if status == "open":
        from ledger.vocab import OPEN_STATUSES

        filters["status"] = sorted(s.value for s in OPEN_STATUSES)
    elif status:
        filters["status"] = status
    if town:
        filters["town"] = town
    if risk_level:
        filters["risk_level"] = risk_level
    if overdue:
        filters["overdue"] = True
    if q.strip():
        filters["q"] = q.strip()
    return filters


def _download(data: bytes, filename: str, media_type: str = XLSX) -> Response:
    return StreamingResponse(
        io.BytesIO(data), media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _stamp() -> str:
    return datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M")


@router.get("/cases")
def cases(
    request: Request,
    status: str = "open",
    town: str = "",
    risk_level: str = "",
    overdue: str = "",
    q: str = "",
    order: str = "-created_at",
    page: int = 1,
    *,
    _user: UserMayView,
) -> Response:
    from ledger.vocab import CaseStatus

    page = clamp_page(page)
    order = order if order in CASE_ORDERS else "-created_at"
    filters = _case_filters(status, town, risk_level, overdue, q)
    try:
        rows, total = _ledger(request).list_cases(**filters, order=order, page=max(page, 1), size=PAGE_SIZE)
    except LaborwatchError as exc:
        raise HTTPException(status_code=400, detail=f"筛选条件无效：{zh(request, exc)}") from None
    query = urlencode({"status": status, "town": town, "risk_level": risk_level, "overdue": overdue, "q": q,
                       "order": order})
    return render(request, "cases.html", {
        "rows": rows, "total": total, "page": max(page, 1), "pages": page_count(total, PAGE_SIZE),
        "status": status, "town": town, "risk_level": risk_level, "overdue": overdue, "q": q, "order": order,
        "orders": CASE_ORDERS, "statuses": list(CaseStatus), "query": query, "active": "cases",
    })


@router.get("/cases/export.xlsx")
def cases_export(
    request: Request,
    status: str = "open",
    town: str = "",
    risk_level: str = "",
    overdue: str = "",
    q: str = "",
    *,
    user: UserMayExport,
) -> Response:
    filters = _case_filters(status, town, risk_level, overdue, q)
    buf = io.BytesIO()
    try:
        n = _ledger(request).export_xlsx(buf, filters)
    except LaborwatchError as exc:
        raise HTTPException(status_code=400, detail=f"导出失败：{zh(request, exc)}") from None
    record(request, user, "case.export", "case", "", {"filters": filters, "rows": n})
    return _download(buf.getvalue(), f"矛盾纠纷台账-{_stamp()}.xlsx")


NEW_CASE_FIELDS = ("title", "enterprise_name", "company_id", "town", "workers", "amount_yuan", "risk_level",
                   "responsible_unit", "responsible_person", "deadline", "summary")


def _town_names(request: Request) -> list[str]:
    from laborwatch.web.overview import _towns

    return [name for name, _kind in _towns(ctx(request).settings)]


@router.get("/cases/new")
def case_new_form(request: Request, _user: UserMayOpenCase) -> Response:
    from ledger.fields import FIELD_LABELS

    return render(request, "case_new.html", {"values": {}, "dispute_types": [], "labels": FIELD_LABELS,
                                             "towns": _town_names(request), "active": "cases"})


@router.post("/cases/new")
async def case_new(request: Request, user: UserMayOpenCase) -> Response:
    """Register a case by hand (e.g. from a petition letter or a phone call): title required, the rest optional."""
    from ledger.fields import FIELD_LABELS

    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in NEW_CASE_FIELDS}
    types = [str(v) for v in form.getlist("dispute_type")]
    fields: dict[str, Any] = {k: v for k, v in values.items() if v}
    if types:
        fields["dispute_types"] = types
    try:
        created = _ledger(request).create_case(by=user.username, **fields)
    except LaborwatchError as exc:
        return render(request, "case_new.html", {
            "values": values, "dispute_types": types, "labels": FIELD_LABELS, "towns": _town_names(request),
            "flash": f"未登记：{zh(request, exc)}", "flash_kind": "error", "active": "cases",
        }, status_code=400)
    record(request, user, "case.open", "case", created.id, {"number": created.number})
    return _case_back(request, created.id, f"已登记台账 {created.number}。")


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, flash: str = "", kind: str = "ok",
              *, _user: UserMayView) -> Response:
    from ledger.fields import FIELD_LABELS
    from ledger.vocab import TRANSITIONS, CaseStatus

    ledger = _ledger(request)
    try:
        item = ledger.get(case_id)
        history = ledger.history(case_id)
    except LaborwatchError as exc:
        raise HTTPException(status_code=404, detail=f"台账 {case_id} 不存在：{zh(request, exc)}") from None
    nexts = sorted(TRANSITIONS[CaseStatus(item.status)], key=lambda s: list(CaseStatus).index(s))
    from companies.standing import firm_standing

    return render(request, "case.html", {
        "case": item, "standing": firm_standing(ctx(request).db, item.company_id), "history": history,
        "evidence": _evidence(request, list(item.post_ids)),
        "next_statuses": nexts, "labels": FIELD_LABELS,
        "edit_fields": EDIT_FIELDS, "flash": flash, "flash_kind": kind, "active": "cases",
    })


def _evidence(request: Request, post_ids: list[str], limit: int = 50) -> list[dict[str, str]]:
    """The case's evidence posts as titles with links: from the alerts' stored copies, else from the index."""
    from sqlalchemy import select

    from alerting.models import AlertPost
    from laborwatch.web.labels import post_title
    from laborwatch.web.routes.common import store_for

    ids = post_ids[:limit]
    found: dict[str, dict[str, str]] = {}
    if ids:
        with ctx(request).db.session() as s:
            for p in s.scalars(select(AlertPost).where(AlertPost.post_id.in_(ids)).order_by(AlertPost.id)):
                found.setdefault(p.post_id, {"title": post_title(p.title, p.snippet), "url": p.url})
    store = store_for(request)
    for post_id in ids:
        if post_id in found or store is None:
            continue
        try:
            doc = store.get(post_id)
        except Exception as exc:  # noqa: BLE001 - a title is a convenience: fall back to a neutral label
            logger.warning("index read of post %s failed: %s", post_id, exc)
            store = None
            continue
        if doc:
            found[post_id] = {"title": post_title(doc.get("title"), doc.get("content")), "url": doc.get("url") or ""}
    return [{"id": p, "title": found.get(p, {}).get("title") or "（信息已不在检索库中）",
             "url": found.get(p, {}).get("url", "")} for p in ids]


def _case_back(request: Request, case_id: int, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, f"/cases/{case_id}", message, kind)


@router.post("/cases/{case_id}/update")
async def case_update(request: Request, case_id: int,
                      user: UserMayManageCase) -> Response:
    form = await request.form()
    ledger = _ledger(request)
    try:
        current = ledger.get(case_id)
    except LaborwatchError as exc:
        raise HTTPException(status_code=404, detail=zh(request, exc)) from None
    fields: dict[str, Any] = {name: (str(form.get(name)).strip() or None) for name in EDIT_FIELDS if name in form}
    types = [str(v) for v in form.getlist("dispute_type")]
    if "dispute_types_present" in form:
        fields["dispute_types"] = types
    version = str(form.get("version") or "")
    try:
        updated = ledger.update(case_id, by=user.username, note=str(form.get("note") or "").strip() or None,
                                expected_version=int(version) if version.isdigit() else current.version, **fields)
    except LaborwatchError as exc:
        return _case_back(request, case_id, f"未保存：{zh(request, exc)}", "error")
    record(request, user, "case.update", "case", case_id,
           {"number": updated.number, "fields": sorted(k for k in fields)})
    return _case_back(request, case_id, "已保存。")


@router.post("/cases/{case_id}/transition")
async def case_transition(request: Request, case_id: int,
                          user: UserMayManageCase) -> Response:
    form = await request.form()
    to = str(form.get("to") or "")
    note = str(form.get("note") or "").strip() or None
    try:
        updated = _ledger(request).transition(case_id, to, by=user.username, note=note)
    except LaborwatchError as exc:
        return _case_back(request, case_id, f"状态未变更：{zh(request, exc)}", "error")
    record(request, user, "case.transition", "case", case_id, {"to": to, "note": note, "number": updated.number})
    return _case_back(request, case_id, f"状态已变更为「{updated.status_label}」。")


# -- incidents ---------------------------------------------------------------------------------------------


@router.get("/incidents")
def incidents(
    request: Request,
    status: str = "",
    town: str = "",
    level: str = "",
    late: str = "",
    page: int = 1,
    *,
    _user: UserMayView,
) -> Response:
    page = clamp_page(page)
    try:
        rows, total = _incidents(request).list(
            status=status or None, town=town or None, level=level or None, late=True if late else None,
            page=max(page, 1), size=PAGE_SIZE,
        )
    except LaborwatchError as exc:
        raise HTTPException(status_code=400, detail=f"筛选条件无效：{zh(request, exc)}") from None
    query = urlencode({"status": status, "town": town, "level": level, "late": late})
    return render(request, "incidents.html", {
        "rows": rows, "total": total, "page": max(page, 1), "pages": page_count(total, PAGE_SIZE),
        "status": status, "town": town, "level": level, "late": late, "query": query, "active": "incidents",
    })


@router.get("/incidents/export.xlsx")
def incidents_export(request: Request, status: str = "", town: str = "", level: str = "",
                     *, user: UserMayExport) -> Response:
    from openpyxl import Workbook

    rows, _total = _incidents(request).list(status=status or None, town=town or None, level=level or None,
                                            size=10_000)
    wb = Workbook()
    ws = wb.active
    ws.title = "突发事件"
    append_row(ws, ["编号", "事件", "等级", "街镇", "企业", "人数", "地点", "接报时间", "当前节点", "状态", "平息时间",
               "一小时内到场/处置", "简要情况"])
    for i in rows:
        append_row(ws, [
            i.number, i.title, i.level.label_zh, i.town or "", i.company_name or "", i.workers,
            i.location or "", _excel_time(i.received_at), i.last_stage.label_zh, i.status_label,
            _excel_time(i.settled_at), "否（超时）" if i.late else "是", i.summary or "",
        ])
    for col, width in zip("ABCDEFGHIJKLM", (16, 36, 6, 10, 24, 6, 20, 17, 10, 8, 17, 12, 50), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    record(request, user, "incident.export", "incident", "", {"rows": len(rows)})
    return _download(buf.getvalue(), f"突发事件-{_stamp()}.xlsx")


def _excel_time(value: datetime | None) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""


@router.get("/incidents/new")
def incident_new_form(request: Request, _user: UserMayManageCase) -> Response:
    return render(request, "incident_new.html", {"values": {}, "towns": _town_names(request),
                                                 "active": "incidents"})


@router.post("/incidents/new")
async def incident_new(request: Request, user: UserMayManageCase) -> Response:
    """Register an incident by hand (reported by phone, seen on site); 接报 at the given time or now."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("title", "level", "town", "company_name", "workers",
                                                           "location", "summary", "received_at")}

    def again(message: str) -> Response:
        return render(request, "incident_new.html", {"values": values, "towns": _town_names(request),
                                                     "flash": message, "flash_kind": "error",
                                                     "active": "incidents"}, status_code=400)

    if not values["title"]:
        return again("未登记：请填写事件名称。")
    try:
        workers = int(values["workers"]) if values["workers"] else None
    except ValueError:
        return again(f"未登记：涉及人数须为整数，收到「{values['workers'][:20]}」。")
    try:
        received = datetime.fromisoformat(values["received_at"]).replace(tzinfo=SHANGHAI) \
            if values["received_at"] else None
    except ValueError:
        return again("未登记：接报时间格式无效。")
    try:
        created = _incidents(request).open(
            title=values["title"], level=values["level"] or "III", by=user.username, town=values["town"] or None,
            company_name=values["company_name"] or None, workers=workers, location=values["location"] or None,
            summary=values["summary"] or None, received_at=received,
        )
    except LaborwatchError as exc:
        return again(f"未登记：{zh(request, exc)}")
    record(request, user, "incident.open", "incident", created.id, {"number": created.number})
    return flash_redirect(request, f"/incidents/{created.id}", f"已登记突发事件 {created.number}。")


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: int, flash: str = "", kind: str = "ok",
                  *, _user: UserMayView) -> Response:
    from ledger.vocab import IncidentStage

    inc = _incidents(request)
    try:
        item = inc.get(incident_id)
        history = inc.history(incident_id)
    except LaborwatchError as exc:
        raise HTTPException(status_code=404, detail=f"突发事件 {incident_id} 不存在：{zh(request, exc)}") from None
    stages = [s for s in IncidentStage if s is not IncidentStage.RECEIVED]
    return render(request, "incident.html", {"incident": item, "history": history, "stages": stages,
                                             "flash": flash, "flash_kind": kind, "active": "incidents"})


@router.post("/incidents/{incident_id}/step")
async def incident_step(request: Request, incident_id: int,
                        user: UserMayManageCase) -> Response:
    form = await request.form()
    stage = str(form.get("stage") or "")
    note = str(form.get("note") or "").strip() or None
    at_text = str(form.get("at") or "").strip()
    back = f"/incidents/{incident_id}"
    try:
        at = datetime.fromisoformat(at_text).replace(tzinfo=SHANGHAI) if at_text else None
    except ValueError:
        return flash_redirect(request, back, "时间格式无效。", "error")
    try:
        _incidents(request).add_step(incident_id, stage, by=user.username, note=note, at=at)
    except LaborwatchError as exc:
        return flash_redirect(request, back, f"未记录：{zh(request, exc)}", "error")
    record(request, user, "incident.step", "incident", incident_id, {"stage": stage, "note": note})
    return flash_redirect(request, back, "已记录处置节点。")

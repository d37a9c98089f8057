"""网格上报 and 12345 hotline tickets in the web UI: a phone-friendly form for grid workers, the Excel import of a
ticket export, the list of recent reports with their state, and one report's page (the link its alert e-mail
carries). Reports are stored by the companies room and analysed by the service's ``field_reports`` job (the same
pipeline as crawled posts); a report is never lost if the analysis fails, it is retried."""

from __future__ import annotations

import tempfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import UserMayView, ctx, flash_redirect, record, render, require
from lwcore.domain import SHANGHAI

router = APIRouter()

MAX_UPLOAD = 20 * 1024 * 1024


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _towns(request: Request) -> list[str]:
    from laborwatch.web.overview import _towns as towns

    return [name for name, _kind in towns(ctx(request).settings)]


def _page(request: Request, *, problems: list[str] | None = None, status_code: int = 200,
          flash: str | None = None) -> Response:
    from companies.fieldreports import HOTLINE_COLUMNS, FieldReports

    rows = FieldReports(ctx(request).db).recent(limit=100)
    return render(request, "field_reports.html", {
        "rows": rows, "problems": problems or [], "active": "reports",
        "columns": [names[0] for names in HOTLINE_COLUMNS.values()], **({"flash": flash} if flash else {}),
    }, status_code=status_code)


@router.get("/reports")
def reports_page(request: Request, _user: UserMayView) -> Response:
    return _page(request)


@router.get("/reports/new")
def report_form(request: Request, _user: Annotated[Principal, Depends(require("reports.submit"))]) -> Response:
    now = datetime.now(SHANGHAI)
    return render(request, "field_report_new.html", {"towns": _towns(request), "now": now.strftime("%Y-%m-%dT%H:%M"),
                                                     "active": "reports", "values": {}})


@router.post("/reports/new")
async def report_submit(request: Request,
                        user: Annotated[Principal, Depends(require("reports.submit"))]) -> Response:
    from companies.fieldreports import NewFieldReport, parse_when

    form = await request.form()
    values = {k: _text(form, k) for k in ("content", "title", "company_name", "credit_code", "town", "address",
                                          "workers", "amount", "reported_at")}
    try:
        workers = int(values["workers"]) if values["workers"] else None
        if workers is not None and workers < 1:
            raise ValueError("涉及人数须为大于0的整数")
    except ValueError:
        return _form_error(request, values, "涉及人数须为大于0的整数")
    try:
        amount = Decimal(values["amount"].replace(",", "")) if values["amount"] else None
    except InvalidOperation:
        return _form_error(request, values, f"涉及金额「{values['amount']}」不是数字（元）")
    try:
        when = parse_when(values["reported_at"]) if values["reported_at"] else None
    except ValueError as exc:
        return _form_error(request, values, f"上报时间{exc}")
    from companies import ValidationError
    from companies.fieldreports import FieldReports

    labels = {"content": "情况描述", "reported_at": "上报时间", "credit_code": "统一社会信用代码",
              "workers": "涉及人数", "amount_yuan": "涉及金额"}
    try:
        view = FieldReports(ctx(request).db).add(NewFieldReport(
            origin="grid", content=values["content"], reported_at=when, title=values["title"],
            company_name=values["company_name"], credit_code=values["credit_code"], town=values["town"],
            address=values["address"], workers=workers, amount_yuan=amount,
            reporter=user.label), actor=user.username)
    except ValidationError as exc:
        return _form_error(request, values, f"{labels.get(exc.field, exc.field)}：{exc.reason}")
    record(request, user, "field_report.add", "field_report", view.id, {"origin": "grid"})
    return flash_redirect(request, f"/reports/{view.id}",
                          "已提交网格上报，系统将在一两分钟内完成研判、检索入库和预警。")


def _form_error(request: Request, values: dict[str, str], message: str) -> Response:
    return render(request, "field_report_new.html", {"towns": _towns(request), "now": values.get("reported_at"),
                                                     "values": values, "error": message, "active": "reports"},
                  status_code=400)


@router.post("/reports/import")
async def report_import(request: Request,
                        user: Annotated[Principal, Depends(require("reports.import"))]) -> Response:
    from companies.fieldreports import FieldReportFileError, FieldReports

    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, problems=["请选择要导入的 12345 工单 Excel 文件（.xlsx）。"], status_code=400)
    data = await upload.read(MAX_UPLOAD + 1)
    await upload.close()
    if len(data) > MAX_UPLOAD:
        return _page(request, problems=[f"{upload.filename}：文件超过 20 MB。"], status_code=400)
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        return _page(request, problems=[f"{upload.filename}：只接受 .xlsx 或 .csv 文件。"], status_code=400)
    skip = bool(form.get("skip_invalid"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.filename).name
        path.write_bytes(data)
        try:
            result = FieldReports(ctx(request).db).import_file(path, actor=user.username, skip_invalid=skip)
        except FieldReportFileError as exc:
            problems = [f"{upload.filename}：{p}" for p in exc.problems] or [str(exc).replace(str(path),
                                                                                              upload.filename)]
            return _page(request, problems=["未导入任何工单，请改正后重新导入：", *problems], status_code=400)
    record(request, user, "field_report.import", "field_reports", upload.filename,
           {"added": len(result.added), "already": len(result.already), "skipped": len(result.problems)})
    message = f"已导入 {len(result.added)} 条工单" + (
        f"，{len(result.already)} 条此前已导入" if result.already else "") + (
        f"，{len({p.row for p in result.problems})} 行有误未导入" if result.problems else "") + "；系统将自动研判。"
    if result.problems:
        return _page(request, problems=[message, *(f"{upload.filename}：{p}" for p in result.problems)])
    return flash_redirect(request, "/reports", message)


@router.get("/reports/{report_id}")
def report_page(request: Request, report_id: int,
                _user: UserMayView) -> Response:
    from sqlalchemy import select

    from alerting.models import AlertPost
    from companies import NotFound
    from companies.fieldreports import FieldReports

    try:
        r = FieldReports(ctx(request).db).get(report_id)
    except NotFound:
        raise HTTPException(status_code=404, detail="没有这条上报。") from None
    with ctx(request).db.sessions() as s:
        alert_ids = sorted(set(s.scalars(select(AlertPost.alert_id).where(AlertPost.post_id == r.post_id))))
    return render(request, "field_report.html", {"r": r, "alert_ids": alert_ids, "active": "reports"})

"""The two lists as whole lists in the web UI: the wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单)
page with its Excel export and import, and the Excel import of the key supervision and service list (its export
and the list itself are on ``/companies``). Imports are all rows or none; a refused file is shown with every
problem (row, column, why). Who may import: ``companies.blacklist`` (the blacklist), ``companies.list`` (the
supervision list); every import is in the web audit log and the companies room's history.

Included before :mod:`laborwatch.web.routes.companies`, whose ``/companies/{credit_code}`` would take
``/companies/blacklist``."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayExport,
    UserMayKeepBlacklist,
    UserMayKeepLists,
    UserMayView,
    ctx,
    flash_redirect,
    record,
    render,
)

router = APIRouter()

MAX_UPLOAD = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blacklist_page(request: Request, *, problems: list[str] | None = None, status_code: int = 200) -> Response:
    from companies import BLACKLIST_STATUS_LABELS, Blacklist
    from companies.blacklist_excel import HEADERS

    status = request.query_params.get("status", "")
    entries = Blacklist(ctx(request).db).entries(status=status if status in BLACKLIST_STATUS_LABELS else None)
    return render(request, "company_blacklist.html", {
        "entries": entries, "status": status, "statuses": BLACKLIST_STATUS_LABELS, "problems": problems or [],
        "headers": HEADERS, "active": "companies"}, status_code=status_code)


@router.get("/companies/blacklist")
def blacklist_page(request: Request, _user: UserMayView) -> Response:
    return _blacklist_page(request)


@router.get("/companies/blacklist/export.xlsx")
def blacklist_export(request: Request, _user: UserMayExport, status: str = "") -> Response:
    from companies import BLACKLIST_STATUS_LABELS, Blacklist
    from companies.blacklist_excel import export_blacklist_xlsx

    data = export_blacklist_xlsx(Blacklist(ctx(request).db),
                                 status=status if status in BLACKLIST_STATUS_LABELS else None)
    name = quote(f"拖欠农民工工资失信联合惩戒名单_{date.today():%Y%m%d}.xlsx")
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


async def _upload(request: Request) -> tuple[str, bytes] | str:
    """(file name, content) of the form's ``file``, or the reason it cannot be used (Chinese)."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "请选择要导入的 Excel 文件（.xlsx）。"
    data = await upload.read(MAX_UPLOAD + 1)
    await upload.close()
    if len(data) > MAX_UPLOAD:
        return f"{upload.filename}：文件超过 20 MB。"
    if Path(upload.filename).suffix.lower() not in (".xlsx", ".csv"):
        return f"{upload.filename}：只接受 .xlsx 或 .csv 文件。"
    return upload.filename, data


def _problems(exc: Any, name: str, tmp_path: Path) -> list[str]:
    rows = [f"{name}：第{p.row}行「{p.field}」：{p.reason}" for p in getattr(exc, "problems", [])]
    return rows or [str(exc).replace(str(tmp_path), name)]


def _import_upload(name: str, data: bytes, run: Callable[[Path], int]) -> tuple[int, list[str]]:
    """Run an import on the uploaded file saved under its own name in a temporary folder: (entries, problems);
    with problems nothing was imported (the import is all or nothing)."""
    from companies import CompaniesError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        try:
            return run(path), []
        except CompaniesError as exc:
            return 0, _problems(exc, name, path)


@router.post("/companies/blacklist/import")
async def blacklist_import(request: Request, user: UserMayKeepBlacklist) -> Response:
    from companies import Blacklist
    from companies.blacklist_excel import import_blacklist

    got = await _upload(request)
    if isinstance(got, str):
        return _blacklist_page(request, problems=[got], status_code=400)
    name, data = got
    n, problems = _import_upload(
        name, data, lambda path: import_blacklist(Blacklist(ctx(request).db), path, actor=user.username))
    if problems:
        return _blacklist_page(request, problems=["未录入任何决定，请改正后重新导入：", *problems], status_code=400)
    record(request, user, "blacklist.import", "blacklist", name, {"entries": n})
    return flash_redirect(request, "/companies/blacklist", f"已从 {name} 录入 {n} 条失信联合惩戒决定。")


@router.post("/companies/supervision/import")
async def supervision_import(request: Request, user: UserMayKeepLists) -> Response:
    from companies import SupervisionList
    from companies.excel import import_supervision

    got = await _upload(request)
    if isinstance(got, str):
        return flash_redirect(request, "/companies", f"未导入：{got}", "error")
    name, data = got
    n, problems = _import_upload(
        name, data, lambda path: import_supervision(SupervisionList(ctx(request).db), path, actor=user.username))
    if problems:
        shown = "；".join(problems[:10]) + (f"（另有 {len(problems) - 10} 处）" if len(problems) > 10 else "")
        return flash_redirect(request, "/companies", f"未列入任何企业，请改正后重新导入：{shown}", "error")
    record(request, user, "supervision.import", "supervision", name, {"entries": n})
    return flash_redirect(request, "/companies", f"已从 {name} 列入 {n} 家企业。")

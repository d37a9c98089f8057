"""Excel export and import of the wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单).

The export has one row per entry with Chinese headers (:data:`HEADERS`), credit repair included. The import reads
the same headers and records one entry per row (the decision, and its publication and push when those columns are
filled); the status and credit-repair columns are ignored: repair has its own workflow and permission. All rows or
none: any row in error refuses the file, every problem named by row (header = 1), column and reason. A decision
number already recorded is an error of its row, so importing the same file twice records nothing twice.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lwcore.db import utcnow
from lwcore.domain import SHANGHAI

from .blacklist import Blacklist, _fen
from .errors import CompaniesError, RegistryFileError, RowProblem
from .excel import _date, _text, table_rows
from .history import add_history
from .models import BlacklistEntry, Company
from .uscc import normalize_credit_code

__all__ = ["HEADERS", "export_blacklist_xlsx", "import_blacklist"]

HEADERS = ("序号", "企业名称", "统一社会信用代码", "决定文书号", "决定日期", "列入事由", "拖欠金额（元）", "涉及人数",
           "拖欠起始日期", "拖欠截止日期", "公布日期", "推送日期", "推送部门", "状态", "信用修复申请日期", "修复结果",
           "修复决定日期", "修复说明")
_REQUIRED = ("统一社会信用代码", "决定文书号", "决定日期", "列入事由")


def export_blacklist_xlsx(bl: Blacklist, *, status: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("失信联合惩戒名单")
    ws.append(list(HEADERS))
    for i, e in enumerate(bl.entries(status=status), start=1):
        ws.append([i, e.company_name, e.credit_code, e.decision_no, e.decided_on, e.reason,
                   float(e.amount_yuan) if e.amount_yuan is not None else None, e.workers, e.arrears_from,
                   e.arrears_to, e.published_on, e.pushed_on, e.pushed_to or "", e.status_label,
                   e.repair_applied_on, e.repair_label, e.repair_decided_on, e.repair_note or ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_blacklist(bl: Blacklist, path: Path | str, *, actor: str, now: datetime | None = None) -> int:
    """Record one entry per row of ``path`` (.xlsx or .csv); returns how many. All rows or none."""
    file = str(path)
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    parsed: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    for rowno, cell in table_rows(path, _REQUIRED, HEADERS):
        bad: list[RowProblem] = []
        values: dict[str, Any] = {}
        try:
            values["credit_code"] = normalize_credit_code(cell("统一社会信用代码"))
        except CompaniesError as exc:
            bad.append(RowProblem(rowno, "统一社会信用代码", getattr(exc, "reason", str(exc))))
        for h, key in (("决定文书号", "decision_no"), ("列入事由", "reason")):
            values[key] = _text(cell(h))
            if not values[key]:
                bad.append(RowProblem(rowno, h, "empty"))
        for h, key in (("决定日期", "decided_on"), ("拖欠起始日期", "arrears_from"), ("拖欠截止日期", "arrears_to"),
                       ("公布日期", "published_on"), ("推送日期", "pushed_on")):
            try:
                values[key] = _date(cell(h))
            except ValueError:
                bad.append(RowProblem(rowno, h, f"{_text(cell(h))!r} is not a date YYYY-MM-DD"))
        if "决定日期" not in {p.field for p in bad} and values.get("decided_on") is None:
            bad.append(RowProblem(rowno, "决定日期", "empty"))
        try:
            values["amount_fen"] = _fen(cell("拖欠金额（元）"))
        except CompaniesError as exc:
            bad.append(RowProblem(rowno, "拖欠金额（元）", getattr(exc, "reason", str(exc))))
        workers = _text(cell("涉及人数"))
        if workers and not workers.isdigit():
            bad.append(RowProblem(rowno, "涉及人数", f"{workers!r} is not a whole number"))
        values["workers"] = int(workers) if workers.isdigit() else None
        values["pushed_to"] = _text(cell("推送部门")) or None
        decided = values.get("decided_on")
        if decided is not None:
            if decided > today:
                bad.append(RowProblem(rowno, "决定日期", f"{decided} is in the future"))
            for h, key in (("公布日期", "published_on"), ("推送日期", "pushed_on")):
                if values.get(key) is not None and values[key] < decided:
                    bad.append(RowProblem(rowno, h, f"{values[key]} is before the decision date {decided}"))
        if values.get("arrears_from") and values.get("arrears_to") and values["arrears_to"] < values["arrears_from"]:
            bad.append(RowProblem(rowno, "拖欠截止日期", f"{values['arrears_to']} is before {values['arrears_from']}"))
        if values.get("pushed_on") and not values["pushed_to"]:
            bad.append(RowProblem(rowno, "推送部门", "empty while 推送日期 is given"))
        problems += bad
        if not bad:
            parsed.append((rowno, values))
    if problems:
        raise RegistryFileError(file, problems)
    with bl.db.session() as s:
        # check every row against the database first and write only when all pass
        seen: dict[str, int] = {}
        codes = {v["credit_code"] for _, v in parsed}
        known = set(s.scalars(select(Company.credit_code).where(Company.credit_code.in_(codes)))) if codes else set()
        numbers = [v["decision_no"] for _, v in parsed]
        recorded = set(s.scalars(select(BlacklistEntry.decision_no).where(BlacklistEntry.decision_no.in_(numbers)))) \
            if numbers else set()
        for rowno, v in parsed:
            if v["credit_code"] not in known:
                problems.append(RowProblem(rowno, "统一社会信用代码", f"{v['credit_code']} is not in the registry"))
            number = v["decision_no"]
            if number in recorded:
                problems.append(RowProblem(rowno, "决定文书号", f"decision {number} is already recorded"))
            elif number in seen:
                problems.append(RowProblem(rowno, "决定文书号", f"decision {number} is already on row {seen[number]}"))
            seen.setdefault(number, rowno)
        if problems:
            raise RegistryFileError(file, problems)
        for _, v in parsed:
            entry = BlacklistEntry(status="listed", created_at=now, created_by=actor, updated_at=now, updated_by=actor,
                                   **v)
            s.add(entry)
            s.flush()
            add_history(s, actor=actor, action="blacklist.import", target_type="blacklist", target_id=entry.id,
                        detail={"credit_code": entry.credit_code, "decision_no": entry.decision_no,
                                "file": Path(path).name}, now=now)
    return len(parsed)

"""Excel export and import of the key supervision and service list (重点监管服务名单).

The export has one row per entry with Chinese headers (:data:`HEADERS`); the import reads the same headers (the
columns 状态, 移出日期 and 移出理由 are ignored: an import lists firms) and adds one active entry per row, all
rows or none: any row in error refuses the file with every problem named by row and field.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lwcore.db import utcnow

from .errors import CompaniesError, RegistryFileError, RowProblem
from .registry import read_table
from .supervision import GROUNDS, SupervisionList
from .uscc import normalize_credit_code

__all__ = ["HEADERS", "export_supervision_xlsx", "import_supervision"]

Cell = Callable[[str], Any]  # a row's cell by its column header

HEADERS = ("序号", "企业名称", "统一社会信用代码", "所属街镇", "行业", "列入情形", "事由", "风险等级", "责任人",
           "重点区域/行业", "列入日期", "移出日期", "移出理由", "状态")
_REQUIRED = ("统一社会信用代码", "列入情形", "事由", "风险等级")
_GROUND_BY_LABEL = {label: code for code, label in GROUNDS.items()}
_FIELD = {"统一社会信用代码": "credit_code", "列入情形": "ground", "事由": "reason", "风险等级": "risk_level",
          "责任人": "person_in_charge", "重点区域/行业": "key_area", "列入日期": "listed_on"}


def export_supervision_xlsx(sv: SupervisionList, *, status: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重点监管服务名单")
    ws.append(list(HEADERS))
    for i, e in enumerate(sv.entries(status=status), start=1):
        ws.append([i, e.company_name, e.credit_code, e.town or "", e.industry or "", e.ground_label, e.reason,
                   e.risk_level, e.person_in_charge or "", "是" if e.key_area else "否", e.listed_on, e.delisted_on,
                   e.delist_reason or "", e.status_label])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value).replace("/", "-"))


def table_rows(path: Path | str, required: Iterable[str], known: Iterable[str]) -> Iterator[tuple[int, Cell]]:
    """Each non-empty data row of a .xlsx or .csv file with a header row: (row number, a reader of its cell by
    header). A missing ``required`` column is a :class:`RegistryFileError` naming the file before any row is read."""
    rows = iter(read_table(Path(path)))
    header = [_text(c) for c in next(rows, None) or []]
    missing = [h for h in required if h not in header]
    if missing:
        raise RegistryFileError(str(path), f"row 1 (header): no column {', '.join(missing)}")
    col = {h: header.index(h) for h in known if h in header}
    for rowno, row in enumerate(rows, start=2):
        if not any(_text(c) for c in row):
            continue

        def cell(h: str, row: list[Any] = row) -> Any:  # noqa: ANN401 - a spreadsheet cell: text, number or date
            i = col.get(h)
            return row[i] if i is not None and i < len(row) else None

        yield rowno, cell


def import_supervision(sv: SupervisionList, path: Path | str, *, actor: str) -> int:
    """Add one active entry per row of ``path`` (.xlsx or .csv); returns how many. All rows or none."""
    file = str(path)
    parsed: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    for rowno, cell in table_rows(path, _REQUIRED, _FIELD):
        values: dict[str, Any] = {}
        try:
            values["credit_code"] = normalize_credit_code(cell("统一社会信用代码"))
        except CompaniesError as exc:
            problems.append(RowProblem(rowno, "统一社会信用代码", getattr(exc, "reason", str(exc))))
            continue
        ground = _text(cell("列入情形"))
        values["ground"] = _GROUND_BY_LABEL.get(ground, ground)
        values["reason"] = _text(cell("事由"))
        values["risk_level"] = _text(cell("风险等级"))
        values["person_in_charge"] = _text(cell("责任人")) or None
        flag = _text(cell("重点区域/行业"))
        if flag not in ("", "是", "否"):
            problems.append(RowProblem(rowno, "重点区域/行业", f"{flag!r} must be 是 or 否"))
            continue
        values["key_area"] = flag == "是"
        try:
            values["listed_on"] = _date(cell("列入日期"))
        except ValueError:
            problems.append(RowProblem(rowno, "列入日期", f"{_text(cell('列入日期'))!r} is not a date YYYY-MM-DD"))
            continue
        parsed.append((rowno, values))
    if problems:
        raise RegistryFileError(file, problems)
    now = utcnow()
    fields = {v: k for k, v in _FIELD.items()}
    with sv.db.session() as s:
        # check every row first and write only when all pass (no savepoints: pysqlite's are unreliable)
        seen: dict[str, int] = {}
        for rowno, values in parsed:
            code = values["credit_code"]
            if code in seen:
                problems.append(RowProblem(rowno, "统一社会信用代码", f"{code} is already on row {seen[code]}"))
                continue
            seen[code] = rowno
            try:
                sv.check_new_entry(s, **values)
            except CompaniesError as exc:
                field = fields.get(getattr(exc, "field", ""), "统一社会信用代码")
                problems.append(RowProblem(rowno, field, getattr(exc, "reason", str(exc))))
        if problems:
            raise RegistryFileError(file, problems)
        for _, values in parsed:
            sv._add_in(s, actor=actor, now=now, **values)
    return len(parsed)

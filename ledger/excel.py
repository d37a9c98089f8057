"""The 台账 as a spreadsheet: export to .xlsx and .csv with the columns a district ledger has, and import of an
existing ledger from .xlsx with an error for every bad cell (sheet, row, column, reason).

Security: text cells come partly from the internet (titles, company names). Cells that a spreadsheet would
read as a formula (``=``, ``+``, ``-``, ``@`` first) are written as plain text, never as formulas.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from zipfile import BadZipFile

from sqlalchemy import select

from lwcore.domain import SHANGHAI, post_id_for_url

from .errors import ValidationError
from .fields import EDITABLE_FIELDS, coerce_fields, parse_amount, parse_date
from .history import record
from .models import CaseAlertRow, CaseRow
from .records import Case, ImportIssue, ImportReport
from .vocab import CaseSource, CaseStatus, dispute_types_zh, parse_status

if TYPE_CHECKING:
    from .case_store import CaseStore

__all__ = ["EXPORT_COLUMNS", "write_xlsx", "write_csv", "import_ledger", "HEADER_ALIASES"]

logger = logging.getLogger(__name__)


def _fmt_time(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else ""


#: (header, value of a case). 序号 is the row number of the export.
EXPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("编号", lambda c: c.number),
    ("案件名称", lambda c: c.title),
    ("企业名称", lambda c: c.enterprise_name or ""),
    ("统一社会信用代码", lambda c: c.company_id or ""),
    ("所属街镇", lambda c: c.town or ""),
    ("行业", lambda c: c.industry or ""),
    ("争议类型", lambda c: dispute_types_zh(c.dispute_types)),
    ("涉及人数", lambda c: c.workers),
    ("涉及金额(元)", lambda c: c.amount_yuan),
    ("风险等级", lambda c: c.risk_level.label_zh if c.risk_level else ""),
    ("责任单位", lambda c: c.responsible_unit or ""),
    ("责任人", lambda c: c.responsible_person or ""),
    ("包案领导", lambda c: c.lead_official or ""),
    ("化解方案及措施", lambda c: c.plan or ""),
    ("化解时限", lambda c: c.deadline),
    ("当前状态", lambda c: c.status.label_zh),
    ("是否超期", lambda c: "是" if c.overdue else "否"),
    ("简要情况", lambda c: c.summary or ""),
    ("化解结果", lambda c: c.resolution or ""),
    ("关联预警", lambda c: "\n".join(c.alert_ids)),
    ("来源链接", lambda c: "\n".join(c.source_urls)),
    ("登记时间", lambda c: _fmt_time(c.created_at)),
    ("更新时间", lambda c: _fmt_time(c.updated_at)),
    ("备注", lambda c: c.remarks or ""),
)

_WIDTHS = {
    "序号": 6,
    "编号": 14,
    "案件名称": 30,
    "企业名称": 28,
    "统一社会信用代码": 22,
    "所属街镇": 10,
    "行业": 10,
    "争议类型": 16,
    "涉及人数": 9,
    "涉及金额(元)": 14,
    "风险等级": 9,
    "责任单位": 18,
    "责任人": 10,
    "包案领导": 10,
    "化解方案及措施": 40,
    "化解时限": 12,
    "当前状态": 9,
    "是否超期": 9,
    "简要情况": 40,
    "化解结果": 30,
    "关联预警": 16,
    "来源链接": 40,
    "登记时间": 17,
    "更新时间": 17,
    "备注": 20,
}

_LEVEL_FILL = {"一级": "FFC7CE", "二级": "FFD8A8", "三级": "FFF2CC", "四级": "DDEBF7"}


def _safe_text(value: str) -> str:
    """Text that no spreadsheet will evaluate (CSV): a leading ' before =, +, -, @, tab, CR."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def _rows(cases: Sequence[Case]) -> list[list[Any]]:
    return [[i, *(get(c) for _, get in EXPORT_COLUMNS)] for i, c in enumerate(cases, start=1)]


def write_xlsx(target: str | Path | IO[bytes], cases: Sequence[Case], *, title: str, generated_at: datetime) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter

    headers = ["序号", *(h for h, _ in EXPORT_COLUMNS)]
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.cell(row=1, column=1, value=f"{title}（导出时间：{_fmt_time(generated_at)}，共{len(cases)}件）")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, name in enumerate(headers, start=1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(name, 12)
    body = NamedStyle(name="台账正文", alignment=Alignment(vertical="top", wrap_text=True), border=border)
    money = NamedStyle(name="台账金额", alignment=body.alignment, border=border, number_format="#,##0.00")
    day = NamedStyle(name="台账日期", alignment=body.alignment, border=border, number_format="yyyy-mm-dd")
    for style in (body, money, day):
        wb.add_named_style(style)
    # One styled prototype cell per column; data cells copy its style array (what openpyxl's own
    # copy_worksheet does): setting named styles cell by cell costs seconds on a 10,000-row ledger.
    protos = []
    for j, h in enumerate(headers):
        proto = ws.cell(row=1, column=len(headers) + 2 + j)
        proto.style = "台账金额" if h == "涉及金额(元)" else "台账日期" if h == "化解时限" else "台账正文"
        protos.append(proto._style)
    ws.delete_cols(len(headers) + 2, len(headers))
    level_col = headers.index("风险等级")
    overdue_col = headers.index("是否超期")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in _LEVEL_FILL.items()}
    red = Font(color="C00000", bold=True)
    for r, values in enumerate(_rows(cases), start=3):
        for j, value in enumerate(values):
            cell = ws.cell(row=r, column=j + 1)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = float(value) if hasattr(value, "is_finite") else value
            cell._style = copy(protos[j])
        if values[level_col] in fills:
            ws.cell(row=r, column=level_col + 1).fill = fills[values[level_col]]
        if values[overdue_col] == "是":
            ws.cell(row=r, column=overdue_col + 1).font = red
    ws.freeze_panes = "D3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(2, len(cases) + 2)}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    wb.save(target)  # type: ignore[arg-type]


def write_csv(target: str | Path | IO[str], cases: Sequence[Case]) -> None:
    headers = ["序号", *(h for h, _ in EXPORT_COLUMNS)]

    def emit(fh: IO[str]) -> None:
        w = csv.writer(fh)
        w.writerow(headers)
        for values in _rows(cases):
            w.writerow(
                [
                    _safe_text(v)
                    if isinstance(v, str)
                    else v.isoformat()
                    if isinstance(v, date)
                    else ""
                    if v is None
                    else v
                    for v in values
                ]
            )

    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8-sig", newline="") as fh:
            emit(fh)
    else:
        emit(target)


# --- import -------------------------------------------------------------------------------------------

#: Header text (normalised: no spaces, half-width brackets) -> field. Real ledgers name columns loosely.
HEADER_ALIASES: dict[str, str] = {
    "编号": "number",
    "案件编号": "number",
    "台账编号": "number",
    "案件名称": "title",
    "事件名称": "title",
    "标题": "title",
    "事项": "title",
    "企业名称": "enterprise_name",
    "单位名称": "enterprise_name",
    "用人单位": "enterprise_name",
    "用人单位名称": "enterprise_name",
    "涉事企业": "enterprise_name",
    "统一社会信用代码": "company_id",
    "信用代码": "company_id",
    "社会信用代码": "company_id",
    "所属街镇": "town",
    "街镇": "town",
    "所属街道(镇)": "town",
    "属地": "town",
    "街道镇": "town",
    "行业": "industry",
    "所属行业": "industry",
    "争议类型": "dispute_types",
    "类型": "dispute_types",
    "矛盾类型": "dispute_types",
    "涉及人数": "workers",
    "人数": "workers",
    "涉及职工人数": "workers",
    "涉及金额(元)": "amount_yuan",
    "涉及金额": "amount_yuan",
    "金额(元)": "amount_yuan",
    "金额": "amount_yuan",
    "涉及金额(万元)": "amount_wan",
    "金额(万元)": "amount_wan",
    "风险等级": "risk_level",
    "等级": "risk_level",
    "预警等级": "risk_level",
    "责任单位": "responsible_unit",
    "承办单位": "responsible_unit",
    "责任人": "responsible_person",
    "承办人": "responsible_person",
    "包案领导": "lead_official",
    "化解方案及措施": "plan",
    "化解方案": "plan",
    "化解措施": "plan",
    "工作措施": "plan",
    "化解时限": "deadline",
    "办结时限": "deadline",
    "完成时限": "deadline",
    "当前状态": "status",
    "状态": "status",
    "化解状态": "status",
    "办理状态": "status",
    "简要情况": "summary",
    "基本情况": "summary",
    "情况简介": "summary",
    "化解结果": "resolution",
    "办理结果": "resolution",
    "化解情况": "resolution",
    "备注": "remarks",
    "关联预警": "alert_ids",
    "来源链接": "urls",
    "链接": "urls",
    "信息来源": "urls",
    "登记时间": "created_at",
    "登记日期": "created_at",
    "受理时间": "created_at",
    "序号": "_ignore",
    "是否超期": "_ignore",
    "更新时间": "_ignore",
}

_IGNORED_REASON = {"序号": "row number", "是否超期": "computed", "更新时间": "set by the system"}


def _norm_header(text: Any) -> str:
    s = re.sub(r"\s+", "", str(text or ""))
    return s.replace("（", "(").replace("）", ")").replace("：", ":").rstrip(":")


@dataclass
class _Parsed:
    row: int
    values: dict[str, Any]
    number: str | None
    status: CaseStatus
    created_at: datetime | None
    alert_ids: list[str]
    urls: list[str]
    key: str


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str], list[str]] | None:
    """(index of the header row, column index -> field, ignored headers) among the first rows."""
    best: tuple[int, dict[int, str], list[str]] | None = None
    best_hits = 0
    for i, row in enumerate(rows[:15]):
        mapping: dict[int, str] = {}
        ignored: list[str] = []
        for j, cell in enumerate(row):
            h = _norm_header(cell)
            if not h:
                continue
            field = HEADER_ALIASES.get(h)
            if field is None:
                ignored.append(f"{h} (unknown column)")
            elif field == "_ignore":
                ignored.append(f"{h} ({_IGNORED_REASON.get(h, 'ignored')})")
            elif field in mapping.values():
                ignored.append(f"{h} (duplicate of an earlier column)")
            else:
                mapping[j] = field
        hits = len(mapping)
        if hits >= 3 and hits > best_hits and {"enterprise_name", "title", "number"} & set(mapping.values()):
            best, best_hits = (i, mapping, ignored), hits
    return best


def _col_letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _created_at(value: Any) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*", value)
        if m:
            d = parse_date(m.group(1), "created_at")
            assert d is not None
            return datetime.combine(d, time(int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)), tzinfo=SHANGHAI)
    d = parse_date(value, "created_at")
    return datetime.combine(d, time(9, 0), tzinfo=SHANGHAI) if d else None


def _split_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [p for p in re.split(r"[\s,，、;；]+", str(value)) if p]


def _parse_row(
    sheet: str, excel_row: int, cells: tuple[Any, ...], mapping: dict[int, str], issues: list[ImportIssue]
) -> _Parsed | None:
    raw: dict[str, Any] = {}
    cols: dict[str, str] = {}
    for j, field in mapping.items():
        value = cells[j] if j < len(cells) else None
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("'") and len(value) > 1 and value[1] in "=+-@":
                value = value[1:]  # our own CSV/XLSX guard
        raw[field] = value
        cols[field] = _col_letter(j)
    before = len(issues)

    def bad(field: str, reason: str) -> None:
        issues.append(ImportIssue(sheet=sheet, row=excel_row, column=cols.get(field), reason=reason))

    values: dict[str, Any] = {}
    for field in list(raw):
        if field in EDITABLE_FIELDS:
            try:
                values.update(coerce_fields({field: raw[field]}))
            except ValidationError as exc:
                bad(field, f"{_label(field)}: {exc.reason}")
    if "amount_wan" in raw:
        try:
            wan = parse_amount(raw["amount_wan"], "amount", unit=10000)
            if values.get("amount_yuan") is None:
                values["amount_yuan"] = wan
        except ValidationError as exc:
            bad("amount_wan", f"涉及金额(万元): {exc.reason}")
    if not values.get("title"):
        name = values.get("enterprise_name")
        if name:
            kind = dispute_types_zh(values.get("dispute_types") or ()) or "劳动争议"
            values["title"] = f"{name}{kind}"[:300]
        else:
            bad("enterprise_name", "案件名称 or 企业名称 is required")
    status = CaseStatus.PENDING
    if raw.get("status") not in (None, ""):
        try:
            status = parse_status(str(raw["status"]))
        except ValidationError as exc:
            bad("status", f"当前状态: {exc.reason}")
    created_at = None
    try:
        created_at = _created_at(raw.get("created_at"))
    except ValidationError as exc:
        bad("created_at", f"登记时间: {exc.reason}")
    number = str(raw["number"]).strip() if raw.get("number") not in (None, "") else None
    if number and len(number) > 40:
        bad("number", "编号 too long (at most 40 characters)")
    urls = _split_list(raw.get("urls"))
    for u in urls:
        if not re.match(r"https?://", u):
            bad("urls", f"来源链接: not a link: {u!r}")
    if len(issues) > before:
        return None
    key_src = "|".join(
        str(x)
        for x in (
            values.get("enterprise_name"),
            values.get("title"),
            values.get("town"),
            ",".join(values.get("dispute_types") or ()),
            created_at.date().isoformat() if created_at else "",
        )
    )
    return _Parsed(
        row=excel_row,
        values=values,
        number=number,
        status=status,
        created_at=created_at,
        alert_ids=_split_list(raw.get("alert_ids")),
        urls=urls,
        key=hashlib.sha256(key_src.encode("utf-8")).hexdigest(),
    )


def _label(field: str) -> str:
    from .fields import FIELD_LABELS

    return FIELD_LABELS.get(field, field)


def import_ledger(
    ledger: CaseStore,
    path: str | Path | IO[bytes],
    *,
    by: str,
    sheet: str | None = None,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import a 台账 workbook.

    The header row is found among the first rows (a title row above it is normal); columns are matched by
    name (:data:`HEADER_ALIASES`), unknown and computed columns are listed in ``ignored_columns``. Every bad
    cell is an :class:`ImportIssue`. By default nothing is written when any row has an error (fix the file,
    import again); with ``partial`` the good rows are written and the bad ones reported. A row whose 编号
    exists updates that case (history records old -> new); a row without 编号 that was imported before
    (same company, title, town, types, 登记时间) is reported unchanged, so importing twice creates nothing twice.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path) if isinstance(path, str | Path) else getattr(path, "name", "<stream>")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        report = ImportReport(file=name, sheet=sheet or "")
        report.errors.append(ImportIssue(sheet=sheet or "", row=0, column=None, reason=f"cannot read workbook: {exc}"))
        return report
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            report = ImportReport(file=name, sheet=sheet)
            report.errors.append(
                ImportIssue(
                    sheet=sheet, row=0, column=None, reason=f"no such sheet (sheets: {', '.join(wb.sheetnames)})"
                )
            )
            return report
        candidates = [sheet] if sheet else list(wb.sheetnames)
        found = None
        for sname in candidates:
            rows = [tuple(r) for r in wb[sname].iter_rows(values_only=True)]
            header = _find_header(rows)
            if header:
                found = (sname, rows, header)
                break
        if found is None:
            report = ImportReport(file=name, sheet=sheet or (wb.sheetnames[0] if wb.sheetnames else ""))
            report.errors.append(
                ImportIssue(
                    sheet=report.sheet,
                    row=0,
                    column=None,
                    reason="no header row found (need columns such as 编号, 企业名称, 所属街镇, 风险等级)",
                )
            )
            return report
    finally:
        wb.close()
    sname, rows, (hi, mapping, ignored) = found
    report = ImportReport(file=name, sheet=sname, ignored_columns=ignored)
    parsed: list[_Parsed] = []
    seen_numbers: dict[str, int] = {}
    for i in range(hi + 1, len(rows)):
        cells = rows[i]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        report.rows += 1
        p = _parse_row(sname, i + 1, cells, mapping, report.errors)
        if p is None:
            continue
        if p.number:
            if p.number in seen_numbers:
                report.errors.append(
                    ImportIssue(
                        sheet=sname,
                        row=p.row,
                        column=None,
                        reason=f"编号 {p.number} repeats row {seen_numbers[p.number]}",
                    )
                )
                continue
            seen_numbers[p.number] = p.row
        parsed.append(p)
    _check_alert_links(ledger, parsed, report)
    if report.errors and not partial:
        logger.warning("ledger import of %s: %d error(s); nothing written", name, len(report.errors))
        return report
    _write(ledger, parsed, report, by=by, dry_run=dry_run)
    return report


def _check_alert_links(ledger: CaseStore, parsed: list[_Parsed], report: ImportReport) -> None:
    """An alert belongs to one case: a row linking an alert of another case is an error (and is dropped)."""
    wanted = {a for p in parsed for a in p.alert_ids}
    if not wanted:
        return
    with ledger.db.session() as s:
        owners = {
            link.alert_id: link.case.number
            for link in s.scalars(select(CaseAlertRow).where(CaseAlertRow.alert_id.in_(wanted)))
        }
    for p in list(parsed):
        clash = [a for a in p.alert_ids if a in owners and owners[a] != p.number]
        if clash:
            report.errors.append(
                ImportIssue(
                    sheet=report.sheet,
                    row=p.row,
                    column=None,
                    reason="关联预警 " + ", ".join(f"{a} already belongs to case {owners[a]}" for a in clash),
                )
            )
            parsed.remove(p)


def _write(ledger: CaseStore, parsed: list[_Parsed], report: ImportReport, *, by: str, dry_run: bool) -> None:
    now = ledger.clock()
    with ledger.db.session() as s:
        for p in parsed:
            existing = None
            if p.number:
                existing = s.scalar(select(CaseRow).where(CaseRow.number == p.number))
            else:
                existing = s.scalar(select(CaseRow).where(CaseRow.import_key == p.key))
                if existing is not None:
                    report.unchanged.append(existing.number)
                    continue
            if existing is None:
                values = dict(p.values)
                if p.number:
                    values["number"] = p.number
                row = ledger._insert(
                    s,
                    values,
                    by=by,
                    source=CaseSource.IMPORT,
                    status=p.status,
                    created_at=p.created_at,
                    import_key=None if p.number else p.key,
                    note=f"{report.file} 第{p.row}行",
                )
                report.created.append(row.number if not dry_run else (p.number or f"(第{p.row}行)"))
            else:
                row = existing
                changed = ledger._apply(s, row, p.values, by=by, note=f"导入 {report.file} 第{p.row}行")
                if p.status.value != row.status:
                    record(
                        s,
                        "case",
                        row.id,
                        now,
                        by,
                        "imported",
                        field="status",
                        old=CaseStatus(row.status).label_zh,
                        new=p.status.label_zh,
                        note=f"导入 {report.file} 第{p.row}行",
                    )
                    row.status = p.status.value
                    row.status_changed_at = now
                    row.status_changed_by = by
                    row.closed_at = None if p.status.is_open else now
                    changed = True
                if changed:
                    row.updated_at = now
                    row.updated_by = by
                (report.updated if changed else report.unchanged).append(row.number)
            for alert_id in p.alert_ids:
                ledger._link_alert(s, row, alert_id, None, by)
            ledger._link_posts(s, row, [(post_id_for_url(u), u) for u in p.urls], None)
        s.flush()
        if dry_run:
            s.rollback()
            return
    report.committed = True
    logger.info(
        "ledger import of %s: %d created, %d updated, %d unchanged, %d error(s)",
        report.file,
        len(report.created),
        len(report.updated),
        len(report.unchanged),
        len(report.errors),
    )

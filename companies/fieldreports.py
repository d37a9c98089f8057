"""Field reports (网格上报, plan 三(一) "两网结合") and 12345 hotline tickets: reports from the field that enter
the same pipeline as crawled posts (analysed, indexed, alerted, linked to companies), marked with their origin.

A report is first stored here (``field_reports``, status ``pending``): a grid worker's phone form or one row of a
hotline ticket export. The app shell then runs pending reports through the pipeline (``laborwatch reports process``,
the service's ``field_reports`` job) as posts of kind ``field`` on platform ``grid`` (网格上报) or ``hotline12345``
(12345热线) and records the outcome (``processed`` with the relevance the analyser found, or ``failed`` with why:
a failed report is retried by the next run). Nothing is lost: a report exists before anything else is tried.

The hotline Excel (:data:`HOTLINE_COLUMNS`, Chinese headers; .xlsx or .csv): every bad cell is named by row
(spreadsheet numbering, header = 1), column and reason; any bad row refuses the whole file unless ``skip_invalid``
(then the good rows are stored and the bad ones listed). A ticket number already stored is not stored again and is
listed as such, so a re-import of the same export changes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI, Post, PostKind, post_id_for_platform

from .errors import CompaniesError, NotFound, RegistryFileError, ValidationError
from .history import add_history
from .models import FieldReport
from .registry import read_table
from .uscc import normalize_credit_code

__all__ = [
    "ORIGINS", "ORIGIN_PLATFORMS", "STATUS_LABELS", "HOTLINE_COLUMNS", "NewFieldReport", "FieldReportView",
    "FieldProblem", "FieldReportFileError", "FieldImportResult", "FieldReports", "to_post", "parse_hotline_file",
]

ORIGINS = {"grid": "网格上报", "hotline": "12345热线"}
#: the post platform of each origin (its Chinese label is in lwcore.domain.PLATFORM_LABELS_ZH)
ORIGIN_PLATFORMS = {"grid": "grid", "hotline": "hotline12345"}
STATUS_LABELS = {"pending": "待研判", "processed": "已研判", "failed": "研判失败（待重试）"}
MAX_CONTENT = 5000

#: Columns of the 12345 hotline ticket import: field -> accepted headers (the first is the documented one).
HOTLINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ticket_no": ("工单编号", "工单号"),
    "reported_at": ("受理时间", "来电时间", "登记时间"),
    "content": ("诉求内容", "来电内容", "反映内容"),
    "title": ("诉求标题", "标题"),
    "company_name": ("涉事企业", "被反映单位", "企业名称"),
    "credit_code": ("统一社会信用代码",),
    "town": ("所属街镇", "街镇"),
    "address": ("事发地址", "地址"),
    "workers": ("涉及人数",),
    "amount_yuan": ("涉及金额（元）", "涉及金额(元)", "涉及金额"),
    "reporter": ("承办人", "上报人"),
}
REQUIRED = ("ticket_no", "reported_at", "content")


@dataclass(frozen=True)
class NewFieldReport:
    """What a report says, before it is checked and stored."""

    origin: str
    content: str
    reported_at: datetime | None = None  # aware; None: now
    title: str = ""
    ticket_no: str | None = None
    company_name: str | None = None
    credit_code: str | None = None
    town: str | None = None
    address: str | None = None
    workers: int | None = None
    amount_yuan: Decimal | None = None
    reporter: str | None = None
    source_file: str | None = None
    source_row: int | None = None


@dataclass(frozen=True)
class FieldReportView:
    id: int
    origin: str
    ticket_no: str | None
    reported_at: datetime
    title: str
    content: str
    company_name: str | None
    credit_code: str | None
    town: str | None
    address: str | None
    workers: int | None
    amount_yuan: Decimal | None
    reporter: str | None
    source_file: str | None
    source_row: int | None
    status: str
    post_id: str
    labor_dispute: bool | None
    error: str | None
    created_at: datetime
    created_by: str
    processed_at: datetime | None

    @property
    def origin_label(self) -> str:
        return ORIGINS.get(self.origin, self.origin)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class FieldProblem:
    """One refused cell of a hotline file (row as the spreadsheet numbers it, header = 1; column as headed)."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行「{self.column}」：{self.reason}"


class FieldReportFileError(CompaniesError):
    def __init__(self, file: str, problems: list[FieldProblem] | str) -> None:
        self.file = file
        self.problems = [] if isinstance(problems, str) else list(problems)
        if isinstance(problems, str):
            message = f"{file}：{problems}"
        else:
            shown = "；".join(str(p) for p in self.problems[:5])
            more = f"（另有 {len(self.problems) - 5} 处）" if len(self.problems) > 5 else ""
            message = f"{file}：{len(self.problems)} 处错误，未导入任何工单：{shown}{more}"
        super().__init__(message)


@dataclass
class FieldImportResult:
    file: str
    added: list[int] = field(default_factory=list)  # report ids
    already: list[tuple[int, str]] = field(default_factory=list)  # (row, ticket number) stored before
    problems: list[FieldProblem] = field(default_factory=list)  # rows left out (skip_invalid only)


# ------------------------------------------------------------------------------------------------ checking
def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_when(value: Any) -> datetime:
    """A report time: an Excel date/time cell or text ``YYYY-MM-DD[ HH:MM[:SS]]`` (also with ``/``), Shanghai
    time unless the value says otherwise. Raises ValueError with the reason in Chinese."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=SHANGHAI)
    text = _clean(value).replace("/", "-").replace("T", " ")
    if not text:
        raise ValueError("为空")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"「{text}」不是日期时间（例如 2026-11-03 14:30）") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _workers(value: Any) -> int | None:
    text = _clean(value).removesuffix("人")
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"「{text}」不是大于0的整数")
    return int(text)


def _amount(value: Any) -> Decimal | None:
    text = _clean(value).replace(",", "").replace("，", "").removesuffix("元")
    if not text:
        return None
    factor = Decimal(10000) if text.endswith("万") else Decimal(1)
    try:
        amount = Decimal(text.removesuffix("万")) * factor
    except InvalidOperation:
        raise ValueError(f"「{text}」不是金额（元）") from None
    if amount < 0:
        raise ValueError(f"「{text}」为负数")
    return amount


def _code(value: Any) -> str | None:
    if not _clean(value):
        return None
    try:
        return normalize_credit_code(value)
    except ValidationError as exc:
        raise ValueError(f"统一社会信用代码不符合 GB 32100-2015：{exc.reason}") from None


def check_report(r: NewFieldReport, *, now: datetime | None = None) -> NewFieldReport:
    """The report with its fields normalised; raises :class:`ValidationError` (field, reason in Chinese)."""
    now = now or utcnow()
    if r.origin not in ORIGINS:
        raise ValidationError("origin", f"未知来源 {r.origin!r}（grid 或 hotline）")
    content = re.sub(r"[ \t\r\f\v]+", " ", r.content or "").strip()
    if len(content) < 5:
        raise ValidationError("content", "情况描述至少5个字")
    if len(content) > MAX_CONTENT:
        raise ValidationError("content", f"情况描述超过{MAX_CONTENT}字")
    when = r.reported_at or now
    if when.tzinfo is None:
        raise ValidationError("reported_at", "时间缺少时区")
    if when > now + timedelta(minutes=10):
        raise ValidationError("reported_at", f"{when.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 晚于当前时间")
    if r.origin == "hotline" and not (r.ticket_no or "").strip():
        raise ValidationError("ticket_no", "12345 工单须有工单编号")
    if r.workers is not None and r.workers < 1:
        raise ValidationError("workers", "涉及人数须大于0")
    if r.amount_yuan is not None and r.amount_yuan < 0:
        raise ValidationError("amount_yuan", "涉及金额不能为负数")
    try:
        code = normalize_credit_code(r.credit_code) if (r.credit_code or "").strip() else None
    except ValidationError as exc:
        raise ValidationError("credit_code", f"统一社会信用代码不符合 GB 32100-2015：{exc.reason}") from None
    title = (r.title or "").strip() or content[:30]

    def opt(v: str | None) -> str | None:
        return (v or "").strip() or None

    return NewFieldReport(
        origin=r.origin, content=content, reported_at=when, title=title[:200], ticket_no=opt(r.ticket_no),
        company_name=opt(r.company_name), credit_code=code, town=opt(r.town), address=opt(r.address),
        workers=r.workers, amount_yuan=r.amount_yuan, reporter=opt(r.reporter), source_file=r.source_file,
        source_row=r.source_row,
    )


def parse_hotline_file(path: Path | str, *, now: datetime | None = None
                       ) -> tuple[list[NewFieldReport], list[FieldProblem]]:
    """Every data row of a 12345 ticket export as a checked report, and every problem (row, column, why)."""
    path = Path(path)
    file = str(path)
    try:
        rows = iter(read_table(path))
        header = next(rows, None)
    except RegistryFileError as exc:
        raise FieldReportFileError(file, str(exc).removeprefix(f"{file}: ")) from None
    if not header:
        raise FieldReportFileError(file, "文件为空（第1行应为表头）")
    names = [re.sub(r"\s", "", _clean(c)) for c in header]
    col: dict[str, int] = {}
    for key, accepted in HOTLINE_COLUMNS.items():
        for i, name in enumerate(names):
            if name in accepted and key not in col:
                col[key] = i
    missing = [HOTLINE_COLUMNS[k][0] for k in REQUIRED if k not in col]
    if missing:
        raise FieldReportFileError(file, f"第1行（表头）缺少列：{'、'.join(missing)}；"
                                         f"现有列：{'、'.join(n for n in names if n) or '（无）'}")
    heading = {k: _clean(header[i]) for k, i in col.items()}
    reports: list[NewFieldReport] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for rowno, row in enumerate(rows, start=2):
        if not any(_clean(c) for c in row):
            continue

        def cell(key: str, row: list[Any] = row) -> Any:
            i = col.get(key)
            return row[i] if i is not None and i < len(row) else None

        bad: list[FieldProblem] = []
        values: dict[str, Any] = {}
        for key in REQUIRED:
            if not _clean(cell(key)):
                bad.append(FieldProblem(rowno, heading[key], "为空"))
        for key, conv in (("reported_at", parse_when), ("workers", _workers), ("amount_yuan", _amount),
                          ("credit_code", _code)):
            if key in col and _clean(cell(key)):
                try:
                    values[key] = conv(cell(key))
                except ValueError as exc:
                    bad.append(FieldProblem(rowno, heading[key], str(exc)))
        ticket = _clean(cell("ticket_no"))
        if ticket:
            if ticket in seen:
                bad.append(FieldProblem(rowno, heading["ticket_no"], f"与第{seen[ticket]}行工单编号重复"))
            else:
                seen[ticket] = rowno
        if not bad:
            try:
                reports.append(check_report(NewFieldReport(
                    origin="hotline", content=_clean(cell("content")), reported_at=values.get("reported_at"),
                    title=_clean(cell("title")), ticket_no=ticket, company_name=_clean(cell("company_name")),
                    credit_code=values.get("credit_code"), town=_clean(cell("town")), address=_clean(cell("address")),
                    workers=values.get("workers"), amount_yuan=values.get("amount_yuan"),
                    reporter=_clean(cell("reporter")), source_file=path.name, source_row=rowno,
                ), now=now))
            except ValidationError as exc:
                column = heading.get(exc.field) or HOTLINE_COLUMNS.get(exc.field, (exc.field,))[0]
                bad.append(FieldProblem(rowno, column, exc.reason))
        problems += bad
    return reports, problems


# ------------------------------------------------------------------------------------------------ the post
def to_post(r: FieldReportView, *, base_url: str) -> Post:
    """The report as a post of kind ``field``: the title says where it came from, the text carries the firm, the
    workers and the sum as the analyser reads them, ``extra`` keeps the report's own fields."""
    tag = f"【{r.origin_label}】"
    lines = [r.content]
    if r.company_name:
        lines.append(f"涉事企业：{r.company_name}")
    if r.town or r.address:
        lines.append(f"地点：{r.town or ''}{r.address or ''}")
    if r.workers:
        lines.append(f"涉及人数：{r.workers}人")
    if r.amount_yuan is not None:
        lines.append(f"涉及金额：{r.amount_yuan:f}元")
    extra = {"origin": r.origin, "field_report_id": r.id, "ticket_no": r.ticket_no, "reporter": r.reporter,
             "credit_code": r.credit_code, "source_file": r.source_file, "source_row": r.source_row}
    return Post(
        id=r.post_id, url=f"{base_url.rstrip('/')}/reports/{r.id}", source_id=f"field-{r.origin}",
        platform=ORIGIN_PLATFORMS[r.origin], kind=PostKind.FIELD, title=tag + r.title, content="\n".join(lines),
        published_at=r.reported_at, fetched_at=r.created_at, author=r.reporter,
        region=(r.town,) if r.town else (), extra={k: v for k, v in extra.items() if v is not None},
    )


# ------------------------------------------------------------------------------------------------ the store
class FieldReports:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, report: NewFieldReport, *, actor: str, now: datetime | None = None) -> FieldReportView:
        """Store one report (checked) as pending; a hotline ticket number already stored is refused."""
        now = now or utcnow()
        r = check_report(report, now=now)
        try:
            with self.db.session() as s:
                row = self._insert(s, r, actor, now)
                return _view(row)
        except IntegrityError as exc:
            raise ValidationError("ticket_no", f"工单 {r.ticket_no} 已导入") from exc

    def import_file(self, path: Path | str, *, actor: str, skip_invalid: bool = False,
                    now: datetime | None = None) -> FieldImportResult:
        """Store every row of a 12345 ticket export (all rows or none, unless ``skip_invalid``)."""
        now = now or utcnow()
        reports, problems = parse_hotline_file(path, now=now)
        if problems and not skip_invalid:
            raise FieldReportFileError(str(path), problems)
        result = FieldImportResult(str(path), problems=problems)
        with self.db.session() as s:
            tickets = [r.ticket_no for r in reports if r.ticket_no]
            stored: set[str] = set()
            for i in range(0, len(tickets), 500):
                stored |= set(s.scalars(select(FieldReport.ticket_no).where(
                    FieldReport.origin == "hotline", FieldReport.ticket_no.in_(tickets[i:i + 500]))))
            rows = []
            for r in reports:
                if r.ticket_no in stored:
                    result.already.append((r.source_row or 0, r.ticket_no or ""))
                    continue
                rows.append(self._insert(s, r, actor, now, history=False))
            s.flush()
            result.added = [row.id for row in rows]
            add_history(s, actor=actor, action="field_reports.import", target_type="field_reports",
                        target_id=Path(path).name, now=now,
                        detail={"added": len(rows), "already": len(result.already), "skipped": len(problems)})
        return result

    def get(self, report_id: int) -> FieldReportView:
        with self.db.sessions() as s:
            row = s.get(FieldReport, report_id)
            if row is None:
                raise NotFound("field report", report_id)
            return _view(row)

    def by_post(self, post_id: str) -> FieldReportView | None:
        with self.db.sessions() as s:
            row = s.scalar(select(FieldReport).where(FieldReport.post_id == post_id))
            return _view(row) if row else None

    def recent(self, *, status: str | None = None, origin: str | None = None, credit_code: str | None = None,
             limit: int = 200) -> list[FieldReportView]:
        with self.db.sessions() as s:
            q = select(FieldReport)
            if status:
                q = q.where(FieldReport.status == status)
            if origin:
                q = q.where(FieldReport.origin == origin)
            if credit_code:
                q = q.where(FieldReport.credit_code == credit_code)
            return [_view(r) for r in s.scalars(q.order_by(FieldReport.id.desc()).limit(limit))]

    def for_firm(self, credit_code: str, names: tuple[str, ...] = (), *, limit: int = 50) -> list[FieldReportView]:
        """The firm's reports, newest first: those giving its credit code or one of its names (registered name,
        aliases) as the firm."""
        from sqlalchemy import or_

        cond = FieldReport.credit_code == credit_code
        if names:
            cond = or_(cond, FieldReport.company_name.in_(names))
        with self.db.sessions() as s:
            q = select(FieldReport).where(cond).order_by(FieldReport.reported_at.desc(), FieldReport.id.desc())
            return [_view(r) for r in s.scalars(q.limit(limit))]

    def pending(self, *, limit: int = 500) -> list[FieldReportView]:
        """Reports not yet through the pipeline, and those whose last try failed, oldest first."""
        with self.db.sessions() as s:
            q = select(FieldReport).where(FieldReport.status.in_(("pending", "failed")))
            return [_view(r) for r in s.scalars(q.order_by(FieldReport.id).limit(limit))]

    def mark_processed(self, outcome: dict[int, bool], *, now: datetime | None = None) -> None:
        """``outcome``: report id -> whether the analyser found a labour dispute."""
        now = now or utcnow()
        with self.db.session() as s:
            for rid, relevant in outcome.items():
                row = s.get(FieldReport, rid)
                if row is not None:
                    row.status, row.labor_dispute, row.error, row.processed_at = "processed", relevant, None, now

    def mark_failed(self, ids: list[int], error: str, *, now: datetime | None = None) -> None:
        now = now or utcnow()
        with self.db.session() as s:
            for rid in ids:
                row = s.get(FieldReport, rid)
                if row is not None:
                    row.status, row.error, row.processed_at = "failed", error[:2000], now

    @staticmethod
    def _insert(s: Any, r: NewFieldReport, actor: str, now: datetime, *, history: bool = True) -> FieldReport:
        platform = ORIGIN_PLATFORMS[r.origin]
        post_id = post_id_for_platform(platform, r.ticket_no if r.ticket_no else uuid.uuid4().hex)
        assert r.reported_at is not None  # check_report filled it
        row = FieldReport(
            origin=r.origin, ticket_no=r.ticket_no, reported_at=r.reported_at, title=r.title, content=r.content,
            company_name=r.company_name, credit_code=r.credit_code, town=r.town, address=r.address,
            workers=r.workers, amount_fen=int((r.amount_yuan * 100).to_integral_value())
            if r.amount_yuan is not None else None, reporter=r.reporter, source_file=r.source_file,
            source_row=r.source_row, status="pending", post_id=post_id, created_at=now, created_by=actor,
        )
        s.add(row)
        if history:
            s.flush()
            add_history(s, actor=actor, action="field_reports.add", target_type="field_report", target_id=row.id,
                        now=now, detail={"origin": r.origin, "ticket_no": r.ticket_no})
        return row


def _view(r: FieldReport) -> FieldReportView:
    return FieldReportView(
        id=r.id, origin=r.origin, ticket_no=r.ticket_no, reported_at=r.reported_at, title=r.title, content=r.content,
        company_name=r.company_name, credit_code=r.credit_code, town=r.town, address=r.address, workers=r.workers,
        amount_yuan=Decimal(r.amount_fen) / 100 if r.amount_fen is not None else None, reporter=r.reporter,
        source_file=r.source_file, source_row=r.source_row, status=r.status, post_id=r.post_id,
        labor_dispute=r.labor_dispute, error=r.error, created_at=r.created_at, created_by=r.created_by,
        processed_at=r.processed_at,
    )

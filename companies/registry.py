"""The company registry: reading a bureau's CSV or Excel file, merging duplicates, importing, finding a firm.

A registry file has a header row; columns are found by their English or Chinese names (:data:`COLUMNS`), in any
order. Rows with the same credit code are merged into one company: the first name stays the name, other names
and every alias are kept as aliases; the first non-empty town and industry win; ``key_supervision`` is true when
any row says so. Re-importing never deletes an alias: a company's former name becomes an alias when a file
renames it.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select, update

from lwcore.db import Database, utcnow

from .errors import RegistryFileError, RowProblem, ValidationError
from .history import add_history
from .models import Company, CompanyAlias
from .uscc import is_test_code, normalize_credit_code

__all__ = ["COLUMNS", "OPERATING_STATUS", "CompanyRecord", "ParsedRegistry", "ImportReport", "CompanyView", "Registry",
           "parse_registry", "read_table"]

logger = logging.getLogger(__name__)

#: field -> header names accepted for it (compared after stripping blanks, case-insensitively)
COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("credit_code", "company_id", "统一社会信用代码", "社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "单位名称", "名称"),
    "aliases": ("aliases", "别名", "简称", "别名/简称", "曾用名"),
    "town": ("town", "所属街镇", "街镇"),
    "industry": ("industry", "行业", "所属行业"),
    "key_supervision": ("key_supervision", "重点监管"),
    "operating_status": ("operating_status", "经营状态", "登记状态"),
}
#: operating status code -> label, and the words a bureau file uses for each
OPERATING_STATUS: dict[str, str] = {"operating": "在营", "suspended": "停业", "closed": "注销", "moved": "迁出"}
_STATUS_WORDS = {
    "operating": ("operating", "在营", "存续", "开业", "正常"),
    "suspended": ("suspended", "停业", "歇业", "停产"),
    "closed": ("closed", "注销", "吊销", "关闭"),
    "moved": ("moved", "迁出"),
}
_STATUS_OF = {w.lower(): code for code, words in _STATUS_WORDS.items() for w in words}
REQUIRED = ("credit_code", "name")
_ALIAS_SPLIT = re.compile(r"[|｜,，;；、/]")
_TRUE = frozenset({"true", "1", "yes", "y", "是", "√"})
_FALSE = frozenset({"", "false", "0", "no", "n", "否"})
MAX_NAME = 200
MAX_SHORT = 60


@dataclass
class CompanyRecord:
    """One company as a file describes it, after merging its rows."""

    credit_code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    town: str | None = None
    industry: str | None = None
    key_supervision: bool = False
    rows: list[int] = field(default_factory=list)
    operating_status: str | None = None  # None: the file does not say


@dataclass
class ParsedRegistry:
    file: str
    rows: int = 0
    records: dict[str, CompanyRecord] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    merged_rows: int = 0  # rows folded into an earlier row with the same credit code
    has_key_supervision: bool = False


@dataclass(frozen=True)
class ImportReport:
    file: str
    rows: int
    companies: int
    created: int
    updated: int
    unchanged: int
    merged_rows: int
    aliases_added: int
    test_codes: int
    skipped_rows: int
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True)
class CompanyView:
    credit_code: str
    name: str
    aliases: tuple[str, ...]
    town: str | None
    industry: str | None
    key_supervision: bool
    is_test: bool
    operating_status: str = "operating"

    @property
    def operating_label(self) -> str:
        return OPERATING_STATUS.get(self.operating_status, self.operating_status)


def read_table(path: Path) -> Iterator[list[Any]]:
    """The rows of a CSV (UTF-8 with or without BOM, or GB18030) or the first sheet of an .xlsx file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise RegistryFileError(str(path), "no such file")
    if suffix == ".xlsx":
        from zipfile import BadZipFile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise RegistryFileError(str(path), f"not a readable .xlsx workbook: {exc}") from exc
        try:
            for row in wb.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            wb.close()
        return
    if suffix != ".csv":
        raise RegistryFileError(str(path), f"unsupported file type {suffix or '(none)'}: give a .csv or .xlsx file")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise RegistryFileError(str(path), "neither UTF-8 nor GB18030 text")
    yield from csv.reader(text.splitlines())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(file: str, header: list[Any]) -> dict[str, int]:
    wanted = {name.lower(): key for key, names in COLUMNS.items() for name in names}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = wanted.get(re.sub(r"\s", "", _text(cell)).lower())
        if key and key not in found:
            found[key] = i
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        labels = "; ".join(f"{k} ({'/'.join(COLUMNS[k][2:3] or COLUMNS[k][:1])})" for k in missing)
        raise RegistryFileError(file, f"row 1 (header): no column for {labels}; columns found: "
                                      f"{', '.join(_text(c) for c in header if _text(c)) or '(none)'}")
    return found


def parse_registry(path: Path | str, rows: Iterable[list[Any]] | None = None) -> ParsedRegistry:
    """Read and check a registry file (``rows`` given: use them instead of reading ``path``, for tests)."""
    path = Path(path)
    file = str(path)
    it = iter(rows if rows is not None else read_table(path))
    header = next(it, None)
    if header is None:
        raise RegistryFileError(file, "empty file (no header row)")
    cols = _header_map(file, header)
    out = ParsedRegistry(file=file, has_key_supervision="key_supervision" in cols)

    def cell(row: list[Any], key: str) -> str:
        i = cols.get(key)
        return _text(row[i]) if i is not None and i < len(row) else ""

    for rowno, row in enumerate(it, start=2):
        if not any(_text(c) for c in row):
            continue
        out.rows += 1
        try:
            code = normalize_credit_code(cell(row, "credit_code"))
        except ValidationError as exc:
            out.problems.append(RowProblem(rowno, "credit_code", exc.reason))
            continue
        name = cell(row, "name")
        problem = None
        if not name:
            problem = RowProblem(rowno, "name", "empty")
        elif len(name) > MAX_NAME:
            problem = RowProblem(rowno, "name", f"{len(name)} characters, at most {MAX_NAME}")
        flag = cell(row, "key_supervision").lower()
        if problem is None and flag not in _TRUE and flag not in _FALSE:
            problem = RowProblem(rowno, "key_supervision", f"{flag!r} is not true/false (是/否)")
        town, industry = cell(row, "town") or None, cell(row, "industry") or None
        for key, value in (("town", town), ("industry", industry)):
            if problem is None and value and len(value) > MAX_SHORT:
                problem = RowProblem(rowno, key, f"{len(value)} characters, at most {MAX_SHORT}")
        status_text = cell(row, "operating_status")
        status = _STATUS_OF.get(status_text.lower()) if status_text else None
        if problem is None and status_text and status is None:
            problem = RowProblem(rowno, "operating_status", f"{status_text!r} is not one of "
                                                            "在营/存续, 停业/歇业, 注销/吊销, 迁出")
        aliases = [a.strip() for a in _ALIAS_SPLIT.split(cell(row, "aliases")) if a.strip()]
        long_alias = next((a for a in aliases if len(a) > MAX_NAME), None)
        if problem is None and long_alias:
            problem = RowProblem(rowno, "aliases", f"alias of {len(long_alias)} characters, at most {MAX_NAME}")
        if problem is not None:
            out.problems.append(problem)
            continue
        rec = out.records.get(code)
        if rec is None:
            out.records[code] = CompanyRecord(code, name, _unique(aliases, name), town, industry,
                                              flag in _TRUE, [rowno], status)
            continue
        out.merged_rows += 1
        rec.rows.append(rowno)
        rec.aliases = _unique([*rec.aliases, name, *aliases], rec.name)
        rec.town = rec.town or town
        rec.industry = rec.industry or industry
        rec.key_supervision = rec.key_supervision or flag in _TRUE
        rec.operating_status = status or rec.operating_status
    return out


def _unique(aliases: Iterable[str], name: str) -> list[str]:
    return [a for a in dict.fromkeys(aliases) if a and a != name]


class Registry:
    """The registry in the relational database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def import_file(self, path: Path | str, *, actor: str, skip_invalid: bool = False,
                    now: datetime | None = None) -> ImportReport:
        """Import a registry file. Any row in error refuses the whole file (:class:`RegistryFileError` lists the
        rows) unless ``skip_invalid``: then the valid rows are imported and the report lists the others."""
        parsed = parse_registry(path)
        if parsed.problems and not skip_invalid:
            raise RegistryFileError(parsed.file, parsed.problems)
        return self.import_parsed(parsed, actor=actor, now=now)

    def import_parsed(self, parsed: ParsedRegistry, *, actor: str, now: datetime | None = None) -> ImportReport:
        now = now or utcnow()
        created = updated = unchanged = aliases_added = 0
        with self.db.session() as s:
            existing = {row.credit_code: row for row in s.execute(
                select(Company.credit_code, Company.name, Company.town, Company.industry, Company.key_supervision,
                       Company.operating_status)
            )}
            known_aliases = {(r[0], r[1]) for r in s.execute(select(CompanyAlias.credit_code, CompanyAlias.alias))}
            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []
            new_aliases: list[dict[str, Any]] = []
            for code, rec in parsed.records.items():
                aliases = list(rec.aliases)
                old = existing.get(code)
                if old is None:
                    created += 1
                    inserts.append({"credit_code": code, "name": rec.name, "town": rec.town,
                                    "industry": rec.industry, "key_supervision": rec.key_supervision,
                                    "is_test": is_test_code(code), "created_at": now, "updated_at": now,
                                    "operating_status": rec.operating_status or "operating"})
                else:
                    values = {
                        "name": rec.name,
                        "town": rec.town or old.town,
                        "industry": rec.industry or old.industry,
                        "key_supervision": rec.key_supervision if parsed.has_key_supervision
                        else old.key_supervision,
                        "operating_status": rec.operating_status or old.operating_status,
                    }
                    if values == {"name": old.name, "town": old.town, "industry": old.industry,
                                  "key_supervision": old.key_supervision, "operating_status": old.operating_status}:
                        unchanged += 1
                    else:
                        updated += 1
                        updates.append({"credit_code": code, **values, "updated_at": now})
                    if old.name != rec.name:
                        aliases.append(old.name)  # the former name stays findable
                for alias in _unique(aliases, rec.name):
                    if (code, alias) not in known_aliases:
                        known_aliases.add((code, alias))
                        new_aliases.append({"credit_code": code, "alias": alias})
            for chunk in _chunks(inserts, 5000):
                s.execute(insert(Company), chunk)
            for chunk in _chunks(updates, 5000):
                s.execute(update(Company), chunk)
            for chunk in _chunks(new_aliases, 5000):
                s.execute(insert(CompanyAlias), chunk)
            aliases_added = len(new_aliases)
            report = ImportReport(
                file=parsed.file, rows=parsed.rows, companies=len(parsed.records), created=created,
                updated=updated, unchanged=unchanged, merged_rows=parsed.merged_rows, aliases_added=aliases_added,
                test_codes=sum(1 for c in parsed.records if is_test_code(c)),
                skipped_rows=len({p.row for p in parsed.problems}), problems=tuple(parsed.problems),
            )
            add_history(s, actor=actor, action="registry.import", target_type="registry",
                        target_id=Path(parsed.file).name,
                        detail={k: v for k, v in report.__dict__.items() if k not in ("problems", "file")}, now=now)
        logger.info("registry %s imported: %d created, %d updated, %d aliases added", parsed.file, created, updated,
                    aliases_added)
        return report

    def set_operating_status(self, credit_code: str, status: str, *, actor: str,
                             now: datetime | None = None) -> CompanyView:
        """Record a firm's operating status (``operating``, ``suspended``, ``closed``, ``moved`` or a Chinese word
        for one of them)."""
        code = _STATUS_OF.get(status.strip().lower())
        if code is None:
            raise ValidationError("operating_status", f"{status!r} is not one of {', '.join(OPERATING_STATUS)}")
        now = now or utcnow()
        with self.db.session() as s:
            company = s.get(Company, credit_code)
            if company is None:
                from .errors import NotFound

                raise NotFound("company", credit_code)
            old, company.operating_status, company.updated_at = company.operating_status, code, now
            add_history(s, actor=actor, action="registry.status", target_type="company", target_id=credit_code,
                        detail={"from": old, "to": code}, now=now)
            return self._view(s, company)

    def get(self, credit_code: str) -> CompanyView | None:
        with self.db.sessions() as s:
            company = s.get(Company, credit_code)
            return None if company is None else self._view(s, company)

    def find(self, query: str, *, limit: int = 20) -> list[CompanyView]:
        """Companies matching a credit code, an exact name or alias, or else a part of a name or alias."""
        q = query.strip()
        if not q:
            return []
        with self.db.sessions() as s:
            try:
                code = normalize_credit_code(q)
            except ValidationError:
                code = None
            if code and (c := s.get(Company, code)) is not None:
                return [self._view(s, c)]
            exact = s.scalars(select(Company).where(or_(
                Company.name == q,
                Company.credit_code.in_(select(CompanyAlias.credit_code).where(CompanyAlias.alias == q)),
            )).order_by(Company.name).limit(limit)).all()
            if exact:
                return [self._view(s, c) for c in exact]
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found = s.scalars(select(Company).where(or_(
                Company.name.like(pattern, escape="\\"),
                Company.credit_code.in_(
                    select(CompanyAlias.credit_code).where(CompanyAlias.alias.like(pattern, escape="\\"))),
            )).order_by(Company.name).limit(limit)).all()
            return [self._view(s, c) for c in found]

    def count(self) -> int:
        from sqlalchemy import func

        with self.db.sessions() as s:
            return int(s.scalar(select(func.count()).select_from(Company)) or 0)

    @staticmethod
    def _view(s: Any, c: Company) -> CompanyView:
        aliases = s.scalars(select(CompanyAlias.alias).where(CompanyAlias.credit_code == c.credit_code)
                            .order_by(CompanyAlias.id)).all()
        return CompanyView(c.credit_code, c.name, tuple(aliases), c.town, c.industry, c.key_supervision, c.is_test,
                           c.operating_status)


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]

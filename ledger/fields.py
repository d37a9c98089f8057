"""Validation and coercion of case fields (what callers, the CLI and imported ledgers give us)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lwcore.domain import SHANGHAI, Severity

from .errors import ValidationError
from .vocab import dispute_types_zh, parse_dispute_types, parse_risk_level

__all__ = [
    "EDITABLE_FIELDS",
    "FIELD_LABELS",
    "coerce_fields",
    "to_fen",
    "from_fen",
    "parse_date",
    "parse_workers",
    "parse_amount",
    "format_value",
]


def _text(max_len: int, *, required: bool = False) -> Callable[[str, Any], str | None]:
    def coerce(name: str, value: Any) -> str | None:
        if value is None:
            if required:
                raise ValidationError(name, "must not be empty")
            return None
        text = str(value).strip()
        if not text:
            if required:
                raise ValidationError(name, "must not be empty")
            return None
        if len(text) > max_len:
            raise ValidationError(name, f"too long ({len(text)} characters, at most {max_len})")
        return text

    return coerce


def parse_workers(value: Any, name: str = "workers") -> int | None:
    """An int, or text like "约30人" / "30余人" (the number is taken as written)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(name, f"not a number of people: {value!r}")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if value != int(value):
            raise ValidationError(name, f"not a whole number of people: {value!r}")
        n = int(value)
    else:
        m = re.fullmatch(r"\s*(?:约|近|超过|逾)?\s*(\d+)\s*(?:余|多)?\s*(?:人|名)?\s*", str(value))
        if not m:
            raise ValidationError(name, f"not a number of people: {value!r}")
        n = int(m.group(1))
    if n < 0 or n > 10_000_000:
        raise ValidationError(name, f"out of range: {n}")
    return n


def parse_amount(value: Any, name: str = "amount_yuan", *, unit: int = 1) -> Decimal | None:
    """Yuan as Decimal from a number or text like "12.5万", "125,000元", "￥3000"; ``unit`` scales bare numbers
    (10000 for a column in 万元)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(name, f"not an amount: {value!r}")
    scale = Decimal(unit)
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value)) * scale
        except InvalidOperation:
            raise ValidationError(name, f"not an amount: {value!r}") from None
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("￥", "").replace("¥", "")
        m = re.fullmatch(r"(?:约|近)?\s*(\d+(?:\.\d+)?)\s*(万元|万|元)?\s*(?:余|多)?", text)
        if not m:
            raise ValidationError(name, f"not an amount: {value!r}")
        amount = Decimal(m.group(1))
        if m.group(2) in ("万", "万元"):
            amount *= 10000
        elif m.group(2) is None:
            amount *= scale
    if not amount.is_finite() or amount < 0:
        raise ValidationError(name, f"not a valid amount: {value!r}")
    if amount > Decimal("1e13"):
        raise ValidationError(name, f"amount out of range: {value!r}")
    return amount.quantize(Decimal("0.01"))


def to_fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def from_fen(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, name: str = "deadline") -> date | None:
    """A calendar day from a date, an aware datetime (taken in Shanghai), an Excel serial number or text
    (2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # Excel serial day (1954..2119)
            from datetime import timedelta

            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValidationError(name, f"not a date: {value!r}")
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text)
    if not m:
        raise ValidationError(name, f"not a date: {value!r} (use YYYY-MM-DD)")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValidationError(name, f"not a date: {value!r} ({exc})") from None


def _level(name: str, value: Any) -> Severity | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_risk_level(value)
    except ValidationError as exc:
        raise ValidationError(name, exc.reason) from None


def _types(name: str, value: Any) -> tuple[str, ...]:
    try:
        return parse_dispute_types(value)
    except ValidationError as exc:
        raise ValidationError(name, exc.reason) from None


#: Editable case fields -> coercer(name, value). Status is changed only through ``Ledger.transition``.
EDITABLE_FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "title": _text(300, required=True),
    "enterprise_name": _text(200),
    "company_id": _text(40),
    "town": _text(60),
    "industry": _text(60),
    "dispute_types": _types,
    "workers": lambda n, v: parse_workers(v, n),
    "amount_yuan": lambda n, v: parse_amount(v, n),
    "risk_level": _level,
    "responsible_unit": _text(120),
    "responsible_person": _text(60),
    "lead_official": _text(60),
    "plan": _text(20000),
    "deadline": lambda n, v: parse_date(v, n),
    "summary": _text(20000),
    "resolution": _text(20000),
    "remarks": _text(20000),
    "event_id": _text(80),
}

#: Chinese names of the fields (history, CLI, web).
FIELD_LABELS: dict[str, str] = {
    "title": "案件名称",
    "enterprise_name": "企业名称",
    "company_id": "统一社会信用代码",
    "town": "所属街镇",
    "industry": "行业",
    "dispute_types": "争议类型",
    "workers": "涉及人数",
    "amount_yuan": "涉及金额(元)",
    "risk_level": "风险等级",
    "responsible_unit": "责任单位",
    "responsible_person": "责任人",
    "lead_official": "包案领导",
    "plan": "化解方案及措施",
    "deadline": "化解时限",
    "summary": "简要情况",
    "resolution": "化解结果",
    "remarks": "备注",
    "event_id": "事件编号",
    "status": "当前状态",
}

_ALIASES = {"company_name": "enterprise_name", "level": "risk_level", "amount": "amount_yuan"}


def coerce_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise a mapping of case fields; unknown names are an error, not ignored."""
    out: dict[str, Any] = {}
    for raw_name, value in fields.items():
        name = _ALIASES.get(raw_name, raw_name)
        if name == "status":
            raise ValidationError("status", "change the status with transition (workflow), not update")
        coerce = EDITABLE_FIELDS.get(name)
        if coerce is None:
            raise ValidationError(raw_name, f"unknown case field (known: {', '.join(EDITABLE_FIELDS)})")
        out[name] = coerce(name, value)
    return out


def format_value(name: str, value: Any) -> str | None:
    """A field value as text for the history table."""
    if value is None or value == () or value == "":
        return None
    if name == "dispute_types":
        return dispute_types_zh(value)
    if isinstance(value, Severity):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "label_zh"):
        return str(value.label_zh)
    return str(value)

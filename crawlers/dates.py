"""Chinese dates and relative times, resolved against the fetch time, in Asia/Shanghai.

Handles ``2023年9月14日 08:30``, ``2023-09-14T08:30:00+08:00``, ``2023/9/14``, ``09-14 08:30`` (year from the
fetch time, last year when that would be in the future), ``3分钟前``, ``2小时前``, ``刚刚``, ``昨天 14:20``,
``前天``, ``今天 08:00``, ``3天前``, ``1周前``, epoch seconds/milliseconds, and RFC 822 dates of feeds.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from crawlers.textnorm import fullwidth_to_halfwidth
from lwcore.domain import SHANGHAI

__all__ = ["parse_datetime", "find_datetime", "DATE_PATTERNS"]

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "两": 2}

_TIME = r"(?:\s*[T ]?\s*(?P<H>[01]?\d|2[0-3])\s*[:：时点]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d))?\s*秒?)?"
_TZ = r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?"

#: Absolute patterns, most specific first. Named groups: Y, m, d, H, M, S, tz.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?P<Y>(?:19|20)\d{2})\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]?" + _TIME),
    re.compile(r"(?<!\d)(?P<Y>(?:19|20)\d{2})[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
               + r"(?:(?:T|\s+)(?P<H>[01]?\d|2[0-3])[:：](?P<M>[0-5]\d)(?:[:：](?P<S>[0-5]\d))?(?:\.\d+)?)?" + _TZ),
    re.compile(r"(?<!\d)(?P<Y>(?:19|20)\d{2})(?P<m>1[0-2]|0[1-9])(?P<d>3[01]|[12]\d|0[1-9])(?!\d)"
               + r"(?:\s*(?P<H>[01]\d|2[0-3])[:：]?(?P<M>[0-5]\d))?"),
)
_MONTH_DAY = (
    re.compile(r"(?<![\d年])(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]" + _TIME),
    re.compile(r"(?<![\d/.-])(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12]\d|0[1-9])\s+(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)"),
)
_RELATIVE = re.compile(r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*(?P<unit>秒|分钟|分|小时|个小时|天|日|周|星期|个月|月|年)\s*前")
_DAYWORD = re.compile(r"(?P<w>今天|今日|昨天|昨日|前天)\s*(?:(?P<H>[01]?\d|2[0-3])\s*[:：]\s*(?P<M>[0-5]\d))?")
_JUST_NOW = re.compile(r"刚刚|刚才|几秒前")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(SHANGHAI)
    if now.tzinfo is None:
        return now.replace(tzinfo=SHANGHAI)
    return now.astimezone(SHANGHAI)


def _tz_of(text: str | None):  # type: ignore[no-untyped-def]
    if not text:
        return SHANGHAI
    if text == "Z":
        return datetime.fromisoformat("2000-01-01T00:00:00+00:00").tzinfo
    return datetime.fromisoformat("2000-01-01T00:00:00" + text[:3] + ":" + text[-2:]).tzinfo


def _build(groups: dict[str, str | None], year: int) -> datetime | None:
    try:
        dt = datetime(
            year,
            int(groups["m"] or 1),
            int(groups.get("d") or 1),
            int(groups.get("H") or 0),
            int(groups.get("M") or 0),
            int(groups.get("S") or 0),
            tzinfo=_tz_of(groups.get("tz")),
        )
    except ValueError:
        return None
    return dt.astimezone(SHANGHAI)


def _relative(text: str, now: datetime) -> datetime | None:
    if _JUST_NOW.search(text):
        return now
    m = _RELATIVE.search(text)
    if m:
        n = _cn_number(m.group("n"))
        unit = m.group("unit")
        delta = {
            "秒": timedelta(seconds=n), "分钟": timedelta(minutes=n), "分": timedelta(minutes=n),
            "小时": timedelta(hours=n), "个小时": timedelta(hours=n), "天": timedelta(days=n),
            "日": timedelta(days=n), "周": timedelta(weeks=n), "星期": timedelta(weeks=n),
            "个月": timedelta(days=30 * n), "月": timedelta(days=30 * n), "年": timedelta(days=365 * n),
        }[unit]
        return now - delta
    m = _DAYWORD.search(text)
    if m:
        back = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}[m.group("w")]
        day = (now - timedelta(days=back)).date()
        hour, minute = int(m.group("H") or 0), int(m.group("M") or 0)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return None


def find_datetime(text: str, now: datetime | None = None) -> tuple[datetime, int] | None:
    """First date in ``text`` with its position; absolute dates, then month-day, then relative forms."""
    if not text:
        return None
    now_ = _aware(now)
    text = fullwidth_to_halfwidth(text)
    best: tuple[datetime, int] | None = None
    for rx in DATE_PATTERNS:
        for m in rx.finditer(text):
            dt = _build(m.groupdict(), int(m.group("Y")))
            if dt is not None and (best is None or m.start() < best[1]):
                best = (dt, m.start())
                break
    if best is not None:
        return best
    for rx in _MONTH_DAY:
        md = rx.search(text)
        if md:
            dt = _build(md.groupdict(), now_.year)
            if dt is not None and dt > now_ + timedelta(days=1):
                dt = dt.replace(year=now_.year - 1)
            if dt is not None:
                return dt, md.start()
    rel = _relative(text, now_)
    if rel is not None:
        return rel, 0
    return None


def parse_datetime(value: str | int | float | None, now: datetime | None = None) -> datetime | None:
    """Parse one date value (a field, not running text) into an aware Asia/Shanghai datetime, or None."""
    if value is None or value == "":
        return None
    now_ = _aware(now)
    if isinstance(value, int | float):
        ts = float(value)
        if ts > 1e12:
            ts /= 1000.0
        return datetime.fromtimestamp(ts, SHANGHAI)
    text = fullwidth_to_halfwidth(str(value)).strip()
    if _EPOCH.match(text):
        return parse_datetime(int(text), now_)
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return (dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)).astimezone(SHANGHAI)
    if re.match(r"^[A-Za-z]{3},?\s", text) or re.search(r"\d{4}\s+\d\d:\d\d:\d\d\s+(?:[+-]\d{4}|GMT|UTC)", text):
        try:
            mail_dt: datetime | None = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            mail_dt = None
        if mail_dt is not None:
            return (mail_dt if mail_dt.tzinfo else mail_dt.replace(tzinfo=SHANGHAI)).astimezone(SHANGHAI)
    # Weibo's "Sat Sep 14 08:30:00 +0800 2023"
    try:
        dt = datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        pass
    else:
        return dt.astimezone(SHANGHAI)
    found = find_datetime(text, now_)
    return found[0] if found else None

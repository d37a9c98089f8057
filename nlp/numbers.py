"""Chinese and Arabic number parsing for worker counts and money amounts.

Vague numbers take the floor, as the labelling guidelines rule: 几十/数十 -> 10, 上百/几百/数百 -> 100,
十几 -> 10, 十几万 -> 100000, 30多 -> 30; ranges too: 四五十 -> 40, 两三万 -> 20000. Colloquial forms: 一万二 -> 12000,
两千五 -> 2500, 一百零五 -> 105, Arabic before 万/亿: 3万 -> 30000, 1.5万 -> 15000, 2万3千 -> 23000.
"""

from __future__ import annotations

import re

__all__ = ["parse_cn_number", "NUM_RE", "PER_PERSON_RE"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "几": 1, "数": 1, "上": 1}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}

#: A number as written: Arabic (with thousands separators / decimals) or Chinese numerals, incl. vague forms.
#: Bounded lengths keep matching linear on pathological input (a page of digits).
NUM_RE = (r"(?:\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,4})?|\d{1,12}(?:\.\d{1,4})?"
          r"|[零〇一二两俩三四五六七八九十拾百佰千仟万亿几数上]{1,12})")
#: "each" / "per head" before an amount (每人被拖欠5000元, 人均3万元): a rate, not the total owed to the group.
PER_PERSON_RE = re.compile(r"每人|每位|每名|每个人|每一位|人均")


def _small(s: str) -> float | None:
    """Parse a Chinese numeral below 10,000 (no 万/亿)."""
    if not s:
        return 0.0
    total = 0.0
    cur: float | None = None
    last_unit = 0  # the unit just before a trailing digit: 两千五 = 2500 (colloquial), 一百零五 = 105
    for ch in s:
        if ch in "几数" and cur is None and total > 0:
            continue  # "十几" = 10: a trailing vague digit counts as 0 (the floor)
        if ch in "零〇":
            cur, last_unit = None, 0  # 一百零五: the digit after 零 is a unit digit
            continue
        if ch in _DIGITS:
            d = float(_DIGITS[ch])
            # two digits in a row before a unit are a range ("四五十" = 40-50, "两三万"): the floor
            cur = d if cur is None or ch in "几数上" else min(cur, d)
        elif ch in _UNITS:
            total += (cur if cur is not None else 1.0) * _UNITS[ch]
            last_unit = _UNITS[ch]
            cur = None
        else:
            return None
    if cur is not None:
        total += cur * (last_unit // 10 if last_unit >= 100 else 1)
    return total


def _arabic(s: str) -> float | None:
    try:
        return float(s) if s and s[0].isdigit() else None
    except ValueError:
        return None


def parse_cn_number(s: str) -> float | None:
    """``"3"`` -> 3, ``"1,200"`` -> 1200, ``"三十"`` -> 30, ``"十几"`` -> 10, ``"两万五千"`` -> 25000, else None."""
    s = s.strip()
    if not s:
        return None
    if s in _BIG:
        return None  # a bare magnitude ("万") is not a number
    t = s.replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    # vague forms: 几/数/上 count as 1 before a unit ("几十" = 10); "十几" -> 10 (trailing 几 is 0)
    total = 0.0
    rest = t
    last_big = 0
    for big_ch, big_val in sorted(_BIG.items(), key=lambda kv: -kv[1]):
        if big_ch in rest:
            head, rest = rest.split(big_ch, 1)
            v = _arabic(head) if _arabic(head) is not None else (_small(head) if head else 1.0)
            if v is None:
                return None
            total += v * big_val
            last_big = big_val
    if last_big and len(rest) == 1 and (rest.isdigit() or (rest in _DIGITS and rest not in "零〇几数上")):
        d = int(rest) if rest.isdigit() else _DIGITS[rest]
        return total + d * last_big / 10  # 一万二 = 12000, 1万5 = 15000 (colloquial)
    if last_big and rest[:1].isdigit() and rest[1:] in ("千", "百"):
        return total + int(rest[0]) * _UNITS[rest[1:]]  # 2万3千
    v = _small(rest)
    if v is None:
        return None
    total += v
    if total == 0 and not any(c in s for c in "零〇"):
        return None
    return total


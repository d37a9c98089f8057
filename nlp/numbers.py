"""Chinese and Arabic number parsing for worker counts and money amounts.

Vague numbers take the floor, as the labelling guidelines rule: 几十/数十 -> 10, 上百/几百/数百 -> 100,
十几 -> 10, 十几万 -> 100000, 30多 -> 30; ranges too: 四五十 -> 40, 两三万 -> 20000.
"""

from __future__ import annotations

__all__ = ["parse_cn_number", "NUM_RE"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "几": 1, "数": 1, "上": 1}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}

#: A number as written: Arabic (with thousands separators / decimals) or Chinese numerals, incl. vague forms.
NUM_RE = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十拾百佰千仟万亿几数上]+)"


def _small(s: str) -> float | None:
    """Parse a Chinese numeral below 10,000 (no 万/亿)."""
    if not s:
        return 0.0
    total = 0.0
    cur: float | None = None
    for ch in s:
        if ch in "几数" and cur is None and total > 0:
            continue  # "十几" = 10: a trailing vague digit counts as 0 (the floor)
        if ch in _DIGITS:
            d = float(_DIGITS[ch])
            # two digits in a row before a unit are a range ("四五十" = 40-50, "两三万"): the floor
            cur = d if cur is None or ch in "几数上" else min(cur, d)
        elif ch in _UNITS:
            total += (cur if cur is not None else 1.0) * _UNITS[ch]
            cur = None
        else:
            return None
    if cur is not None:
        total += cur
    return total


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
    rest = s
    for big_ch, big_val in sorted(_BIG.items(), key=lambda kv: -kv[1]):
        if big_ch in rest:
            head, rest = rest.split(big_ch, 1)
            v = _small(head) if head else 1.0
            if v is None:
                return None
            total += v * big_val
    v = _small(rest)
    if v is None:
        return None
    total += v
    if total == 0 and not any(c in s for c in "零〇"):
        return None
    return total


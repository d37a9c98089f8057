"""Text normalisation before any analysis.

Steps, in order: HTML residue (tags, entities) removed; Unicode NFKC (full-width ASCII/digits -> half width,
compatibility forms) with the Chinese full-width punctuation kept as the common Chinese marks; traditional ->
simplified Chinese (zhconv); emoji, pictographs and control/format characters removed; runs of whitespace
collapsed (newlines kept as one ``\\n``).

Very long texts are truncated by a head+tail rule: when a text is longer than ``max_chars`` the first
``max_chars * HEAD_SHARE`` characters and the last ``max_chars - head`` characters are kept, joined by
``TRUNCATION_MARK``. Complaints state the employer and the demand at the start and often the amount or the
ask at the end, so both ends carry the signal; the middle is narrative.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "truncate_head_tail", "DEFAULT_MAX_CHARS", "HEAD_SHARE", "TRUNCATION_MARK"]

DEFAULT_MAX_CHARS = 4000
HEAD_SHARE = 0.75
TRUNCATION_MARK = "\n…\n"

_TAG = re.compile(r"<(script|style)[^>]*>.*?</\1\s*>|<!--.*?-->|<[A-Za-z/!][^<>]{0,500}>", re.S | re.I)
_WS = re.compile(r"[ \t\u3000\xa0]+")
_NL = re.compile(r"\s*\n\s*")
# Keep these Chinese marks as they are (NFKC would turn them into ASCII), so sentence splitting still works.
_KEEP = {"，", "。", "！", "？", "：", "；", "（", "）", "、", "“", "”", "‘", "’", "《", "》", "【", "】", "…"}
_PAREN_TO_CJK = str.maketrans({"(": "（", ")": "）"})


def _drop_char(ch: str) -> bool:
    if ch == "\n":
        return False
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return True
    if cat == "So":  # emoji, pictographs, dingbats
        return True
    cp = ord(ch)
    return 0x1F000 <= cp <= 0x1FAFF or 0xFE00 <= cp <= 0xFE0F


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - zhconv's own function type
    import zhconv

    return zhconv.convert


def truncate_head_tail(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Keep the head and the tail of an over-long text (see the module docstring)."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    head = int(max_chars * HEAD_SHARE)
    tail = max_chars - head
    return text[:head] + TRUNCATION_MARK + (text[-tail:] if tail > 0 else "")


def normalize(text: str | None, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return the normalised text; ``None`` or whitespace gives ``""``. Bounded time for any input."""
    if not text:
        return ""
    # Bound the work on huge inputs first: keep a generous head+tail before the per-character passes.
    if max_chars > 0 and len(text) > 4 * max_chars:
        text = truncate_head_tail(text, 4 * max_chars)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    out = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
            continue
        n = unicodedata.normalize("NFKC", ch)
        for c in n:
            if c == "\r":
                c = "\n"
            if not _drop_char(c):
                out.append(c)
    text = "".join(out)
    text = _converter()(text, "zh-cn")
    text = _WS.sub(" ", text)
    text = _NL.sub("\n", text).strip()
    return truncate_head_tail(text, max_chars)

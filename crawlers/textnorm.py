"""Text normalisation for Chinese web text: full-width ASCII, odd spaces, blank-line runs."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fullwidth_to_halfwidth", "normalize_text", "normalize_inline"]

_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def fullwidth_to_halfwidth(text: str) -> str:
    """Map full-width ASCII (Ａ１！) and the ideographic space to their half-width forms.

    Chinese punctuation that has no ASCII twin in running text (，。：“”) is kept: it carries meaning and
    the NLP stage expects it.
    """
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E and ch not in "，：；！？（）":
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def normalize_inline(text: str | None) -> str:
    """One-line field (title, author): NFC, half-width ASCII, collapsed whitespace."""
    if not text:
        return ""
    text = fullwidth_to_halfwidth(unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()


def normalize_text(text: str | None) -> str:
    """Body text: half-width ASCII, spaces collapsed per line, paragraphs separated by one newline."""
    if not text:
        return ""
    text = fullwidth_to_halfwidth(unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()

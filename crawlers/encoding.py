"""Decoding of Chinese web pages: declared, sniffed and undeclared encodings (GBK/GB2312/GB18030, UTF-8, Big5).

Built on w3lib (Scrapy's own encoding helpers: BOM, ``<meta charset>`` / ``<?xml encoding?>`` sniffing, the
superset translation table), plus what w3lib does not do: a declaration that decodes to replacement characters
is not trusted, and undeclared pages are tried as UTF-8, then GB18030, then charset-normalizer's guess."""

from __future__ import annotations

import logging

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

__all__ = ["decode_html", "normalize_encoding_name"]

logger = logging.getLogger(__name__)

#: Names w3lib does not know or widens differently: GB2312 and GBK pages routinely contain characters only
#: GB18030 (their superset) decodes; "ascii" declarations on Chinese sites are UTF-8 more often than cp1252.
_SUPERSETS = {"x-gbk": "gb18030", "gb_2312-80": "gb18030", "ascii": "utf-8", "us-ascii": "utf-8",
              "iso-8859-1": "cp1252", "latin-1": "cp1252"}


def normalize_encoding_name(name: str | None) -> str | None:
    """A Python codec name for a declared charset, widened to its superset (w3lib's translation table:
    gb2312/gbk -> gb18030, big5 -> big5hkscs ...); None when unknown."""
    if not name:
        return None
    name = name.strip().lower().strip("\"'")
    name = _SUPERSETS.get(name, name)
    return resolve_encoding(name)


def _declared(raw: bytes, header_encoding: str | None) -> list[str]:
    """Encodings the HTTP header and the document itself (``<meta charset>``, ``<?xml encoding?>``) declare."""
    found: list[str] = []
    enc = normalize_encoding_name(header_encoding)
    if enc:
        found.append(enc)
    body_enc = html_body_declared_encoding(raw[:4096])
    if body_enc:
        enc = normalize_encoding_name(body_enc)
        if enc:
            found.append(enc)
    return found


def _bad_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = text.count("\ufffd")
    return bad / len(text)


def decode_html(raw: bytes, *, header_encoding: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, encoding)``.

    Order: BOM, the caller's override (``declared``, e.g. from the source config), the HTTP header and the
    page's own ``<meta charset>`` when they decode cleanly, UTF-8 when it decodes strictly, otherwise
    charset-normalizer's guess, otherwise GB18030 (the most common undeclared encoding on Chinese sites).
    A declared encoding that produces replacement characters is not trusted (sites lie); among undeclared
    guesses GB18030 wins when it decodes cleanly, as detectors often mistake short GBK text for Big5.
    """
    bom_encoding, bom = read_bom(raw)
    if bom_encoding and bom:
        return raw[len(bom):].decode(bom_encoding, "replace"), bom_encoding
    candidates: list[str] = []
    override = normalize_encoding_name(declared)
    if override:
        candidates.append(override)
    candidates.extend(_declared(raw, header_encoding))
    for enc in dict.fromkeys(candidates):
        text = raw.decode(enc, "replace")
        if _bad_ratio(text) < 0.001:
            return text, enc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text = raw.decode("gb18030", "replace")
    if _bad_ratio(gb_text) < 0.0005:
        return gb_text, "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:200_000]).best()
    except Exception:  # noqa: BLE001 - a detector failure must not lose the page; fall back below
        logger.debug("charset detection failed", exc_info=True)
        best = None
    guesses = ([normalize_encoding_name(best.encoding)] if best is not None else []) + ["gb18030"]
    best_text, best_enc, best_bad = "", "gb18030", 1.0
    for enc in dict.fromkeys(g for g in guesses if g):
        text = raw.decode(enc, "replace")
        bad = _bad_ratio(text)
        if bad < best_bad:
            best_text, best_enc, best_bad = text, enc, bad
    return best_text, best_enc

"""Canonical URLs (the basis of stable post ids): tracking parameters and fragments removed, query sorted."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url"]

_TRACKING = ("utm_", "spm", "from", "share", "_t", "timestamp", "ref", "wfr", "isappinstalled", "scene")


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not any(k == t or (t.endswith("_") and k.startswith(t)) for t in _TRACKING)]
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(sorted(query)), ""))

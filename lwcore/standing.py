"""A company's standing with the bureau as it travels on an analysed post (shared vocabulary, imports no room).

The companies room (``companies.standing``) writes it into ``Analysis.explanation["standing"]`` when a linked firm is
on the wage-arrears joint-discipline list or the key supervision and service list; the alert engine reads it with
:func:`standing_of` and raises the levels of the rules that fire for the post by ``steps``, adding ``note`` (Simplified
Chinese, for the e-mail and the web UI) to the reason. Only the app shell's wiring connects the two rooms.
"""

from __future__ import annotations

from typing import Any

from lwcore.domain import Analysis

__all__ = ["STANDING_KEY", "standing_of"]

STANDING_KEY = "standing"


def standing_of(analysis: Analysis) -> tuple[int, str]:
    """``(steps, note)`` of the firm standing carried by ``analysis``; ``(0, "")`` when it carries none."""
    payload: Any = (analysis.explanation or {}).get(STANDING_KEY)
    if not isinstance(payload, dict):
        return 0, ""
    try:
        steps = max(0, int(payload.get("steps") or 0))
    except (TypeError, ValueError):
        return 0, ""
    return steps, str(payload.get("note") or "")

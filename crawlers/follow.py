"""The follow-up search terms file (issue 21): the scheduler (``laborwatch.service.freshness``) writes, per
search source, the employer names and places of the hot incidents it follows to ``<state>/crawl/follow.json``;
the next crawl of that source adds them to its queries (``crawlers.run``)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

__all__ = ["follow_file", "plan_file", "read_follow_queries", "write_follow_queries", "read_query_plan",
           "write_query_plan"]

logger = logging.getLogger(__name__)


def follow_file(state_path: Path) -> Path:
    return state_path / "crawl" / "follow.json"


def plan_file(state_path: Path) -> Path:
    """Per search source, the terms the scheduler found due (the others wait for their own interval)."""
    return state_path / "crawl" / "plan.json"


def read_query_plan(state_path: Path, source_id: str) -> list[str] | None:
    """The terms planned for ``source_id``'s next crawl; None: no plan, crawl every term."""
    terms = _load(plan_file(state_path)).get(source_id)
    return [str(t) for t in terms if isinstance(t, str)] if isinstance(terms, list) else None


def write_query_plan(state_path: Path, source_id: str, terms: list[str] | None) -> None:
    _write(plan_file(state_path), source_id, terms)


def _load(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("unreadable follow file %s (%s): no follow-up search terms", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def read_follow_queries(state_path: Path, source_id: str) -> list[str]:
    """The extra search terms asked of ``source_id``'s next crawl (empty when none)."""
    terms = _load(follow_file(state_path)).get(source_id)
    return [str(t) for t in terms if isinstance(t, str) and t.strip()] if isinstance(terms, list) else []


def write_follow_queries(state_path: Path, source_id: str, terms: list[str]) -> None:
    """Set (or, with no terms, clear) the follow-up terms of ``source_id``; atomic replace."""
    _write(follow_file(state_path), source_id, terms or None)


def _write(path: Path, source_id: str, terms: list[str] | None) -> None:
    data = _load(path)
    if terms is not None:
        data[source_id] = list(terms)
    elif source_id in data:
        data.pop(source_id)
    else:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)

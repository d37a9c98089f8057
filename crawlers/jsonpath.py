"""Paths into JSON replies, in JMESPath (https://jmespath.org): ``data.cards[*].mblog``, ``items[0].id``,
``user.screen_name``. Paths are compiled once and checked when the sources file loads (:func:`compile_path`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError

__all__ = ["compile_path", "get_path", "get_all", "get_items"]


@lru_cache(maxsize=512)
def compile_path(path: str) -> Any:
    """The compiled expression; raises ``ValueError`` naming the path when it is not valid JMESPath."""
    try:
        return jmespath.compile(path)
    except JMESPathError as exc:
        where = getattr(exc, "lex_position", None)
        detail = str(exc).splitlines()[0].removeprefix("Invalid jmespath expression: ").rstrip(":")
        at = f" at character {where + 1}" if isinstance(where, int) else ""
        raise ValueError(f"not a valid JMESPath expression {path!r}: {detail}{at}") from None


def _search(obj: Any, path: str) -> Any:
    try:
        return compile_path(path).search(obj)
    except JMESPathError:  # a type error at run time (e.g. a projection over a string): nothing there
        return None


def get_all(obj: Any, path: str) -> list[Any]:
    """Every non-null value the path reaches (a projection fans out; a missing key yields nothing)."""
    value = _search(obj, path)
    if value is None:
        return []
    if isinstance(value, list) and "[" in path:
        return [v for v in value if v is not None]
    return [value]


def get_path(obj: Any, path: str | None, default: Any = None) -> Any:
    """The first value the path reaches, or ``default``."""
    if not path:
        return default
    found = get_all(obj, path)
    return found[0] if found else default


def get_items(obj: Any, path: str) -> list[Any]:
    """The objects a list path names: ``data.cards[*].mblog`` or ``resultData.data`` (a list is fanned out)."""
    value = _search(obj, path)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for v in values:
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return [v for v in out if isinstance(v, dict)]

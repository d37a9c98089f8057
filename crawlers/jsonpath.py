"""Tiny dotted-path lookup for JSON replies: ``data.cards[*].mblog``, ``items[0].id``, ``user.screen_name``."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["get_path", "get_all", "get_items"]

_PART = re.compile(r"([^.\[\]]+)|\[(\*|-?\d+)\]")


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _PART.findall(path):
        if name:
            out.append(name)
        elif index == "*":
            out.append("*")
        else:
            out.append(int(index))
    return out


def get_all(obj: Any, path: str) -> list[Any]:
    """Every value the path reaches (``[*]`` fans out over lists; missing keys yield nothing)."""
    current = [obj]
    for part in _parts(path):
        nxt: list[Any] = []
        for node in current:
            if part == "*":
                if isinstance(node, list):
                    nxt.extend(node)
            elif isinstance(part, int):
                if isinstance(node, list) and -len(node) <= part < len(node):
                    nxt.append(node[part])
            elif isinstance(node, dict) and part in node:
                nxt.append(node[part])
        current = nxt
    return [v for v in current if v is not None]


def get_path(obj: Any, path: str | None, default: Any = None) -> Any:
    """The first value the path reaches, or ``default``."""
    if not path:
        return default
    found = get_all(obj, path)
    return found[0] if found else default


def get_items(obj: Any, path: str) -> list[Any]:
    """The objects a list path names: ``data.cards[*].mblog`` or ``resultData.data`` (a list is fanned out)."""
    out: list[Any] = []
    for value in get_all(obj, path):
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return [v for v in out if isinstance(v, dict)]

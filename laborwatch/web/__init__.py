"""The verification web UI (FastAPI + Jinja2, Simplified Chinese).

Public surface: :func:`create_app`. Imported lazily so that ``laborwatch --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from laborwatch.web.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from laborwatch.web.app import create_app

        return create_app
    raise AttributeError(name)

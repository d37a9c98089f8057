"""Lazy exports for a room's package ``__init__``: one mechanism for every room.

A room's public names live in its submodules; importing the package must stay cheap (``laborwatch --help`` imports
each room's ``cli``, which imports the package), so the names are imported on first use and then cached in the
package's namespace::

    from lwcore.lazy import lazy_exports

    __all__ = ["Ledger", "Incidents", "LedgerError"]
    __getattr__, __dir__ = lazy_exports(__name__, globals(), {
        "Ledger": ".cases",
        "Incidents": ".incidents",
    })

Names imported eagerly in the ``__init__`` itself (cheap ones: errors, vocabularies) are ordinary globals and need
no entry. ``tests/unit/shell/test_room_exports.py`` checks that every room's ``__all__`` resolves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: MutableMapping[str, Any], exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for ``package`` serving ``exports`` (public name -> module, absolute
    or relative to ``package``). A resolved name is stored in ``namespace`` (the package's ``globals()``), so the
    second access costs nothing."""
    table = dict(exports)

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(table) | set(namespace.get("__all__", ())))

    return __getattr__, __dir__

"""Every room's package exports what its ``__all__`` says, through the one lazy-export helper (issue 20)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROOMS = ("crawlers", "nlp", "index", "alerting", "ledger", "companies")


@pytest.mark.parametrize("room", ROOMS)
def test_all_resolves_and_is_listed(room: str) -> None:
    pkg = importlib.import_module(room)
    names = list(pkg.__all__)
    assert names, f"{room}/__init__.py has an empty __all__"
    assert len(names) == len(set(names)), f"{room}.__all__ repeats {sorted({n for n in names if names.count(n) > 1})}"
    for name in names:
        value = getattr(pkg, name)  # raises AttributeError for a name nothing provides
        assert value is not None, f"{room}.{name} resolved to None"
        assert name in dir(pkg)
    missing = set(names) - set(dir(pkg))
    assert not missing


@pytest.mark.parametrize("room", ROOMS)
def test_every_lazy_name_is_public_and_typed(room: str) -> None:
    """Each name the helper serves is in ``__all__`` and imported under TYPE_CHECKING (so mypy knows its type)."""
    tree = ast.parse((ROOT / room / "__init__.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "lazy_exports"]
    assert len(calls) == 1, f"{room}/__init__.py must call lwcore.lazy.lazy_exports once"
    served = set(eval(compile(ast.Expression(calls[0].args[2]), room, "eval")))  # noqa: S307 - a literal dict
    typed = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for imp in node.body
        if isinstance(imp, ast.ImportFrom)
        for alias in imp.names
    }
    pkg = importlib.import_module(room)
    assert served <= set(pkg.__all__), f"{room}: served but not in __all__: {sorted(served - set(pkg.__all__))}"
    assert served <= typed, f"{room}: served without a TYPE_CHECKING import: {sorted(served - typed)}"


@pytest.mark.parametrize("room", ROOMS)
def test_unknown_name_is_a_clear_attribute_error(room: str) -> None:
    pkg = importlib.import_module(room)
    with pytest.raises(AttributeError, match=f"module '{room}' has no attribute 'no_such_name'"):
        pkg.no_such_name  # noqa: B018


def test_importing_a_room_stays_cheap() -> None:
    """The packages load their heavy parts on first use: a fresh interpreter importing every room pulls in neither
    SQLAlchemy's ORM, Scrapy nor Elasticsearch's client."""
    code = (
        "import sys; import " + ", ".join(ROOMS) + "; "
        "print(','.join(m for m in ('sqlalchemy.orm', 'scrapy', 'elasticsearch', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing the rooms loaded {out.stdout.strip()}"

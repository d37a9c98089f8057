"""Route dependencies are ``Annotated`` aliases from ``laborwatch.web.deps``, never ``= Depends(...)`` defaults."""

from __future__ import annotations

import ast
from pathlib import Path

ROUTES = Path(__file__).resolve().parents[3] / "laborwatch" / "web" / "routes"


def test_no_route_takes_a_dependency_as_a_default() -> None:
    found = []
    for path in sorted(ROUTES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for default in [*node.args.defaults, *node.args.kw_defaults]:
                    if isinstance(default, ast.Call) and getattr(default.func, "id", "") in ("Depends", "Security"):
                        found.append(f"{path.name}:{default.lineno} {node.name}")
    assert not found, "use an Annotated alias (laborwatch/web/deps.py) instead of = Depends(...):\n" + "\n".join(found)


def test_routes_use_the_aliases() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in ROUTES.glob("*.py"))
    assert text.count(": UserMayView") >= 10
    assert "noqa: B008" not in text

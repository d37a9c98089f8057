"""The drawing of the imports runs one way (issue 20), checked by parsing every module's imports with ``ast``.

- Rooms (crawlers, nlp, index, alerting, ledger, companies) stand on the ground floor only: of the app package
  they import the shared types, settings, errors and database base, never the shell (CLI, service, web, wiring,
  pipeline).
- A room reaches another room only through that room's package API (``from ledger import Ledger``) or its stored
  data (``*.models`` tables, ``*.vocab``): never its runtime modules.
- A room's command-line module (``cli.py``, ``*_cli.py``) imports no other room at all: what its commands need from
  elsewhere the shell injects (``laborwatch.cli_hooks``).
- The ground floor imports no room and nothing of the shell.
- No two files import each other, directly or round a longer circle (lazy and TYPE_CHECKING imports count).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROOMS = ("crawlers", "nlp", "index", "alerting", "ledger", "companies")
APP = "laborwatch"
#: The ground floor: modules every room may stand on.
GROUND_FLOOR = (
    "lwcore.domain",
    "lwcore.settings",
    "lwcore.errors",
    "lwcore.db",
    "lwcore.lazy",
)
#: every top-level package the rules look at (the ground floor's own package once it has one)
TOPS = tuple(dict.fromkeys((*ROOMS, APP, *(g.split(".")[0] for g in GROUND_FLOOR))))
#: Modules of another room a room may read: its stored data, no runtime.
DATA_MODULES = ("models", "vocab")


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted and absolute
    path: Path
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _modules() -> tuple[tuple[str, Path], ...]:
    return tuple(_walk())


def _walk() -> Iterator[tuple[str, Path]]:
    for top in TOPS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:  # alembic revisions: their own world, loaded by alembic
                continue
            yield _module_name(path), path


def _imports(name: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield Import(name, module, path, node.lineno)
            for alias in node.names:  # ``from pkg import submodule`` imports the submodule
                yield Import(name, f"{module}.{alias.name}", path, node.lineno)


@functools.cache
def _all_imports() -> list[Import]:
    return [imp for name, path in _modules() for imp in _imports(name, path)]


def _top(module: str) -> str:
    return module.split(".")[0]


def _is_ground(module: str) -> bool:
    return any(module == g or module.startswith(g + ".") for g in GROUND_FLOOR)


def _where(imp: Import, target: str | None = None) -> str:
    return f"{imp.path.relative_to(ROOT)}:{imp.line} imports {target or imp.target}"


def _existing(module: str, known: set[str]) -> str | None:
    """The known module ``module`` names (``from pkg import name`` of a non-module gives ``pkg.name``)."""
    while module and module not in known:
        module = module.rpartition(".")[0]
    return module or None


def test_rooms_stand_on_the_ground_floor_only() -> None:
    known = {name for name, _ in _modules()}
    bad: set[str] = set()
    for imp in _all_imports():
        if _top(imp.source) in ROOMS and _top(imp.target) == APP:
            target = _existing(imp.target, known)
            if target is not None and target != APP and not _is_ground(target):
                bad.add(_where(imp, target))
    assert not bad, "rooms import the app shell (inject it instead, see laborwatch/cli_hooks.py):\n" + "\n".join(sorted(bad))


def test_rooms_reach_other_rooms_only_through_their_api_or_stored_data() -> None:
    known = {name for name, _ in _modules()}
    bad: set[str] = set()
    for imp in _all_imports():
        src, dst = _top(imp.source), _top(imp.target)
        if src in ROOMS and dst in ROOMS and src != dst:
            target = _existing(imp.target, known)
            if target is None or target == dst:
                continue  # the room's package API (its __init__ exports)
            if target.split(".")[1] in DATA_MODULES and target.count(".") == 1:
                continue
            bad.add(_where(imp, target))
    assert not bad, "rooms import other rooms' runtime:\n" + "\n".join(sorted(bad))


def test_room_command_lines_import_no_other_room() -> None:
    known = {name for name, _ in _modules()}
    bad: set[str] = set()
    for imp in _all_imports():
        src = _top(imp.source)
        leaf = imp.source.rpartition(".")[2]
        if src in ROOMS and (leaf == "cli" or leaf.endswith("_cli")):
            dst = _top(imp.target)
            if dst in ROOMS and dst != src:
                bad.add(_where(imp, _existing(imp.target, known)))
    assert not bad, "a room's CLI imports another room (the shell injects it: laborwatch/cli_hooks.py):\n" + "\n".join(
        sorted(bad)
    )


def test_ground_floor_imports_no_room_and_no_shell() -> None:
    known = {name for name, _ in _modules()}
    bad: set[str] = set()
    for imp in _all_imports():
        if not _is_ground(imp.source):
            continue
        dst = _top(imp.target)
        target = _existing(imp.target, known)
        if dst in ROOMS:
            bad.add(_where(imp, target))
        elif dst == APP and target is not None and target != APP and not _is_ground(target):
            bad.add(_where(imp, target))
    assert not bad, "the ground floor imports a room or the shell:\n" + "\n".join(sorted(bad))


def _graph() -> dict[str, set[str]]:
    known = {name for name, _ in _modules()}
    packages = _packages(known)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for imp in _all_imports():
        target = _existing(imp.target, known)
        # a package's __init__ is where its lazy exports live: edges into a package do not make circles
        if target is None or target == imp.source or target in packages:
            continue
        graph[imp.source].add(target)
    return graph


def _packages(known: set[str]) -> set[str]:
    return {name.rpartition(".")[0] for name in known if "." in name}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_file_circles() -> None:
    circles = _circles(_graph())
    assert not circles, "modules that import each other (directly or round a circle):\n" + "\n".join(
        " <-> ".join(c) for c in circles
    )


def test_the_checker_sees_a_violation() -> None:
    """The rules above parse real imports: a known import of the shell by a room is found."""
    found = [imp for imp in _all_imports() if imp.source == "laborwatch.cli_hooks" and imp.target.startswith("nlp.")]
    assert found, "the checker found no import of a room by the shell's hooks"
    assert _circles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]

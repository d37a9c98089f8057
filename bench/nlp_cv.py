"""5-fold cross-validated figures of the whole analyzer (prefilter + TF-IDF/LR + entities + linking) on the
labelled data. Each fold trains a bundle on the other folds (threshold chosen by an inner 3-fold CV on those
folds only) and analyses the held-out fold through ``Analyzer.analyze_inputs``.

    python bench/nlp_cv.py [--data ../shared/data/labeled/train.jsonl] [--folds 5] [--inner 3] [--no-encoder]
                           [--silver nlp/silver/weibo.jsonl [--silver-weight 0.3]]

With the encoder (default; needs `laborwatch nlp build-base`), the training embeddings are computed once for all
items and each fold's bundle gets the encoder member; the held-out fold is analysed by the real Analyzer, which
embeds its gated candidates itself. With ``--silver``, every fold's bundle also trains on the silver items (as
``laborwatch nlp train --silver`` does); figures are over the gold items only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from laborwatch.settings import REPO_ROOT, load_settings
from nlp.analyzer import Analyzer, TextInput
from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT, load_labelled, load_silver
from nlp.evaluation import evaluate
from nlp.lexicon import Lexicon
from nlp.linkset import build_link_set, link_accuracy
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter
from nlp.training import _folds, add_embeddings, near_duplicate_groups, prepare, train_bundle


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--encoder", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--silver", help="silver labels trained on in every fold (never scored)")
    ap.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT)
    a = ap.parse_args()
    t0 = time.time()
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    seg, lex = Segmenter.from_settings(settings), Lexicon.load(paths.labour_terms)
    items = load_labelled(a.data)
    silver = load_silver(a.silver, DEFAULT_CORPORA) if a.silver else []
    prep = prepare(items, segmenter=seg, lexicon=lex, extra=silver, extra_weight=a.silver_weight)
    analyses = [None] * len(items)
    groups = near_duplicate_groups(prep.texts[: len(items)])  # gold rows come first; near-duplicates share a fold
    if a.encoder:
        from nlp.model import default_base_dir

        add_embeddings(prep, default_base_dir(settings), log=lambda m: print(m, file=sys.stderr))
    for f, (tr, te) in enumerate(_folds(prep.y[: len(items)], a.folds, a.seed, groups), 1):
        sub = prep.subset(np.concatenate([tr, prep.silver]))
        with tempfile.TemporaryDirectory() as d:
            train_bundle(sub, Path(d), data_path=a.data, command="bench/nlp_cv.py", k=a.inner, seed=a.seed,
                         log=lambda m: None)
            s = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": d})})
            an = Analyzer.from_settings(s)
            res = an.analyze_inputs([TextInput(items[i].id, items[i].text) for i in te])
        for i, r in zip(te, res, strict=True):
            analyses[i] = r
        print(f"fold {f}/{a.folds} done ({time.time() - t0:.0f}s)", file=sys.stderr)
    rep = evaluate(items, analyses)  # type: ignore[arg-type]
    by_source = {}
    for src in sorted({i.source for i in items}):
        idx = [k for k, i in enumerate(items) if i.source == src]
        by_source[src or "-"] = evaluate([items[k] for k in idx], [analyses[k] for k in idx]).relevance  # type: ignore[misc]
    reg, pairs = build_link_set(items)
    acc, _ = link_accuracy(reg, pairs)
    gold = prep.gold
    kept = float(np.mean(prep.candidate[gold][prep.y[gold] == 1]))
    out = {"items": len(items), "folds": a.folds, **rep.figures(), "prefilter_recall": round(kept, 4),
           "event_types": rep.event_types, "confusion": rep.confusion, "relevance_by_source": by_source,
           "linking_top1": round(acc, 4), "linking_pairs": len(pairs), "seconds": round(time.time() - t0, 1),
           "encoder": prep.encoder_spec, "model_version": an.model_version}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

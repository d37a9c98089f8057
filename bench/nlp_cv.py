"""5-fold cross-validated figures of the whole analyzer (prefilter + TF-IDF/LR + entities + linking) on the
labelled data. Each fold trains a bundle on the other folds (threshold chosen by an inner 3-fold CV on those
folds only) and analyses the held-out fold through ``Analyzer.analyze_inputs``.

    python bench/nlp_cv.py [--data ../shared/data/labeled/train.jsonl] [--folds 5] [--inner 3] [--no-encoder]
                           [--silver nlp/silver/weibo.jsonl [--silver-weight 0.3]] [--transformer lora]

With the encoder (default; needs `laborwatch nlp build-base`), the training embeddings are computed once for all
items and each fold's bundle gets the encoder member; the held-out fold is analysed by the real Analyzer, which
embeds its gated candidates itself. With ``--silver``, every fold's bundle also trains on the silver items (as
``laborwatch nlp train --silver`` does); figures are over the gold items only.

Every held-out fold is analysed twice, with and without the event-frame layer (``nlp.frames``; without it is the
shipped behaviour of bundle lw-0a6a3707's recipe), and both are reported side by side (``before_frames`` and the top
level), with relevance per slice (message-board letters, short texts <= 140 characters, headlines).

With ``--transformer lora`` each fold's bundle also gets the fine-tuned member (as ``laborwatch nlp train
--transformer lora``), trained on that fold's training part only. An inner CV would cost two more fine-tunes per
fold, so the threshold is nested across the outer folds instead: each fold is analysed a second time with the
threshold that is best on the other folds' out-of-fold scores (``relevance_nested_thresholds``; the figures are
from that second pass). ``relevance_oof_best`` is F1 at the single best threshold over all out-of-fold scores, the
figure ``laborwatch nlp train`` records.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from lwcore.settings import REPO_ROOT, load_settings
from nlp.analyzer import Analyzer, TextInput
from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT, load_labelled, load_silver
from nlp.evaluation import evaluate, relevance_by_slice
from nlp.lexicon import Lexicon
from nlp.linkset import build_link_set, link_accuracy
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter
from nlp.training import _folds, add_embeddings, best_threshold, near_duplicate_groups, prepare, train_bundle


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--encoder", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--silver", help="silver labels trained on in every fold (never scored)")
    ap.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT)
    ap.add_argument("--transformer", choices=["lora"], help="add the fine-tuned member to every fold's bundle")
    a = ap.parse_args()
    if a.transformer and not a.encoder:
        ap.error("--transformer refines the encoder member: drop --no-encoder")
    t0 = time.time()
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    seg, lex = Segmenter.from_settings(settings), Lexicon.load(paths.labour_terms)
    items = load_labelled(a.data)
    silver = load_silver(a.silver, DEFAULT_CORPORA) if a.silver else []
    prep = prepare(items, segmenter=seg, lexicon=lex, extra=silver, extra_weight=a.silver_weight)
    analyses = [None] * len(items)
    groups = near_duplicate_groups(prep.texts[: len(items)])  # gold rows come first; near-duplicates share a fold
    base_dir = None
    if a.encoder:
        from nlp.model import default_base_dir

        base_dir = default_base_dir(settings)
        add_embeddings(prep, base_dir, log=lambda m: print(m, file=sys.stderr))
    keep = tempfile.TemporaryDirectory(prefix="lw-cv-")
    state_cache: dict = {}  # the member's frozen-layer states, shared by the folds

    def analyse(d: Path, rows: np.ndarray, threshold: float | None = None, frames: bool = True) -> list:
        s = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": str(d),
                                                                               "threshold": threshold})})
        an = Analyzer.from_settings(s)
        an.use_frames = frames
        return an.analyze_inputs([TextInput(items[i].id, items[i].text) for i in rows]), an.model_version

    before = [None] * len(items)  # the same folds without the frame layer

    folds = list(_folds(prep.y[: len(items)], a.folds, a.seed, groups))
    for f, (tr, te) in enumerate(folds, 1):
        sub = prep.subset(np.concatenate([tr, prep.silver]))
        d = Path(keep.name) / f"fold{f}"
        train_bundle(sub, d, data_path=a.data, command="bench/nlp_cv.py", k=1 if a.transformer else a.inner,
                     seed=a.seed, transformer_mode=a.transformer, base_dir=base_dir, state_cache=state_cache,
                     log=lambda m: None)
        res, version = analyse(d, te)
        for i, r in zip(te, res, strict=True):
            analyses[i] = r
        res0, _ = analyse(d, te, frames=False)
        for i, r in zip(te, res0, strict=True):
            before[i] = r
        print(f"fold {f}/{a.folds} done ({time.time() - t0:.0f}s)", file=sys.stderr)
    y_gold = prep.y[: len(items)]
    scores = np.array([r.score for r in analyses])  # type: ignore[union-attr]
    nested: list[float] = []
    if a.transformer:  # second pass: each fold at the threshold that is best on the other folds
        for f, (_tr, te) in enumerate(folds, 1):
            others = np.setdiff1d(np.arange(len(items)), te)
            thr, _ = best_threshold(y_gold[others], scores[others])
            nested.append(float(thr))
            res, version = analyse(Path(keep.name) / f"fold{f}", te, threshold=float(thr))
            for i, r in zip(te, res, strict=True):
                analyses[i] = r
            res0, _ = analyse(Path(keep.name) / f"fold{f}", te, threshold=float(thr), frames=False)
            for i, r in zip(te, res0, strict=True):
                before[i] = r
    keep.cleanup()
    oof_thr, oof_f1 = best_threshold(y_gold, scores)
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
           "encoder": prep.encoder_spec, "model_version": version,
           "relevance_oof_best": {"f1": round(float(oof_f1), 4), "threshold": float(oof_thr)},
           "relevance_nested_thresholds": nested or None,
           "relevance_by_slice": relevance_by_slice(items, analyses),  # type: ignore[arg-type]
           "before_frames": {**evaluate(items, before).figures(),  # type: ignore[arg-type]
                             "relevance_by_slice": relevance_by_slice(items, before)}}  # type: ignore[arg-type]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

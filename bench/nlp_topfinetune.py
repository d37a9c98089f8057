"""Top-layer LoRA fine-tune of the e5 base as a further relevance member: grouped cross-validation and blends.

Each fold fine-tunes LoRA adapters (rank 16) on the top two of the base's 12 layers plus a linear head
(``nlp.model.train.train_classifier``, mode ``lora``, reading texts as the encoder member does: ``query: ``, 256
tokens, head + tail; before session 5 it used the ``passage: `` prefix), on the fold's prefilter candidates
and the silver items, weighted like the classical model (low-confidence 0.5, silver x ``--silver-weight``); the
frozen layers' output is computed once for all texts. The shipped kind of classical model (TF-IDF + lexicon + the
frozen-encoder member, ``nlp.training.cross_validate``) is cross-validated on the same near-duplicate-grouped folds.
Figures over the gold items (non-candidates count as predicted irrelevant):

- each member alone and logit blends ``(1 - w) * logit(classical) + w * logit(fine-tune)``, at the out-of-fold-best
  threshold (an upper bound);
- "nested": the threshold (and, for the last row, ``w``) picked on the other folds' out-of-fold scores, applied to
  each fold in turn (no choice sees the fold it scores);
- event-type micro-F1 on the gold positives (argmax fallback, best shared threshold).

    python bench/nlp_topfinetune.py [--data ../shared/data/labeled/train.jsonl] [--silver nlp/silver/weibo.jsonl]
                                    [--epochs 4] [--from-layer 10] [--rank 16] [--folds 5] [--json OUT]

Needs the base (``laborwatch nlp build-base``). About 30 minutes on 2 idle cores (the fine-tunes take about 5 each).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from cvcommon import add_data_arguments, f1_of, start

from lwcore.domain import EVENT_TYPES
from nlp.classical import logit
from nlp.training import _folds, best_threshold, cross_validate, near_duplicate_groups

WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5)


def _micro_types(p: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.5)
    for th in np.arange(0.15, 0.81, 0.05):
        pred = p >= th
        pred[np.arange(len(p)), p.argmax(1)] = True  # at least one type per relevant text
        tp, fp, fn = (pred & (t == 1)).sum(), (pred & (t == 0)).sum(), (~pred & (t == 1)).sum()
        best = max(best, (round(float(2 * tp / (2 * tp + fp + fn)), 4), round(float(th), 2)))
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    add_data_arguments(ap)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--from-layer", type=int, default=10)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--json")
    t0 = time.time()
    a, say, prep, base = start(ap)

    from nlp.model.train import train_classifier

    gold, sil = prep.gold, prep.silver
    y = prep.y[gold]
    cand = prep.candidate[gold]
    say("classical member, grouped cross-validation")
    cls = cross_validate(prep, k=a.folds, seed=a.seed, log=say)[gold]
    folds = _folds(y, a.folds, a.seed, near_duplicate_groups([prep.texts[i] for i in gold]))
    ft = np.zeros((len(gold), 1 + len(EVENT_TYPES)), dtype=np.float32)
    state_cache: dict = {}
    for f, (gtr, gte) in enumerate(folds, 1):
        tr = np.concatenate([gold[gtr], sil])
        tr = tr[prep.candidate[tr]]  # the model only ever sees prefilter candidates
        te = gold[gte]
        with tempfile.TemporaryDirectory() as d:
            rep = train_classifier(
                base_dir=base, texts=[prep.texts[i] for i in tr], relevance=prep.y[tr].tolist(),
                event_types=[prep.items[i].event_types for i in tr], out_dir=Path(d), mode="lora",
                epochs=a.epochs, seed=a.seed, num_layers=None,
                **{k: prep.encoder_spec[k] for k in ("max_length", "tail_tokens", "prefix")},  # as the shipped member
                train_from=a.from_layer, lr=a.lr, lora_rank=a.rank, lora_alpha=2.0 * a.rank,
                valid=([prep.texts[i] for i in te], prep.y[te].tolist(), [prep.items[i].event_types for i in te]),
                sample_weight=prep.weights[tr].tolist(), state_cache=state_cache, quantize=False,
                progress=lambda m, f=f: say(f"fold {f}: {m}"))
        ft[gte] = rep["valid_probs"]
    cls_rel = np.where(cand, cls[:, 0], 0.0)
    ft_rel = np.where(cand, ft[:, 0], 0.0)

    def blend(w: float) -> np.ndarray:
        z = (1 - w) * logit(cls[:, 0]) + w * logit(ft[:, 0])
        return np.where(cand, 1 / (1 + np.exp(-z)), 0.0)

    def nested(ws: tuple[float, ...]) -> dict[str, float]:
        pred = np.zeros(len(y), dtype=bool)
        probs = {w: blend(w) for w in ws}
        for gtr, gte in folds:
            best = {w: best_threshold(y[gtr], probs[w][gtr]) for w in ws}  # w -> (threshold, F1)
            w = max(ws, key=lambda v: (best[v][1], v))  # a tie goes to the larger w
            pred[gte] = probs[w][gte] >= best[w][0]
        return f1_of(pred, y)

    def at_best(p: np.ndarray) -> dict[str, float]:
        th, _ = best_threshold(y, p)
        return {**f1_of(p >= th, y), "threshold": th}

    pos = np.flatnonzero(y == 1)
    tmat = np.array([[t in prep.items[gold[i]].event_types for t in EVENT_TYPES] for i in pos], dtype=int)
    out = {
        "items": len(gold), "silver": len(sil), "folds": a.folds, "epochs": a.epochs, "from_layer": a.from_layer,
        "rank": a.rank, "lr": a.lr,
        "relevance_oof_best": {"classical": at_best(cls_rel), "fine_tune": at_best(ft_rel),
                               **{f"blend_w{w}": at_best(blend(w)) for w in WEIGHTS}},
        "relevance_nested": {"classical": nested((0.0,)), "blend_w0.3": nested((0.3,)),
                             "blend_w_picked": nested((0.0, *WEIGHTS))},
        "event_micro_on_gold_positives": {
            "classical": _micro_types(cls[pos, 1:], tmat), "fine_tune": _micro_types(ft[pos, 1:], tmat),
            "average": _micro_types((cls[pos, 1:] + ft[pos, 1:]) / 2, tmat)},
        "seconds": round(time.time() - t0),
    }
    text = json.dumps(out, indent=2, ensure_ascii=False)
    print(text)
    if a.json:
        Path(a.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

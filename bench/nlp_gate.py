"""Which candidates should the neural members see? Grouped cross-validation of the encoder gate.

The classical model sends a candidate to the neural members (the frozen-encoder member, and the fine-tuned member
blended into it) only when its TF-IDF member's probability lies in the gate band (``nlp.classical.ENC_GATE``,
chosen in session 3 for the encoder member alone). This bench fits, per fold, the classical model and the
fine-tuned member as ``laborwatch nlp train --transformer lora`` does (``nlp.training.cross_validate``), scores
every held-out candidate three ways (TF-IDF member, encoder member, blend) and then applies each gate afterwards:
inside the band the blend, outside it the TF-IDF member. Figures over the gold items (non-candidates count as
irrelevant): F1 at the out-of-fold-best threshold, F1 with the threshold nested (picked on the other folds), and
the share of candidates the gate sends to the neural members (their cost).

    python bench/nlp_gate.py [--data ../shared/data/labeled/train.jsonl] [--silver nlp/silver/weibo.jsonl]
                             [--folds 5] [--json OUT] [--short-chars 140 200 ...] [--scores OUT.npz]
                             [--no-transformer]

``--short-chars N`` adds, for each gate, a variant that also sends every candidate of at most N characters to the
neural members (short posts, where the TF-IDF member has few words to go on; issue 14). Every row reports the
relevance F1 per slice (message-board letters, short posts <= 140 characters, headlines) at its nested thresholds.
``--scores`` keeps the per-item member scores (to apply the frame layer or other gates afterwards).

Needs the base (``laborwatch nlp build-base``). About 35 minutes on 2 idle cores (five fine-tunes).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from cvcommon import add_data_arguments, f1_of, fit_fold, gold_folds, nested_predictions, slice_f1, start

from nlp.classical import logit
from nlp.evaluation import SLICES, slice_of
from nlp.training import TRANSFORMER_WEIGHT, _lookup, best_threshold, fit_transformer

GATES = ((0.15, 0.90), (0.10, 0.90), (0.05, 0.90), (0.10, 0.95), (0.05, 0.95), (0.02, 0.98), (0.0, 1.01),
         (0.20, 0.90), (0.25, 0.85))


def main() -> int:
    ap = argparse.ArgumentParser()
    add_data_arguments(ap)
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--short-chars", type=int, nargs="*", default=[],
                    help="also try each gate with every candidate of at most this many characters sent through")
    ap.add_argument("--scores", help="write the per-item member scores here (npz)")
    ap.add_argument("--no-transformer", action="store_true",
                    help="no fine-tuned member (minutes, not half an hour): the blend is the encoder member")
    t0 = time.time()
    a, say, prep, base = start(ap)
    gold, sil = prep.gold, prep.silver
    y = prep.y[gold]
    n = len(gold)
    p_tfidf, p_enc, p_blend = np.zeros(n), np.zeros(n), np.zeros(n)
    fold_of = np.zeros(n, dtype=int)
    cache: dict = {}
    folds = gold_folds(prep, a.folds, a.seed)
    for f, (gtr, gte) in enumerate(folds, 1):
        tr, te = np.concatenate([gold[gtr], sil]), gold[gte]
        m = fit_fold(prep, tr, a.seed)
        refine = None
        if not a.no_transformer:
            with tempfile.TemporaryDirectory() as d:
                rep = fit_transformer(prep, tr, base, Path(d), seed=a.seed, valid_rows=te, state_cache=cache,
                                      log=lambda msg, f=f: say(f"fold {f}: {msg}"))
            refine = _lookup({prep.texts[i]: float(logit(p))
                              for i, p in zip(te, rep["valid_probs"][:, 0], strict=True)})
        assert m.encoder is not None
        m.encoder["gate"] = (-1.0, 2.0)  # every candidate through both neural members; the gates are applied below
        args = ([prep.texts[i] for i in te], [prep.words[i] for i in te], prep.lex[te])
        p_tfidf[gte] = m.predict(*args)[:, 0]
        p_enc[gte] = m.predict(*args, embed=prep.embed_lookup(te))[:, 0]
        p_blend[gte] = m.predict(*args, embed=prep.embed_lookup(te), refine=refine,
                                 refine_weight=TRANSFORMER_WEIGHT)[:, 0]
        fold_of[gte] = f
        say(f"fold {f}/{a.folds} done")
    cand = prep.candidate[gold]
    length = np.array([len(prep.texts[i]) for i in gold])
    in_slice = {name: np.array([name in slice_of(prep.items[i]) for i in gold]) for name in SLICES}
    if a.scores:
        np.savez_compressed(a.scores, gold=gold, y=y, fold=fold_of, candidate=cand, tfidf=p_tfidf, encoder=p_enc,
                            blend=p_blend)

    def scores(gate: tuple[float, float], neural: np.ndarray, short: int) -> tuple[np.ndarray, float]:
        inside = cand & (((p_tfidf >= gate[0]) & (p_tfidf < gate[1])) | (length <= short))
        return np.where(cand, np.where(inside, neural, p_tfidf), 0.0), float(inside.sum() / max(1, cand.sum()))

    def nested(s: np.ndarray) -> dict[str, object]:
        pred = nested_predictions(y, s, fold_of)
        return {**f1_of(pred, y), "slices": slice_f1(pred, y, in_slice)}

    rows = []
    for gate in GATES:
        for short in (0, *a.short_chars):
            for name, neural in (("blend", p_blend), ("encoder", p_enc)):
                s, share = scores(gate, neural, short)
                th, f1 = best_threshold(y, s)
                rows.append({"gate": list(gate), "short_chars": short, "members": name,
                             "gated_share_of_candidates": round(share, 3), "oof_best_f1": round(float(f1), 4),
                             "threshold": float(th), "nested": nested(s)})
                print(json.dumps(rows[-1]), flush=True)
    th, f1 = best_threshold(y, np.where(cand, p_tfidf, 0.0))
    out = {"tfidf_only": {"oof_best_f1": round(float(f1), 4), "threshold": float(th)}, "gates": rows,
           "folds": a.folds, "seconds": round(time.time() - t0, 1)}
    print(json.dumps(out["tfidf_only"]))
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

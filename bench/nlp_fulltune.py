"""Deeper fine-tunes of the e5 base as the transformer member, one fold at a time, against the shipped member.

The shipped transformer member (``laborwatch nlp train --transformer lora``) trains LoRA adapters on the top two of
the base's 12 layers, 256 tokens. This bench trains the member deeper on one fold of the usual split (5 folds grouped
by near-duplicate text, seed 13, Weibo silver in every training fold): all 12 layers in full (``--mode top
--train-from 0``, the issue's "full fine-tune") or LoRA adapters on every layer (``--mode lora --train-from 0``, the
form whose weights stay a few MB). The classical model of that fold is fitted as ``laborwatch nlp train`` does, and
the new member is blended into it inside the encoder gate as the analyzer does. ``compare`` reads the shipped
recipe's out-of-fold scores (``bench/nlp_gate.py --scores``, same folds) and prints, for the fold, F1 at the
threshold the shipped blend picks on the other four folds and at the fold's best threshold, and the AUC of the
member alone against the TF-IDF member on short (<= 140 characters) and long candidates.

    python bench/nlp_fulltune.py run --fold 1 --mode top --train-from 0 --max-length 128 --epochs 3 --lr 5e-5 \
                                     --out F.npz
    python bench/nlp_fulltune.py compare --reference S.npz F.npz [F2.npz ...]
    python bench/nlp_fulltune.py scores --reference S.npz --out N.npz OOF.jsonl   # then nlp_frames_oof --scores N.npz

``scores`` takes a whole recipe's five folds from ``laborwatch nlp train --oof-out OOF.jsonl`` (e.g. with
``--transformer-layers 12``) instead of one fold of ``run``.

One fold of a full fine-tune at 128 tokens takes about 160 s per epoch on 2 idle cores (round 14 of
``bench/nlp_results.md``), plus about 3 minutes of embeddings and the classical fit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from cvcommon import add_data_arguments, fit_fold, gold_folds, start

from lwcore.settings import REPO_ROOT
from nlp.classical import ENC_GATE
from nlp.data import load_labelled
from nlp.training import best_threshold


def run(argv: list[str]) -> int:
    from nlp.classical import logit
    from nlp.model import train_classifier
    from nlp.training import TRANSFORMER_WEIGHT, _lookup

    ap = argparse.ArgumentParser(prog="nlp_fulltune.py run")
    add_data_arguments(ap)
    ap.add_argument("--fold", type=int, default=1, help="which fold of the split is held out (1-based)")
    ap.add_argument("--mode", choices=["top", "lora"], default="top")
    ap.add_argument("--train-from", type=int, default=0, help="first trained layer (0: every layer)")
    ap.add_argument("--rank", type=int, default=16, help="LoRA rank (alpha = 2 x rank)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--out", required=True, help="npz with the fold's held-out scores")
    sys.argv = [ap.prog, *argv]
    a, say, prep, base = start(ap)
    gold, sil = prep.gold, prep.silver
    gtr, gte = gold_folds(prep, a.folds, a.seed)[a.fold - 1]
    tr, te = np.concatenate([gold[gtr], sil]), gold[gte]
    m = fit_fold(prep, tr, a.seed)
    rows = tr[prep.candidate[tr]]  # the member only ever sees prefilter candidates
    spec = prep.encoder_spec or {}
    t0 = time.time()
    with tempfile.TemporaryDirectory() as d:
        rep = train_classifier(
            base_dir=Path(base), texts=[prep.texts[i] for i in rows], relevance=prep.y[rows].tolist(),
            event_types=[prep.items[i].event_types for i in rows], out_dir=Path(d), mode=a.mode, seed=a.seed,
            lora_rank=a.rank, lora_alpha=2.0 * a.rank, num_layers=None, train_from=a.train_from, lr=a.lr,
            epochs=a.epochs, max_length=a.max_length, tail_tokens=min(int(spec.get("tail_tokens", 32)),
                                                                        a.max_length // 3),
            prefix=str(spec.get("prefix", "query: ")),
            valid=([prep.texts[i] for i in te], prep.y[te].tolist(), [prep.items[i].event_types for i in te]),
            valid_fraction=0.0, sample_weight=prep.weights[rows].tolist(), quantize=False, progress=say)
    say(f"fine-tune {time.time() - t0:.0f} s")
    member = rep["valid_probs"][:, 0]
    refine = _lookup({prep.texts[i]: float(logit(p)) for i, p in zip(te, member, strict=True)})
    assert m.encoder is not None
    m.encoder["gate"] = (-1.0, 2.0)  # every candidate through the members; the gate is applied by `compare`
    args = ([prep.texts[i] for i in te], [prep.words[i] for i in te], prep.lex[te])
    np.savez_compressed(
        a.out, gte=gte, te=te, member=member, tfidf=m.predict(*args)[:, 0],
        blend=m.predict(*args, embed=prep.embed_lookup(te), refine=refine, refine_weight=TRANSFORMER_WEIGHT)[:, 0],
        settings=np.array([f"mode={a.mode} train_from={a.train_from} rank={a.rank} epochs={a.epochs} "
                           f"max_length={a.max_length} lr={a.lr} seconds={time.time() - t0:.0f}"]))
    say("saved " + a.out)
    return 0


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def compare(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="nlp_fulltune.py compare")
    ap.add_argument("--reference", required=True, help="bench/nlp_gate.py --scores output (the shipped member)")
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args(argv)
    g = np.load(a.reference)
    items = load_labelled(a.data)

    def gated(neural: np.ndarray, tfidf: np.ndarray, cand: np.ndarray) -> np.ndarray:
        inside = cand & (tfidf >= ENC_GATE[0]) & (tfidf < ENC_GATE[1])
        return np.where(cand, np.where(inside, neural, tfidf), 0.0)

    shipped = gated(g["blend"], g["tfidf"], g["candidate"])
    for path in a.runs:
        r = np.load(path)
        gte = r["gte"]
        fold = int(g["fold"][gte[0]])
        if not np.allclose(g["tfidf"][gte], r["tfidf"], atol=1e-4):
            raise SystemExit(f"{path}: its TF-IDF member differs from the reference's: not the same fold or data")
        y, cand = g["y"][gte], g["candidate"][gte]
        short = np.array([len(items[i].text) <= 140 for i in r["te"]])
        other = g["fold"] != fold
        th = best_threshold(g["y"][other], shipped[other])[0]

        def f1(s: np.ndarray, th: float = th, y: np.ndarray = y) -> float:
            p = s >= th
            tp = int((p & (y == 1)).sum())
            return 2 * tp / max(1, 2 * tp + int((p & (y == 0)).sum()) + int((~p & (y == 1)).sum()))

        print(f"{path}: {r['settings'][0]}\n  fold {fold}: {len(y)} items, {int(y.sum())} relevant; threshold of the "
              f"shipped blend on the other folds {th}")
        for name, s in (("TF-IDF member", gated(r["tfidf"], r["tfidf"], cand)),
                        ("shipped blend (LoRA top 2), gated", shipped[gte]),
                        ("this member's blend, gated", gated(r["blend"], r["tfidf"], cand)),
                        ("this member's blend, every candidate", np.where(cand, r["blend"], 0.0))):
            print(f"  {name:38s} F1 {f1(s):.4f} at that threshold, {best_threshold(y, s)[1]:.4f} at the fold's best")
        masks = (("candidates", cand), ("short candidates", cand & short), ("long candidates", cand & ~short))
        for name, mask in masks:
            print(f"  AUC on {name:17s} member alone {_auc(y[mask], r['member'][mask]):.3f}, TF-IDF member "
                  f"{_auc(y[mask], r['tfidf'][mask]):.3f}, shipped blend {_auc(y[mask], g['blend'][gte][mask]):.3f}, "
                  f"this blend {_auc(y[mask], r['blend'][mask]):.3f}")
    return 0


def scores_from_oof(argv: list[str]) -> int:
    """``laborwatch nlp train --oof-out`` scores (every fold's gated blend, the member trained as that run's
    recipe) in the form ``bench/nlp_frames_oof.py --scores`` reads, from the reference run on the same folds: its
    TF-IDF member and folds, this run's scores as the blend. Refuses a run whose TF-IDF member differs."""
    import json

    ap = argparse.ArgumentParser(prog="nlp_fulltune.py scores")
    ap.add_argument("--reference", required=True, help="bench/nlp_gate.py --scores output (same data and folds)")
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--out", required=True, help="npz for bench/nlp_frames_oof.py --scores")
    ap.add_argument("oof", help="laborwatch nlp train --oof-out output")
    a = ap.parse_args(argv)
    g = dict(np.load(a.reference))
    items = load_labelled(a.data)
    rows = [json.loads(line) for line in Path(a.oof).read_text(encoding="utf-8").splitlines() if line.strip()]
    if [r["id"] for r in rows] != [it.id for it in items] or len(rows) != len(g["y"]):
        raise SystemExit(f"{a.oof}: its items are not {a.data}'s, in order")
    score = np.array([r["score"] for r in rows])
    cand, tfidf = g["candidate"], g["tfidf"]
    outside = cand & ((tfidf < ENC_GATE[0]) | (tfidf >= ENC_GATE[1]))
    gap = float(np.abs(score[outside] - tfidf[outside]).max()) if outside.any() else 0.0
    if gap > 1e-3:  # outside the gate the analyzer takes the TF-IDF member's score as it is
        raise SystemExit(f"{a.oof}: outside the gate its scores differ from the reference's TF-IDF member by up "
                         f"to {gap:.4f}: not the same folds or recipe")
    if (score[~cand] != 0).any():
        raise SystemExit(f"{a.oof}: non-candidates scored: not laborwatch nlp train output")
    g["blend"] = score
    np.savez_compressed(a.out, **g)
    print(f"{a.out}: {len(score)} items; outside the gate the TF-IDF member agrees within {gap:.1e}")
    return 0


def main() -> int:
    commands = {"run": run, "compare": compare, "scores": scores_from_oof}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())

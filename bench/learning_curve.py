"""The learning loop, measured.

**Simulation** (default): staff verify ``--per-day`` posts a day of a held-out stream, drawn from the 待复核 queue
(uncertainty sampling nearest the threshold plus ``--random-share`` random unflagged posts, as
``laborwatch.web.review.pick_queue`` does) or at random; the model is retrained weekly on the initial labels plus
what was verified so far, and relevance F1 is measured week by week on a separate evaluation part of the stream.

    PYTHONPATH=. python bench/learning_curve.py [--data ../shared/data/labeled/train.jsonl] [--weeks 6]
        [--per-day 20] [--initial 0.3] [--eval 0.25] [--seeds 13 14]

The labelled data is split by near-duplicate group (``nlp.training.near_duplicate_groups``): ``--initial`` of the
groups are what the first model knows, ``--eval`` the evaluation stream, the rest the stream staff verify from. The
model is the TF-IDF member (``ClassicalModel``, trained on prefilter candidates as ``laborwatch nlp train`` does)
with the shipped bundle's threshold; neither the encoder member nor the frame layer (both unchanged by retraining
on a few hundred labels) take part, so the figures are the retrained member's own.

**Timing** (``--time-retrain``): ``laborwatch nlp retrain`` + gate with ``--extra`` extra labels, through
:func:`nlp.learning.retrain` (what the command and the service run). The extra labels are corpus texts from
``../shared/data/corpora`` labelled by the shipped bundle (TF-IDF member; a stand-in for staff decisions: the timing
does not depend on who labelled them), written to a temporary file outside the repository; 20 % of them also play the
verified decisions, so the gate has a frozen slice to score.

    PYTHONPATH=. python bench/learning_curve.py --time-retrain [--extra 5000] [--encoder]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from lwcore.settings import REPO_ROOT, load_settings
from nlp.bundle import BundleInfo
from nlp.classical import ClassicalModel
from nlp.data import load_labelled
from nlp.evaluation import prf
from nlp.resources import DEFAULT_MODEL_DIR
from nlp.training import near_duplicate_groups, prepare

DATA = REPO_ROOT.parent / "shared" / "data" / "labeled" / "train.jsonl"
CORPORA = REPO_ROOT.parent / "shared" / "data" / "corpora"


def _split(groups: np.ndarray, initial: float, eval_share: float, seed: int) -> tuple[np.ndarray, ...]:
    rng = random.Random(seed)
    uniq = sorted(set(groups.tolist()))
    rng.shuffle(uniq)
    n = len(groups)
    sizes = {g: int((groups == g).sum()) for g in uniq}
    parts: list[list[int]] = [[], [], []]
    acc = 0
    for g in uniq:
        k = 0 if acc < initial * n else 1 if acc < (initial + eval_share) * n else 2
        parts[k].append(g)
        acc += sizes[g]
    return tuple(np.flatnonzero(np.isin(groups, p)) for p in parts)  # initial, eval, pool


INNER = 3  # the calibration folds of ClassicalModel.fit (--inner; 3 as `nlp train` does)


def _fit(prep, rows: np.ndarray, seed: int) -> ClassicalModel:  # noqa: ANN001
    return ClassicalModel.fit([prep.texts[i] for i in rows], [prep.words[i] for i in rows], prep.lex[rows],
                              prep.y[rows], [prep.items[i].event_types for i in rows], candidate=prep.candidate[rows],
                              sample_weight=prep.weights[rows], seed=seed, inner=INNER)


def _scores(model: ClassicalModel, prep, rows: np.ndarray) -> np.ndarray:  # noqa: ANN001
    out = np.zeros(len(rows), dtype=np.float64)
    cand = rows[prep.candidate[rows]]
    if len(cand):
        p = model.predict([prep.texts[i] for i in cand], [prep.words[i] for i in cand], prep.lex[cand])[:, 0]
        out[prep.candidate[rows]] = p
    return out


def _f1(prep, rows: np.ndarray, scores: np.ndarray, thr: float) -> dict:  # noqa: ANN001
    y = prep.y[rows] == 1
    pred = scores >= thr
    return prf(int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum()))


def simulate(args: argparse.Namespace) -> dict:
    from nlp.training import load_parts as _load_parts

    settings = load_settings(environ={})
    seg, lex = _load_parts(settings)
    items = load_labelled(args.data)
    t0 = time.monotonic()
    prep = prepare(items, segmenter=seg, lexicon=lex)
    groups = near_duplicate_groups(prep.texts)
    thr = BundleInfo.load(DEFAULT_MODEL_DIR).threshold
    print(f"prepared {len(items)} items in {time.monotonic() - t0:.0f} s; threshold {thr}", file=sys.stderr)
    per_week = args.per_day * 7
    runs = []
    for seed in args.seeds:
        init, ev, pool = _split(groups, args.initial, args.eval, seed)
        print(f"seed {seed}: initial {len(init)}, eval {len(ev)}, pool {len(pool)}", file=sys.stderr)
        curves: dict[str, list[dict]] = {}
        for strategy in args.strategies:
            rng = random.Random(seed * 7 + 1)
            labelled = list(init)
            left = list(pool)
            model = _fit(prep, np.array(labelled), seed)
            curve = [{"week": 0, "labels": 0, **_f1(prep, ev, _scores(model, prep, ev), thr)}]
            print(f"seed {seed} {strategy:<11} week 0: F1 {curve[0]['f1']:.4f}", file=sys.stderr)
            for week in range(1, args.weeks + 1):
                if strategy == "random":
                    picked = rng.sample(left, min(per_week, len(left)))
                else:
                    sc = _scores(model, prep, np.array(left))
                    n_rand = round(per_week * args.random_share)
                    near = sorted((k for k in range(len(left)) if sc[k] > 0), key=lambda k: abs(sc[k] - thr))
                    chosen = near[: per_week - n_rand]
                    taken = set(chosen)
                    unflagged = [k for k in range(len(left)) if sc[k] < thr and k not in taken]
                    chosen += rng.sample(unflagged, min(per_week - len(chosen), len(unflagged)))
                    picked = [left[k] for k in chosen]
                chosen_set = set(picked)
                left = [i for i in left if i not in chosen_set]
                labelled += picked
                model = _fit(prep, np.array(labelled), seed)
                f = _f1(prep, ev, _scores(model, prep, ev), thr)
                curve.append({"week": week, "labels": week * per_week,
                              "positives_verified": int(prep.y[np.array(labelled[len(init):])].sum()), **f})
                print(f"seed {seed} {strategy:<11} week {week}: F1 {f['f1']:.4f} "
                      f"({curve[-1]['positives_verified']} disputes among {week * per_week} verified)",
                      file=sys.stderr)
            curves[strategy] = curve
        runs.append({"seed": seed, "initial": len(init), "eval": len(ev), "pool": len(pool), "curves": curves})
    mean = {s: [round(float(np.mean([r["curves"][s][w]["f1"] for r in runs])), 4) for w in range(args.weeks + 1)]
            for s in args.strategies}
    return {"data": str(args.data), "per_day": args.per_day, "weeks": args.weeks, "random_share": args.random_share,
            "inner": INNER, "initial_share": args.initial, "eval_share": args.eval,
            "threshold": thr, "mean_f1_by_week": mean, "runs": runs,
            "seconds": round(time.monotonic() - t0, 1)}


def _extra_labels(n: int, out: Path) -> int:
    """``n`` corpus texts labelled by the shipped bundle's TF-IDF member (a stand-in for staff decisions)."""
    from nlp.analyzer import Analyzer, TextInput

    files = [CORPORA / "govboard" / "messages_labeled.jsonl",
             CORPORA / "weibo" / "covid2020_labour_keyword_posts.jsonl",
             CORPORA / "news_headlines" / "thucnews.jsonl"]
    texts: list[str] = []
    per = n // len(files) + 1
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                if k >= per:
                    break
                t = (json.loads(line).get("text") or "").strip()
                if t:
                    texts.append(t)
    texts = texts[:n]
    settings = load_settings(environ={}).model_copy(deep=True)
    settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"use_transformer": False})})
    an = Analyzer.from_settings(settings, follow_active=False)
    res = an.analyze_inputs([TextInput(f"x{k}", t) for k, t in enumerate(texts)])
    with out.open("w", encoding="utf-8") as fh:
        for k, (t, a) in enumerate(zip(texts, res, strict=True)):
            fh.write(json.dumps({"id": f"extra-{k}", "source": "corpus", "text": t, "labor_dispute": a.labor_dispute,
                                 "event_types": list(a.event_types)}, ensure_ascii=False) + "\n")
    return len(texts)


def time_retrain(args: argparse.Namespace) -> dict:
    from nlp.learning import retrain

    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        t0 = time.monotonic()
        n = _extra_labels(args.extra, tmpd / "extra_all.jsonl")
        label_s = time.monotonic() - t0
        rows = (tmpd / "extra_all.jsonl").read_text(encoding="utf-8").splitlines()
        # every fifth line plays a verified decision (the gate's frozen slice comes from these), the rest extra labels
        (tmpd / "decisions.jsonl").write_text("\n".join(rows[::5]) + "\n", encoding="utf-8")
        (tmpd / "extra.jsonl").write_text("\n".join(r for k, r in enumerate(rows) if k % 5) + "\n", encoding="utf-8")
        settings = load_settings(environ={}, overrides={"state_dir": str(tmpd / "state"), "nlp": {
            "use_transformer": bool(args.encoder), "learning": {"encoder": bool(args.encoder), "folds": args.folds}}})
        t1 = time.monotonic()
        c1 = resource.getrusage(resource.RUSAGE_SELF)
        res = retrain(settings, data=Path(args.data), labels_file=tmpd / "decisions.jsonl",
                      extra_labels=tmpd / "extra.jsonl", run_gate=True, auto_promote=False,
                      command="bench/learning_curve.py --time-retrain")
        total = time.monotonic() - t1
        c2 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (c2.ru_utime - c1.ru_utime) + (c2.ru_stime - c1.ru_stime)
        card = res.bundle.card if res.bundle else {}
    return {"extra_labels_generated": n, "labelling_seconds": round(label_s, 1),
            "retrain_and_gate_seconds": round(total, 1), "retrain_and_gate_cpu_seconds": round(cpu, 1),
            "train_seconds": card.get("train_seconds"), "counts": res.counts,
            "gate_passed": None if res.gate is None else res.gate["passed"], "encoder": bool(args.encoder),
            "folds": args.folds, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--weeks", type=int, default=6)
    ap.add_argument("--per-day", type=int, default=20)
    ap.add_argument("--initial", type=float, default=0.3, help="share of the data the first model knows")
    ap.add_argument("--eval", type=float, default=0.25, help="share of the data that is the evaluation stream")
    ap.add_argument("--random-share", type=float, default=0.2, help="random unflagged posts in the queue")
    ap.add_argument("--seeds", type=int, nargs="+", default=[13])
    ap.add_argument("--strategies", nargs="+", default=["uncertainty", "random"], choices=["uncertainty", "random"],
                    help="run one at a time on a busy machine (each prints its own curve)")
    ap.add_argument("--inner", type=int, default=3, help="calibration folds of each weekly fit (2: faster)")
    ap.add_argument("--time-retrain", action="store_true")
    ap.add_argument("--extra", type=int, default=5000)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--encoder", action="store_true", help="time with the encoder member (needs the built base)")
    args = ap.parse_args()
    global INNER
    INNER = args.inner
    if not Path(args.data).is_file():
        print(f"{args.data}: the shared labelled data is absent; nothing to measure", file=sys.stderr)
        return 2
    out = time_retrain(args) if args.time_retrain else simulate(args)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

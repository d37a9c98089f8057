"""The short-post member (``nlp.short_member``): fit it, and measure it on a behavioural suite it was not trained on.

    python bench/nlp_short_member.py fit [--write]          # suites A-I + the labelled data -> the bundle's file
    python bench/nlp_short_member.py suite [--suite j]      # the analyzer with and without it, per split

``fit`` trains on every behavioural suite but the held-out ones (``HELD_OUT_SUITES``: J, written blind in session 16;
H and I were held out in session 15) and on the labelled data (``../shared/data/labeled/train.jsonl``), each text in
the relevance view with placeholders for firm names, towns and counts (``nlp.placeholders``), and with
``--write`` stores ``short_member.npz`` in the committed bundle (``nlp/default_model``). ``suite`` runs the analyzer
twice on a suite's cases, with the member and without it, and prints the pass rates per capability (never the
failures: the held-out suite stays blind). The labelled data's figure, with the member refitted per fold, is
``python bench/nlp_frames_oof.py --scores S.npz --short-member``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lwcore.settings import REPO_ROOT, load_settings
from nlp.analyzer import Analyzer, TextInput
from nlp.behaviour import SUITES, Suite, load_suite, run_suite
from nlp.data import load_labelled
from nlp.normalize import normalize
from nlp.short_member import SHORT_FILE, fit_member
from nlp.surface import relevance_view

DATA = REPO_ROOT.parent / "shared/data/labeled/train.jsonl"
BUNDLE = REPO_ROOT / "nlp/default_model"


def _fit(a: argparse.Namespace) -> int:
    if not Path(a.data).is_file():
        raise SystemExit(f"{a.data}: labelled data not found (the member is trained on it with the suites)")
    t0 = time.time()
    items = load_labelled(a.data)
    m = fit_member([relevance_view(normalize(it.text)) for it in items], [it.labor_dispute for it in items],
                   meta={"data": Path(a.data).name})
    out = {**m.meta, "terms": len(m.vocab), "seconds": round(time.time() - t0, 1)}
    if a.write:
        path = Path(a.bundle) / SHORT_FILE
        m.save(path)
        out["written"] = str(path)
        out["bytes"] = path.stat().st_size
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _suite(a: argparse.Namespace) -> int:
    settings = load_settings(environ={})
    full = load_suite(SUITES[a.suite])
    with_member = Analyzer.from_settings(settings)
    without = Analyzer.from_settings(settings)
    without._load()
    without._short = None  # the same bundle without its short-post member
    for split in sorted({c.split for c in full.cases}):
        part = Suite([c for c in full.cases if c.split == split])
        row = {}
        for label, an in (("without", without), ("with", with_member)):
            summary = run_suite(part, lambda ts, an=an: an.analyze_inputs(
                [TextInput(str(i), t) for i, t in enumerate(ts)]))[1]
            row[label] = {k: f"{v['passed']}/{v['total']}" for k, v in summary.items()}
            row[label]["flips"] = summary["invariance"].get("flips")
        print(json.dumps({"suite": a.suite, "split": split, **row}, ensure_ascii=False))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--data", default=str(DATA))
    f.add_argument("--bundle", default=str(BUNDLE))
    f.add_argument("--write", action="store_true")
    s = sub.add_parser("suite")
    s.add_argument("--suite", default="j", choices=list(SUITES))
    a = ap.parse_args()
    return _fit(a) if a.cmd == "fit" else _suite(a)


if __name__ == "__main__":
    sys.exit(main())

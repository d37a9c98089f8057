"""The short-post member (``nlp.short_member``): fit it, and measure it on a behavioural suite it was not trained on.

    python bench/nlp_short_member.py fit [--write]          # suites A-I + the labelled data -> the bundle's file
    python bench/nlp_short_member.py suite [--suite j]      # the analyzer with and without it, per split
    python bench/nlp_short_member.py encoder-fit [--write] [--cache E.npz]   # the short-post encoder member
    python bench/nlp_short_member.py loso [--weights 0.6 0.8] [--no-placeholders]   # leave one suite out

``fit`` trains on every behavioural suite but the held-out ones (``HELD_OUT_SUITES``: J, written blind in session 16,
read for frame rules in session 17 but kept out of the member; K, written blind in session 17; H and I were held out
in session 15) and on the labelled data (``../shared/data/labeled/train.jsonl``), each text in
the relevance view with placeholders for firm names, towns and counts (``nlp.placeholders``), and with
``--write`` stores ``short_member.npz`` in the committed bundle (``nlp/default_model``). ``encoder-fit`` does the same
for the short-post encoder member (``nlp.short_encoder``: suites A-J, suite K's dev half and the labelled data, on
the frozen encoder's embeddings; ``short_encoder.npz``). ``suite`` runs the analyzer on a suite's cases without
both short-post members, with the character member only (when the bundle has the encoder member), with both but
without the rescue of short texts no other member scores (``Analyzer.use_rescue``, ``nlp.short_encoder.rescue_score``)
and with everything, and prints the pass rates per capability (never the failures: the held-out suites stay
blind). The labelled data's figure, with the members refitted per fold, is ``python bench/nlp_frames_oof.py --scores
S.npz --short-member [--short-encoder]``.

``loso`` is the design check that needs no blind suite: for each training suite in turn, the member is refitted
without it and the whole analyzer's decisions on it are counted (its other members scored once with the member off),
summed over the suites, for each ``--weights``; ``--no-placeholders`` fits and reads the member without
``nlp.placeholders``. About five minutes on two cores.
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
    return _report(m, a, SHORT_FILE, {"terms": len(m.vocab), "seconds": round(time.time() - t0, 1)})


def _report(m: object, a: argparse.Namespace, file: str, extra: dict) -> int:
    """Print a fitted member's metadata (and, with ``--write``, store it in the bundle as ``file``)."""
    out = {**m.meta, **extra}  # type: ignore[attr-defined]
    if a.write:
        path = Path(a.bundle) / file
        m.save(path)  # type: ignore[attr-defined]
        out["written"] = str(path)
        out["bytes"] = path.stat().st_size
    print(json.dumps(out, ensure_ascii=False))
    return 0


class _CachedEmbed:
    """The encoder's ``embed`` behind a file cache of unit-length embeddings (text -> row), so that refits and
    weight sweeps embed each text once; ``--cache`` names the file (npz, no pickle)."""

    def __init__(self, encoder: object, path: str | None) -> None:
        import numpy as np

        self.encoder = encoder
        self.path = Path(path) if path else None
        self.rows: dict[str, np.ndarray] = {}
        if self.path is not None and self.path.is_file():
            with np.load(self.path, allow_pickle=False) as z:
                self.rows = dict(zip([str(t) for t in z["texts"]], z["emb"], strict=True))

    def __call__(self, texts: list[str]):  # noqa: ANN204 - numpy array
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if todo:
            t0 = time.time()
            e = self.encoder.embed(todo, batch_size=32)  # type: ignore[attr-defined]
            e = e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)
            self.rows.update(zip(todo, e.astype(np.float32), strict=True))
            print(f"embedded {len(todo)} texts in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
            if self.path is not None:
                np.savez(self.path, texts=np.array(list(self.rows), dtype=str), emb=np.stack(list(self.rows.values())))
        return np.stack([self.rows[t] for t in texts])


def _encoder_fit(a: argparse.Namespace) -> int:
    from nlp.short_encoder import ENCODER_SHORT_FILE, fit_encoder_member

    if not Path(a.data).is_file():
        raise SystemExit(f"{a.data}: labelled data not found (the member is trained on it with the suites)")
    t0 = time.time()
    an = Analyzer.from_settings(load_settings(environ={}))
    an._load()
    if not an._encoder_ok:
        raise SystemExit("the encoder member cannot run here (build the base: laborwatch nlp build-base)")
    enc = an._encoder()
    items = load_labelled(a.data)
    m = fit_encoder_member(_CachedEmbed(enc, a.cache), [relevance_view(normalize(it.text)) for it in items],
                           [it.labor_dispute for it in items], base_fingerprint=enc.spec.base_fingerprint,
                           meta={"data": Path(a.data).name})
    return _report(m, a, ENCODER_SHORT_FILE, {"seconds": round(time.time() - t0, 1)})


def _suite(a: argparse.Namespace) -> int:
    settings = load_settings(environ={})
    full = load_suite(SUITES[a.suite])
    with_member = Analyzer.from_settings(settings)
    without = Analyzer.from_settings(settings)
    without._load()
    without._short = without._short_enc = None  # the same bundle without its short-post members
    variants = [("without", without)]
    with_member._load()
    if with_member._short_enc is not None:  # and with the character member alone
        char_only = Analyzer.from_settings(settings)
        char_only._load()
        char_only._short_enc = None
        variants.append(("char_only", char_only))
        # both members, without the rescue of unscored short texts
        variants.append(("no_rescue", Analyzer.from_settings(settings, use_rescue=False)))
    variants.append(("with", with_member))
    for split in sorted({c.split for c in full.cases}):
        part = Suite([c for c in full.cases if c.split == split])
        row = {}
        for label, an in variants:
            summary = run_suite(part, lambda ts, an=an: an.analyze_inputs(
                [TextInput(str(i), t) for i, t in enumerate(ts)]))[1]
            row[label] = {k: f"{v['passed']}/{v['total']}" for k, v in summary.items()}
            row[label]["flips"] = summary["invariance"].get("flips")
        print(json.dumps({"suite": a.suite, "split": split, **row}, ensure_ascii=False))
    return 0


def _loso(a: argparse.Namespace) -> int:
    """Leave one suite out: the member refitted without each training suite in turn (and without the held-out ones),
    the whole analyzer's decision on the suite left out (its other members scored once, the member moving that
    score as in ``Analyzer._one``), summed over the suites per weight."""
    from nlp.short_member import HELD_OUT_SUITES, MAX_CHARS, ShortPostMember, default_placeholders

    settings = load_settings(environ={})
    an = Analyzer.from_settings(settings)
    an._load()
    an._short = None  # the other members alone; the refitted member is applied below
    items = load_labelled(a.data)
    lab_views = [relevance_view(normalize(it.text)) for it in items]
    lab_y = [it.labor_dispute for it in items]
    thr = an.threshold
    totals: dict[float, dict[str, list[int]]] = {w: {} for w in a.weights}
    flips = dict.fromkeys(a.weights, 0)
    t0 = time.time()
    for name in [n for n in SUITES if n not in HELD_OUT_SUITES]:
        cases = [c for c in load_suite(SUITES[name]).cases if c.capability in ("mft", "contrast", "robustness",
                                                                                "invariance")]
        res = an.analyze_inputs([TextInput(str(i), c.text) for i, c in enumerate(cases)])
        views = [relevance_view(normalize(c.text)) for c in cases]
        member = fit_member(lab_views, lab_y, exclude=(*HELD_OUT_SUITES, name), placeholders=not a.no_placeholders)
        reads = [i for i, (r, v) in enumerate(zip(res, views, strict=True))
                 if len(v) <= MAX_CHARS and (r.explanation or {}).get("rule") != "no-candidate"]
        # (the member reads what it was fitted on: placeholders or the plain view, as in Analyzer._short_view)
        p = dict(zip(reads, member.proba([member.reads(views[i], default_placeholders()) for i in reads]).tolist(),
                     strict=True))
        for w in a.weights:
            per: dict[str, list[int]] = {}
            tpl: dict[tuple[str, str], set[bool]] = {}
            for i, (c, r) in enumerate(zip(cases, res, strict=True)):
                score = ShortPostMember.adjust(r.score, p[i], w) if i in p else r.score
                d = score >= thr
                st = per.setdefault(c.capability, [0, 0])
                st[0] += d == c.expect
                st[1] += 1
                if c.capability == "invariance":
                    tpl.setdefault((c.split, c.group), set()).add(d)
            f = sum(len(v) > 1 for v in tpl.values())
            flips[w] += f
            for k, v in per.items():
                acc = totals[w].setdefault(k, [0, 0])
                acc[0] += v[0]
                acc[1] += v[1]
            print(json.dumps({"suite": name, "weight": w, **{k: f"{v[0]}/{v[1]}" for k, v in per.items()},
                              "flips": f}), flush=True)
    for w in a.weights:
        print(json.dumps({"all_but_held_out": True, "weight": w, "placeholders": not a.no_placeholders,
                          **{k: f"{v[0]}/{v[1]} ({v[0] / v[1]:.3f})" for k, v in totals[w].items()},
                          "flips": flips[w], "seconds": round(time.time() - t0)}))
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
    lo = sub.add_parser("loso")
    lo.add_argument("--data", default=str(DATA))
    lo.add_argument("--weights", type=float, nargs="+", default=[0.6])
    lo.add_argument("--no-placeholders", action="store_true", help="the member as session 15 read texts")
    e = sub.add_parser("encoder-fit")
    e.add_argument("--data", default=str(DATA))
    e.add_argument("--bundle", default=str(BUNDLE))
    e.add_argument("--write", action="store_true")
    e.add_argument("--cache", help="an npz file of embeddings kept between runs")
    a = ap.parse_args()
    return {"fit": _fit, "suite": _suite, "loso": _loso, "encoder-fit": _encoder_fit}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())

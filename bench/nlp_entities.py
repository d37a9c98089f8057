"""Entity extraction quality on the labelled data: employer mentions P/R/F1, workers and amount exact match.

Measures ``nlp.entities.EntityExtractor`` alone, on the labelled positives (gold relevance), so the figures do not
mix in relevance errors (``bench/nlp_cv.py`` gives the end-to-end figures). Texts go through ``normalize`` first,
as in ``Analyzer``; gold employer mentions are normalised the same way.

Split: a fixed 5-way split by a hash of the item id (folds 0-1 = ``dev``, the split rules are tuned on; folds 2-4
= ``test``, reported). ``--split all`` reports every labelled positive. ``--folds 2,3`` scores any set of folds
instead of a split (entity round 16: folds 2-3 read for errors, fold 4 held out). The extractor is the shipped one
(the learned selector of ``nlp/default_model/entities.npz`` when present, else the rules); ``--rules``: rules alone.
Note: the shipped selector was trained on every labelled positive, so its split figures are in-sample; ``--cv``
gives the out-of-fold comparison (rules vs learned on the same 5 folds grouped by near-duplicate text, over all
labelled positives, with the candidate-recall ceilings).

    python bench/nlp_entities.py [--data ../shared/data/labeled/train.jsonl] [--split dev|test|all | --folds 2,3]
                                 [--rules|--model F]
                                 [--errors N] [--field employers|workers|amount] [--spurious]
                                 [--json OUT]
    python bench/nlp_entities.py --cv [--c 1.0] [--json OUT]
    python bench/nlp_entities.py --cases tests/unit/nlp/entity_cases.yaml [--rules]
    python bench/nlp_entities.py --compare-before REF [--folds 2,3] [--cases tests/unit/nlp/entity_cases.yaml]
                                 [--json OUT]

``--place-insensitive``: also employer P/R/F1 with a leading place (A市, B3县, 西地省, 上海) dropped on both sides,
a diagnostic of the labels' choice among placed forms of one name (the metric itself stays exact; round 13).
``--cases``: the invented local-site cases (issue 14): pass counts per field, failing kinds, every failing case.
``--compare-before REF``: dev, test and all (and the ``--folds`` set, and the case file) for the code of git revision
REF (checked out into a temporary worktree, this bench file run on it) and for this checkout, side by side in one run.
Every employer figure carries its ``employer_tp_fp_fn`` counts.

Error lines print the gold and predicted values with a short text window; they go to stdout only (labelled data
never enters the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lwcore.settings import REPO_ROOT, load_settings
from nlp.data import LabelledItem, load_labelled
from nlp.entities import Entities, EntityExtractor
from nlp.evaluation import mention_counts, number_counts, prf
from nlp.normalize import normalize

DEV_FOLDS = (0, 1)
N_FOLDS = 5


def fold_of(item_id: str) -> int:
    return int(hashlib.md5(item_id.encode("utf-8")).hexdigest(), 16) % N_FOLDS


def parse_folds(spec: str) -> set[int]:
    """``"2,3"`` -> {2, 3}; every fold in 0..N_FOLDS-1."""
    folds = {int(f) for f in spec.replace(" ", "").split(",") if f}
    if not folds or not folds <= set(range(N_FOLDS)):
        raise SystemExit(f"--folds: folds are 0-{N_FOLDS - 1}, comma-separated (got {spec!r})")
    return folds


def build_extractor(*, rules: bool = False, model: str | None = None) -> EntityExtractor:
    kw = {"model_path": None} if rules else {"model_path": Path(model)} if model else {}
    return EntityExtractor.from_settings(load_settings(environ={}), **kw)


# a leading place (masked chain, 西地省, 上海 / 青浦) of a mention: dropped on both sides by --place-insensitive
_LEADING_PLACE = re.compile(r"^(?:(?:西地省|[A-Z]\d{0,2}[省市区县州])+|上海市?|青浦区?)")


def _unplaced(name: str) -> str:
    return _LEADING_PLACE.sub("", name) or name


def score(items: Sequence[LabelledItem], preds: Sequence[Entities], *,
          place_insensitive: bool = False) -> dict[str, Any]:
    emp = mention_counts([p.employers for p in preds], [{normalize(e) for e in it.employers} for it in items])
    extra: dict[str, Any] = {"employer_tp_fp_fn": list(emp)}
    if place_insensitive:  # a diagnostic beside the metric, never instead of it (entity round 13)
        extra["employers_place_insensitive"] = prf(*mention_counts(
            [{_unplaced(e) for e in p.employers} for p in preds],
            [{_unplaced(normalize(e)) for e in it.employers} for it in items]))
    return {
        "items": len(items),
        "employers": prf(*emp),
        **extra,
        "workers_exact": _exact(*number_counts([p.workers for p in preds], [it.workers for it in items])),
        "amount_exact": _exact(*number_counts([p.amount_yuan for p in preds], [it.amount_yuan for it in items])),
    }


def _exact(ok: int, n: int, spurious: int, unstated: int) -> dict[str, Any]:
    return {"accuracy": round(ok / n, 4) if n else 0.0, "n": n,
            "spurious_when_unstated": round(spurious / unstated, 4) if unstated else 0.0}


def _window(text: str, needle: str | None, width: int = 60) -> str:
    if needle and needle in text:
        i = text.index(needle)
        return text[max(0, i - width): i + len(needle) + width].replace("\n", " ")
    return text[: 2 * width].replace("\n", " ")


def print_errors(items: Sequence[LabelledItem], preds: Sequence[Entities], field: str, limit: int,
                 *, spurious: bool = False) -> None:
    """Error lines of one field; ``spurious``: only numbers extracted where the label states none."""
    n = 0
    for it, p in zip(items, preds, strict=True):
        if n >= limit:
            break
        if field == "employers":
            ge = sorted({normalize(e) for e in it.employers})
            pe = sorted(set(p.employers))
            if ge == pe:
                continue
            anchor = next(iter(ge), None) or next(iter(pe), None)
            print(f"[{it.id}] gold={ge} pred={pe}\n    {_window(normalize(it.text), anchor)}")
        else:
            g = it.workers if field == "workers" else it.amount_yuan
            v = p.workers if field == "workers" else p.amount_yuan
            if spurious:
                if g is not None or v is None:
                    continue
            elif g is None or (v is not None and abs(v - g) < 0.5):
                continue
            print(f"[{it.id}] gold={g} pred={v}\n    {normalize(it.text)[:300]}")
        n += 1


def score_cases(ex: EntityExtractor, path: Path, *, show: bool = True) -> dict[str, Any]:
    """Every case of the invented case file (``tests/unit/nlp/entity_cases.yaml``): pass counts per field and
    per kind; failing cases printed (``show``)."""
    import yaml

    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    per_kind: dict[str, list[int]] = {}
    fields = {"employers": [0, 0], "workers": [0, 0], "amount": [0, 0]}
    for c in cases:
        got = ex.extract(normalize(c["text"]))
        ok = True
        checks = [("employers", list(got.employers), c["employers"])]
        if "workers" in c:
            checks.append(("workers", got.workers, c["workers"]))
        if "amount" in c:
            checks.append(("amount", got.amount_yuan, c["amount"]))
        for f, g, want in checks:
            good = g == want if f == "employers" else (
                g is None and want is None or (g is not None and want is not None and abs(g - want) < 0.5))
            fields[f][0] += good
            fields[f][1] += 1
            if not good:
                ok = False
                if show:
                    tag = f"KNOWN FAILURE ({c['known_failure']})" if c.get("known_failure") else "FAIL"
                    print(f"{tag} [{c['kind']}] {f}: want={want} got={g}\n    {c['text']}")
        k = per_kind.setdefault(c["kind"], [0, 0])
        k[0] += ok
        k[1] += 1
    return {"cases": len(cases), "all_fields_ok": sum(v[0] for v in per_kind.values()),
            **{f: f"{a}/{b}" for f, (a, b) in fields.items()},
            "failing_kinds": {k: f"{a}/{b}" for k, (a, b) in per_kind.items() if a < b}}


def _figures_at(ref: str, args: list[str], *, script: Path | None = None) -> dict[str, Any]:
    """This bench (or ``script``) run with ``args`` on the code of git revision ``ref`` (a temporary detached
    worktree on the import path; the bench file itself is this one, so its modes exist there too): its JSON
    figures."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        wt = Path(d) / "before"
        (Path(d) / "shared").symlink_to(REPO_ROOT.parent / "shared")  # ../shared/data as seen from a checkout
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", str(wt), ref],
                       check=True, capture_output=True)
        try:
            out = Path(d) / "out.json"
            subprocess.run([sys.executable, str(script or Path(__file__).resolve()), *args, "--json", str(out)],
                           check=True, env={**os.environ, "PYTHONPATH": str(wt)}, cwd=str(wt),
                           stdout=subprocess.DEVNULL)
            return json.loads(out.read_text(encoding="utf-8"))
        finally:
            subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", str(wt)],
                           capture_output=True)


def _headline(fig: dict[str, Any]) -> dict[str, Any]:
    if "cases" in fig:
        return {k: fig[k] for k in ("cases", "all_fields_ok", "employers", "workers", "amount")}
    e = fig["employers"]
    return {"items": fig["items"], "employer_f1": e["f1"], "employer_p": e["precision"], "employer_r": e["recall"],
            "employer_tp_fp_fn": fig.get("employer_tp_fp_fn"),
            "workers_exact": f"{fig['workers_exact']['accuracy']} of {fig['workers_exact']['n']}",
            "amount_exact": f"{fig['amount_exact']['accuracy']} of {fig['amount_exact']['n']}"}


def side_by_side(ref: str, data: str, cases: str | None, rules: bool, folds: str | None = None) -> dict[str, Any]:
    """Before (git revision ``ref``) and after (this checkout) on the dev, test and all splits (and the ``folds``
    set) and the case file, in one run."""
    runs = [["--split", s, "--data", str(Path(data).resolve())] for s in ("dev", "test", "all")]
    if folds:
        runs.append(["--folds", folds, "--data", str(Path(data).resolve())])
    if cases:
        runs.append(["--cases", str(Path(cases).resolve())])
    if rules:
        runs = [[*r, "--rules"] for r in runs]
    table: dict[str, Any] = {}
    for r in runs:
        name = r[1] if r[0] == "--split" else f"folds {r[1]}" if r[0] == "--folds" else "cases"
        table[name] = {"before": _headline(_figures_at(ref, r)),
                       "after": _headline(_run(argparse.Namespace(**{**vars(_parser().parse_args(r)), "quiet": True})))}
    return {"before_ref": ref, **table}


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--folds", default=None, metavar="F[,F...]",
                    help="score these folds (0-4, comma-separated) instead of --split: e.g. 2,3 (read) or 4 (held out)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N error lines for --field")
    ap.add_argument("--field", choices=("employers", "workers", "amount"), default="employers")
    ap.add_argument("--spurious", action="store_true",
                    help="with --field workers|amount: list values extracted where the label has none")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    ap.add_argument("--rules", action="store_true", help="the rules alone, not the learned selector")
    ap.add_argument("--model", default=None, help="learned selector file (default nlp/default_model/entities.npz)")
    ap.add_argument("--cv", action="store_true", help="grouped 5-fold rules vs learned over all positives")
    ap.add_argument("--no-name-rules", action="store_true",
                    help="employer candidates without nlp.employer_names (the behaviour before issue 14)")
    ap.add_argument("--c", type=float, default=1.0, help="with --cv: inverse L2 strength")
    ap.add_argument("--place-insensitive", action="store_true",
                    help="also employer P/R/F1 with a leading place (A市, B3县, 西地省, 上海) dropped on both sides "
                         "(a diagnostic of the label's place-form choice; the metric stays exact)")
    ap.add_argument("--cases", default=None, help="score this invented case file (YAML) instead of the labels")
    ap.add_argument("--compare-before", default=None, metavar="REF",
                    help="before (git revision REF) and after on dev/test/all (and --cases), side by side")
    return ap


def _run(a: argparse.Namespace) -> dict[str, Any]:
    quiet = getattr(a, "quiet", False)
    if a.cases:
        ex = build_extractor(rules=a.rules, model=a.model)
        return score_cases(ex, Path(a.cases), show=not quiet)
    items = [it for it in load_labelled(a.data) if it.labor_dispute]
    if a.cv:
        from nlp.entity_model import cross_validate_entities

        return cross_validate_entities(build_extractor(rules=True), items, c=a.c,
                                       log=lambda m: print(m, file=sys.stderr))
    split = a.split
    if getattr(a, "folds", None):
        want = parse_folds(a.folds)
        split = "folds " + ",".join(str(f) for f in sorted(want))
        items = [it for it in items if fold_of(it.id) in want]
    elif a.split != "all":
        want = set(DEV_FOLDS) if a.split == "dev" else set(range(N_FOLDS)) - set(DEV_FOLDS)
        items = [it for it in items if fold_of(it.id) in want]
    ex = build_extractor(rules=a.rules, model=a.model)
    if a.no_name_rules:
        ex.name_rules = None
    texts = [normalize(it.text) for it in items]
    ex.extract("预热：A市某某有限公司拖欠工资")  # load the POS tagger outside the timing (a suffix hit needs it)
    t0 = time.perf_counter()
    preds = [ex.extract(t) for t in texts]
    secs = time.perf_counter() - t0
    if a.errors and not quiet:
        print_errors(items, preds, a.field, a.errors, spurious=a.spurious)
    return {"split": split, "extractor": "rules" if ex.model is None else "learned",
            **score(items, preds, place_insensitive=getattr(a, "place_insensitive", False)),
            "extract_per_s": round(len(items) / secs, 1) if secs else None}


def main() -> int:
    a = _parser().parse_args()
    if a.compare_before:
        out = side_by_side(a.compare_before, a.data, a.cases, a.rules, a.folds)
    else:
        out = _run(a)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

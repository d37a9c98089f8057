"""Entity extraction quality on the labelled data: employer mentions P/R/F1, workers and amount exact match.

Measures ``nlp.entities.EntityExtractor`` alone, on the labelled positives (gold relevance), so the figures do not
mix in relevance errors (``bench/nlp_cv.py`` gives the end-to-end figures). Texts go through ``normalize`` first,
as in ``Analyzer``; gold employer mentions are normalised the same way.

Split: a fixed 5-way split by a hash of the item id (folds 0-1 = ``dev``, the split rules are tuned on; folds 2-4
= ``test``, held out, reported). ``--split all`` reports every labelled positive.

    python bench/nlp_entities.py [--data ../shared/data/labeled/train.jsonl] [--split dev|test|all]
                                 [--errors N] [--field employers|workers|amount] [--spurious]
                                 [--json OUT]

Error lines print the gold and predicted values with a short text window; they go to stdout only (labelled data
never enters the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from laborwatch.settings import REPO_ROOT, load_settings
from nlp.data import LabelledItem, load_labelled
from nlp.entities import Entities, EntityExtractor
from nlp.evaluation import prf
from nlp.normalize import normalize
from nlp.regions import Regions
from nlp.registry import CompanyRegistry
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter

DEV_FOLDS = (0, 1)
N_FOLDS = 5


def fold_of(item_id: str) -> int:
    return int(hashlib.md5(item_id.encode("utf-8")).hexdigest(), 16) % N_FOLDS


def build_extractor() -> EntityExtractor:
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    regions = Regions.load(paths.regions)
    registry = CompanyRegistry.load(paths.companies, known_towns={t.name for t in regions.towns})
    return EntityExtractor(segmenter=Segmenter.from_settings(settings), registry=registry, regions=regions)


def score(items: Sequence[LabelledItem], preds: Sequence[Entities]) -> dict[str, Any]:
    etp = efp = efn = 0
    w_ok = w_n = w_fp = w_null = 0
    a_ok = a_n = a_fp = a_null = 0
    for it, p in zip(items, preds, strict=True):
        ge = {normalize(e) for e in it.employers}
        pe = set(p.employers)
        etp += len(ge & pe)
        efp += len(pe - ge)
        efn += len(ge - pe)
        if it.workers is not None:
            w_n += 1
            w_ok += p.workers == it.workers
        else:
            w_null += 1
            w_fp += p.workers is not None
        if it.amount_yuan is not None:
            a_n += 1
            a_ok += p.amount_yuan is not None and abs(p.amount_yuan - it.amount_yuan) < 0.5
        else:
            a_null += 1
            a_fp += p.amount_yuan is not None
    return {
        "items": len(items),
        "employers": prf(etp, efp, efn),
        "workers_exact": {"accuracy": round(w_ok / w_n, 4) if w_n else 0.0, "n": w_n,
                          "spurious_when_unstated": round(w_fp / w_null, 4) if w_null else 0.0},
        "amount_exact": {"accuracy": round(a_ok / a_n, 4) if a_n else 0.0, "n": a_n,
                         "spurious_when_unstated": round(a_fp / a_null, 4) if a_null else 0.0},
    }


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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--errors", type=int, default=0, help="print up to N error lines for --field")
    ap.add_argument("--field", choices=("employers", "workers", "amount"), default="employers")
    ap.add_argument("--spurious", action="store_true",
                    help="with --field workers|amount: list values extracted where the label has none")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    a = ap.parse_args()
    items = [it for it in load_labelled(a.data) if it.labor_dispute]
    if a.split != "all":
        want = set(DEV_FOLDS) if a.split == "dev" else set(range(N_FOLDS)) - set(DEV_FOLDS)
        items = [it for it in items if fold_of(it.id) in want]
    ex = build_extractor()
    texts = [normalize(it.text) for it in items]
    ex.extract("预热")  # load the POS tagger outside the timing
    t0 = time.perf_counter()
    preds = [ex.extract(t) for t in texts]
    secs = time.perf_counter() - t0
    out = {"split": a.split, **score(items, preds), "extract_per_s": round(len(items) / secs, 1) if secs else None}
    if a.errors:
        print_errors(items, preds, a.field, a.errors, spurious=a.spurious)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

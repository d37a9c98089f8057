"""Bench of the transformer classifier variants (run by hand; numbers go to bench/nlp_model_results.md).

    python bench/nlp_model_bench.py --base var/models/base --out /tmp/lw-bench [--only head,top,lora]

Trains each variant on the labelled set (fixed hash-of-id validation split, 20 %), then loads the saved model
the way production does (int8 dynamic quantisation on CPU, 2 threads) and measures validation figures, posts/s
over the validation texts (max_length as trained) and peak RSS. Data is read from ../shared/data; nothing of
it is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

VARIANTS = {
    # the cache of the frozen lower layers dominates on a shared 2-core machine; 6 of 12 layers, 160 tokens
    "head": {"mode": "head", "num_layers": 6, "epochs": 30, "max_length": 160},
    "top": {"mode": "top", "num_layers": 6, "train_from": 5, "epochs": 3, "max_length": 160},
    "lora": {"mode": "lora", "num_layers": 6, "train_from": 4, "epochs": 4, "max_length": 160},
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True)
    default_data = Path(__file__).resolve().parents[2] / "shared/data/labeled/train.jsonl"
    ap.add_argument("--data", type=Path, default=default_data)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", default=",".join(VARIANTS))
    args = ap.parse_args()

    import torch

    from nlp.model import TransformerClassifier, train_classifier
    from nlp.model.metrics import evaluate_probs

    torch.set_num_threads(2)
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = {}
    for name in args.only.split(","):
        spec = dict(VARIANTS[name])
        out = args.out / name
        t0 = time.monotonic()
        rep = train_classifier(
            base_dir=args.base, texts=[r["text"] for r in rows], relevance=[int(r["labor_dispute"]) for r in rows],
            event_types=[r["event_types"] for r in rows], ids=[r["id"] for r in rows], out_dir=out, seed=13,
            progress=lambda m, n=name: print(f"[{n}] {m}", flush=True), **spec)
        train_s = time.monotonic() - t0
        clf = TransformerClassifier.load(out, base_dir=args.base)
        texts = rep["valid_texts"]
        t1 = time.monotonic()
        probs = clf.predict(texts, batch_size=16)
        pred_s = time.monotonic() - t1
        fig = evaluate_probs(probs, rep["valid_relevance"], rep["valid_event_matrix"], threshold=clf.threshold,
                             event_threshold=clf.event_threshold)
        size = sum(p.stat().st_size for p in out.iterdir())
        results[name] = {
            "spec": spec, "train_seconds": round(train_s, 1),
            "valid_fp32": rep["validation"], "valid_shipped_int8": fig,
            "posts_per_s": round(len(texts) / pred_s, 1), "n_valid": len(texts),
            "adapter_bytes": size, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        print(json.dumps({name: results[name]}, ensure_ascii=False), flush=True)
        (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

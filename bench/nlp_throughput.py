"""``Analyzer.analyze()`` throughput on a realistic stream (about 10% labour-related) and peak memory.

The stream mixes labelled positives (10%) with unlabelled corpus texts (news headlines, Weibo, board messages).
Run on 2 cores:  ``taskset -c 0,1 python bench/nlp_throughput.py [--n 2000] [--batch 64]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

from laborwatch.domain import SHANGHAI, Post, PostKind
from laborwatch.settings import REPO_ROOT, load_settings
from nlp.analyzer import Analyzer

DATA = REPO_ROOT.parent / "shared" / "data"


def _texts(path: Path, key: str = "text", limit: int = 5000) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            t = d.get(key) or d.get("content") or d.get("title") or ""
            if t:
                out.append(t)
            if len(out) >= limit:
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    a = ap.parse_args()
    rnd = random.Random(13)
    pos = [json.loads(x)["text"] for x in (DATA / "labeled/train.jsonl").open(encoding="utf-8")
           if json.loads(x)["labor_dispute"]]
    neg: list[str] = []
    for p in ("news_headlines/thucnews.jsonl", "weibo/rumor_ced_2010_2014.jsonl", "govboard/messages_full.jsonl"):
        neg += _texts(DATA / "corpora" / p)
    stream = [rnd.choice(pos) if rnd.random() < 0.1 else rnd.choice(neg) for _ in range(a.n)]
    now = datetime.now(SHANGHAI)
    posts = [Post(id=f"b{i}", url=f"https://x/{i}", source_id="bench", platform="bench", kind=PostKind.NEWS,
                  title="", content=t, published_at=now, fetched_at=now) for i, t in enumerate(stream)]
    an = Analyzer.from_settings(load_settings(environ={}))
    an.warm_up()  # load the models (and the encoder) outside the timing
    t0 = time.perf_counter()
    rel = 0
    for i in range(0, len(posts), a.batch):
        rel += sum(x.labor_dispute for x in an.analyze(posts[i : i + a.batch]))
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"posts": len(posts), "seconds": round(dt, 2), "posts_per_s": round(len(posts) / dt, 1),
                      "relevant": rel, "avg_chars": round(sum(map(len, stream)) / len(stream)),
                      "peak_rss_mb": round(peak_mb), "model": an.model_version, "encoded": an.encoded}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

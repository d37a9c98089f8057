"""``Analyzer.analyze()`` throughput on a realistic stream (about 10% labour-related) and peak memory.

The stream mixes labelled positives (10%) with unlabelled corpus texts (news headlines, Weibo, board messages).
Run on 2 cores:  ``taskset -c 0,1 python bench/nlp_throughput.py [--n 2000] [--batch 64] [--no-encoder]
[--model-dir DIR] [--no-embed-relevant] [--no-rescue]``
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

from lwcore.domain import SHANGHAI, Post, PostKind
from lwcore.settings import REPO_ROOT, load_settings
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
    ap.add_argument("--no-encoder", action="store_true", help="TF-IDF member only (for a side-by-side ratio)")
    ap.add_argument("--model-dir", help="another bundle than the default (for a side-by-side ratio)")
    ap.add_argument("--no-embed-relevant", action="store_true",
                    help="relevant posts without the sentence embedding incident tracking reads (side by side)")
    ap.add_argument("--no-frames", action="store_true", help="without the event-frame layer (the behaviour before it)")
    ap.add_argument("--no-rescue", action="store_true",
                    help="without the rescue of short texts no member scores (nlp.short_encoder.rescue_score)")
    ap.add_argument("--every-candidate", type=int, metavar="TOKENS",
                    help="the design of bench/nlp_combiner.py: the encoder member reads every candidate, cut to "
                         "TOKENS tokens, without the transformer member (cost only: the bundle's weights are kept)")
    ap.add_argument("--int8", action="store_true", help="with --every-candidate: the encoder in dynamic int8")
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
    settings = load_settings(environ={})
    if a.model_dir:
        settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": a.model_dir})})
    an = Analyzer.from_settings(settings)
    an.use_transformer = not a.no_encoder
    an.embed_relevant = not a.no_embed_relevant
    an.use_frames = not a.no_frames
    an.use_rescue = not a.no_rescue
    if a.every_candidate:
        _every_candidate(an, a.every_candidate, a.int8)
    an.warm_up()  # load the models (and the encoder) outside the timing
    t0 = time.perf_counter()
    rel = 0
    for i in range(0, len(posts), a.batch):
        rel += sum(x.labor_dispute for x in an.analyze(posts[i : i + a.batch]))
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"posts": len(posts), "seconds": round(dt, 2), "posts_per_s": round(len(posts) / dt, 1),
           "relevant": rel, "avg_chars": round(sum(map(len, stream)) / len(stream)),
           "peak_rss_mb": round(peak_mb), "model": an.model_version, "encoded": an.encoded,
           "members": list(an.members)}
    out.update(_model_stage(an, stream))
    print(json.dumps(out))
    return 0


def _every_candidate(an: Analyzer, tokens: int, int8: bool) -> None:
    """Widen the encoder gate to every candidate, shorten its inputs, drop the transformer member (and quantise)."""
    an._load_transformer = lambda tdir: None  # type: ignore[method-assign]  # not loaded at all (peak memory)
    an._load()
    enc = an._classical.encoder if an._classical is not None else None
    if enc is None or not an._encoder_ok:
        raise SystemExit("--every-candidate needs the bundle's encoder member and a built base")
    enc["gate"] = (0.0, 2.0)
    enc["spec"] = {**enc["spec"], "max_length": tokens}
    if int8:
        import torch

        e = an._encoder()
        e._bert = torch.ao.quantization.quantize_dynamic(e._bert, {torch.nn.Linear}, dtype=torch.qint8)


def _model_stage(an: Analyzer, stream: list[str]) -> dict[str, float]:
    """The model stage alone on the stream's prefilter candidates (TF-IDF member + the encoder where gated), and
    the encoder alone forced onto 100 candidates (its worst case: every candidate in the gate band); with a
    transformer member, also both neural members on those 100 (one shared pass when the member runs on the
    encoder's layers, two passes otherwise)."""
    from nlp.normalize import normalize

    texts = [normalize(t) for t in stream]
    hits = [an.lexicon.match(t) for t in texts]
    cand = [(t, h) for t, h in zip(texts, hits, strict=True) if h.candidate]
    ctexts = [t for t, _ in cand]
    words = [an.segmenter.cut(t) for t in ctexts]
    t0 = time.perf_counter()
    for i in range(0, len(ctexts), 64):
        an._probabilities(ctexts[i:i + 64], words[i:i + 64], [h for _, h in cand[i:i + 64]])
    stage = time.perf_counter() - t0
    res = {"candidates": len(ctexts), "model_stage_posts_per_s": round(len(ctexts) / stage, 1)}
    if an._encoder_ok:
        sample = ctexts[:100]
        enc = an._encoder()
        t0 = time.perf_counter()
        enc.embed(sample, batch_size=an.batch_size)
        res["encoder_alone_posts_per_s"] = round(len(sample) / (time.perf_counter() - t0), 1)
        if an._transformer is not None:
            res["member_shares_encoder_pass"] = an._transformer.shared is not None
            t0 = time.perf_counter()
            an._embed(sample)
            an._refine(sample)
            res["encoder_and_member_posts_per_s"] = round(len(sample) / (time.perf_counter() - t0), 1)
    return res


if __name__ == "__main__":
    sys.exit(main())

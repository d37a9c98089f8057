"""Alert latency and burst benchmark (run by hand; numbers go in the report, never asserted in unit tests).

1. Latency: single posts handed to ``laborwatch.pipeline.Pipeline.process`` (alert stage = the real
   AlertEngine, SQLite, inline dispatch) -> the alert email accepted by a real SMTP server on loopback
   (aiosmtpd). Reports median and p99 seconds.
2. Burst: N analysed posts (default 10,000) in pipeline batches: every qualifying incident alerted once,
   no duplicate email, peak memory (tracemalloc peak of Python allocations, and the process's max RSS).

The NLP stage is replaced by precomputed analyses (this measures alerting, not the model).

    python bench/alert_latency.py [--latency-posts 200] [--burst 10000] [--batch 500] [--background]

Measured on the shared 2-core dev box (load average 4-7 from other work; same command, 200 latency posts,
10,000-post burst, inline dispatch; 2,400 emails, 0 duplicates, 0 left in the outbox, every one of the 400
qualifying incidents alerted, in every run):

    before (79ce6f4): latency median 0.038 s, p99 0.161 s; burst 530.3 s (18.9 posts/s), max RSS 143.5 MB
    after  (34a2dc7): latency median 0.023 s, p99 0.044 s; burst 196.3 s (50.9 posts/s), max RSS 144.6 MB
    --background (34a2dc7): 219.9 s (an earlier run of 94455c6: 170.8 s): no reliable gain here, where the
    SMTP server shares the process's GIL and SQLite's single writer makes the two threads wait for each other

``--background`` sets ``alerting.dispatch_background`` (the engine's thread sends; the burst's time runs
until that thread has sent everything).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alerting import AlertEngine
from alerting.testing import company, make_item
from laborwatch.mailsink import MailSink
from laborwatch.pipeline import Pipeline, Spool
from lwcore.db import Database
from lwcore.domain import Analysis, AnalyzedPost, Post
from lwcore.settings import load_settings


class Precomputed:
    """An analyzer stage returning analyses computed beforehand."""

    def __init__(self, analyses: dict[str, Analysis]) -> None:
        self.analyses = analyses

    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        return [self.analyses[p.id] for p in posts]


BACKGROUND = False  # --background: alerting.dispatch_background (process() does not wait for SMTP)


def build(tmp: Path, port: int) -> tuple[AlertEngine, Database]:
    settings = load_settings(
        environ={},
        overrides={
            "state_dir": str(tmp),
            "alerting": {
                "secret_key": "bench-secret",
                "admin_emails": ["admin@example.org"],
                "dispatch_background": BACKGROUND,
            },
            "smtp": {"host": "127.0.0.1", "port": port, "sender": "yuqing@example.org"},
        },
    )
    db = Database.from_settings(settings)
    db.upgrade()
    return AlertEngine.from_settings(settings, db), db


def latency(n: int, port: int, rec: MailSink) -> list[float]:
    with tempfile.TemporaryDirectory() as d:
        engine, db = build(Path(d), port)
        now = datetime.now(UTC)
        items = [
            make_item(
                event_id=f"lat-{i}",
                post_id=f"lat-{i}",
                at=now - timedelta(seconds=5),
                companies=(company(f"延迟测试企业{i}", f"TEST-LAT-{i}"),),
            )
            for i in range(n)
        ]
        pipe = Pipeline(
            analyzer=Precomputed({it.post.id: it.analysis for it in items}),
            indexer=None,
            alerts=engine,
            spool=Spool(Path(d) / "spool"),
        )
        out: list[float] = []
        for i, it in enumerate(items):
            before = len(rec.messages)
            t0 = time.perf_counter()
            pipe.process([it.post])
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                got = [t for t, h in rec.accepted(before) if h["Subject"] and f"延迟测试企业{i}疑" in h["Subject"]]
                if got:
                    out.append(got[0] - t0)
                    break
                time.sleep(0.001)
            else:
                raise RuntimeError(f"no email for post {i} within 30 s")
        engine.close()
        db.dispose()
    return out


def burst(n: int, batch: int, port: int, rec: MailSink) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as d:
        engine, db = build(Path(d), port)
        now = datetime.now(UTC)
        items: list[AnalyzedPost] = []
        n_clusters = max(1, n // 20)
        qualifying: set[str] = set()
        for i in range(n):
            k = i % n_clusters
            noise = (i // n_clusters) % 4 == 3  # a quarter of the posts are not labour disputes
            low = k % 5 == 4  # every fifth incident scores below every rule's threshold
            it = make_item(
                event_id=f"burst-{k}",
                post_id=f"burst-{i}",
                relevant=not noise,
                score=0.45 if low else 0.9,
                at=now - timedelta(seconds=n - i),
                companies=(company(f"突发测试企业{k}", f"TEST-BURST-{k}", town="徐泾镇", industry="manufacturing"),),
            )
            items.append(it)
            if not noise and not low:
                qualifying.add(f"突发测试企业{k}")
        pipe = Pipeline(
            analyzer=Precomputed({it.post.id: it.analysis for it in items}),
            indexer=None,
            alerts=engine,
            spool=Spool(Path(d) / "spool"),
        )
        rec.clear()
        tracemalloc.start()
        t0 = time.perf_counter()
        for s in range(0, n, batch):
            pipe.process([it.post for it in items[s : s + batch]])
        engine.tick()
        if not engine.drain_dispatch(timeout=1800):  # background mode: the burst ends when all is sent
            raise RuntimeError("background dispatch did not finish within 30 min")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        time.sleep(0.5)
        got = rec.accepted()
        keys = Counter((h["To"], h["X-Laborwatch-Alert"], h["X-Laborwatch-Level"], h["Subject"][:8]) for _, h in got)
        dups = sum(c - 1 for c in keys.values() if c > 1)
        alerted = {h["Subject"].split("】", 1)[1].split("疑")[0] for _, h in got if "】" in h["Subject"]}
        pending = engine.outbox.pending_count()
        engine.close()
        db.dispose()
    return {
        "posts": n,
        "batch": batch,
        "dispatch": "background" if BACKGROUND else "inline",
        "incidents": n_clusters,
        "qualifying": len(qualifying),
        "alerted": len(alerted & qualifying),
        "alerted_not_qualifying": len(alerted - qualifying),
        "emails": len(got),
        "duplicate_emails": dups,
        "outbox_pending": pending,
        "seconds": round(elapsed, 1),
        "posts_per_s": round(n / elapsed, 1),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency-posts", type=int, default=200)
    ap.add_argument("--burst", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--background", action="store_true", help="alerting.dispatch_background: true")
    args = ap.parse_args()
    global BACKGROUND
    BACKGROUND = args.background
    rec = MailSink().start()
    port = rec.port
    try:
        if args.latency_posts:
            lat = sorted(latency(args.latency_posts, port, rec))
            p99 = lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]
            print(
                f"latency post -> email accepted by loopback SMTP: n={len(lat)} "
                f"median={statistics.median(lat):.3f}s p99={p99:.3f}s max={lat[-1]:.3f}s"
            )
        if args.burst:
            print("burst:", burst(args.burst, args.batch, port, rec))
    finally:
        rec.stop()


if __name__ == "__main__":
    main()

"""Incident tracking, end to end: labelled streams -> the real analyzer -> the alert engine, two ways side by side.

For each stream of ``bench/incident_streams.py`` (seeded), every post is analysed once by the shipped analyzer,
then fed in time order, in crawl-sized batches, to two alert engines on their own SQLite databases: one grouping by
the NLP ``event_id`` (the key shipped before: employer, primary type, ISO week), one by the incident tracker
(``alerting.tracking``). Reported per engine, over all streams:

- alerts per incident (gold incidents with at least one alerted post), and e-mails (outbox rows) per incident;
- B-cubed precision, recall and F1 of the alerts over the alerted posts (a post of no incident is its own class);
- false alerts: alerts whose posts are all of no incident (notices, adverts, other news);
- escalation: incidents with a growth post (gathering, stoppage, more workers) after their first alert, and how
  many of those raised the alert holding the incident (a ``level_raised`` event, or a 续报 e-mail when it was
  already at the top level) rather than only opening another one;
- the split causes: for each kind of post naming (description, contractor/subcontractor, repost, ...), how many
  joined the alert holding most of its incident.

    python bench/incidents.py [--streams 3] [--seed 1] [--batch-minutes 60] [--show-misses]
    python bench/incidents.py --speed 10000   # tracker throughput against N open incidents (no database)
    python bench/incidents.py --embedding-experiment   # the tracker alone: character bigrams vs + e5 embeddings
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from alerting import AlertEngine  # noqa: E402
from alerting.models import Alert, AlertEvent, AlertPost, OutboxMessage  # noqa: E402
from alerting.testing import FakeClock  # noqa: E402
from bench.incident_streams import StreamPost, make_stream  # noqa: E402
from lwcore.db import Database  # noqa: E402
from lwcore.domain import AnalyzedPost  # noqa: E402
from lwcore.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of a clustering ``pred`` (item -> cluster) against ``gold``."""
    items = list(pred)
    if not items:
        return 0.0, 0.0, 0.0
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in items) / len(items)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in items) / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def engine(tmp: Path, mode: str, weights_file: str | None = None) -> tuple[AlertEngine, Database, FakeClock]:
    tracking = {"mode": mode, "weights_file": weights_file}
    settings = load_settings(
        environ={},
        overrides={
            "state_dir": str(tmp),
            "alerting": {"secret_key": "bench-secret", "dispatch_inline": False, "tracking": tracking},
        },
    )
    db = Database.from_settings(settings)
    db.upgrade()
    clock = FakeClock()
    return AlertEngine.from_settings(settings, db, clock=clock), db, clock


def run_engine(mode: str, items: list[AnalyzedPost], batch_minutes: int,
               weights_file: str | None = None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as d:
        eng, db, clock = engine(Path(d), mode, weights_file)
        # crawl-sized batches: posts published within the same window arrive together, a little later
        batches: dict[int, list[AnalyzedPost]] = defaultdict(list)
        t0 = min(it.post.published_at for it in items)
        for it in items:
            batches[int((it.post.published_at - t0).total_seconds() // (batch_minutes * 60))].append(it)
        for k in sorted(batches):
            clock.now = t0 + timedelta(minutes=(k + 1) * batch_minutes + 5)
            eng.process(batches[k])
        with db.session() as s:
            post_alert = {p: a for a, p in s.execute(select(AlertPost.alert_id, AlertPost.post_id))}
            alerts = {a.id: a for a in s.scalars(select(Alert).where(Alert.merged_into.is_(None)))}
            mails = Counter(m.alert_id for m in s.scalars(select(OutboxMessage)))
            raised = {e.alert_id for e in s.scalars(select(AlertEvent).where(AlertEvent.kind == "level_raised"))}
            raised |= {  # a 续报 (update) on an alert already at the top level counts as raising it
                e.alert_id for e in s.scalars(select(AlertEvent).where(AlertEvent.kind == "notified"))
                if e.detail.get("kind") == "grown"
            }
            merged = {a.id: a.merged_into for a in s.scalars(select(Alert).where(Alert.merged_into.is_not(None)))}
        eng.close()
        db.dispose()
    # e-mails of an alert later merged count for the alert it went into
    mail_by_alert: Counter[int] = Counter()
    for a, n in mails.items():
        while a in merged:
            a = merged[a]
        mail_by_alert[a] += n
    return {"post_alert": post_alert, "alerts": alerts, "mails": mail_by_alert, "raised": raised}


def score(res: dict[str, object], stream: list[StreamPost]) -> dict[str, float]:
    post_alert: dict[str, int] = res["post_alert"]  # type: ignore[assignment]
    mails: Counter[int] = res["mails"]  # type: ignore[assignment]
    raised: set[int] = res["raised"]  # type: ignore[assignment]
    gold = {sp.post.id: sp.gold for sp in stream}
    alerted = [p for p in post_alert if p in gold]
    pred = {p: str(post_alert[p]) for p in alerted}
    gl = {p: gold[p] or f"none:{p}" for p in alerted}
    p, r, f = bcubed(pred, gl)
    inc_alerts: dict[str, set[int]] = defaultdict(set)
    alert_gold: dict[int, Counter[str | None]] = defaultdict(Counter)
    for pid in alerted:
        alert_gold[post_alert[pid]][gold[pid]] += 1
        if gold[pid]:
            inc_alerts[gold[pid]].add(post_alert[pid])
    false_alerts = sum(1 for c in alert_gold.values() if set(c) == {None})
    multi = [g for g in inc_alerts if "-inc" in g]
    inc_mails = Counter()
    for a, c in alert_gold.items():
        g = c.most_common(1)[0][0]
        if g:
            inc_mails[g] += mails.get(a, 0)
    # escalation: incidents with a growth post after their first alerted post
    grow_seen = grow_raised = 0
    for g in multi:
        posts = [sp for sp in stream if sp.gold == g]
        first_alerted = next((sp for sp in posts if sp.post.id in post_alert), None)
        if first_alerted is None:
            continue
        later = [sp for sp in posts if sp.stage == "grow" and sp.post.published_at > first_alerted.post.published_at
                 and sp.post.id in post_alert]
        if later:
            grow_seen += 1
            main = Counter(post_alert[sp.post.id] for sp in posts if sp.post.id in post_alert).most_common(1)[0][0]
            if main in raised and post_alert[later[0].post.id] == main:
                grow_raised += 1
    # how each naming joined the alert holding most of its incident
    naming_ok: Counter[str] = Counter()
    naming_all: Counter[str] = Counter()
    for g in multi:
        posts = [sp for sp in stream if sp.gold == g and sp.post.id in post_alert]
        main = Counter(post_alert[sp.post.id] for sp in posts).most_common(1)[0][0]
        for sp in posts:
            naming_all[sp.naming] += 1
            naming_ok[sp.naming] += post_alert[sp.post.id] == main
    return {
        "incidents": len(multi),
        "alerts_per_incident": sum(len(inc_alerts[g]) for g in multi) / max(1, len(multi)),
        "mails_per_incident": sum(inc_mails[g] for g in multi) / max(1, len(multi)),
        "bcubed_p": p,
        "bcubed_r": r,
        "bcubed_f1": f,
        "false_alerts": false_alerts,
        "grow_seen": grow_seen,
        "grow_raised": grow_raised,
        "naming": {k: (naming_ok[k], naming_all[k]) for k in sorted(naming_all)},
        "alerted_posts": len(alerted),
    }


def speed(n_open: int) -> None:
    """Tracker throughput: N open incidents, then 2,000 new posts assigned (no database), with and without
    sentence embeddings (random unit vectors of the encoder's size: the cost, not the quality)."""
    import dataclasses

    import numpy as np

    from alerting.testing import company, make_item
    from alerting.tracking import IncidentTracker, signal_of

    rng = np.random.default_rng(7)
    streams = [sp for seed in range(1, 40) for sp in make_stream(seed)]
    t0 = streams[0].post.published_at

    def unit() -> tuple[float, ...]:
        v = rng.standard_normal(384)
        return tuple((v / np.linalg.norm(v)).tolist())

    for with_vectors in (False, True):
        tracker = IncidentTracker(idle_days=30)
        for i in range(n_open):  # distinct firms, towns and texts
            it = make_item(post_id=f"open-{i}", companies=(company(f"上海{i:05d}号实业有限公司", f"ID{i:06d}",
                           town=("华新镇", "赵巷镇", "徐泾镇", "白鹤镇")[i % 4]),),
                           content=f"上海{i:05d}号实业有限公司拖欠{i % 50 + 3}名工人工资，编号{i}", at=t0)
            if with_vectors:
                it = dataclasses.replace(it, analysis=dataclasses.replace(it.analysis, embedding=unit()))
            tracker.assign(signal_of(it))
        items = []
        for sp in streams[:2000]:
            it = make_item(post_id=sp.post.id, title=sp.post.title, content=sp.post.content, at=t0, companies=(),
                           towns=("华新镇",))
            if with_vectors:
                it = dataclasses.replace(it, analysis=dataclasses.replace(it.analysis, embedding=unit()))
            items.append(it)
        start = time.perf_counter()
        for it in items:
            tracker.assign(signal_of(it))
        dt = time.perf_counter() - start
        print(f"tracker{' with embeddings' if with_vectors else ', bigrams only'}: {len(items)} posts (reading each "
              f"post and assigning it) against {n_open} open incidents in {dt:.2f} s = {len(items) / dt:.0f} posts/s")


def embedding_experiment(streams: int, seed: int) -> None:
    """The tracker alone on the posts the analyzer flags: its text evidence from character bigrams (shipped),
    with the e5 base encoder's mean-pooled embeddings added (cosine above a floor, several weights), and with the
    embeddings in place of the bigrams. B-cubed over the tracked posts, incidents per gold incident."""
    import numpy as np

    from alerting.tracking import IncidentTracker, TrackerWeights, non_report_genre, signal_of
    from nlp import Analyzer
    from nlp.model.encoder import SentenceEncoder

    settings = load_settings(environ={}, overrides={"nlp": {"base_dir": str(ROOT / "var" / "models" / "base")}})
    analyzer = Analyzer.from_settings(settings)
    encoder = SentenceEncoder.load(ROOT / "var" / "models" / "base")

    class EmbeddingTracker(IncidentTracker):
        def __init__(self, vectors: dict[str, np.ndarray], w_emb: float, floor: float, **kw: object) -> None:
            super().__init__(**kw)  # type: ignore[arg-type]
            self.vectors, self.w_emb, self.floor = vectors, w_emb, floor
            self.centroids: dict[str, np.ndarray] = {}
            self._current: np.ndarray | None = None

        def score(self, sig, prof, pv=None):  # type: ignore[no-untyped-def]
            s, ev = super().score(sig, prof, pv)
            c = self.centroids.get(prof.key)
            if c is not None and self._current is not None:
                cos = float(self._current @ c / (np.linalg.norm(c) or 1.0))
                if cos > self.floor:
                    s += self.w_emb * (cos - self.floor) / (1.0 - self.floor)
                    ev.append(f"emb:{cos:.2f}")
            return s, ev

        def assign(self, sig, *, new_key=None):  # type: ignore[no-untyped-def]
            v = self.vectors[sig.post_id]
            self._current = v / (np.linalg.norm(v) or 1.0)
            d = super().assign(sig, new_key=new_key)
            self.centroids[d.key] = self.centroids.get(d.key, 0) + self._current
            for other in d.merge:
                self.centroids.pop(other, None)
            return d

    variants = [("bigrams (shipped)", 0.0, 0.0, None), ("+ e5 w1 floor0.85", 1.0, 0.85, None),
                ("+ e5 w2 floor0.85", 2.0, 0.85, None), ("e5 w4 floor0.85, bigrams w2", 4.0, 0.85, 2.0),
                ("e5 instead of bigrams w3 floor0.85", 3.0, 0.85, 0.0),
                ("e5 instead of bigrams w4 floor0.85", 4.0, 0.85, 0.0),
                ("e5 instead of bigrams w4 floor0.8", 4.0, 0.8, 0.0),
                ("e5 instead of bigrams w5 floor0.88", 5.0, 0.88, 0.0)]
    totals: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    for k in range(streams):
        stream = make_stream(seed + k)
        analyses = analyzer.analyze([sp.post for sp in stream])
        items = [AnalyzedPost(sp.post, a) for sp, a in zip(stream, analyses, strict=True)
                 if a.labor_dispute and non_report_genre(sp.post.text) is None]
        vecs = encoder.embed([it.post.text for it in items])
        vectors = {it.post.id: vecs[i] for i, it in enumerate(items)}
        gold = {sp.post.id: sp.gold or f"none:{sp.post.id}" for sp in stream}
        for name, w_emb, floor, text_w in variants:
            weights = TrackerWeights() if text_w is None else TrackerWeights(text=text_w)
            tr = EmbeddingTracker(vectors, w_emb, floor, weights=weights)
            pred = {}
            for it in sorted(items, key=lambda it: it.post.published_at):
                pred[it.post.id] = tr.assign(signal_of(it)).key
            g = {p: gold[p] for p in pred}
            p_, r_, f_ = bcubed(pred, g)
            per = defaultdict(set)
            for p, key in pred.items():
                per[g[p]].add(key)
            multi = [x for x in per if "-inc" in x]
            totals[name].append((p_, r_, f_, sum(len(per[x]) for x in multi) / max(1, len(multi))))
    print(f"tracker alone, {streams} streams from seed {seed}: B-cubed P / R / F1, incidents per gold incident")
    for name, rows in totals.items():
        m = [sum(x[i] for x in rows) / len(rows) for i in range(4)]
        print(f"  {name:36s} P {m[0]:.3f}  R {m[1]:.3f}  F1 {m[2]:.3f}  per incident {m[3]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--streams", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch-minutes", type=int, default=60)
    ap.add_argument("--show-misses", action="store_true", help="print the tracker's split and wrongly joined posts")
    ap.add_argument("--speed", type=int, default=0, help="only the throughput check against N open incidents")
    ap.add_argument("--fit-seed", type=int, help="also fit the tracker's weights on the streams from this seed "
                    "(alerting.tracker_fit) and score them in a third column")
    ap.add_argument("--fit-streams", type=int, help="streams to fit on (default: --streams)")
    ap.add_argument("--embedding-experiment", action="store_true",
                    help="the tracker alone with e5 embeddings added to (or in place of) its bigram similarity")
    args = ap.parse_args()
    if args.embedding_experiment:
        embedding_experiment(args.streams, args.seed)
        return
    if args.speed:
        speed(args.speed)
        return
    from nlp import Analyzer

    settings = load_settings(environ={}, overrides={"nlp": {"base_dir": str(ROOT / "var" / "models" / "base")}})
    analyzer = Analyzer.from_settings(settings)
    totals: dict[str, list[dict[str, float]]] = defaultdict(list)
    modes = ["event_id", "tracker"]
    weights_file = None
    if args.fit_seed is not None:
        weights_file = fit_weights(analyzer, args.fit_seed, args.fit_streams or args.streams, args.seed, args.streams)
        modes.append("fitted")
    n_posts = 0
    t_an = 0.0
    for k in range(args.streams):
        stream = make_stream(args.seed + k)
        n_posts += len(stream)
        t = time.perf_counter()
        analyses = analyzer.analyze([sp.post for sp in stream])
        t_an += time.perf_counter() - t
        items = [AnalyzedPost(sp.post, a) for sp, a in zip(stream, analyses, strict=True)]
        for mode in modes:
            res = run_engine("tracker" if mode == "fitted" else mode, items, args.batch_minutes,
                             weights_file if mode == "fitted" else None)
            sc = score(res, stream)
            totals[mode].append(sc)
            if args.show_misses and mode == "tracker":
                show_misses(res, stream, analyses)
    gold_inc = sum(1 for k in range(args.streams) for g in {sp.gold for sp in make_stream(args.seed + k)}
                   if g and "-inc" in g)
    print(f"{args.streams} streams (seeds {args.seed}..{args.seed + args.streams - 1}), {n_posts} posts, "
          f"{gold_inc} multi-post incidents; analysis {t_an:.1f} s")
    print(f"{'':22s} {'event_id (shipped)':>20s} {'tracker':>12s}" + (f" {'fitted':>12s}" if "fitted" in modes else ""))
    rows = [("alerts per incident", "alerts_per_incident", "{:.2f}"), ("e-mails per incident", "mails_per_incident",
            "{:.2f}"), ("B-cubed P", "bcubed_p", "{:.3f}"), ("B-cubed R", "bcubed_r", "{:.3f}"),
            ("B-cubed F1", "bcubed_f1", "{:.3f}"), ("false alerts", "false_alerts", "{:.0f}")]
    for label, key, fmt in rows:
        vals = []
        for mode in modes:
            xs = [t[key] for t in totals[mode]]
            v = sum(xs) if key == "false_alerts" else sum(xs) / len(xs)
            vals.append(fmt.format(v))
        print(f"{label:22s} {vals[0]:>20s} " + " ".join(f"{v:>12s}" for v in vals[1:]))
    for mode in modes:
        gs = sum(t["grow_seen"] for t in totals[mode])
        gr = sum(t["grow_raised"] for t in totals[mode])
        nam: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for t in totals[mode]:
            for k2, (ok, alln) in t["naming"].items():  # type: ignore[union-attr]
                nam[k2][0] += ok
                nam[k2][1] += alln
        print(f"{mode}: grown incidents raising their existing alert {gr}/{gs}; posts in their incident's main "
              "alert by naming: " + ", ".join(f"{k2} {v[0]}/{v[1]}" for k2, v in sorted(nam.items())))


def fit_weights(analyzer: object, seed: int, streams: int, eval_seed: int, eval_streams: int) -> str:
    """Fit the tracker's weights (``alerting.tracker_fit``) on the labelled streams of seeds ``seed``.. and return
    the weights file; the evaluation streams must be other seeds."""
    from alerting.tracker_fit import fit, iter_signals_with_labels, stream_pairs, write_weights

    if seed <= eval_seed + eval_streams - 1 and eval_seed <= seed + streams - 1:
        raise SystemExit(f"--fit-seed {seed} overlaps the evaluation streams from --seed {eval_seed}")
    pairs = []
    for k in range(streams):
        stream = make_stream(seed + k)
        analyses = analyzer.analyze([sp.post for sp in stream])  # type: ignore[attr-defined]
        items = [AnalyzedPost(sp.post, a) for sp, a in zip(stream, analyses, strict=True) if a.labor_dispute]
        labels = {sp.post.id: sp.gold or f"none:{sp.post.id}" for sp in stream}
        pairs += stream_pairs(iter_signals_with_labels(items, labels))
    weights, report = fit(pairs)
    out = Path(tempfile.mkdtemp(prefix="lw-tracker-fit-")) / "tracker_weights.json"
    write_weights(out, weights, report, inputs=[f"bench streams seeds {seed}..{seed + streams - 1}"])
    print(f"fitted on seeds {seed}..{seed + streams - 1}: {report['pairs']} pairs ({report['positive']} same), "
          f"train accuracy {report['train_accuracy']}; weights " + ", ".join(
              f"{f} {getattr(weights, f)}" for f in report["features"]))
    return str(out)


def show_misses(res: dict[str, object], stream: list[StreamPost], analyses: list) -> None:  # noqa: ANN001
    post_alert: dict[str, int] = res["post_alert"]  # type: ignore[assignment]
    by_gold: dict[str | None, list[tuple[StreamPost, object]]] = defaultdict(list)
    for sp, a in zip(stream, analyses, strict=True):
        by_gold[sp.gold].append((sp, a))
    for g, rows in by_gold.items():
        alerted = [(sp, a) for sp, a in rows if sp.post.id in post_alert]
        if not alerted:
            continue
        ids = Counter(post_alert[sp.post.id] for sp, _ in alerted)
        if g is None or len(ids) > 1:
            print(f"--- {g}: alerts {dict(ids)}")
            for sp, a in alerted:
                print(f"  [{post_alert[sp.post.id]}] {sp.stage}/{sp.naming} {sp.post.published_at:%m-%d %H} "
                      f"emp={list(a.employers)} co={[c.company_id for c in a.companies]} towns={list(a.towns)} "
                      f"| {sp.post.text[:60]}")


if __name__ == "__main__":
    main()

"""Drift alarms: per source and day, the share of posts flagged, the score distribution and the unknown-word rate,
each compared with the source's own history (``laborwatch nlp drift``; the service runs it daily).

- **flagged share** and **unknown-word rate**: a z-score of the day against the mean of the history days; the
  spread is the history's own standard deviation, never less than the binomial spread of a day with this many posts
  (a small source is not alarmed by chance) nor than ``MIN_SD``.
- **score distribution**: the population stability index (PSI) of the day's scores in :data:`BINS` against the pooled
  history (PSI > 0.25 is the usual "significant shift"; ``nlp.learning.drift_psi``).
- **unknown-word rate**: the share of the day's words (jieba tokens of two or more characters) missing from the
  active bundle's word vocabulary: a new platform, a new kind of dispute or a holiday topic raises it.

Each source-day's figures are kept in ``<state>/models/drift/<source>.jsonl`` (one line per day, rewritten when a day
is checked again), so history is the source's own. A sudden change raises one notice to the administrators through
the existing admin path (:func:`alerting.notify_admins`, deduplicated per source and day) with the posts that moved.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["BINS", "DayStats", "day_stats", "psi", "compare", "run_drift_check", "drift_notice"]

logger = logging.getLogger(__name__)

#: Score bins: non-candidates (score 0) apart, then tenths.
BINS = (0.0, 1e-9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0000001)
MIN_SD = 0.005
MIN_HISTORY_DAYS = 3
_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _bin(score: float) -> int:
    for k in range(len(BINS) - 1):
        if BINS[k] <= score < BINS[k + 1]:
            return k
    return len(BINS) - 2


@dataclass
class DayStats:
    source: str
    day: str
    n: int
    flagged: int
    hist: list[int]
    words: int
    unknown: int
    unknown_top: list[tuple[str, int]] = field(default_factory=list)

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.n if self.n else 0.0

    @property
    def unknown_rate(self) -> float:
        return self.unknown / self.words if self.words else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "day": self.day, "n": self.n, "flagged": self.flagged, "hist": self.hist,
                "words": self.words, "unknown": self.unknown, "unknown_top": self.unknown_top}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DayStats:
        return cls(source=d["source"], day=d["day"], n=int(d["n"]), flagged=int(d["flagged"]),
                   hist=[int(v) for v in d["hist"]], words=int(d["words"]), unknown=int(d["unknown"]),
                   unknown_top=[tuple(x) for x in d.get("unknown_top") or []])


def day_stats(source: str, day: str, docs: Sequence[dict[str, Any]], *, cut: Callable[[str], list[str]],
              vocab: set[str] | dict[str, int] | None) -> DayStats:
    """Figures of one source-day from its posts (``{"text", "score", "labor_dispute"}``)."""
    hist = [0] * (len(BINS) - 1)
    words = unknown = flagged = 0
    counts: dict[str, int] = {}
    for d in docs:
        hist[_bin(float(d.get("score") or 0.0))] += 1
        flagged += bool(d.get("labor_dispute"))
        if vocab is not None:
            for w in cut(d.get("text") or ""):
                if _WORD.match(w):
                    words += 1
                    if w not in vocab:
                        unknown += 1
                        counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return DayStats(source, day, len(docs), flagged, hist, words, unknown, top)


def psi(actual: Sequence[int], expected: Sequence[int], smoothing: float = 0.5) -> float:
    """Population stability index of two histograms over the same bins (additive smoothing: an empty bin of a
    small day does not explode the index)."""
    na, ne = sum(actual), sum(expected)
    if not na or not ne:
        return 0.0
    k = len(actual)
    out = 0.0
    for a, e in zip(actual, expected, strict=True):
        pa, pe = (a + smoothing) / (na + smoothing * k), (e + smoothing) / (ne + smoothing * k)
        out += (pa - pe) * math.log(pa / pe)
    return out


def _psi_noise(hist: Sequence[DayStats]) -> list[float]:
    """Each history day's PSI against the other history days pooled: how much the index moves on ordinary days."""
    nb = len(BINS) - 1
    total = [sum(h.hist[k] for h in hist) for k in range(nb)]
    return [psi(h.hist, [total[k] - h.hist[k] for k in range(nb)]) for h in hist]


def _z(value: float, history: Sequence[float], n: int) -> float:
    mean = sum(history) / len(history)
    sd = math.sqrt(sum((h - mean) ** 2 for h in history) / max(1, len(history) - 1))
    binom = math.sqrt(max(mean * (1 - mean), 1e-6) / max(n, 1))
    return (value - mean) / max(sd, binom, MIN_SD)


def compare(today: DayStats, history: Sequence[DayStats], *, psi_limit: float, z_limit: float,
            min_posts: int) -> dict[str, Any]:
    """The day against its history: figures, and ``alarms`` (what moved, in Chinese for the notice)."""
    hist = [h for h in history if h.n >= min_posts]
    out: dict[str, Any] = {"source": today.source, "day": today.day, "n": today.n,
                           "flagged_share": round(today.flagged_share, 4), "unknown_rate": round(today.unknown_rate, 4),
                           "history_days": len(hist), "alarms": []}
    if today.n < min_posts or len(hist) < MIN_HISTORY_DAYS:
        out["judged"] = False
        return out
    out["judged"] = True
    pooled = [sum(h.hist[k] for h in hist) for k in range(len(BINS) - 1)]
    out["psi"] = round(psi(today.hist, pooled), 4)
    noise = _psi_noise(hist)
    mean = sum(noise) / len(noise)
    sd = math.sqrt(sum((v - mean) ** 2 for v in noise) / max(1, len(noise) - 1))
    # above the configured limit and well above what ordinary days of this source show
    out["psi_limit"] = round(max(psi_limit, mean + z_limit * sd), 4)
    base_share = [h.flagged_share for h in hist]
    out["flagged_share_mean"] = round(sum(base_share) / len(base_share), 4)
    out["flagged_z"] = round(_z(today.flagged_share, base_share, today.n), 2)
    if out["psi"] > out["psi_limit"]:
        out["alarms"].append(f"评分分布突变（PSI {out['psi']:.2f}，本来源平常波动上限 {out['psi_limit']:.2f}）")
    if abs(out["flagged_z"]) > z_limit:
        way = "升高" if out["flagged_z"] > 0 else "降低"
        out["alarms"].append(f"判为劳动争议的比例{way}：{today.flagged_share:.1%}（近 {len(hist)} 天平均 "
                             f"{out['flagged_share_mean']:.1%}）")
    with_words = [h for h in hist if h.words]
    if today.words and len(with_words) >= MIN_HISTORY_DAYS:
        base_unk = [h.unknown_rate for h in with_words]
        out["unknown_rate_mean"] = round(sum(base_unk) / len(base_unk), 4)
        out["unknown_z"] = round(_z(today.unknown_rate, base_unk, today.words), 2)
        if out["unknown_z"] > z_limit:
            words = "、".join(w for w, _ in today.unknown_top[:8])
            out["alarms"].append(f"生词率升高：{today.unknown_rate:.1%}（近期平均 {out['unknown_rate_mean']:.1%}；"
                                 f"常见生词：{words}）")
    return out


# --- history ------------------------------------------------------------------------------------------------
def _history_file(settings: Settings, source: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", source) or "_"
    return settings.state_path / "models" / "drift" / f"{safe}.jsonl"


def load_history(settings: Settings, source: str) -> list[DayStats]:
    path = _history_file(settings, source)
    if not path.is_file():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            out.append(DayStats.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("%s:%d: unreadable drift history line skipped (%s)", path, n, exc)
    return out


def save_day(settings: Settings, stats: DayStats, keep_days: int) -> None:
    path = _history_file(settings, stats.source)
    rows = {h.day: h for h in load_history(settings, stats.source)}
    rows[stats.day] = stats
    days = sorted(rows)[-max(keep_days * 2, 30):]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(rows[d].as_dict(), ensure_ascii=False) + "\n" for d in days), encoding="utf-8")
    tmp.replace(path)


# --- the check ----------------------------------------------------------------------------------------------
def fetch_day(settings: Settings, day: date) -> dict[str, list[dict[str, Any]]]:
    """The day's posts per source from the index (Shanghai day of ``post_time``)."""
    from elasticsearch.helpers import scan

    import index

    start = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    client = index.connect(settings)
    out: dict[str, list[dict[str, Any]]] = {}
    try:
        when = {"gte": start.isoformat(), "lt": (start + timedelta(days=1)).isoformat()}
        q = {"query": {"range": {"post_time": when}},
             "_source": ["id", "source_id", "title", "content", "analysis.score", "analysis.labor_dispute"]}
        for hit in scan(client, index=settings.es.index_prefix, query=q, size=1000, ignore_unavailable=True):
            src = hit["_source"]
            a = src.get("analysis") or {}
            text = "\n".join(t for t in (src.get("title") or "", src.get("content") or "") if t)
            out.setdefault(str(src.get("source_id") or "?"), []).append(
                {"id": src.get("id") or hit["_id"], "text": text, "score": a.get("score") or 0.0,
                 "labor_dispute": bool(a.get("labor_dispute"))})
    finally:
        client.close()
    return out


def _vocab(settings: Settings) -> dict[str, int] | None:
    from nlp.bundle import CLASSICAL_FILE
    from nlp.bundles import BundleStore
    from nlp.classical import ClassicalModel

    d = Path(settings.nlp.model_dir) if settings.nlp.model_dir else BundleStore.from_settings(settings).active_dir()
    if not (d / CLASSICAL_FILE).is_file():
        return None
    vocab = ClassicalModel.load(d / CLASSICAL_FILE).word_vocab
    # the word features include bigrams ("a b"); unknown words are judged on the single words
    return {w: 1 for w in vocab if " " not in w}


def moved_examples(report: dict[str, Any], docs: Sequence[dict[str, Any]], history: Sequence[DayStats], *,
                   cut: Callable[[str], list[str]] | None = None, vocab: Any = None,  # noqa: ANN401
                   limit: int = 6) -> list[dict[str, Any]]:
    """The posts behind the change, per alarm: the day's most certain flagged posts when the flagged share rose;
    the posts with the most unknown words when that rate rose; posts of the score bins that grew most otherwise."""
    if not docs:
        return []
    picked: list[dict[str, Any]] = []
    if report.get("flagged_z", 0) > 0 and any("比例升高" in a for a in report["alarms"]):
        picked += sorted((d for d in docs if d.get("labor_dispute")), key=lambda d: -float(d.get("score") or 0))[:3]
    if cut is not None and vocab is not None and any("生词率" in a for a in report["alarms"]):
        def unknown(d: dict[str, Any]) -> int:
            return sum(1 for w in cut(d.get("text") or "") if _WORD.match(w) and w not in vocab)

        picked += sorted(docs, key=lambda d: -unknown(d))[:3]
    if any("评分分布" in a for a in report["alarms"]):
        pooled = [sum(h.hist[k] for h in history) for k in range(len(BINS) - 1)]
        total_h = sum(pooled) or 1
        today = [0] * (len(BINS) - 1)
        for d in docs:
            today[_bin(float(d.get("score") or 0))] += 1
        growth = [today[k] / len(docs) - pooled[k] / total_h for k in range(len(today))]
        top = max(range(len(today)), key=lambda k: growth[k])
        picked += [d for d in docs if _bin(float(d.get("score") or 0)) == top][:3]
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for d in picked:
        if d.get("id") not in seen and len(out) < limit:
            seen.add(d.get("id"))
            out.append({"id": d.get("id"), "score": d.get("score"), "labor_dispute": d.get("labor_dispute"),
                        "text": " ".join(str(d.get("text") or "").split())[:120]})
    return out


def drift_notice(settings: Settings, report: dict[str, Any], examples: Sequence[dict[str, Any]]) -> tuple[str, str]:
    lines = [f"信息来源 {report['source']} 在 {report['day']} 的数据与其近期历史相比出现突变"
             f"（当日 {report['n']} 条）：", ""]
    lines += [f"- {a}" for a in report["alarms"]]
    lines += ["", "变化最大的信息（示例）："]
    for e in examples:
        mark = "劳动争议" if e.get("labor_dispute") else "非争议"
        lines.append(f"- [{mark} {float(e.get('score') or 0):.2f}] {e.get('text')}（编号 {e.get('id')}）")
    base = settings.alerting.base_url.rstrip("/")
    lines += ["", "可能原因：来源网站改版、出现新类型的争议、节假日集中话题。请抽查上述信息，",
              f"必要时在 {base}/review 复核，以便下次重训时纳入。"]
    return f"舆情数据漂移：{report['source']} {report['day']}", "\n".join(lines)


def run_drift_check(settings: Settings, *, day: str | date | None = None, db: Any = None,  # noqa: ANN401
                    notify: bool = True, docs_by_source: dict[str, list[dict[str, Any]]] | None = None,
                    cut: Callable[[str], list[str]] | None = None) -> dict[str, Any]:
    """Check ``day`` (default: yesterday, Shanghai) for every source; returns the per-source reports. ``docs_by_source``
    replaces the index read (tests, backfills)."""
    cfg = settings.nlp.learning
    if day is None:
        d = datetime.now(SHANGHAI).date() - timedelta(days=1)
    elif isinstance(day, str):
        try:
            d = date.fromisoformat(day)
        except ValueError:
            from nlp.errors import NlpError

            raise NlpError(f"--day {day!r}: expected a date YYYY-MM-DD") from None
    else:
        d = day
    docs = docs_by_source if docs_by_source is not None else fetch_day(settings, d)
    if cut is None:
        from nlp.segment import Segmenter

        cut = Segmenter.from_settings(settings).cut
    vocab = _vocab(settings)
    reports = []
    for source, rows in sorted(docs.items()):
        history = [h for h in load_history(settings, source) if h.day < d.isoformat()][-cfg.drift_history_days:]
        stats = day_stats(source, d.isoformat(), rows, cut=cut, vocab=vocab)
        rep = compare(stats, history, psi_limit=cfg.drift_psi, z_limit=cfg.drift_share_z, min_posts=cfg.drift_min_posts)
        save_day(settings, stats, cfg.drift_history_days)
        if rep["alarms"]:
            rep["examples"] = moved_examples(rep, rows, history, cut=cut, vocab=vocab)
            logger.warning("drift on %s %s: %s", source, d.isoformat(), "; ".join(rep["alarms"]))
            if notify:
                if db is None:
                    from lwcore.db import Database

                    db = Database.from_settings(settings)
                    db.upgrade()
                from alerting import notify_admins

                subject, body = drift_notice(settings, rep, rep["examples"])
                notify_admins(settings, db, subject, body, dedup_key=f"drift:{source}:{d.isoformat()}")
                rep["notified"] = True
        reports.append(rep)
    return {"day": d.isoformat(), "sources": reports, "alarms": sum(bool(r["alarms"]) for r in reports)}


def summarize(reports: Iterable[dict[str, Any]]) -> str:
    return "; ".join(f"{r['source']}: {', '.join(r['alarms']) or 'ok'}" for r in reports)

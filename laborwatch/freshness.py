"""发现时效 (issue 21): how long a post waits between its publication and the officer's inbox.

Two lags are measured from stored data (so every process and web worker reads the same figures):

- **crawl lag** per post: ``fetched_at - published_at`` of every delivered post, reported by the crawl in its
  per-source stats (``lag_s``) and kept in ``crawl_runs.stats_json``;
- **e-mail lag** per alert: its earliest published post to its first alert e-mail the mail server accepted
  (``alerting.lags``).

:func:`freshness_report` summarises both (median, p90, slowest) overall, per source kind and per source for the
今日态势 page, the daily briefing and the 采集源状态 page. :class:`EmailLagObserver` feeds the Prometheus histogram
``laborwatch_alert_email_lag_seconds`` from the service's sender job.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = ["KIND_LABELS_ZH", "kind_zh", "LagStats", "FreshnessReport", "summarize", "source_kinds",
           "freshness_report", "duration_zh", "EmailLagObserver", "report_as_dict"]

logger = logging.getLogger(__name__)


#: Source kinds as bureau staff read them.
KIND_LABELS_ZH = {"news": "新闻网站", "feed": "订阅源", "search": "搜索/社交", "board": "留言板", "forum": "论坛",
                  "unknown": "未知"}


def kind_zh(kind: str | None) -> str:
    return KIND_LABELS_ZH.get(str(kind or "unknown"), str(kind))


@dataclass(frozen=True, slots=True)
class LagStats:
    n: int = 0
    median_s: float | None = None
    p90_s: float | None = None
    max_s: float | None = None


def _quantile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank quantile (the value below which ``q`` of the values lie)."""
    k = max(0, min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[k]


def summarize(values: Iterable[float | None]) -> LagStats:
    vals = sorted(float(v) for v in values if v is not None)
    if not vals:
        return LagStats()
    mid = len(vals) // 2
    median = vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2
    return LagStats(n=len(vals), median_s=median, p90_s=_quantile(vals, 0.9), max_s=vals[-1])


def duration_zh(seconds: float | None) -> str:
    """``75`` -> ``1分15秒``, ``3900`` -> ``1小时5分``, ``90000`` -> ``1天1小时``; None -> ``—``."""
    if seconds is None:
        return "—"
    s = int(round(seconds))
    if s < 60:
        return f"{s}秒"
    if s < 3600:
        m, r = divmod(s, 60)
        return f"{m}分{r}秒" if r else f"{m}分钟"
    if s < 86400:
        h, r = divmod(s, 3600)
        return f"{h}小时{r // 60}分" if r // 60 else f"{h}小时"
    d, r = divmod(s, 86400)
    return f"{d}天{r // 3600}小时" if r // 3600 else f"{d}天"


def source_kinds(settings: Settings) -> dict[str, str]:
    """Source id -> kind from the sources file ({} when it cannot be read: kinds show as unknown)."""
    from crawlers.sources import load_sources, sources_path

    try:
        return {s.id: s.kind for s in load_sources(sources_path(settings))}
    except Exception as exc:  # noqa: BLE001 - a broken sources file must not take the report down
        logger.warning("freshness: sources file unreadable, source kinds unknown: %s", exc)
        return {}


@dataclass
class SourceFreshness:
    source_id: str
    kind: str
    crawl: LagStats = LagStats()
    email: LagStats = LagStats()


@dataclass
class FreshnessReport:
    since: datetime
    until: datetime
    crawl: LagStats = LagStats()  # every delivered post
    email: LagStats = LagStats()  # every alert with an accepted e-mail
    slowest: Any | None = None  # the alert with the longest e-mail lag (alerting.lags.AlertLag)
    not_told: int = 0  # alerts of the period without an accepted e-mail yet
    by_kind: dict[str, SourceFreshness] = field(default_factory=dict)
    by_source: dict[str, SourceFreshness] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return bool(self.crawl.n or self.email.n)


def _run_lags(db: Database, since: datetime, until: datetime) -> dict[str, list[float]]:
    """Source id -> crawl lags (seconds) of the posts its runs started in ``[since, until)`` delivered."""
    from crawlers.health import stats_of_run
    from laborwatch.models import CrawlRun

    out: dict[str, list[float]] = {}
    with db.sessions() as s:
        rows = s.execute(select(CrawlRun.source_id, CrawlRun.stats_json)
                         .where(CrawlRun.started_at >= since, CrawlRun.started_at < until,
                                CrawlRun.stats_json.is_not(None))).all()
    for sid, raw in rows:
        one = stats_of_run(raw, sid) or {}
        lags = one.get("lag_s") or []
        out.setdefault(sid, []).extend(float(x) for x in lags if isinstance(x, int | float))
    return out


def freshness_report(settings: Settings, db: Database, since: datetime, until: datetime | None = None, *,
                     kinds: Mapping[str, str] | None = None) -> FreshnessReport:
    from alerting.lags import alert_lags

    until = until or utcnow()
    kinds = source_kinds(settings) if kinds is None else kinds
    report = FreshnessReport(since=since, until=until)
    crawl = _run_lags(db, since, until)
    try:
        alerts = alert_lags(db, since, until)
    except Exception as exc:  # noqa: BLE001 - a web-only database without the alerting tables
        logger.warning("freshness: alert lags unavailable: %s", exc)
        alerts = []
    email: dict[str, list[float]] = {}
    for a in alerts:
        if a.email_lag_s is None:
            report.not_told += 1
            continue
        email.setdefault(a.source_id, []).append(a.email_lag_s)
        if report.slowest is None or a.email_lag_s > (report.slowest.email_lag_s or 0):
            report.slowest = a
    report.crawl = summarize(v for vs in crawl.values() for v in vs)
    report.email = summarize(v for vs in email.values() for v in vs)
    for sid in sorted(set(crawl) | set(email)):
        kind = kinds.get(sid, "unknown")
        report.by_source[sid] = SourceFreshness(sid, kind, summarize(crawl.get(sid, [])), summarize(email.get(sid, [])))
    for kind in sorted({f.kind for f in report.by_source.values()}):
        ids = [sid for sid, f in report.by_source.items() if f.kind == kind]
        report.by_kind[kind] = SourceFreshness(
            "", kind, summarize(v for sid in ids for v in crawl.get(sid, [])),
            summarize(v for sid in ids for v in email.get(sid, [])))
    return report


class EmailLagObserver:
    """Feeds ``laborwatch_alert_email_lag_seconds`` with the alerts first told since the last call (the first
    call starts from the moment of the observer's creation: a restart does not observe old alerts again)."""

    def __init__(self, settings: Settings, db: Database, *, start: datetime | None = None) -> None:
        self.settings = settings
        self.db = db
        self.mark = start or utcnow()
        self._lock = threading.Lock()

    def observe(self) -> int:
        from alerting.lags import first_told_after
        from laborwatch import metrics

        with self._lock:
            told = first_told_after(self.db, self.mark)
            if not told:
                return 0
            kinds = source_kinds(self.settings)
            for a in told:
                if a.email_lag_s is not None:
                    metrics.observe_email_lag(kinds.get(a.source_id, "unknown"), a.email_lag_s)
            self.mark = max(a.first_sent_at for a in told if a.first_sent_at is not None)
            return len(told)


def report_as_dict(report: FreshnessReport) -> dict[str, Any]:
    """JSON-friendly form (briefing attachments, tests)."""

    def st(s: LagStats) -> dict[str, Any]:
        return {"n": s.n, "median_s": s.median_s, "p90_s": s.p90_s, "max_s": s.max_s}

    return json.loads(json.dumps({
        "crawl": st(report.crawl), "email": st(report.email), "not_told": report.not_told,
        "slowest": None if report.slowest is None else {"alert_id": report.slowest.alert_id,
                                                        "email_lag_s": report.slowest.email_lag_s},
        "by_kind": {k: {"crawl": st(v.crawl), "email": st(v.email)} for k, v in report.by_kind.items()},
    }))

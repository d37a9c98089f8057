"""The functions the scheduler runs. Module-level and importable: the job store pickles their references.

They find their settings, database and crawl runner in the process-wide :class:`Runtime` that the service sets
with :func:`set_runtime` before it starts the scheduler. Each job is an isolation boundary: it logs what went
wrong with the traceback and re-raises so APScheduler records the failure; it never takes the service down.
"""

from __future__ import annotations

import importlib
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from laborwatch.service.crawl import CrawlResult, CrawlRunner
from laborwatch.service.errors import ServiceError
from lwcore.db import Database
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = [
    "Runtime",
    "set_runtime",
    "get_runtime",
    "crawl_source",
    "alert_tick",
    "send_outbox",
    "drain_spools",
    "notify_subscriptions",
    "field_reports",
    "send_digest",
    "daily_briefing",
    "index_retention",
    "config_check",
    "retention_cutoff",
    "expired_indices",
]

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    crawler: CrawlRunner
    _engine: Any = None
    _last_good: Any = None  # the last engine built from valid config files
    _last_error: str | None = None
    _gate: Any = None  # the freshness gate, built on first use
    _email_lags: Any = None  # feeds the e-mail lag histogram from the sender job
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: one user of the alert engine at a time (tick, sender, drain, digests share its outbox)
    engine_lock: threading.RLock = field(default_factory=threading.RLock)

    def alert_engine(self) -> Any:
        """The alert engine, built once per runtime (rules and roster are re-read on reload). When the files
        became invalid since the last good build, the last good engine goes on working (one error line per
        distinct problem, not a traceback per job run)."""
        from lwcore.errors import ConfigError

        with self._lock:
            if self._engine is None:
                import alerting

                try:
                    self._engine = alerting.AlertEngine.from_settings(self.settings, self.db)
                except ConfigError as exc:
                    if self._last_good is None:
                        raise
                    if str(exc) != self._last_error:
                        self._last_error = str(exc)
                        logger.error("config invalid, keeping the last good alert rules and roster: %s", exc)
                    return self._last_good
                self._last_good, self._last_error = self._engine, None
            return self._engine

    def freshness_gate(self) -> Any:
        """The freshness gate over the current sources file (re-read when it changes)."""
        with self._lock:
            if self._gate is None:
                from crawlers.sources import load_sources, sources_path
                from laborwatch.service.freshness import FreshnessGate

                path = sources_path(self.settings)
                cache: dict[str, Any] = {}

                def sources() -> list[Any]:
                    try:
                        mtime = path.stat().st_mtime
                    except FileNotFoundError:  # no sources file: no source is managed (crawls run as asked)
                        return []
                    if cache.get("mtime") != mtime:
                        cache["sources"], cache["mtime"] = load_sources(path), mtime
                    return cache["sources"]  # type: ignore[no-any-return]

                self._gate = FreshnessGate(self.settings, self.db, sources)
            return self._gate

    def email_lags(self) -> Any:
        with self._lock:
            if self._email_lags is None:
                from laborwatch.freshness import EmailLagObserver

                self._email_lags = EmailLagObserver(self.settings, self.db)
            return self._email_lags

    def reset(self) -> None:
        with self._lock:
            self._engine = None


_runtime: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def get_runtime() -> Runtime:
    if _runtime is None:
        raise ServiceError("no service runtime in this process: jobs run only inside `laborwatch run`")
    return _runtime


# --- crawls --------------------------------------------------------------------------------------------------
def crawl_source(source_id: str) -> CrawlResult | None:
    rt = get_runtime()
    if rt.crawler.stopping.is_set():
        logger.info("crawl of %s not started: the service is stopping", source_id)
        return None
    if rt.settings.crawl.freshness.enabled:
        try:
            decision = rt.freshness_gate().check(source_id)
        except Exception:  # isolation: no crawl on a tick whose decision failed (the next tick decides again)
            logger.exception("freshness check of %s failed; not crawled on this tick", source_id)
            return None
        if decision is not None and not decision.start:
            return None  # not due yet, or held back by its domain's politeness budget
        if decision is not None and decision.reason != "adaptive":
            return rt.crawler.run(source_id, trigger=decision.reason[:32])
    return rt.crawler.run(source_id, trigger="schedule")


# --- alerting ------------------------------------------------------------------------------------------------
def alert_tick() -> Any:
    """Escalation of unacknowledged alerts, outbox dispatch, due digests (``AlertEngine.tick``)."""
    rt = get_runtime()
    from lwcore.errors import ConfigError

    try:
        with rt.engine_lock:
            return rt.alert_engine().tick()
    except ConfigError as exc:  # a config file broken after start: one line, not a traceback a minute
        logger.error("alert tick skipped: %s (fix it; `laborwatch config check`, then `laborwatch reload`)", exc)
        rt.reset()
        return None
    except Exception:
        logger.exception("alert tick failed")
        rt.reset()  # rebuild the engine next minute (e.g. after a config fix)
        raise


def send_outbox() -> Any:
    """The sender: deliver what crawls (and the engine) queued in the outbox; stale claims are retried."""
    rt = get_runtime()
    from lwcore.errors import ConfigError

    try:
        with rt.engine_lock:
            report = rt.alert_engine().dispatch_outbox()
    except ConfigError as exc:
        logger.error("outbox not sent: %s (fix it; `laborwatch config check`)", exc)
        return None
    except Exception:
        logger.exception("outbox dispatch failed")
        raise
    try:  # 发现时效: the alerts first told since the last run feed the e-mail lag histogram
        rt.email_lags().observe()
    except Exception:  # noqa: BLE001 - a metric must never fail the sender
        logger.warning("e-mail lag metric not updated", exc_info=True)
    return report


def drain_spools() -> Any:
    """Reconcile the hand-off between stages: index the spooled posts, evaluate the alert backlog and the
    journals of crawls that died between indexing and the alert commit (``laborwatch.wiring.drain_spools``)."""
    rt = get_runtime()
    from laborwatch.wiring import drain_spools as drain
    from lwcore.errors import ConfigError

    try:
        with rt.engine_lock:
            report = drain(rt.settings, alerts=rt.alert_engine())
    except ConfigError as exc:
        logger.error("spools not drained: %s (fix it; `laborwatch config check`)", exc)
        return None
    except Exception:
        logger.exception("spool drain failed")
        raise
    if report.replayed:
        logger.warning("spool drain: replayed %d item(s): indexed %d, alerts %d, errors %d", report.replayed,
                       report.indexed, report.alerts, report.alert_errors)
    return report


def field_reports() -> Any:
    """Pending field reports (网格上报, 12345 tickets) through the pipeline: ``laborwatch reports process`` in its own
    process (like a crawl, so the analyser never loads into the scheduler), started only when some are pending."""
    import subprocess
    import sys

    from sqlalchemy import func, select

    from companies.models import FieldReport

    rt = get_runtime()
    with rt.db.sessions() as s:
        pending = s.scalar(select(func.count()).where(FieldReport.status.in_(("pending", "failed")))) or 0
    if not pending:
        return 0
    argv = [sys.executable, "-m", "laborwatch"]
    if rt.crawler.config_file:
        argv += ["--config", rt.crawler.config_file]
    argv += ["reports", "process"]
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
                              timeout=rt.settings.service.field_reports_time_limit_s)
    except subprocess.TimeoutExpired:
        logger.error("field reports: `reports process` ran past %.0f s; the reports stay pending",
                     rt.settings.service.field_reports_time_limit_s)
        raise
    if done.returncode != 0:
        logger.error("field reports: `reports process` exited %d: %s", done.returncode,
                     (done.stderr or done.stdout).strip()[-500:])
        raise ServiceError(f"reports process exited {done.returncode}")
    logger.info("field reports: %s", done.stdout.strip())
    return pending


def send_digest(period: str) -> Any:
    """The hourly/daily digest at its configured time: the engine queues every digest whose period has ended
    (each period once, so the minute tick and this job never send one twice) and dispatches the outbox."""
    rt = get_runtime()
    engine = rt.alert_engine()
    queue = getattr(engine, "queue_digests", None)
    if not callable(queue):
        logger.info("alert engine has no queue_digests(); tick() sends due %s digests", period)
        return engine.tick()
    with rt.engine_lock:
        keys = queue()
        engine.dispatch_outbox()
    logger.info("%s digest job: queued %s", period, keys)
    return keys


# --- briefing ------------------------------------------------------------------------------------------------
def daily_briefing() -> Any:
    """Send the daily briefing (舆情日报) from ``laborwatch.web.briefing``; skipped with a warning if absent."""
    rt = get_runtime()
    try:
        briefing = importlib.import_module("laborwatch.web.briefing")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("laborwatch.web"):
            logger.warning("daily briefing skipped: laborwatch.web.briefing is not available")
            return None
        raise
    for name in ("send_daily_briefing", "send_briefing", "email_briefing"):
        fn = getattr(briefing, name, None)
        if callable(fn):
            if name == "send_daily_briefing":
                return fn(rt.settings, rt.db)
            return fn(rt.settings, rt.db, period="daily")
    raise ServiceError("laborwatch.web.briefing has no send_daily_briefing/send_briefing function")


def notify_subscriptions() -> Any:
    """Saved searches subscribed to: one e-mail per search with new posts (``laborwatch.web.subscriptions``),
    queued in the outbox that ``send_outbox`` delivers."""
    rt = get_runtime()
    import index
    from laborwatch.web.subscriptions import notify_subscriptions as notify

    try:
        client = index.connect(rt.settings)
    except Exception:
        logger.exception("subscriptions not checked: Elasticsearch unavailable")
        return None
    return notify(rt.settings, rt.db, client)


# --- index retention -----------------------------------------------------------------------------------------
def retention_cutoff(now: datetime, days: int) -> datetime:
    return now.astimezone(UTC) - timedelta(days=days)


_MONTHLY = re.compile(r"-(\d{4})\.(\d{2})$")


def expired_indices(names: Sequence[str], prefix: str, cutoff: datetime) -> list[str]:
    """Monthly indices (``<prefix>-YYYY.MM``) whose whole month ended before ``cutoff``."""
    out: list[str] = []
    for name in names:
        if not name.startswith(prefix + "-"):
            continue
        m = _MONTHLY.search(name)
        if m is None or len(name) != len(prefix) + 8:
            continue
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            continue
        month_end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
        if month_end <= cutoff:
            out.append(name)
    return sorted(out)


def index_retention() -> list[str]:
    """Delete monthly post indices whose month ended more than ``service.index_retention_days`` ago."""
    rt = get_runtime()
    import index
    from index.templates import posts_indices

    cutoff = retention_cutoff(datetime.now(UTC), rt.settings.service.index_retention_days)
    prefix = rt.settings.es.index_prefix
    client = index.connect(rt.settings)
    try:
        doomed = expired_indices(posts_indices(client, prefix), prefix, cutoff)
        for name in doomed:
            client.indices.delete(index=name)
            logger.warning("index retention: deleted %s (older than %s)", name, cutoff.date().isoformat())
    finally:
        client.close()
    logger.info("index retention: cutoff %s, deleted %d index(es)", cutoff.date().isoformat(), len(doomed))
    return doomed


# --- nightly config / roster check ---------------------------------------------------------------------------
def config_check() -> tuple[list[str], list[str]]:
    """Run ``laborwatch config check``'s checks; errors and warnings (roster gaps) go to the administrators."""
    rt = get_runtime()
    from laborwatch.config_cli import run_checks

    errors, warnings = run_checks(rt.settings)
    if errors or warnings:
        lines = [f"{rt.settings.district}舆情监测系统夜间配置检查（{rt.settings.config_path}）：", ""]
        if errors:
            lines += ["错误（需尽快修复）：", *(f"- {e}" for e in errors), ""]
        if warnings:
            lines += ["警告（如值班表空档）：", *(f"- {w}" for w in warnings), ""]
        lines.append("复查命令：laborwatch config check")
        subject = f"[舆情监测] 配置检查：{len(errors)} 个错误，{len(warnings)} 个警告"
        from alerting import notify_admins

        notify_admins(rt.settings, rt.db, subject, "\n".join(lines))
        logger.warning("nightly config check: %d error(s), %d warning(s)", len(errors), len(warnings))
    else:
        logger.info("nightly config check: all config files valid")
    return errors, warnings

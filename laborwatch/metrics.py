"""Health endpoint and Prometheus metrics.

Two kinds of series live in :data:`REGISTRY`:

- **events of this process** (counters/histograms updated as things happen): crawl runs finished by this
  service (``laborwatch_crawl_runs_total``...), pipeline batch latency (``laborwatch_pipeline_latency_seconds``,
  fed by :func:`observe_pipeline` / :func:`observe_pipeline_stats`), Elasticsearch errors (:func:`record_es_error`);
- **state read from the database at scrape time** (:class:`StateCollector`, correct in any process or web worker
  that serves ``/metrics``): crawl runs and items recorded per source and status, last success per source, the
  current failure streak, open alerts by level, the outbox backlog, spooled posts waiting for Elasticsearch,
  whether a scheduler holds the lock.

The FastAPI router :data:`health_router` serves ``GET /healthz`` and ``GET /metrics``. It reads
``request.app.state.settings`` and ``request.app.state.db`` (set by :func:`install` or by ``create_app``);
``request.app.state.es_client`` is used when present.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

__all__ = [
    "REGISTRY",
    "CRAWL_RUNS",
    "CRAWL_ITEMS",
    "CRAWL_DURATION",
    "PIPELINE_LATENCY",
    "CRAWL_LAG",
    "EMAIL_LAG",
    "observe_crawl_lags",
    "observe_email_lag",
    "ES_ERRORS",
    "SCHEDULER_LEADER",
    "NLP_MEMBER_UP",
    "set_nlp_members",
    "record_crawl_run",
    "observe_pipeline",
    "observe_pipeline_stats",
    "record_es_error",
    "set_scheduler_leader",
    "StateCollector",
    "enable_state_collector",
    "health_router",
    "health_report",
    "install",
]

logger = logging.getLogger(__name__)

#: The project's own registry (not the global default one: tests and several apps in a process stay apart).
REGISTRY = CollectorRegistry(auto_describe=True)

CRAWL_RUNS = Counter(
    "laborwatch_crawl_runs", "Crawl runs finished by this service process", ["source", "status"],
    registry=REGISTRY,
)
CRAWL_ITEMS = Counter(
    "laborwatch_crawl_items", "Items (posts) crawled by runs of this process", ["source", "kind"],
    registry=REGISTRY,
)
CRAWL_DURATION = Histogram(
    "laborwatch_crawl_duration_seconds", "Wall time of crawl runs", ["source"],
    buckets=(5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600), registry=REGISTRY,
)
PIPELINE_LATENCY = Histogram(
    "laborwatch_pipeline_latency_seconds", "Time of one pipeline.process batch (analyse, index, alert)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120), registry=REGISTRY,
)
#: Discovery lag (issue 21), seconds: 1 min .. 3 days.
LAG_BUCKETS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200)
CRAWL_LAG = Histogram(
    "laborwatch_crawl_lag_seconds", "Per post: publication to crawl (fetched_at - published_at), by source kind",
    ["kind"], buckets=LAG_BUCKETS, registry=REGISTRY,
)
EMAIL_LAG = Histogram(
    "laborwatch_alert_email_lag_seconds",
    "Per alert: its first post's publication to its first alert e-mail accepted by the mail server, by source kind",
    ["kind"], buckets=LAG_BUCKETS, registry=REGISTRY,
)
ES_ERRORS = Counter(
    "laborwatch_es_errors", "Elasticsearch errors seen by this process", ["operation"], registry=REGISTRY,
)
SCHEDULER_LEADER = Gauge(
    "laborwatch_scheduler_leader", "1 while this process holds the scheduler lock", registry=REGISTRY,
)
NLP_MEMBER_UP = Gauge(
    "laborwatch_nlp_member_up",
    "1 when an analyzer member the bundle asks for can run, 0 when it is missing (degraded analysis)",
    ["member"], registry=REGISTRY,
)


def set_nlp_members(expected: Any, available: Any) -> None:  # noqa: ANN401 - iterables of member names
    """Set :data:`NLP_MEMBER_UP` for every member the bundle asks for."""
    up = set(available)
    for m in expected:
        NLP_MEMBER_UP.labels(m).set(1 if m in up else 0)


def record_crawl_run(
    source: str, status: str, *, duration_s: float, items: int, new_items: int, pages: int, errors: int
) -> None:
    CRAWL_RUNS.labels(source, status).inc()
    CRAWL_DURATION.labels(source).observe(max(0.0, duration_s))
    for kind, n in (("scraped", items), ("new", new_items), ("pages", pages), ("errors", errors)):
        if n > 0:
            CRAWL_ITEMS.labels(source, kind).inc(n)


def observe_crawl_lags(stats: Mapping[str, Any]) -> int:
    """The per-post crawl lags a crawl reported (``per_source[*].lag_s`` with its ``kind``); returns how many."""
    per = stats.get("per_source")
    parts = per.values() if isinstance(per, Mapping) and per else [stats]
    n = 0
    for one in parts:
        if not isinstance(one, Mapping):
            continue
        kind = str(one.get("kind") or "unknown")
        for lag in one.get("lag_s") or []:
            if isinstance(lag, int | float) and not isinstance(lag, bool):
                CRAWL_LAG.labels(kind).observe(max(0.0, float(lag)))
                n += 1
    return n


def observe_email_lag(kind: str, seconds: float) -> None:
    EMAIL_LAG.labels(kind or "unknown").observe(max(0.0, seconds))


def observe_pipeline(seconds: float) -> None:
    """One pipeline batch took ``seconds`` (call with ``PipelineReport.seconds``)."""
    PIPELINE_LATENCY.observe(max(0.0, seconds))


def observe_pipeline_stats(stats: Mapping[str, Any]) -> None:
    """Pipeline timings a crawl subprocess reported in its stats (``pipeline_seconds``: list of per-batch
    seconds, or ``pipeline: {"batch_seconds": [...]}``); ES failures as ``index_failed`` / ``spooled``."""
    seconds: Any = stats.get("pipeline_seconds")
    pipe = stats.get("pipeline")
    if seconds is None and isinstance(pipe, Mapping):
        seconds = pipe.get("batch_seconds") or pipe.get("seconds")
    if isinstance(seconds, int | float):
        seconds = [seconds]
    if isinstance(seconds, list):
        for s in seconds:
            if isinstance(s, int | float):
                observe_pipeline(float(s))
    source = pipe if isinstance(pipe, Mapping) else stats
    failed = source.get("index_failed") or source.get("spooled")
    if isinstance(failed, int) and failed > 0:
        ES_ERRORS.labels("bulk").inc(failed)


def record_es_error(operation: str) -> None:
    ES_ERRORS.labels(operation).inc()


def set_scheduler_leader(is_leader: bool) -> None:
    SCHEDULER_LEADER.set(1 if is_leader else 0)


# --- state from the database ---------------------------------------------------------------------------------
class StateCollector(Collector):
    """Series computed from the database (and the spool) at each scrape; errors yield ``*_up 0``."""

    def __init__(self, settings: Any, db: Any) -> None:
        self.settings = settings
        self.db = db

    def collect(self) -> Iterator[Any]:
        up = GaugeMetricFamily("laborwatch_state_up", "1 if the database could be read for the state series")
        try:
            families = list(self._collect_db())
        except Exception:  # isolation boundary: a scrape must answer even when the DB is down
            logger.exception("state metrics: database read failed")
            up.add_metric([], 0)
            yield up
        else:
            up.add_metric([], 1)
            yield up
            yield from families
        yield from self._collect_spool()

    def _collect_db(self) -> Iterator[Any]:
        from sqlalchemy import func, select

        from laborwatch.models import CrawlRun
        from laborwatch.service.lock import lock_info

        runs = CounterMetricFamily(
            "laborwatch_crawl_runs_recorded", "Crawl runs recorded in the database", labels=["source", "status"]
        )
        items = CounterMetricFamily(
            "laborwatch_crawl_items_recorded", "Items of recorded crawl runs", labels=["source", "kind"]
        )
        last_ok = GaugeMetricFamily(
            "laborwatch_crawl_last_success_timestamp_seconds", "End of the last successful run", labels=["source"]
        )
        with self.db.sessions() as s:
            rows = s.execute(
                select(
                    CrawlRun.source_id,
                    CrawlRun.status,
                    func.count(),
                    func.coalesce(func.sum(CrawlRun.items), 0),
                    func.coalesce(func.sum(CrawlRun.new_items), 0),
                    func.coalesce(func.sum(CrawlRun.pages), 0),
                    func.coalesce(func.sum(CrawlRun.errors), 0),
                ).group_by(CrawlRun.source_id, CrawlRun.status)
            ).all()
            totals: dict[tuple[str, str], int] = {}
            for source, status, n, n_items, n_new, n_pages, n_err in rows:
                runs.add_metric([source, status], n)
                for kind, v in (("scraped", n_items), ("new", n_new), ("pages", n_pages), ("errors", n_err)):
                    totals[(source, kind)] = totals.get((source, kind), 0) + int(v)
            for (source, kind), v in sorted(totals.items()):
                items.add_metric([source, kind], v)
            for source, ended in s.execute(
                select(CrawlRun.source_id, func.max(CrawlRun.ended_at))
                .where(CrawlRun.status == "finished")
                .group_by(CrawlRun.source_id)
            ).all():
                if ended is not None:
                    when = ended if ended.tzinfo else ended.replace(tzinfo=UTC)
                    last_ok.add_metric([source], when.timestamp())
        yield runs
        yield items
        yield last_ok

        info = lock_info(self.db)
        held = GaugeMetricFamily("laborwatch_scheduler_lock_held", "1 if some scheduler holds a live lock")
        held.add_metric([], 1 if info is not None and info.alive() else 0)
        yield held

        yield from _alerting_families(self.db)

    def _collect_spool(self) -> Iterator[Any]:
        from laborwatch.pipeline import DEAD_INDEX, Spool

        spool = Spool(self.settings.state_path / "spool")
        g = GaugeMetricFamily(
            "laborwatch_spool_backlog",
            "Posts spooled because a stage (index = Elasticsearch) failed; dead-index: refused for good",
            labels=["stage"],
        )
        for stage in ("index", "alert", DEAD_INDEX):
            try:
                g.add_metric([stage], spool.count(stage))
            except OSError:
                continue
        yield g


def _alerting_families(db: Any) -> Iterator[Any]:
    try:
        from alerting.models import Alert, OutboxMessage
    except ImportError:
        return
    from sqlalchemy import func, select

    alerts = GaugeMetricFamily("laborwatch_alerts", "Alerts by level and status", labels=["level", "status"])
    outbox = GaugeMetricFamily("laborwatch_outbox_messages", "Outbox messages by status", labels=["status"])
    with db.sessions() as s:
        for level, status, n in s.execute(
            select(Alert.level, Alert.status, func.count()).group_by(Alert.level, Alert.status)
        ).all():
            alerts.add_metric([str(level), str(status)], n)
        for status, n in s.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all():
            outbox.add_metric([str(status)], n)
    yield alerts
    yield outbox


def outbox_backlog(db: Any) -> int | None:
    """Messages not yet delivered (pending or being sent); None where the alerting room is absent."""
    try:
        from alerting.models import OutboxMessage
    except ImportError:
        return None
    from sqlalchemy import func, select

    with db.sessions() as s:
        return int(
            s.scalar(
                select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
            ) or 0
        )


_collector_lock = threading.Lock()
_collector: StateCollector | None = None


def enable_state_collector(settings: Any, db: Any) -> StateCollector:
    """Register (once per process) the database-backed collector on :data:`REGISTRY`; later calls re-point it."""
    global _collector
    with _collector_lock:
        if _collector is None:
            _collector = StateCollector(settings, db)
            REGISTRY.register(_collector)
        else:
            _collector.settings, _collector.db = settings, db
        return _collector


# --- health --------------------------------------------------------------------------------------------------
def _timed(fn: Any) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        detail = fn()
    except Exception as exc:  # isolation boundary: a health check reports, never raises
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500],
                "ms": round((time.perf_counter() - t0) * 1000, 1)}
    out = {"ok": True, "ms": round((time.perf_counter() - t0) * 1000, 1)}
    if isinstance(detail, dict):
        out.update(detail)
    return out


def health_report(settings: Any, db: Any, *, es_client: Any | None = None) -> dict[str, Any]:
    """Checks: database, Elasticsearch, scheduler lock holder, outbox backlog, analyzer members (``nlp``: which
    members run; a missing one makes the status ``degraded`` and sets ``laborwatch_nlp_member_up`` to 0).
    ``status`` is ``ok``, ``degraded`` (something other than the database is wrong) or ``fail`` (the database is
    unreachable)."""
    from sqlalchemy import text

    def check_db() -> None:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def check_es() -> dict[str, Any]:
        client = es_client
        if client is None:
            import index

            client = index.connect(settings)
        try:
            h = client.options(request_timeout=3).cluster.health()
        except Exception:
            record_es_error("health")
            raise
        return {"cluster_status": h.get("status")}

    def check_scheduler() -> dict[str, Any]:
        from laborwatch.service.lock import lock_info

        info = lock_info(db)
        if info is None:
            return {"ok": False, "holder": None, "error": "no scheduler has taken the lock"}
        age = (info.expires_at - info.heartbeat_at).total_seconds()
        return {
            "ok": info.alive(),
            "holder": info.holder,
            "heartbeat_at": info.heartbeat_at.isoformat(),
            "expires_at": info.expires_at.isoformat(),
            "lease_s": round(age, 1),
            **({} if info.alive() else {"error": "the scheduler's lease has expired"}),
        }

    def check_nlp() -> dict[str, Any]:
        from nlp.members import member_status

        st = member_status(settings)
        set_nlp_members(st.expected, st.available)
        out: dict[str, Any] = {"ok": not st.degraded, **st.as_dict()}
        if st.degraded:
            out["error"] = st.message_zh()
        return out

    def check_outbox() -> dict[str, Any]:
        n = outbox_backlog(db)
        return {"backlog": n} if n is not None else {"backlog": None, "note": "alerting room absent"}

    checks = {
        "db": _timed(check_db),
        "es": _timed(check_es),
        "scheduler": _timed(check_scheduler),
        "outbox": _timed(check_outbox),
        "nlp": _timed(check_nlp),
    }
    status = "ok"
    if not all(c.get("ok") for c in checks.values()):
        status = "degraded"
    if not checks["db"]["ok"]:
        status = "fail"
    return {"status": status, "checks": checks}


health_router = APIRouter(tags=["health"])


def _app_state(request: Request) -> tuple[Any, Any, Any]:
    """Settings, database and ES client of the app: ``app.state.lw`` (the web UI's context object) or
    ``app.state.settings`` / ``.db`` / ``.es_client`` (set by :func:`install`)."""
    state = request.app.state
    ctx = getattr(state, "lw", None)
    settings = getattr(ctx, "settings", None) or getattr(state, "settings", None)
    db = getattr(ctx, "db", None) or getattr(state, "db", None)
    es_client = getattr(ctx, "es_client", None) or getattr(state, "es_client", None)
    if settings is None or db is None:
        raise RuntimeError("app state has no settings/db: call laborwatch.metrics.install(app, settings, db)")
    return settings, db, es_client


@health_router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """200 while the database answers (body says ``ok`` or ``degraded``); 503 when it does not."""
    settings, db, es_client = _app_state(request)
    report = health_report(settings, db, es_client=es_client)
    return JSONResponse(report, status_code=503 if report["status"] == "fail" else 200)


@health_router.get("/metrics", include_in_schema=False)
def metrics_endpoint(request: Request) -> Response:
    settings, db, _ = _app_state(request)
    enable_state_collector(settings, db)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def install(app: Any, settings: Any, db: Any, *, es_client: Any | None = None) -> None:
    """Make ``app`` serve :data:`health_router`: set the state it reads and include it unless already there."""
    if getattr(app.state, "lw", None) is None:
        app.state.settings = settings
        app.state.db = db
        app.state.es_client = es_client
    if not _has_health_route(app.routes):
        app.include_router(health_router)


def _has_health_route(routes: Any) -> bool:
    for r in routes:
        if getattr(r, "path", None) == "/healthz":
            return True
        inner = getattr(r, "original_router", None) or getattr(r, "router", None)
        if inner is health_router or (inner is not None and _has_health_route(getattr(inner, "routes", ()))):
            return True
    return False

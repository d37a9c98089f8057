"""Health report and /metrics on a real SQLite database (ES deliberately unreachable)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from laborwatch import metrics
from laborwatch.service.crawl import CrawlRunner
from laborwatch.service.lock import SchedulerLock


class _DeadEs:
    def options(self, **_kw):
        return self

    @property
    def cluster(self):
        return self

    def health(self):
        raise ConnectionError("connection refused")


def test_health_reports_each_check(svc_settings, db):
    report = metrics.health_report(svc_settings, db, es_client=_DeadEs())
    assert report["checks"]["db"]["ok"] is True
    assert report["checks"]["es"]["ok"] is False and "refused" in report["checks"]["es"]["error"]
    assert report["checks"]["scheduler"]["ok"] is False  # nobody holds the lock
    assert report["status"] == "degraded"
    lock = SchedulerLock(db, holder="host:1:abc", lease_s=30)
    assert lock.try_acquire()
    report = metrics.health_report(svc_settings, db, es_client=_DeadEs())
    assert report["checks"]["scheduler"]["holder"] == "host:1:abc" and report["checks"]["scheduler"]["ok"]


def test_healthz_and_metrics_endpoints(svc_settings, db):
    CrawlRunner(svc_settings, db, holder="t", notify=lambda *a: None).run("ok-news")
    app = FastAPI()
    metrics.install(app, svc_settings, db, es_client=_DeadEs())
    metrics.install(app, svc_settings, db)  # idempotent
    assert metrics._has_health_route(app.routes)
    assert len(app.routes) == len(FastAPI().routes) + 1  # included once
    client = TestClient(app)
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "degraded"
    text = client.get("/metrics").text
    assert 'laborwatch_crawl_runs_recorded_total{source="ok-news",status="finished"} 1.0' in text
    assert 'laborwatch_crawl_items_recorded_total{kind="new",source="ok-news"} 2.0' in text
    assert 'laborwatch_crawl_runs_total{source="ok-news",status="finished"}' in text
    assert "laborwatch_pipeline_latency_seconds_count" in text
    assert "laborwatch_state_up 1.0" in text
    assert 'laborwatch_spool_backlog{stage="index"} 0.0' in text


def test_healthz_503_when_db_unreachable(svc_settings, tmp_path):
    class _NoDb:
        url = "postgresql://nowhere"

        @property
        def engine(self):
            raise ConnectionError("db down")

        def sessions(self):
            raise ConnectionError("db down")

    report = metrics.health_report(svc_settings, _NoDb(), es_client=_DeadEs())
    assert report["status"] == "fail" and report["checks"]["db"]["ok"] is False
    app = FastAPI()
    metrics.install(app, svc_settings, _NoDb(), es_client=_DeadEs())
    assert TestClient(app).get("/healthz").status_code == 503


def test_health_and_gauge_say_when_an_analyzer_member_is_missing(svc_settings, db):
    # a fresh state folder has no built base: the bundle's encoder, transformer and short-post encoder members
    # cannot run
    report = metrics.health_report(svc_settings, db, es_client=_DeadEs())
    nlp = report["checks"]["nlp"]
    assert nlp["ok"] is False and nlp["degraded"] is True
    assert set(nlp["missing"]) == {"encoder", "transformer", "short_encoder"} and "tfidf" in nlp["available"]
    assert "降级" in nlp["error"] and report["status"] == "degraded"
    text = metrics.generate_latest(metrics.REGISTRY).decode()
    assert 'laborwatch_nlp_member_up{member="encoder"} 0.0' in text
    assert 'laborwatch_nlp_member_up{member="short_encoder"} 0.0' in text
    assert 'laborwatch_nlp_member_up{member="tfidf"} 1.0' in text

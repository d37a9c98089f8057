"""The lag histograms (issue 21): crawl lags from a crawl's stats, e-mail lags from the outbox's accepted rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from laborwatch import metrics
from lwcore.db import utcnow


def _count(hist, kind: str) -> float:
    for metric in hist.collect():
        for sample in metric.samples:
            if sample.name.endswith("_count") and sample.labels.get("kind") == kind:
                return sample.value
    return 0.0


def _sum(hist, kind: str) -> float:
    for metric in hist.collect():
        for sample in metric.samples:
            if sample.name.endswith("_sum") and sample.labels.get("kind") == kind:
                return sample.value
    return 0.0


def test_crawl_lags_are_observed_per_source_kind():
    before, total = _count(metrics.CRAWL_LAG, "forum"), _sum(metrics.CRAWL_LAG, "forum")
    n = metrics.observe_crawl_lags({"lag_s": [999], "per_source": {"bbs": {"kind": "forum", "lag_s": [60, 600]}}})
    assert n == 2  # the per-source lags, not the run's total again
    assert _count(metrics.CRAWL_LAG, "forum") == before + 2 and _sum(metrics.CRAWL_LAG, "forum") == total + 660


def test_email_lag_observed_once_per_alert_when_first_accepted(svc_settings, db):
    from alerting.models import AlertPost, OutboxMessage
    from laborwatch.freshness import EmailLagObserver
    from tests.unit.web.webui_support import seed_alert

    start = utcnow() - timedelta(seconds=1)
    obs = EmailLagObserver(svc_settings, db, start=start)
    aid = seed_alert(db, level="II")
    now = utcnow()
    with db.session() as s:
        s.execute(update(AlertPost).where(AlertPost.alert_id == aid).values(published_at=now - timedelta(minutes=7)))
        s.add(OutboxMessage(dedup_key=f"a:{aid}", channel="email", recipient="d@example.cn", kind="alert",
                            alert_id=aid, subject="s", payload={}, message_id="<1@x>", status="sent", attempts=1,
                            next_attempt_at=now, created_at=now, sent_at=now))
    kind = "unknown"  # weibo-qingpu (the seeded posts' source) is not in this test's sources file
    before, total = _count(metrics.EMAIL_LAG, kind), _sum(metrics.EMAIL_LAG, kind)
    assert obs.observe() == 1
    assert _count(metrics.EMAIL_LAG, kind) == before + 1
    assert abs(_sum(metrics.EMAIL_LAG, kind) - total - 420) < 2
    assert obs.observe() == 0  # told once: not observed again

"""采集源异常 notice (issue 15): queued once per source, problem set and day, to the administrators."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crawlers.stats import CrawlStats
from laborwatch.source_alerts import notify_source_problems
from lwcore.db import Database
from lwcore.settings import load_settings


def test_source_problems_queue_one_admin_notice(tmp_path: Path) -> None:
    from alerting.models import OutboxMessage

    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state"),
                                                    "alerting": {"admin_emails": ["admin@example.gov.cn"]}})
    db = Database.from_settings(settings)
    db.upgrade()
    try:
        stats = CrawlStats()
        stats.add(CrawlStats(pages=6, items=6, new_items=6, problems={"field_missing:published_at": 5}), "a-news")
        stats.add(CrawlStats(pages=3, items=3, new_items=3), "b-news")
        stats.add(CrawlStats(pages=1, errors=1, problems={"api_error": 1}), "c-api")
        failures = stats.failures()
        ids = notify_source_problems(settings, db, stats, failures)
        assert len(ids) == 2
        assert notify_source_problems(settings, db, stats, failures) == []  # same problems, same day: once
        with db.sessions() as s:
            rows = {r.subject: r for r in s.scalars(select(OutboxMessage))}
        assert set(rows) == {"【系统通知】采集源异常：a-news", "【系统通知】采集源异常：c-api"}
        a = rows["【系统通知】采集源异常：a-news"]
        assert a.kind == "admin" and a.recipient == "admin@example.gov.cn" and a.status == "pending"
        body = str(a.payload)
        assert "字段大量缺失：published_at（5 次）" in body and "采到内容，但有问题" in body
        assert "失败（collected nothing: 1 api_error, 1 error(s)）" in str(rows["【系统通知】采集源异常：c-api"].payload)
    finally:
        db.dispose()

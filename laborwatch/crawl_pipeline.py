"""The pipeline behind ``laborwatch crawl`` (without ``--output``): the crawl's posts go through the app's wiring
(analysis, index, alerts), then the run is assessed against the source's history, recorded in ``crawl_runs`` and,
where a source shows problems, the 采集源异常 notice is queued.

Part of the shell: the crawlers room declares what it needs (:class:`crawlers.cli.CrawlPipeline`) and the shell
injects :func:`open_crawl_pipeline` through ``crawlers.cli.register`` (see :mod:`laborwatch.cli_hooks`).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from lwcore.settings import Settings

__all__ = ["AppCrawlPipeline", "open_crawl_pipeline"]

logger = logging.getLogger(__name__)


class AppCrawlPipeline:
    """One command-line crawl's pipeline over :func:`laborwatch.wiring.build_wiring`."""

    def __init__(self, settings: Settings) -> None:
        from laborwatch.wiring import build_wiring

        self.settings = settings
        self.wiring = build_wiring(settings)
        self.seen_ids = self.wiring.seen_ids
        self.spooled = 0
        self.alert_errors = 0
        self.relevant: dict[str, int] = {}  # per source: relevant posts (the freshness policy adapts to these)
        self.relevant_terms: dict[tuple[str, str], int] = {}  # per (source, search term)

    def sink(self, posts: list[Any]) -> None:
        report = self.wiring.pipeline.process(posts)
        by_id = {p.id: p for p in posts}
        for pid in getattr(report, "relevant_ids", None) or []:
            post = by_id.get(pid)
            if post is None:
                continue
            self.relevant[post.source_id] = self.relevant.get(post.source_id, 0) + 1
            query = (post.extra or {}).get("query")
            if query:
                key = (post.source_id, str(query))
                self.relevant_terms[key] = self.relevant_terms.get(key, 0) + 1
        self.spooled += int(getattr(report, "spooled", 0) or 0)
        self.alert_errors += int(getattr(report, "alert_errors", 0) or 0)

    def finish(self, stats: Any, started: datetime, *, record: bool) -> dict[str, str]:
        for sid, one in stats.per_source.items():
            one["relevant"] = self.relevant.get(sid, 0)
            for (term_sid, term), n in self.relevant_terms.items():
                if term_sid == sid and term in (one.get("queries") or {}):
                    one["queries"][term] = n
        stats.relevant = sum(self.relevant.values())
        db = self.wiring.db
        if db is None:
            return dict(stats.failures())
        _apply_health(stats, db)
        failures: dict[str, str] = stats.failures()
        if record:
            _record_runs(stats, db, started, failures)
        from laborwatch.source_alerts import notify_source_problems

        try:
            notify_source_problems(self.settings, db, stats, failures)
        except Exception:  # noqa: BLE001 - isolation: an alerting outage must not lose the crawl's result
            logger.exception("could not queue the 采集源异常 notice")
        return failures

    def warnings(self) -> list[str]:
        from nlp.members import member_status

        members = member_status(self.settings)
        if members.degraded:
            return [f"警告 WARNING {members.message_zh()} (missing: {', '.join(members.missing)})"]
        return []

    def close(self) -> None:
        self.wiring.close()


def open_crawl_pipeline(settings: Settings) -> AppCrawlPipeline:
    return AppCrawlPipeline(settings)


def _apply_health(stats: Any, db: Any) -> None:
    """Add the problems only history shows (quiet source, a field gone missing) to each source's stats."""
    from sqlalchemy import select

    from crawlers.health import HealthRules, assess, stats_of_run
    from crawlers.stats import CrawlStats
    from laborwatch.models import CrawlRun

    rules = HealthRules()
    for sid, d in stats.per_source.items():
        with db.sessions() as s:
            rows = s.scalars(
                select(CrawlRun.stats_json)
                .where(CrawlRun.source_id == sid, CrawlRun.stats_json.is_not(None))
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(rules.history_runs)
            ).all()
        history = [h for h in (stats_of_run(r, sid) for r in rows) if h is not None]
        found = assess(CrawlStats(**d), history, rules)
        for name, n in found.items():
            d.setdefault("problems", {})[name] = n
            stats.problems[name] = stats.problems.get(name, 0) + n


def _record_runs(stats: Any, db: Any, started: Any, failures: dict[str, str]) -> None:
    """One ``crawl_runs`` row per source for a command-line crawl (``laborwatch crawl-runs`` lists them)."""
    import os
    import socket

    from laborwatch.models import CrawlRun
    from lwcore.db import utcnow

    ended = utcnow()
    with db.session() as s:
        for sid, d in stats.per_source.items():
            reason = failures.get(sid)
            s.add(CrawlRun(
                source_id=sid, trigger="cli", status="failed" if reason else "finished", started_at=started,
                ended_at=ended, duration_s=(ended - started).total_seconds(), exit_code=3 if reason else 0,
                pages=int(d.get("pages", 0)), items=int(d.get("items", 0)), new_items=int(d.get("new_items", 0)),
                errors=int(d.get("errors", 0)), finish_reason=str(d.get("finish_reason", ""))[:128],
                message=reason, stats_json=json.dumps(d, ensure_ascii=False, default=str),
                holder=f"cli:{socket.gethostname()}:{os.getpid()}", pid=os.getpid(), alerted=False,
            ))

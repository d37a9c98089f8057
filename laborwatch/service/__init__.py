"""The scheduler service (``laborwatch run``): scheduled crawls in subprocesses, alert ticks, digests, the daily
briefing, index retention, the nightly config check; one scheduler per deployment; graceful stop.

Public surface::

    Service(settings, db, *, config_file=None, web=True)   .run_forever() / .start() / .stop()
    CrawlRunner(settings, db, holder=...)                   .run(source_id) -> CrawlResult  (recorded)
    SchedulerLock, lock_info(db), request_reload(db)
    desired_jobs(settings, sources), sync_jobs(scheduler, specs)
    ServiceError
"""

from __future__ import annotations

from laborwatch.service.core import Service, build_scheduler, build_web_app, load_source_configs
from laborwatch.service.crawl import CrawlResult, CrawlRunner, close_abandoned_runs, failure_streak, parse_stats
from laborwatch.service.errors import ServiceError
from laborwatch.service.lock import LockInfo, SchedulerLock, lock_info, request_reload
from laborwatch.service.schedule import JobSpec, SyncResult, desired_jobs, sync_jobs

__all__ = [
    "Service",
    "build_scheduler",
    "build_web_app",
    "load_source_configs",
    "CrawlResult",
    "CrawlRunner",
    "close_abandoned_runs",
    "failure_streak",
    "parse_stats",
    "ServiceError",
    "LockInfo",
    "SchedulerLock",
    "lock_info",
    "request_reload",
    "JobSpec",
    "SyncResult",
    "desired_jobs",
    "sync_jobs",
]

"""What the scheduler should run, built from config, and how the persistent job store is brought in line.

Each job is described by a :class:`JobSpec` (id, importable function reference, args, trigger, options). At start
and on every reload :func:`sync_jobs` compares the job store with the specs: identical jobs are left alone (so a
restart keeps each job's next run time), changed ones are replaced, jobs no longer wanted are removed.
Job ids: ``crawl:<source_id>`` for sources, ``system:<name>`` for the service's own jobs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from laborwatch.service.errors import ServiceError
from lwcore.settings import Settings

__all__ = [
    "JobSpec",
    "SyncResult",
    "CRAWL_PREFIX",
    "SYSTEM_PREFIX",
    "crontab_trigger",
    "crawl_job_specs",
    "system_job_specs",
    "desired_jobs",
    "sync_jobs",
    "trigger_key",
]

logger = logging.getLogger(__name__)

CRAWL_PREFIX = "crawl:"
SYSTEM_PREFIX = "system:"
JOBS_MODULE = "laborwatch.service.jobs"

_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str  # "module:function", importable (the job store pickles references, not code)
    trigger: BaseTrigger
    args: tuple[Any, ...] = ()
    name: str = ""
    executor: str = "default"
    coalesce: bool = True
    max_instances: int = 1
    misfire_grace_time: int = 600
    options: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple[Any, ...]:
        return (
            self.func,
            tuple(self.args),
            trigger_key(self.trigger),
            self.executor,
            self.coalesce,
            self.max_instances,
            self.misfire_grace_time,
            self.name or self.id,
        )


def trigger_key(trigger: BaseTrigger) -> tuple[Any, ...]:
    """A comparable description of a trigger's schedule (not of its position in time)."""
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval.total_seconds(), trigger.jitter, str(trigger.timezone))
    if isinstance(trigger, CronTrigger):
        return ("cron", str(trigger), trigger.jitter, str(trigger.timezone))
    return (type(trigger).__name__, str(trigger), getattr(trigger, "jitter", None))


def _job_key(job: Any) -> tuple[Any, ...]:
    return (
        job.func_ref,
        tuple(job.args),
        trigger_key(job.trigger),
        job.executor,
        job.coalesce,
        job.max_instances,
        job.misfire_grace_time,
        job.name,
    )


def _convert_dow(field_value: str) -> str:
    """Standard crontab weekdays (0 or 7 = Sunday) -> names, which APScheduler 3 reads unambiguously
    (its own numbers start at Monday)."""

    def name(m: re.Match[str]) -> str:
        n = int(m.group(0))
        if n > 7:
            raise ValueError(f"weekday {n} out of range 0-7")
        return _DOW_NAMES[n]

    if "/" in field_value and not field_value.startswith("*"):
        raise ValueError(f"weekday steps only as */N, got {field_value!r}")
    if field_value.startswith("*"):
        return field_value
    return re.sub(r"\d+", name, field_value)


def crontab_trigger(expr: str, *, timezone: tzinfo, jitter: float | None = None) -> CronTrigger:
    """A CronTrigger from a standard 5-field crontab line (minute hour day month weekday)."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs 5 fields (minute hour day month weekday), got {expr!r}")
    minute, hour, day, month, dow = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_convert_dow(dow),
        timezone=timezone,
        jitter=int(jitter) if jitter else None,
    )


def _daily(hhmm: str, tz: tzinfo) -> CronTrigger:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=tz)


def crawl_job_specs(settings: Settings, sources: Sequence[Any]) -> list[JobSpec]:
    """One job per enabled source (``crawlers.sources.SourceConfig``: ``.id``, ``.enabled``, ``.schedule``).

    With ``crawl.freshness.enabled`` an interval source's job ticks every ``crawl.freshness.tick_s`` and the
    freshness gate decides whether the source is due (adaptive interval, follow the story, politeness)."""
    tz = ZoneInfo(settings.service.timezone)
    grace = settings.service.misfire_grace_time_s
    freshness = settings.crawl.freshness
    specs: list[JobSpec] = []
    for i, src in enumerate(sources):
        if not getattr(src, "enabled", True):
            continue
        sched = src.schedule
        jitter = float(getattr(sched, "jitter_s", 0) or 0)
        try:
            if getattr(sched, "cron", None):
                trigger: BaseTrigger = crontab_trigger(sched.cron, timezone=tz, jitter=jitter)
            elif getattr(sched, "interval_s", None) and freshness.enabled:
                # the freshness gate (laborwatch.service.freshness) decides at each tick whether it is due
                trigger = IntervalTrigger(seconds=float(freshness.tick_s), timezone=tz)
            elif getattr(sched, "interval_s", None):
                trigger = IntervalTrigger(seconds=float(sched.interval_s), timezone=tz, jitter=int(jitter) or None)
            else:
                raise ValueError("neither interval nor cron given")
        except ValueError as exc:
            raise ServiceError(f"sources[{i}] ({src.id}).schedule: {exc}") from None
        specs.append(
            JobSpec(
                id=f"{CRAWL_PREFIX}{src.id}",
                func=f"{JOBS_MODULE}:crawl_source",
                args=(src.id,),
                trigger=trigger,
                name=f"crawl {src.id}",
                executor="crawls",
                misfire_grace_time=grace,
            )
        )
    return specs


def system_job_specs(settings: Settings) -> list[JobSpec]:
    """The service's own jobs: alert ticks, digests, briefing, retention, nightly config check."""
    tz = ZoneInfo(settings.service.timezone)
    svc = settings.service
    grace = svc.misfire_grace_time_s

    def spec(name: str, func: str, trigger: BaseTrigger, *args: Any, grace_s: int = grace) -> JobSpec:
        return JobSpec(
            id=f"{SYSTEM_PREFIX}{name}",
            func=f"{JOBS_MODULE}:{func}",
            args=args,
            trigger=trigger,
            name=name,
            misfire_grace_time=grace_s,
        )

    return [
        # every minute: escalation of unacknowledged alerts, outbox dispatch; a missed minute is not replayed
        spec("alert_tick", "alert_tick", IntervalTrigger(minutes=1, timezone=tz), grace_s=50),
        # the sender: crawls only enqueue e-mail; this delivers it (a hung SMTP server never slows a crawl)
        spec("send_outbox", "send_outbox", IntervalTrigger(seconds=svc.send_interval_s, timezone=tz),
             grace_s=max(1, int(svc.send_interval_s))),
        # reconcile the hand-off: spooled posts and journals a killed crawl left are indexed/evaluated
        spec("drain_spools", "drain_spools", IntervalTrigger(seconds=svc.spool_drain_s, timezone=tz),
             grace_s=max(1, int(svc.spool_drain_s))),
        # saved searches subscribed to: an e-mail to their owner when new posts match
        spec("notify_subscriptions", "notify_subscriptions",
             IntervalTrigger(seconds=svc.subscriptions_interval_s, timezone=tz),
             grace_s=max(1, int(svc.subscriptions_interval_s))),
        # field reports (网格上报, 12345 tickets) entered on the web: analysed, indexed and alerted like posts
        spec("field_reports", "field_reports", IntervalTrigger(seconds=svc.field_reports_interval_s, timezone=tz),
             grace_s=max(1, int(svc.field_reports_interval_s))),
        spec("digest_hourly", "send_digest", CronTrigger(minute=0, timezone=tz), "hourly"),
        spec("digest_daily", "send_digest", _daily(svc.daily_digest_time, tz), "daily"),
        spec("daily_briefing", "daily_briefing", _daily(svc.daily_briefing_time, tz)),
        spec("index_retention", "index_retention", _daily(svc.retention_time, tz)),
        spec("config_check", "config_check", _daily(svc.nightly_check_time, tz)),
    ] + learning_job_specs(settings)


def learning_job_specs(settings: Settings) -> list[JobSpec]:
    """The learning loop (laborwatch/service/learning_jobs.py): retraining on ``nlp.learning.retrain_cron`` (off
    when empty) and the daily drift check."""
    tz = ZoneInfo(settings.service.timezone)
    learn = settings.nlp.learning
    module = "laborwatch.service.learning_jobs"
    out = [JobSpec(id=f"{SYSTEM_PREFIX}nlp_drift", func=f"{module}:drift_job", trigger=_daily(learn.drift_time, tz),
                   name="nlp_drift", misfire_grace_time=settings.service.misfire_grace_time_s)]
    if learn.retrain_cron:
        out.append(JobSpec(id=f"{SYSTEM_PREFIX}nlp_retrain", func=f"{module}:retrain_job",
                           trigger=crontab_trigger(learn.retrain_cron, timezone=tz), name="nlp_retrain",
                           misfire_grace_time=max(settings.service.misfire_grace_time_s, 3600)))
    return out


def desired_jobs(settings: Settings, sources: Sequence[Any]) -> list[JobSpec]:
    return system_job_specs(settings) + crawl_job_specs(settings, sources)


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    error: str | None = None  # the sources file could not be applied (crawl jobs left as they were)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, replaced {len(self.replaced)}, removed {len(self.removed)}, "
            f"kept {len(self.kept)}"
        )

    def describe(self) -> str:
        text = self.summary()
        if self.error:
            text += f"; sources file NOT applied: {self.error}"
        return text


def sync_jobs(
    scheduler: Any,
    specs: Sequence[JobSpec],
    *,
    jobstore: str = "default",
    managed_prefixes: tuple[str, ...] = (CRAWL_PREFIX, SYSTEM_PREFIX),
) -> SyncResult:
    """Bring the scheduler's persistent job store in line with ``specs``; unchanged jobs keep their next run.

    Jobs whose id starts with one of ``managed_prefixes`` and that are not in ``specs`` are removed."""
    result = SyncResult()
    wanted = {s.id: s for s in specs}
    if len(wanted) != len(specs):
        dup = sorted({s.id for s in specs if sum(1 for t in specs if t.id == s.id) > 1})
        raise ServiceError(f"duplicate job ids: {', '.join(dup)}")
    existing = {job.id: job for job in scheduler.get_jobs(jobstore=jobstore)}
    for job_id in list(existing):
        if job_id not in wanted and job_id.startswith(managed_prefixes):
            scheduler.remove_job(job_id, jobstore=jobstore)
            result.removed.append(job_id)
    for spec in specs:
        old = existing.get(spec.id)
        if old is not None and _job_key(old) == spec.key():
            result.kept.append(spec.id)
            continue
        scheduler.add_job(
            spec.func,
            trigger=spec.trigger,
            args=list(spec.args),
            id=spec.id,
            name=spec.name or spec.id,
            executor=spec.executor,
            coalesce=spec.coalesce,
            max_instances=spec.max_instances,
            misfire_grace_time=spec.misfire_grace_time,
            replace_existing=True,
            jobstore=jobstore,
            **spec.options,
        )
        (result.replaced if old is not None else result.added).append(spec.id)
    logger.info("schedule synced: %s", result.summary())
    return result

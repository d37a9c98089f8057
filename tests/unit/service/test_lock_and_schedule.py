"""Scheduler lock (lease) semantics and building/syncing the persistent schedule from config."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from laborwatch.service.errors import ServiceError
from laborwatch.service.lock import SchedulerLock, lock_info, request_reload
from laborwatch.service.schedule import crawl_job_specs, crontab_trigger, desired_jobs, sync_jobs


def test_one_holder_at_a_time_and_takeover_after_expiry(db):
    a = SchedulerLock(db, holder="a", lease_s=0.6)
    b = SchedulerLock(db, holder="b", lease_s=0.6)
    assert a.try_acquire()
    assert not b.try_acquire()
    assert a.try_acquire()  # re-entrant for its holder
    assert a.renew()
    assert lock_info(db).holder == "a"
    time.sleep(0.8)  # a stalls past its lease
    assert b.try_acquire()
    assert not a.renew(), "a stale holder must learn it lost the lock"
    assert not a.held and b.held
    b.release()
    assert lock_info(db) is None
    assert a.try_acquire()


def test_holder_killed_on_this_host_is_replaced_at_once_not_after_the_lease(db):
    """Issue 16: after `kill -9` of the scheduler, a restarted service on the same host takes over at once."""
    import subprocess
    import sys

    from sqlalchemy import update

    from laborwatch.models import ServiceLock

    old = SchedulerLock(db, holder="old", lease_s=3600)
    assert old.try_acquire()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with db.engine.begin() as conn:  # the row as the killed process left it: this host, a pid now gone
        conn.execute(update(ServiceLock.__table__).where(ServiceLock.__table__.c.name == "scheduler")
                     .values(pid=gone.pid))
    new = SchedulerLock(db, holder="new", lease_s=3600)
    t0 = time.monotonic()
    assert new.try_acquire()
    assert time.monotonic() - t0 < 1.0 and lock_info(db).holder == "new"
    assert not old.renew()


def test_live_holder_on_this_host_or_another_host_keeps_the_lock(db):
    from sqlalchemy import update

    from laborwatch.models import ServiceLock

    a = SchedulerLock(db, holder="a", lease_s=3600)
    assert a.try_acquire()  # this process: alive
    assert not SchedulerLock(db, holder="b", lease_s=3600).try_acquire()
    with db.engine.begin() as conn:  # another machine's process: only the lease decides
        conn.execute(update(ServiceLock.__table__).values(host="other-host", pid=999_999_999))
    assert not SchedulerLock(db, holder="c", lease_s=3600).try_acquire()


def test_reload_flag_round_trip(db):
    assert request_reload(db) is None  # nobody to ask
    a = SchedulerLock(db, holder="a", lease_s=30)
    assert a.try_acquire()
    assert a.pending_reload() is None
    when = request_reload(db)
    assert when is not None and a.pending_reload() == when
    a.mark_reloaded(when, "added 1")
    assert a.pending_reload() is None
    assert lock_info(db).reload_result == "added 1"


def _src(id_: str, *, interval=None, cron=None, jitter=0.0, enabled=True):
    return SimpleNamespace(id=id_, enabled=enabled,
                           schedule=SimpleNamespace(interval_s=interval, cron=cron, jitter_s=jitter))


def _fixed(settings):
    """The settings with the freshness gate off: interval sources on their own fixed interval."""
    return settings.model_copy(update={"crawl": settings.crawl.model_copy(
        update={"freshness": settings.crawl.freshness.model_copy(update={"enabled": False})})})


def test_crawl_specs_from_sources(svc_settings):
    fixed = _fixed(svc_settings)
    specs = crawl_job_specs(fixed, [
        _src("gov", interval=1800, jitter=120),
        _src("weibo", cron="*/15 8-20 * * 1-5", jitter=30),
        _src("off", interval=600, enabled=False),
    ])
    assert [s.id for s in specs] == ["crawl:gov", "crawl:weibo"]
    gov, weibo = specs
    assert gov.trigger.interval.total_seconds() == 1800 and gov.trigger.jitter == 120
    assert gov.func == "laborwatch.service.jobs:crawl_source" and gov.args == ("gov",)
    assert gov.executor == "crawls" and gov.coalesce and gov.max_instances == 1
    assert gov.misfire_grace_time == svc_settings.service.misfire_grace_time_s
    assert weibo.trigger.jitter == 30
    assert "day_of_week='mon-fri'" in str(weibo.trigger)


def test_interval_sources_tick_for_the_freshness_gate(svc_settings):
    """With crawl.freshness enabled (the default) interval sources are asked every tick; cron ones keep cron."""
    specs = crawl_job_specs(svc_settings, [_src("gov", interval=1800, jitter=120),
                                           _src("weibo", cron="*/15 8-20 * * 1-5")])
    gov, weibo = specs
    assert gov.trigger.interval.total_seconds() == svc_settings.crawl.freshness.tick_s == 60
    assert gov.trigger.jitter is None
    assert "day_of_week='mon-fri'" in str(weibo.trigger)


def test_crontab_weekdays_follow_standard_cron():
    tz = ZoneInfo("Asia/Shanghai")
    assert "day_of_week='sun'" in str(crontab_trigger("0 9 * * 0", timezone=tz))
    assert "day_of_week='sun'" in str(crontab_trigger("0 9 * * 7", timezone=tz))
    assert "day_of_week='mon,wed'" in str(crontab_trigger("0 9 * * 1,3", timezone=tz))
    with pytest.raises(ValueError):
        crontab_trigger("0 9 * *", timezone=tz)


def test_bad_schedule_names_the_source(svc_settings):
    with pytest.raises(ServiceError, match=r"sources\[0\] \(x\)"):
        crawl_job_specs(svc_settings, [_src("x")])


def test_system_jobs_present(svc_settings):
    ids = {s.id for s in desired_jobs(svc_settings, [])}
    assert ids == {"system:alert_tick", "system:send_outbox", "system:drain_spools", "system:digest_hourly", "system:digest_daily", "system:daily_briefing",
                   "system:index_retention", "system:config_check", "system:notify_subscriptions",
                   "system:field_reports", "system:nlp_drift", "system:nlp_retrain"}


def _scheduler(db, settings):
    from laborwatch.service.core import build_scheduler

    sched = build_scheduler(settings, db)
    sched.start(paused=True)
    return sched


def test_sync_keeps_unchanged_jobs_and_their_next_run(db, svc_settings):
    svc_settings = _fixed(svc_settings)
    sched = _scheduler(db, svc_settings)
    try:
        specs = desired_jobs(svc_settings, [_src("gov", interval=3600), _src("bbs", interval=600)])
        first = sync_jobs(sched, specs)
        assert sorted(first.added) == sorted(s.id for s in specs)
        before = {j.id: j.next_run_time for j in sched.get_jobs()}
        again = sync_jobs(sched, desired_jobs(svc_settings, [_src("gov", interval=3600), _src("bbs", interval=600)]))
        assert again.added == [] and again.replaced == [] and again.removed == []
        assert {j.id: j.next_run_time for j in sched.get_jobs()} == before
        changed = sync_jobs(sched, desired_jobs(svc_settings, [_src("gov", interval=7200)]))
        assert changed.replaced == ["crawl:gov"] and changed.removed == ["crawl:bbs"]
        job = sched.get_job("crawl:gov")
        assert job.trigger.interval.total_seconds() == 7200
        assert (job.coalesce, job.max_instances) == (True, 1)
    finally:
        sched.shutdown(wait=False)


def test_job_store_persists_across_scheduler_instances(db, svc_settings):
    sched = _scheduler(db, svc_settings)
    sync_jobs(sched, desired_jobs(svc_settings, [_src("gov", interval=3600)]))
    before = {j.id: j.next_run_time for j in sched.get_jobs()}
    sched.shutdown(wait=False)
    sched2 = _scheduler(db, svc_settings)
    try:
        assert {j.id: j.next_run_time for j in sched2.get_jobs()} == before
        res = sync_jobs(sched2, desired_jobs(svc_settings, [_src("gov", interval=3600)]))
        assert res.added == [] and len(res.kept) == len(before)
    finally:
        sched2.shutdown(wait=False)


def test_config_dir_is_tmp(svc_settings, tmp_path: Path):
    assert svc_settings.config_file("sources.yaml") == tmp_path / "configs" / "sources.yaml"

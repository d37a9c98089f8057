"""The scheduler's job functions with a real runtime (SQLite) and stand-ins only for other rooms' engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from laborwatch.service import jobs
from laborwatch.service.crawl import CrawlRunner
from laborwatch.service.errors import ServiceError


@pytest.fixture
def runtime(svc_settings, db):
    rt = jobs.Runtime(svc_settings, db, CrawlRunner(svc_settings, db, holder="t", notify=lambda *a: None))
    jobs.set_runtime(rt)
    yield rt
    jobs.set_runtime(None)


def test_jobs_need_a_runtime():
    jobs.set_runtime(None)
    with pytest.raises(ServiceError, match="laborwatch run"):
        jobs.crawl_source("x")


def test_crawl_job_runs_and_records(runtime):
    result = jobs.crawl_source("ok-1")
    assert result is not None and result.status == "finished" and result.items == 5
    runtime.crawler.begin_shutdown()
    assert jobs.crawl_source("ok-1") is None  # no new crawl once the service stops


class _Engine:
    def __init__(self):
        self.calls: list[str] = []

    def tick(self):
        self.calls.append("tick")
        return "report"

    def queue_digests(self):
        self.calls.append("queue")
        return ["daily:2025-01-01"]

    def dispatch_outbox(self):
        self.calls.append("dispatch")


def test_alert_tick_and_digest_use_the_engine(runtime):
    eng = _Engine()
    runtime._engine = eng
    assert jobs.alert_tick() == "report"
    assert jobs.send_digest("daily") == ["daily:2025-01-01"]
    assert eng.calls == ["tick", "queue", "dispatch"]


def test_sender_job_dispatches_the_outbox(runtime):
    eng = _Engine()
    runtime._engine = eng
    jobs.send_outbox()
    assert eng.calls == ["dispatch"]


def test_drain_job_replays_the_alert_spool_without_new_posts(runtime):
    """A quiet source: nothing new arrives, the timer still evaluates what a failed commit left spooled."""
    from laborwatch.pipeline import Spool
    from lwcore.domain import Analysis, AnalyzedPost
    from tests.index_support import _make

    class Alerts:
        def __init__(self):
            self.seen: list[str] = []

        def process(self, items):
            self.seen += [it.post.id for it in items]
            return items

    item = _make("spooled-1")
    Spool(runtime.settings.state_path / "spool").put(
        "alert", [AnalyzedPost(item.post, Analysis.from_dict(item.analysis.to_dict()))], "db locked")
    runtime._engine = Alerts()
    report = jobs.drain_spools()
    assert runtime._engine.seen == ["spooled-1"] and report.replayed == 1
    assert Spool(runtime.settings.state_path / "spool").count("alert") == 0


def test_alert_tick_failure_resets_engine(runtime):
    class Broken:
        def tick(self):
            raise RuntimeError("rules broken")

    runtime._engine = Broken()
    with pytest.raises(RuntimeError):
        jobs.alert_tick()
    assert runtime._engine is None


def test_config_check_mails_admins_on_errors(runtime, monkeypatch):
    import alerting
    import laborwatch.config_cli as cc

    sent = []
    monkeypatch.setattr(cc, "CONFIG_CHECKS", (("broken.yaml", "no_such_module_lw:check"),))
    monkeypatch.setattr(alerting, "notify_admins", lambda s, d, subj, body: sent.append((subj, body)))
    errors, warnings = jobs.config_check()
    assert len(errors) == 1 and warnings == []
    assert len(sent) == 1 and "1 个错误" in sent[0][0] and "broken.yaml" in sent[0][1]


def test_expired_indices_whole_months_only():
    names = ["lw-posts-2023.01", "lw-posts-2023.12", "lw-posts-2024.01", "lw-posts-2024.02", "lw-posts",
             "other-2020.01", "lw-posts-2020.13", "lw-posts-extra-2020.01"]
    cutoff = datetime(2024, 2, 10, tzinfo=UTC)
    assert jobs.expired_indices(names, "lw-posts", cutoff) == ["lw-posts-2023.01", "lw-posts-2023.12",
                                                               "lw-posts-2024.01"]
    assert jobs.retention_cutoff(datetime(2024, 3, 1, tzinfo=UTC), 30) == datetime(2024, 1, 31, tzinfo=UTC)


def test_engine_rebuilt_from_broken_files_keeps_the_last_good_one(runtime, monkeypatch, caplog):
    import alerting
    from lwcore.errors import ConfigError

    good = _Engine()
    monkeypatch.setattr(alerting.AlertEngine, "from_settings", classmethod(lambda cls, s, db: good))
    assert runtime.alert_engine() is good
    runtime.reset()  # e.g. a tick failed on the database; the next use rebuilds from the files

    def broken(cls, s, db):
        raise ConfigError("alert_rules.yaml", "rules[2].type", "unknown rule type 'spkie'")

    monkeypatch.setattr(alerting.AlertEngine, "from_settings", classmethod(broken))
    with caplog.at_level("ERROR"):
        assert runtime.alert_engine() is good
        assert runtime.alert_engine() is good
        jobs.send_outbox()
    assert good.calls == ["dispatch"]
    assert caplog.text.count("keeping the last good") == 1 and "Traceback" not in caplog.text

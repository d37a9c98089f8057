"""CrawlRunner: real subprocesses (the fake crawl), recorded runs, time limit, failure alerts."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import select

from laborwatch.models import CrawlRun
from laborwatch.service.crawl import CrawlRunner, crawl_argv, failure_streak, parse_stats


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_successful_run_is_recorded_with_stats(svc_settings, db):
    runner = CrawlRunner(svc_settings, db, holder="test", notify=lambda *a: None)
    result = runner.run("ok-news")
    assert result.status == "finished"
    assert (result.pages, result.items, result.new_items, result.errors) == (3, 5, 2, 0)
    with db.sessions() as s:
        row = s.scalars(select(CrawlRun)).one()
    assert row.source_id == "ok-news" and row.status == "finished" and row.exit_code == 0
    assert row.ended_at is not None and row.ended_at >= row.started_at
    assert row.finish_reason == "finished" and '"dropped"' in (row.stats_json or "")
    assert row.holder == "test" and row.pid and row.duration_s is not None


def test_failed_run_keeps_exit_code_and_log_tail(svc_settings, db):
    runner = CrawlRunner(svc_settings, db, holder="test", notify=lambda *a: None)
    result = runner.run("fail-board")
    assert result.status == "failed" and result.exit_code == 2
    assert "site layout changed" in (result.message or "")
    with db.sessions() as s:
        row = s.scalars(select(CrawlRun)).one()
    assert row.status == "failed" and "site layout changed" in (row.message or "")


def test_hanging_crawl_is_killed_with_its_children_and_recorded(tmp_path: Path, make_settings):
    (tmp_path / "configs").mkdir()
    settings = make_settings(tmp_path)
    settings.state_path.mkdir(parents=True)
    from lwcore.db import Database

    db = Database.from_settings(settings)
    db.upgrade()
    runner = CrawlRunner(settings, db, holder="test", notify=lambda *a: None, time_limit_s=2.0)
    t0 = time.monotonic()
    result = runner.run("hang-forum")
    elapsed = time.monotonic() - t0
    # 2 s limit, SIGTERM ignored, SIGKILL after crawl_stop_timeout_s (1 s)
    assert result.status == "timeout"
    assert 2.0 <= elapsed < 8.0
    parent, grandchild = (int(x) for x in (settings.state_path / "hang-hang-forum.pids").read_text().split())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(parent)
    assert not _alive(grandchild), "the crawl's child survived: process group not killed"
    with db.sessions() as s:
        row = s.scalars(select(CrawlRun)).one()
    assert row.status == "timeout" and "time limit" in (row.message or "")
    assert row.ended_at is not None
    db.dispose()


def test_failure_alert_after_n_consecutive_failures_and_recovery_notice(svc_settings, db):
    sent: list[tuple[str, str]] = []
    runner = CrawlRunner(svc_settings, db, holder="test", notify=lambda s, d, subj, body: sent.append((subj, body)))
    assert svc_settings.service.source_failure_alert_after == 2
    runner.run("fail-x")
    assert sent == []
    runner.run("fail-x")
    assert len(sent) == 1
    subject, body = sent[0]
    assert "fail-x" in subject and "连续 2 次" in subject
    assert "site layout changed" in body
    runner.run("fail-x")  # the third failure does not repeat the alert
    assert len(sent) == 1
    assert failure_streak(db, "fail-x") == 3
    with db.sessions() as s:
        alerted = s.scalars(select(CrawlRun.alerted).order_by(CrawlRun.id)).all()
    assert alerted == [False, True, False]


def test_recovery_notice(svc_settings, db):
    sent: list[str] = []
    runner = CrawlRunner(svc_settings, db, holder="t", notify=lambda s, d, subj, body: sent.append(subj))
    # the same source id must fail then succeed: insert the failures as records
    from lwcore.db import utcnow

    with db.session() as s:
        for _ in range(2):
            s.add(CrawlRun(source_id="ok-a", trigger="schedule", status="failed", started_at=utcnow(),
                           pages=0, items=0, new_items=0, errors=0, alerted=False))
    runner.run("ok-a")
    assert len(sent) == 1 and "已恢复正常" in sent[0]
    assert failure_streak(db, "ok-a") == 0


def test_alerting_outage_does_not_lose_the_run(svc_settings, db):
    def broken(*_a):
        raise ConnectionError("smtp down")

    runner = CrawlRunner(svc_settings, db, holder="t", notify=broken)
    runner.run("fail-y")
    result = runner.run("fail-y")
    assert result.status == "failed"
    with db.sessions() as s:
        assert len(s.scalars(select(CrawlRun)).all()) == 2


def test_launch_error_is_recorded(tmp_path: Path, make_settings):
    (tmp_path / "configs").mkdir()
    settings = make_settings(tmp_path, crawl_command=["/nonexistent/crawler", "{source}"])
    settings.state_path.mkdir(parents=True)
    from lwcore.db import Database

    db = Database.from_settings(settings)
    db.upgrade()
    result = CrawlRunner(settings, db, holder="t", notify=lambda *a: None).run("ok-z")
    assert result.status == "launch_error" and "cannot start" in (result.message or "")
    db.dispose()


def test_default_command_is_laborwatch_crawl(tmp_path: Path):
    from lwcore.settings import load_settings

    s = load_settings(environ={}, overrides={"state_dir": str(tmp_path)})
    argv = crawl_argv(s, "qingpu-gov", tmp_path / "1.json", config_file="/etc/lw/settings.yaml")
    assert argv[1:] == ["-m", "laborwatch", "--config", "/etc/lw/settings.yaml", "crawl", "qingpu-gov",
                        "--stats-json", str(tmp_path / "1.json"), "--no-record"]
    assert "--config" not in crawl_argv(s, "x", tmp_path / "1.json", config_file=None)


def test_parse_stats_accepts_scrapy_names():
    assert parse_stats({"response_received_count": 4, "item_scraped_count": 9, "log_count/ERROR": 1}) == {
        "pages": 4, "items": 9, "new_items": 0, "errors": 1, "finish_reason": None}
    assert parse_stats({"errors": ["a", "b"], "items": 1})["errors"] == 2
    assert parse_stats(None)["items"] == 0

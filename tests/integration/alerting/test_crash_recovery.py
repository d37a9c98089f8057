"""A process killed between writing the outbox and sending (or mid-send) -> sent exactly once after restart."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alerting_it_support import settings_for  # type: ignore[import-not-found]
from sqlalchemy import select

from alerting import AlertEngine
from alerting.models import OutboxMessage
from lwcore.db import Database

pytestmark = pytest.mark.integration
WORKER = Path(__file__).with_name("crash_worker.py")


def _run_worker(tmp_path: Path, port: int, mode: str) -> None:
    settings_for(tmp_path, port)  # writes the config copy
    proc = subprocess.run(
        [
            sys.executable,
            str(WORKER),
            str(tmp_path / "configs" / "settings.yaml"),
            str(tmp_path / "state"),
            str(port),
            mode,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},  # this tree's packages
    )
    assert proc.returncode == -9, proc.stderr  # killed by SIGKILL, as planned


def _rows(db: Database) -> list[OutboxMessage]:
    with db.session() as s:
        return list(s.scalars(select(OutboxMessage)))


def test_killed_after_commit_before_send(tmp_path, smtp, sqlite_db):
    _run_worker(tmp_path, smtp.port, "after_commit")
    rows = _rows(sqlite_db)
    assert len(rows) == 1 and rows[0].status == "pending" and smtp.messages == []
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db)  # the restarted process
    eng.tick()
    eng.tick()
    msgs = smtp.wait_for(1)
    assert len(msgs) == 1 and msgs[0]["Message-ID"] == rows[0].message_id
    assert _rows(sqlite_db)[0].status == "sent"
    assert len(smtp.messages) == 1


def test_killed_mid_send_is_resent_once_at_the_next_dispatch(tmp_path, smtp, sqlite_db):
    """Issue 16: the claimer's process is gone from this host, so its claim is retried at once (the service's
    sender runs every few seconds), not after the 120 s lease; still exactly once."""
    _run_worker(tmp_path, smtp.port, "in_send")
    [row] = _rows(sqlite_db)
    assert row.status == "sending" and row.attempts == 1
    settings = settings_for(tmp_path, smtp.port)
    now = datetime.now(UTC)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=lambda: now)  # no time has passed
    eng.tick()
    eng.tick()
    assert len(smtp.wait_for(1)) == 1
    [row] = _rows(sqlite_db)
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp.messages) == 1


def test_fresh_claim_of_another_host_waits_for_the_lease(tmp_path, smtp, sqlite_db):
    """A claim made on another machine cannot be checked from here: only the lease decides."""
    from sqlalchemy import update

    _run_worker(tmp_path, smtp.port, "in_send")
    with sqlite_db.session() as s:
        s.execute(update(OutboxMessage).values(claim_token="4242@0badc0de.0123456789abcdef"))
    settings = settings_for(tmp_path, smtp.port)
    now = datetime.now(UTC)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=lambda: now)
    eng.tick()  # the claim is fresh: the other machine could still be sending it
    assert smtp.messages == []
    later = now + timedelta(minutes=5)
    eng2 = AlertEngine.from_settings(settings, sqlite_db, clock=lambda: later)
    eng2.tick()
    eng2.tick()
    assert len(smtp.wait_for(1)) == 1
    [row] = _rows(sqlite_db)
    assert row.status == "sent" and row.attempts == 2


def test_killed_after_the_server_accepted_is_not_sent_again(tmp_path, smtp, sqlite_db):
    """Issue 16: the acceptance log closes the window between the server's 250 and the 'sent' commit (the
    worker dies right after noting the acceptance, before its group of 'sent' marks is committed)."""
    _run_worker(tmp_path, smtp.port, "after_accept")
    assert len(smtp.wait_for(1)) == 1  # accepted once
    rows = _rows(sqlite_db)
    assert [r.status for r in rows] == ["sending"]  # the mark never happened
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db)  # the restarted sender
    eng.tick()
    eng.tick()
    [row] = _rows(sqlite_db)
    assert row.status == "sent" and row.sent_at is not None
    assert len(smtp.messages) == 1  # not sent a second time
    assert not list((tmp_path / "state" / "outbox").glob("accepted-*.log"))  # the dead sender's log is gone


def test_a_sender_process_delivers_mail_stuck_by_a_killed_sender_within_30_s(tmp_path, smtp, sqlite_db):
    """Issue 16 target: mail stuck in 'sending' (its sender killed with -9 mid-send) is retried within 30 s by
    the sender process (`laborwatch alerts send --loop`, default period), exactly once."""
    import time

    import yaml

    _run_worker(tmp_path, smtp.port, "in_send")
    t_killed = time.monotonic()
    [row] = _rows(sqlite_db)
    assert row.status == "sending"
    config = tmp_path / "configs" / "settings.yaml"
    config.write_text(yaml.safe_dump({
        "state_dir": str(tmp_path / "state"),
        "alerting": {"admin_emails": ["admin@example.org"], "outbox_backoff_s": 5.0},
        "smtp": {"host": "127.0.0.1", "port": smtp.port, "sender": "yuqing@example.org", "timeout_s": 5},
    }), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    env.update(LW_SECRET_KEY="integration-secret", PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    sender = subprocess.Popen([sys.executable, "-m", "laborwatch", "--config", str(config), "alerts", "send", "--loop"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert len(smtp.wait_for(1, timeout=30)) == 1
        elapsed = time.monotonic() - t_killed
        print(f"stuck mail delivered {elapsed:.1f} s after the kill")
        assert elapsed < 30.0, elapsed
        time.sleep(6)  # one more period of the loop: nothing goes out twice
        [row] = _rows(sqlite_db)
        assert row.status == "sent" and row.attempts == 2
        assert len(smtp.messages) == 1
    finally:
        sender.terminate()
        sender.wait(timeout=30)

"""A process killed between writing the outbox and sending (or mid-send) -> sent exactly once after restart."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alerting_it_support import settings_for  # type: ignore[import-not-found]
from sqlalchemy import select

from alerting import AlertEngine
from alerting.models import OutboxMessage
from laborwatch.db import Database

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


def test_killed_mid_send_is_resent_once_after_the_lease(tmp_path, smtp, sqlite_db):
    _run_worker(tmp_path, smtp.port, "in_send")
    [row] = _rows(sqlite_db)
    assert row.status == "sending" and row.attempts == 1
    settings = settings_for(tmp_path, smtp.port)
    now = datetime.now(UTC)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=lambda: now)
    eng.tick()  # the claim is fresh: another process could still be sending it
    assert smtp.messages == []
    later = now + timedelta(minutes=5)
    eng2 = AlertEngine.from_settings(settings, sqlite_db, clock=lambda: later)
    eng2.tick()
    eng2.tick()
    assert len(smtp.wait_for(1)) == 1
    [row] = _rows(sqlite_db)
    assert row.status == "sent" and row.attempts == 2

"""Issue 16: a crawl orphaned by a killed service is recorded with its real outcome, not 'abandoned' with 0 items."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import timedelta

from laborwatch.models import CrawlRun
from laborwatch.service.crawl import close_abandoned_runs
from lwcore.db import utcnow


def _row(db, *, pid: int, holder: str) -> int:
    with db.session() as s:
        row = CrawlRun(source_id="src", trigger="schedule", status="running", started_at=utcnow() - timedelta(
            seconds=30), holder=holder, pid=pid, pages=0, items=0, new_items=0, errors=0, alerted=False)
        s.add(row)
        s.flush()
        return int(row.id)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_orphaned_crawl_is_left_running_then_recorded_from_its_stats(db, tmp_path):
    here = f"{socket.gethostname()}:1:dead"
    run_dir = tmp_path / "crawl-runs"
    run_dir.mkdir()
    still_running = _row(db, pid=os.getpid(), holder=here)  # a live process of this host
    ended = _row(db, pid=_dead_pid(), holder=here)
    (run_dir / f"{ended}.stats.json").write_text(json.dumps(
        {"pages": 7, "items": 12, "new_items": 12, "errors": 0, "finish_reason": "finished"}))
    vanished = _row(db, pid=_dead_pid(), holder=here)
    other_host = _row(db, pid=os.getpid(), holder="some-other-host:1:x")  # cannot be checked: closed

    assert close_abandoned_runs(db, except_holder="me", run_dir=run_dir) == 3
    with db.session() as s:
        rows = {r.id: r for r in s.query(CrawlRun)}
    assert rows[still_running].status == "running"
    assert (rows[ended].status, rows[ended].items, rows[ended].new_items, rows[ended].pages) == ("finished", 12, 12, 7)
    assert rows[vanished].status == "abandoned" and rows[other_host].status == "abandoned"
    assert not (run_dir / f"{ended}.stats.json").exists()

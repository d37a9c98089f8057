"""Issue 16: a crawl only enqueues e-mail; the sender delivers it. A hung SMTP server never slows a crawl.

Real services: a SQLite file, a TCP server on loopback that accepts and never answers (a hung SMTP server), and
a real SMTP server (aiosmtpd) for the sender.
"""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alerting import AlertEngine
from alerting.models import OutboxMessage
from alerting.testing import company, make_item
from laborwatch.mailsink import MailSink
from laborwatch.wiring import enqueue_only
from lwcore.db import Database
from lwcore.settings import DEFAULT_CONFIG_DIR, Settings, load_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def hung_smtp() -> Iterator[int]:
    """Accepts TCP connections and never says a word (the SMTP greeting never comes)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    yield srv.getsockname()[1]
    srv.close()


def _settings(tmp_path: Path, port: int) -> Settings:
    cfg = tmp_path / "configs"
    if not cfg.exists():
        shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
        (cfg / "settings.yaml").write_text("{}\n", encoding="utf-8")
    return load_settings(cfg / "settings.yaml", environ={}, overrides={
        "state_dir": str(tmp_path / "state"),
        "alerting": {"secret_key": "integration-secret", "admin_emails": ["admin@example.org"]},
        "smtp": {"host": "127.0.0.1", "port": port, "sender": "yuqing@example.org", "security": "none",
                 "timeout_s": 10},
    })


def test_hung_smtp_does_not_slow_the_crawls_alert_stage_and_the_sender_delivers_later(
    tmp_path: Path, hung_smtp: int, smtp_server: MailSink
) -> None:
    settings = _settings(tmp_path, hung_smtp)
    db = Database.from_settings(settings)
    db.upgrade()
    try:
        crawl_engine = AlertEngine.from_settings(enqueue_only(settings), db)  # what build_wiring gives a crawl
        now = datetime.now(UTC)
        t0 = time.monotonic()
        # two incidents at two firms (the tracker would rightly join two posts about one firm)
        touched = crawl_engine.process([
            make_item(event_id="hung-1", at=now, workers=40, companies=(company("上海甲物流有限公司", "TEST-HUNG-1"),)),
            make_item(event_id="hung-2", at=now, workers=50, companies=(company("上海乙物流有限公司", "TEST-HUNG-2"),)),
        ])
        elapsed = time.monotonic() - t0
        assert len(touched) == 2
        assert elapsed < 3.0, f"the crawl waited {elapsed:.1f}s on SMTP"  # a send would wait the 10 s timeout
        with db.session() as s:
            rows = list(s.scalars(select(OutboxMessage)))
        assert rows and {r.status for r in rows} == {"pending"}  # queued, not sent, not claimed

        sender = AlertEngine.from_settings(_settings(tmp_path, smtp_server.port), db)  # the service's sender
        report = sender.dispatch_outbox()
        assert sorted(report.sent) == sorted(r.id for r in rows)
        assert len(smtp_server.wait_for(len(rows), timeout=10)) == len(rows)
        assert sender.dispatch_outbox().sent == []  # each message once
    finally:
        db.dispose()


def test_alerts_send_cli_delivers_what_a_crawl_queued(tmp_path: Path, smtp_server: MailSink) -> None:
    import os
    import subprocess
    import sys

    import yaml

    settings = _settings(tmp_path, smtp_server.port)
    (tmp_path / "configs" / "settings.yaml").write_text(yaml.safe_dump({
        "state_dir": str(tmp_path / "state"),
        "smtp": {"host": "127.0.0.1", "port": smtp_server.port, "sender": "yuqing@example.org", "security": "none"},
        "alerting": {"admin_emails": ["admin@example.org"]},
    }), encoding="utf-8")
    db = Database.from_settings(settings)
    db.upgrade()
    try:
        AlertEngine.from_settings(enqueue_only(settings), db).process(
            [make_item(event_id="cli-send", at=datetime.now(UTC), workers=60)])
        assert smtp_server.messages == []
        env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
        env.update(LW_SECRET_KEY="integration-secret", PYTHONPATH=str(Path(__file__).resolve().parents[3]))
        cmd = [sys.executable, "-m", "laborwatch", "--config", str(tmp_path / "configs" / "settings.yaml"),
               "alerts", "send"]
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr
        with db.session() as s:
            n = len(list(s.scalars(select(OutboxMessage))))
        assert first.stdout.startswith(f"sent={n} ") and n >= 1
        assert len(smtp_server.wait_for(n, timeout=10)) == n
        again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert again.stdout.startswith("sent=0 ") and len(smtp_server.messages) == n
    finally:
        db.dispose()

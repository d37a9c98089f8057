"""Issue 16: every post that reaches the index is evaluated for alerts exactly once, across a crash.

Real services only: the Elasticsearch node (LW_ES_URL), a SQLite file, a real SMTP server on loopback; the crawl
process is a real child process killed by SIGKILL between indexing and the alert commit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from alerting.models import Alert, OutboxMessage
from laborwatch.mailsink import MailSink
from laborwatch.pipeline import Spool
from lwcore.db import Database
from lwcore.settings import DEFAULT_CONFIG_DIR, load_settings
from tests.index_support import _make

pytestmark = pytest.mark.integration
WORKER = Path(__file__).with_name("handoff_worker.py")
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def deployment(tmp_path: Path, es_settings_isolated, smtp_server: MailSink):
    import shutil

    cfg = tmp_path / "configs"
    shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
    settings_yaml = {
        "state_dir": str(tmp_path / "state"),
        "es": {"url": es_settings_isolated.url, "index_prefix": es_settings_isolated.index_prefix},
        "smtp": {"host": "127.0.0.1", "port": smtp_server.port, "sender": "yuqing@example.org", "security": "none",
                 "timeout_s": 5},
        "alerting": {"admin_emails": ["admin@example.org"]},
    }
    (cfg / "settings.yaml").write_text(yaml.safe_dump(settings_yaml, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    env["LW_SECRET_KEY"] = "integration-secret"
    env["PYTHONPATH"] = str(REPO)  # the child processes import this tree's packages
    return cfg / "settings.yaml", env


def _batch(tmp_path: Path) -> tuple[Path, list[str]]:
    items = [
        _make("hand-off-1", title="某制衣厂拖欠工资", content="某制衣厂拖欠三十名工人工资三个月", event_id="ev-h1",
              workers=30),
        _make("hand-off-2", title="某制衣厂欠薪", content="工人讨薪", event_id="ev-h1"),
        _make("hand-off-3", title="灯会", content="青浦灯会", labor_dispute=False, severity=None, event_types=(),
              companies=()),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps({"post": it.post.to_dict(), "analysis": it.analysis.to_dict()},
                                       ensure_ascii=False) + "\n" for it in items), encoding="utf-8")
    return path, [it.post.id for it in items]


def _cli(config: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "laborwatch", "--config", str(config), *args],
                          env=env, capture_output=True, text=True, timeout=180)


def test_crawl_killed_after_indexing_before_the_alert_commit_is_alerted_once_by_the_next_tick(
    tmp_path: Path, deployment, es_client, smtp_server: MailSink
) -> None:
    config, env = deployment
    batch, ids = _batch(tmp_path)
    proc = subprocess.run([sys.executable, str(WORKER), str(config), "before_alert_commit", str(batch)],
                          env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == -9, proc.stderr  # killed, as planned
    settings = load_settings(config, environ=env)
    es_client.indices.refresh(index=f"{settings.es.index_prefix}*")
    found = es_client.mget(index=settings.es.index_prefix, ids=ids).body["docs"]
    assert [d["found"] for d in found] == [True, True, True]  # the posts reached the index (seen by a re-crawl)
    db = Database.from_settings(settings)
    db.upgrade()
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Alert)) == 0  # the alert commit never happened
        assert Spool(settings.state_path / "spool").count("alert") == 2  # ... but the journal kept both candidates

        tick = _cli(config, env, "alerts", "tick")
        assert tick.returncode == 0, tick.stderr
        assert "replayed=2" in tick.stdout and "alerts_from_spool=1" in tick.stdout
        with db.session() as s:
            alerts = list(s.scalars(select(Alert)))
            assert [a.post_count for a in alerts] == [2]  # one incident, both posts
            assert {m.status for m in s.scalars(select(OutboxMessage))} == {"sent"}
        sent = len(smtp_server.wait_for(1, timeout=10))
        assert sent >= 1 and Spool(settings.state_path / "spool").count("alert") == 0

        again = _cli(config, env, "alerts", "tick")  # nothing left: nothing evaluated or sent twice
        assert again.returncode == 0, again.stderr
        assert "replayed=0" in again.stdout and "sent=0" in again.stdout
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Alert)) == 1
        assert len(smtp_server.messages) == sent
    finally:
        db.dispose()

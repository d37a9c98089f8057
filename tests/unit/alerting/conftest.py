"""Fixtures of the alerting unit tests: settings with a test secret, a migrated SQLite DB, a fake clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from alerting.testing import CapturingNotifier, FakeClock
from laborwatch.db import Database
from laborwatch.settings import Settings, load_settings


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("alerting-db") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.dispose()
    return path


def make_settings(tmp_path: Path, **alerting: object) -> Settings:
    overrides = {
        "state_dir": str(tmp_path / "state"),
        "alerting": {"secret_key": "unit-test-secret", "admin_emails": ["admin@example.org"],
                     "outbox_backoff_s": 1.0, "outbox_backoff_max_s": 8.0, **alerting},
        "smtp": {"host": "127.0.0.1", "port": 2, "sender": "yuqing@example.org"},
    }
    return load_settings(environ={}, overrides=overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def db(tmp_path: Path, _template_db: Path) -> Iterator[Database]:
    path = tmp_path / "alerting.db"
    shutil.copy(_template_db, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def notifier() -> CapturingNotifier:
    return CapturingNotifier()

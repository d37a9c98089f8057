"""Fixtures of the alerting unit tests: settings with a test secret, a migrated SQLite DB, a fake clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from tests_alerting_support import make_settings  # type: ignore[import-not-found]

from alerting.testing import CapturingNotifier, FakeClock
from lwcore.db import Database
from lwcore.settings import Settings


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("alerting-db") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as c:
        c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.dispose()
    return path


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

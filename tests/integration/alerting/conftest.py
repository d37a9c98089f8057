"""Integration fixtures of the alerting room: a real SMTP server on loopback, a migrated SQLite DB, a clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alerting_it_support import bouncing_sink  # type: ignore[import-not-found]

from alerting.testing import FakeClock
from laborwatch.mailsink import MailSink
from lwcore.db import Database


@pytest.fixture
def smtp() -> Iterator[MailSink]:
    with bouncing_sink() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'state' / 'laborwatch.db'}")
    db.upgrade()
    yield db
    db.dispose()

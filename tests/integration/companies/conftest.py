"""A migrated database (``Database.upgrade()``), on SQLite and, where the test run has one, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lwcore.db import Database


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'companies.db'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    db = request.getfixturevalue("pg_database")
    db.upgrade()
    yield db

"""Alembic plumbing: ``Database.upgrade()`` brings an empty database to every room's head, on SQLite and on
PostgreSQL; each room's branch is well-formed; the ledger migration matches the ledger models exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from lwcore.db import VERSION_LOCATIONS, Base, Database

pytestmark = pytest.mark.integration

LEDGER_TABLES = {
    "ledger_cases",
    "ledger_case_alerts",
    "ledger_case_posts",
    "ledger_history",
    "ledger_incidents",
    "ledger_incident_alerts",
    "ledger_incident_steps",
    "ledger_incident_reports",
    "ledger_incident_dispatches",
    "ledger_referrals",
    "ledger_wage_fund",
}


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'mig.db'}")
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_database: Database) -> Database:
    return pg_database


def _script(db: Database) -> ScriptDirectory:
    return ScriptDirectory.from_config(db.alembic_config())


def _current_heads(db: Database) -> set[str]:
    with db.engine.connect() as c:
        return set(MigrationContext.configure(c).get_current_heads())


def _table_of(diff: Any) -> str:
    """The table an autogenerate diff is about (diff shapes: alembic.autogenerate.compare_metadata)."""
    d = diff[0] if isinstance(diff, list) else diff
    kind = d[0]
    if kind in ("add_table", "remove_table"):
        return str(d[1].name)
    if kind.endswith("_column") or kind.startswith("modify_"):
        return str(d[2])
    return str(d[1].table.name)


def _check_upgrade(db: Database) -> None:
    db.upgrade()
    script = _script(db)
    assert _current_heads(db) == set(script.get_heads())
    tables = set(inspect(db.engine).get_table_names())
    assert LEDGER_TABLES <= tables
    # ledger_0001 is applied and the ledger head is among the heads
    ledger_heads = {r.revision for r in script.revision_map.get_revisions("ledger@head")}
    assert ledger_heads <= _current_heads(db)
    # a second upgrade is a no-op
    db.upgrade()
    assert _current_heads(db) == set(script.get_heads())
    # the ledger migration creates exactly what the ledger models declare
    import ledger.models  # noqa: F401 - registers the tables on Base.metadata

    with db.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)

    ledger_diffs = [d for d in diffs if _table_of(d).startswith("ledger_")]
    assert ledger_diffs == []


def test_upgrade_on_sqlite(sqlite_db: Database) -> None:
    _check_upgrade(sqlite_db)


def test_upgrade_on_postgresql(pg_db: Database) -> None:
    assert pg_db.engine.dialect.name == "postgresql"
    _check_upgrade(pg_db)


def test_every_room_branch_is_well_formed(sqlite_db: Database) -> None:
    script = _script(sqlite_db)
    revisions = list(script.walk_revisions())
    assert revisions, "no migrations found"
    located = {Path(r.path).parent.resolve() for r in revisions}
    assert located <= {p.resolve() for p in VERSION_LOCATIONS}
    for rev in revisions:
        if rev.down_revision is None:
            # each room's first revision names its branch so `alembic upgrade <room>@head` works
            assert rev.branch_labels, f"{rev.path}: first revision of a room needs branch_labels"
    ledger_base = script.get_revision("ledger_0001")
    assert ledger_base.branch_labels == {"ledger"} and ledger_base.down_revision is None


def test_ledger_branch_downgrades_alone(sqlite_db: Database) -> None:
    sqlite_db.upgrade()
    before = set(inspect(sqlite_db.engine).get_table_names())
    command.downgrade(sqlite_db.alembic_config(), "ledger@base")
    after = set(inspect(sqlite_db.engine).get_table_names())
    assert after == before - LEDGER_TABLES
    sqlite_db.upgrade()
    assert LEDGER_TABLES <= set(inspect(sqlite_db.engine).get_table_names())


def test_schema_drift_would_be_caught(sqlite_db: Database) -> None:
    """The comparison above really sees ledger differences (guards against a filter that hides everything)."""
    sqlite_db.upgrade()
    with sqlite_db.engine.begin() as c:
        c.execute(text("DROP INDEX ix_ledger_cases_town"))
    import ledger.models  # noqa: F401

    with sqlite_db.engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c), Base.metadata)
    assert [d[0] for d in diffs if _table_of(d) == "ledger_cases"] == ["add_index"]

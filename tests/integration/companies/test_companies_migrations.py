"""The companies branch: its migrations create exactly what companies.models declares (SQLite and PostgreSQL) and
it downgrades alone, leaving every other room's tables."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import companies.models  # noqa: F401 - registers the tables on Base.metadata
from lwcore.db import Base, Database

pytestmark = pytest.mark.integration

TABLES = {"companies", "company_aliases", "supervision_entries", "guidance_visits", "companies_history",
          "arrears_blacklist", "field_reports"}


def _table(diff: Any) -> str:
    """The table an autogenerate diff is about (diff shapes: alembic.autogenerate.compare_metadata)."""
    d = diff[0] if isinstance(diff, list) else diff
    kind = d[0]
    if kind in ("add_table", "remove_table"):
        return str(d[1].name)
    if kind.endswith("_column") or kind.startswith("modify_"):
        return str(d[2])
    return str(d[1].table.name)


def _diffs(db: Database) -> list[Any]:
    with db.engine.connect() as c:
        diffs = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    return [d for d in diffs if _table(d) in TABLES]


def test_migration_matches_models(migrated_db: Database) -> None:
    assert TABLES <= set(inspect(migrated_db.engine).get_table_names())
    assert _diffs(migrated_db) == []
    # the comparison really sees this room's tables (guards against a filter that hides everything)
    with migrated_db.engine.begin() as c:
        c.execute(text("DROP INDEX ix_companies_name"))
    assert [d[0] for d in _diffs(migrated_db)] == ["add_index"]


def test_branch_downgrades_alone(migrated_db: Database) -> None:
    if migrated_db.engine.dialect.name != "sqlite":
        pytest.skip("downgrade checked on SQLite")
    before = set(inspect(migrated_db.engine).get_table_names())
    command.downgrade(migrated_db.alembic_config(), "companies@base")
    assert set(inspect(migrated_db.engine).get_table_names()) == before - TABLES
    migrated_db.upgrade()
    assert TABLES <= set(inspect(migrated_db.engine).get_table_names())

"""Schema: the Alembic branch matches the models; the engine on PostgreSQL (Debian's, started by .ci/run)."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alerting_it_support import settings_for  # type: ignore[import-not-found]
from sqlalchemy import MetaData

from alerting import AlertEngine
from alerting.models import ALERTING_TABLES
from alerting.testing import CapturingNotifier, FakeClock, make_item
from lwcore.db import Base, Database

pytestmark = pytest.mark.integration


def _alerting_diff(db: Database) -> list:
    md = MetaData(naming_convention=Base.metadata.naming_convention)
    for t in ALERTING_TABLES:
        t.to_metadata(md)
    names = {t.name for t in ALERTING_TABLES}
    with db.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"compare_type": True})
        diff = compare_metadata(ctx, md)

    def table_of(d):  # noqa: E306
        d = d[0] if isinstance(d, list) else d
        for x in d[1:]:
            name = getattr(x, "name", None) if not isinstance(x, str) else x
            tbl = getattr(x, "table", None)
            if tbl is not None:
                return tbl.name
            if name in names:
                return name
        return None

    return [d for d in diff if table_of(d) in names]


def test_migration_matches_models_sqlite(sqlite_db):
    assert _alerting_diff(sqlite_db) == []


def test_engine_on_postgresql(tmp_path, pg_url):
    db = Database(pg_url)
    try:
        db.upgrade()
        assert _alerting_diff(db) == []
        settings = settings_for(tmp_path, 25, db_url=pg_url)
        notifier = CapturingNotifier()
        clock = FakeClock()
        eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
        key = f"pg-{uuid.uuid4().hex}"
        items = [make_item(event_id=key, post_id=f"{key}-{i}") for i in range(3)]
        [a] = eng.process(items)
        assert a.level == "II"  # three posts on one company in the window: company_spike
        assert eng.process(items) == []
        [b] = eng.process([make_item(event_id=key, event_types=("group_action",), workers=70)])
        assert b.id == a.id and b.level == "I" and b.post_count == 4
        assert len([m for m in notifier.sent if m.payload["headers"]["X-Laborwatch-Alert"] == str(a.id)]) == 2 + 3
        clock.advance(minutes=16)
        assert a.id in eng.tick().escalated
    finally:
        db.dispose()

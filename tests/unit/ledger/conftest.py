"""Fixtures of the ledger unit tests: a real SQLite file with the ledger tables, and a clock tests can move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ledger import Incidents, Ledger
from ledger import models as ledger_models
from lwcore.db import Base, Database
from lwcore.domain import SHANGHAI


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
    tables = [t for name, t in Base.metadata.tables.items() if name.startswith("ledger_")]
    assert {m.__tablename__ for m in (ledger_models.CaseRow, ledger_models.IncidentRow)} <= {t.name for t in tables}
    Base.metadata.create_all(database.engine, tables=tables)
    yield database
    database.dispose()


@pytest.fixture
def ledger(db: Database, clock: Clock) -> Ledger:
    return Ledger(db, clock=clock)


@pytest.fixture
def incidents(db: Database, clock: Clock) -> Incidents:
    return Incidents(db, clock=clock)


def _alert(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "al-1",
        "level": "II",
        "company_id": "TEST91310118000001",
        "company_name": "圆通速递有限公司",
        "town": "华新镇",
        "industry": "logistics",
        "event_types": ["wage_arrears"],
        "workers": 12,
        "amount_yuan": 86000.5,
        "post_ids": ["p-1", "p-2"],
        "urls": {"p-1": "https://example.com/a", "p-2": "https://example.com/b"},
        "title": "【二级预警】圆通速递有限公司疑似拖欠工资（2条相关信息）",
        "event_id": "ev-1",
    }
    base.update(over)
    return base


@pytest.fixture
def make_alert():  # type: ignore[no-untyped-def]
    """Build an alert snapshot (the dict the alerting room hands over), overriding any key."""
    return _alert

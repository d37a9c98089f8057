"""The weekly briefing's overdue guidance visits on migrated SQLite and PostgreSQL databases: every firm-week of the
visit period without a visit is listed, a visited week is not, a firm outside the key areas needs none."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from companies import Registry, SupervisionList, load_supervision_config
from companies.models import Company
from laborwatch.web.briefing import build_briefing, render_email, visit_line
from lwcore.db import Database
from lwcore.settings import REPO_ROOT, load_settings

pytestmark = pytest.mark.integration

PERIOD = load_supervision_config(REPO_ROOT / "configs" / "supervision.yaml").periods[0]


def test_weekly_briefing_lists_every_overdue_visit(migrated_db: Database, tmp_path: Path) -> None:
    settings = load_settings(environ={}, overrides={"state_dir": str(tmp_path / "state")})
    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    with migrated_db.sessions() as s:
        firms = list(s.scalars(select(Company.credit_code).order_by(Company.credit_code).limit(25)))
    assert len(firms) == 25
    sl = SupervisionList(migrated_db)
    mondays = []
    monday = PERIOD.start - timedelta(days=PERIOD.start.weekday())
    while monday <= PERIOD.end:
        mondays.append(monday)
        monday += timedelta(days=7)
    expected = set()
    for i, code in enumerate(firms):
        sl.add(code, ground="incident_risk", reason="进博会期间重点关注", risk_level="III", actor="t",
               key_area=i % 5 != 0, listed_on=PERIOD.start)
        if i % 5 == 0:
            continue  # not a key area: no weekly requirement
        visited = mondays[i % len(mondays)]
        sl.record_visit(code, visited_on=visited, visitor="李四", findings="运行正常", actor="t")
        expected |= {(code, m) for m in mondays if m != visited}
    b = build_briefing(settings, migrated_db, "weekly", PERIOD.end)
    got = [(v.credit_code, v.week_start) for v in b.overdue_visits]
    assert sorted(got) == sorted(expected) and len(got) == 20 * (len(mondays) - 1)
    _subject, text, _html = render_email(b, settings)
    assert all(visit_line(v) in text for v in b.overdue_visits)
    before = build_briefing(settings, migrated_db, "daily", date(2026, 10, 1))
    assert before.overdue_visits == []  # before the period nothing is due

"""Field reports on migrated databases (SQLite and PostgreSQL): the 12345 import stores every row or none, a
re-import stores nothing twice, --skip-invalid lists what it left out, and the processing state is recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from companies import ValidationError
from companies.fieldreports import FieldReportFileError, FieldReports, NewFieldReport
from companies.models import FieldReport, HistoryEntry
from lwcore.db import Database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
HEADER = ["工单编号", "受理时间", "诉求内容", "涉事企业", "涉及人数"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_all_or_none_then_idempotent(migrated_db: Database, tmp_path: Path) -> None:
    store = FieldReports(migrated_db)
    bad = _xlsx(tmp_path / "bad.xlsx", [["A1", "2026-11-01 09:00", "某厂拖欠工资两个月", "某厂", 3],
                                        ["A2", "昨天", "公司未缴社保", "", ""]])
    with pytest.raises(FieldReportFileError, match="第3行「受理时间」"):
        store.import_file(bad, actor="t", now=NOW)
    assert store.recent() == []  # nothing stored from a refused file

    skipped = store.import_file(bad, actor="t", skip_invalid=True, now=NOW)
    assert len(skipped.added) == 1 and [str(p) for p in skipped.problems] == [
        "第3行「受理时间」：「昨天」不是日期时间（例如 2026-11-03 14:30）"]

    good = _xlsx(tmp_path / "good.xlsx", [["A1", "2026-11-01 09:00", "某厂拖欠工资两个月", "某厂", 3],
                                          ["A2", "2026-11-02 10:00", "公司未缴社保", "", ""]])
    again = store.import_file(good, actor="t", now=NOW)
    assert len(again.added) == 1 and again.already == [(2, "A1")]
    rows = store.recent()
    assert sorted(r.ticket_no for r in rows) == ["A1", "A2"]
    assert all(r.status == "pending" and r.origin == "hotline" and r.source_file for r in rows)
    assert len({r.post_id for r in rows}) == 2
    with migrated_db.sessions() as s:
        actions = s.scalars(select(HistoryEntry.action).where(HistoryEntry.target_type == "field_reports")).all()
    assert actions == ["field_reports.import", "field_reports.import"]


def test_grid_reports_and_processing_state(migrated_db: Database) -> None:
    store = FieldReports(migrated_db)
    a = store.add(NewFieldReport(origin="grid", content="网格员发现某工地农民工聚集讨薪", town="赵巷镇",
                                 reporter="网格员王五"), actor="wangwu", now=NOW)
    b = store.add(NewFieldReport(origin="grid", content="某餐馆员工反映被拖欠工资"), actor="wangwu", now=NOW)
    assert a.post_id != b.post_id and a.status_label == "待研判"
    store.add(NewFieldReport(origin="hotline", ticket_no="T1", content="来电反映欠薪问题"), actor="t", now=NOW)
    with pytest.raises(ValidationError, match="工单 T1 已导入"):
        store.add(NewFieldReport(origin="hotline", ticket_no="T1", content="来电反映欠薪问题"), actor="t", now=NOW)
    store.mark_failed([a.id], "ConnectionError: es down", now=NOW)
    assert [r.id for r in store.pending()] == [a.id, b.id, a.id + 2]  # failed ones are retried
    store.mark_processed({a.id: True, b.id: False}, now=NOW)
    assert store.get(a.id).labor_dispute is True and store.get(a.id).error is None
    assert store.get(b.id).status == "processed" and store.get(b.id).labor_dispute is False
    assert store.by_post(a.post_id).id == a.id
    with migrated_db.sessions() as s:
        assert s.scalar(select(FieldReport.status).where(FieldReport.ticket_no == "T1")) == "pending"


def test_profile_lists_the_firms_reports_by_code_or_name(migrated_db: Database) -> None:
    from companies import Registry
    from companies.profile import build_profile
    from lwcore.settings import REPO_ROOT

    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    store = FieldReports(migrated_db)
    by_code = store.add(NewFieldReport(origin="grid", content="网点拖欠快递员工资", credit_code="TEST91310118000002"),
                        actor="t", now=NOW)
    by_alias = store.add(NewFieldReport(origin="hotline", ticket_no="Z1", content="来电反映中通网点欠薪",
                                        company_name="中通快递"), actor="t", now=NOW)
    store.add(NewFieldReport(origin="grid", content="另一家企业欠薪", company_name="圆通"), actor="t", now=NOW)
    profile = build_profile(migrated_db, "TEST91310118000002")
    assert sorted(r.id for r in profile.field_reports) == sorted([by_code.id, by_alias.id])

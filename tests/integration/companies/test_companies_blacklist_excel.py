"""Excel export and import of the wage-arrears joint-discipline list on SQLite and PostgreSQL: the export reads back
into another database (decisions, publication, push), a file with a bad row records nothing and names every
problem, and a re-import records nothing twice."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from companies import Blacklist, Registry, RegistryFileError
from companies.blacklist_excel import HEADERS, export_blacklist_xlsx, import_blacklist
from companies.models import HistoryEntry
from lwcore.db import Database
from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.integration

YTO, ZTO = "TEST91310118000001", "TEST91310118000002"


def _blacklist(db: Database) -> Blacklist:
    Registry(db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    return Blacklist(db)


def test_export_reads_back_into_another_database(migrated_db: Database, tmp_path: Path) -> None:
    bl = _blacklist(migrated_db)
    a = bl.add(ZTO, decision_no="青人社失信〔2026〕1号", decided_on=date(2026, 9, 1), reason="拖欠32名农民工工资",
               amount_yuan="480000.50", workers=32, arrears_from=date(2026, 3, 1), arrears_to=date(2026, 7, 31),
               actor="admin")
    bl.publish(a.id, published_on=date(2026, 9, 5), actor="admin")
    bl.push(a.id, pushed_on=date(2026, 9, 6), departments="市场监管局、税务局", actor="admin")
    b = bl.add(YTO, decision_no="青人社失信〔2026〕2号", decided_on=date(2026, 9, 2), reason="拖欠工资", actor="admin")
    bl.apply_repair(b.id, applied_on=date(2026, 10, 1), actor="admin")
    bl.decide_repair(b.id, approved=True, decided_on=date(2026, 10, 8), note="已足额支付", actor="admin")
    data = export_blacklist_xlsx(bl)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == HEADERS and len(rows) == 3
    zto = next(r for r in rows[1:] if r[2] == ZTO)
    assert zto[3] == "青人社失信〔2026〕1号" and zto[6] == 480000.5 and zto[12] == "市场监管局、税务局" and zto[13] == "在列"
    yto = next(r for r in rows[1:] if r[2] == YTO)
    assert yto[13] == "已信用修复" and yto[15] == "准予修复"
    listed_only = list(load_workbook(io.BytesIO(export_blacklist_xlsx(bl, status="listed"))).active.iter_rows(
        values_only=True))
    assert [r[2] for r in listed_only[1:]] == [ZTO]

    path = tmp_path / "blacklist.xlsx"
    path.write_bytes(data)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.upgrade()
    try:
        target = _blacklist(other)
        assert import_blacklist(target, path, actor="importer") == 2
        got = {e.decision_no: e for e in target.entries()}
        one = got["青人社失信〔2026〕1号"]
        assert one.amount_yuan == a.amount_yuan and one.workers == 32 and one.arrears_to == date(2026, 7, 31)
        assert one.published_on == date(2026, 9, 5) and one.pushed_to == "市场监管局、税务局"
        # an import lists; repair is its own workflow: the repaired entry comes back listed, repair not copied
        assert got["青人社失信〔2026〕2号"].status == "listed" and got["青人社失信〔2026〕2号"].repair_outcome is None
        with other.sessions() as s:
            assert s.scalars(select(HistoryEntry.actor).where(HistoryEntry.action == "blacklist.import")).all() == [
                "importer", "importer"]
        with pytest.raises(RegistryFileError, match="already recorded"):
            import_blacklist(target, path, actor="importer")
        assert len(target.entries()) == 2
    finally:
        other.dispose()


def test_bad_rows_record_nothing_and_are_all_named(migrated_db: Database, tmp_path: Path) -> None:
    bl = _blacklist(migrated_db)
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "决定文书号", "决定日期", "列入事由", "拖欠金额（元）", "推送日期", "推送部门", "涉及人数"])
    ws.append([ZTO, "A1", "2026-09-01", "欠薪", "1000", None, None, 5])
    ws.append(["91310118MA1ABCDE12", "A2", "2026-13-01", "", "-3", "2026-08-01", None, "五"])
    ws.append([YTO, "A1", "2026-09-02", "欠薪", None, None, None, None])
    ws.append(["TEST91310118009999", "A3", "2026-09-02", "欠薪", None, None, None, None])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(RegistryFileError) as err:
        import_blacklist(bl, path, actor="x")
    text = [str(p) for p in err.value.problems]
    assert any(t.startswith("row 3, field 统一社会信用代码:") for t in text)
    assert "row 3, field 决定日期: '2026-13-01' is not a date YYYY-MM-DD" in text
    assert "row 3, field 列入事由: empty" in text and any(t.startswith("row 3, field 拖欠金额（元）:") for t in text)
    assert "row 3, field 推送部门: empty while 推送日期 is given" in text
    assert "row 3, field 涉及人数: '五' is not a whole number" in text
    assert bl.entries() == []
    # the first pass is clean once row 3 is gone: the database checks name the rest
    ws.delete_rows(3)
    wb.save(path)
    with pytest.raises(RegistryFileError) as err:
        import_blacklist(bl, path, actor="x")
    assert [str(p) for p in err.value.problems] == [
        "row 3, field 决定文书号: decision A1 is already on row 2",
        "row 4, field 统一社会信用代码: TEST91310118009999 is not in the registry"]
    assert bl.entries() == []

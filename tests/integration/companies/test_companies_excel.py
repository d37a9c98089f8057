"""Excel export and import of the key supervision list on SQLite and PostgreSQL: the export reads back into an
empty database, and a file with a bad row lists nobody."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from companies import Registry, RegistryFileError, SupervisionList
from companies.excel import HEADERS, export_supervision_xlsx, import_supervision
from lwcore.db import Database
from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.integration


def _registry(db: Database) -> SupervisionList:
    Registry(db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    return SupervisionList(db)


def test_export_reads_back_into_another_database(migrated_db: Database, tmp_path: Path) -> None:
    sv = _registry(migrated_db)
    sv.add("TEST91310118000001", ground="major_change", reason="拟整体搬迁", risk_level="II", actor="admin",
           person_in_charge="张三", key_area=True, listed_on=date(2026, 10, 8))
    sv.add("TEST91310118000002", ground="violations", reason="多次欠薪", risk_level="I", actor="admin",
           listed_on=date(2026, 10, 9))
    data = export_supervision_xlsx(sv, status="active")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADERS and len(rows) == 3
    zto = next(r for r in rows[1:] if r[2] == "TEST91310118000001")
    assert zto[5] == "生产经营即将发生重大变化" and zto[8] == "张三" and zto[9] == "是" and zto[13] == "在册"
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.upgrade()
    try:
        sv2 = _registry(other)
        assert import_supervision(sv2, path, actor="importer") == 2
        got = {e.credit_code: e for e in sv2.entries(status="active")}
        assert got["TEST91310118000001"].ground == "major_change"
        assert got["TEST91310118000001"].listed_on == date(2026, 10, 8) and got["TEST91310118000001"].key_area
        assert got["TEST91310118000002"].risk_level == "I" and got["TEST91310118000002"].proposed_by == "importer"
    finally:
        other.dispose()


def test_bad_rows_list_nobody(migrated_db: Database, tmp_path: Path) -> None:
    sv = _registry(migrated_db)
    sv.add("TEST91310118000003", ground="violations", reason="已在册", risk_level="II", actor="admin")
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "列入情形", "事由", "风险等级", "重点区域/行业", "列入日期"])
    ws.append(["TEST91310118000001", "存在劳资纠纷隐患", "欠薪", "II", "是", "2026-10-01"])
    ws.append(["TEST91310118000003", "存在劳资纠纷隐患", "重复", "II", "否", ""])  # already listed
    ws.append(["TEST91310118000004", "无此情形", "x", "II", "", ""])
    ws.append(["TEST91310118000005", "存在劳资纠纷隐患", "x", "V", "", ""])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(RegistryFileError) as err:
        import_supervision(sv, path, actor="admin")
    assert [(p.row, p.field) for p in err.value.problems] == [(3, "统一社会信用代码"), (4, "列入情形"), (5, "风险等级")]
    assert "already has list entry" in err.value.problems[0].reason
    assert [e.credit_code for e in sv.entries(status="active")] == ["TEST91310118000003"]  # nothing added
    ws.delete_rows(3, 3)
    ws.append(["TEST91310118000001", "存在劳资纠纷隐患", "同一企业两行", "II", "", ""])
    wb.save(path)
    with pytest.raises(RegistryFileError, match="row 3, field 统一社会信用代码: TEST91310118000001 is already on row 2"):
        import_supervision(sv, path, actor="admin")
    ws.append(["TEST91310118000006", "存在劳资纠纷隐患", "x", "II", "也许", ""])
    wb.save(path)
    with pytest.raises(RegistryFileError, match="row 4, field 重点区域/行业"):
        import_supervision(sv, path, actor="admin")

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ledger import EXPORT_COLUMNS, CaseStatus, Ledger
from lwcore.domain import SHANGHAI

REQUIRED_HEADERS = [
    "序号",
    "编号",
    "企业名称",
    "统一社会信用代码",
    "所属街镇",
    "行业",
    "争议类型",
    "涉及人数",
    "涉及金额(元)",
    "风险等级",
    "责任单位",
    "责任人",
    "包案领导",
    "化解方案及措施",
    "化解时限",
    "当前状态",
    "是否超期",
    "关联预警",
    "来源链接",
    "登记时间",
    "更新时间",
]


def _seed(ledger: Ledger, make_alert) -> None:  # type: ignore[no-untyped-def]
    c = ledger.create_from_alert(make_alert(), by="值班员")
    ledger.update(
        c.id,
        by="张三",
        responsible_unit="华新镇劳动保障所",
        responsible_person="王五",
        lead_official="赵副镇长",
        plan="约谈企业\n督促发放",
        deadline="2025-03-05",
    )
    ledger.create_case(
        by="张三",
        title='=HYPERLINK("http://evil")',
        enterprise_name="+cmd|' /C calc'!A0",
        town="赵巷镇",
        risk_level="IV",
    )


def test_xlsx_export_has_ledger_columns_and_values(ledger: Ledger, make_alert, tmp_path: Path) -> None:
    _seed(ledger, make_alert)
    out = tmp_path / "台账.xlsx"
    assert ledger.export_xlsx(out, {}) == 2
    ws = load_workbook(out).active
    headers = [c.value for c in ws[2]]
    assert set(REQUIRED_HEADERS) <= set(headers)
    assert "共2件" in ws["A1"].value
    rows = {r[1]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)}
    first = rows["TZ2025-00001"]
    assert first["序号"] == 1
    assert first["企业名称"] == "圆通速递有限公司"
    assert first["争议类型"] == "拖欠工资"
    assert first["涉及金额(元)"] == 86000.5
    assert first["风险等级"] == "二级"
    assert first["化解时限"].date() == date(2025, 3, 5)
    assert first["是否超期"] == "是"  # clock is 2025-03-10
    assert first["当前状态"] == "待核实"
    assert first["关联预警"] == "al-1"
    assert first["来源链接"] == "https://example.com/a\nhttps://example.com/b"
    assert first["登记时间"] == "2025-03-10 09:00"
    amount_cell = ws.cell(row=3, column=headers.index("涉及金额(元)") + 1)
    assert amount_cell.number_format == "#,##0.00" and amount_cell.border.left.style == "thin"
    assert ws.cell(row=3, column=headers.index("风险等级") + 1).fill.fgColor.rgb.endswith("FFD8A8")
    assert ws.max_column == len(headers)  # the style prototypes are gone
    evil = rows["TZ2025-00002"]
    # formula-looking text stays text
    assert evil["案件名称"] == '=HYPERLINK("http://evil")'
    cell = next(c for c in ws[4] if c.value == '=HYPERLINK("http://evil")')
    assert cell.data_type == "s"


def test_xlsx_export_filters(ledger: Ledger, make_alert, tmp_path: Path) -> None:
    _seed(ledger, make_alert)
    buf = io.BytesIO()
    assert ledger.export_xlsx(buf, {"town": "赵巷镇"}) == 1
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws.max_row == 3


def test_csv_export_is_excel_friendly_and_guards_formulas(ledger: Ledger, make_alert, tmp_path: Path) -> None:
    _seed(ledger, make_alert)
    out = tmp_path / "台账.csv"
    assert ledger.export_csv(out, None) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == ["序号", *(h for h, _ in EXPORT_COLUMNS)]
    assert rows[0]["化解方案及措施"] == "约谈企业\n督促发放"
    assert rows[1]["案件名称"].startswith("'=")
    assert rows[1]["企业名称"].startswith("'+")


def _workbook(path: Path, rows: list[list[object]], *, title_row: bool = True) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "2024年台账"
    if title_row:
        ws.append(["青浦区劳动争议风险隐患排查台账"])
    ws.append(
        [
            "序号",
            "编号",
            "单位名称",
            "统一社会信用代码",
            "所属街道（镇）",
            "争议类型",
            "涉及人数",
            "涉及金额（万元）",
            "风险等级",
            "责任人",
            "化解方案及措施",
            "化解时限",
            "状态",
            "登记日期",
            "来源链接",
            "是否超期",
            "联系电话",
        ]
    )
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    [
        1,
        "QP-2024-001",
        "上海某某物流有限公司",
        "91310118MA1TEST01X",
        "华新镇",
        "拖欠工资、社保",
        "约30人",
        12.5,
        "二级",
        "王五",
        "约谈企业",
        datetime(2024, 12, 31),
        "化解中",
        "2024/11/02",
        "https://example.com/x",
        "是",
        "13800000000",
    ],
    [
        2,
        None,
        "上海某某制衣厂",
        None,
        "赵巷镇",
        "裁员",
        8,
        "3.2万",
        "Ⅳ",
        None,
        None,
        "2025-01-15",
        "待核实",
        "2024-12-01 10:30",
        None,
        "否",
        None,
    ],
    [None] * 17,
]


def test_import_reads_a_real_style_ledger(ledger: Ledger, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "old.xlsx", GOOD)
    report = ledger.import_xlsx(path, by="导入员")
    assert report.ok and report.committed, report.errors
    assert report.rows == 2
    assert report.created[0] == "QP-2024-001" and len(report.created) == 2
    assert any(c.startswith("联系电话") for c in report.ignored_columns)
    assert any(c.startswith("是否超期") for c in report.ignored_columns)
    a = ledger.get("QP-2024-001")
    assert a.enterprise_name == "上海某某物流有限公司"
    assert a.dispute_types == ("wage_arrears", "social_insurance_arrears")
    assert a.workers == 30 and a.amount_yuan == Decimal("125000.00")
    assert a.status is CaseStatus.RESOLVING and a.deadline == date(2024, 12, 31)
    assert a.created_at == datetime(2024, 11, 2, 9, 0, tzinfo=SHANGHAI)
    assert a.source_urls == ("https://example.com/x",)
    assert a.title == "上海某某物流有限公司拖欠工资、欠缴社保"
    b = ledger.get(report.created[1])
    assert b.amount_yuan == Decimal("32000.00") and b.risk_level.value == "IV"
    assert b.created_at == datetime(2024, 12, 1, 10, 30, tzinfo=SHANGHAI)
    # importing the same file again creates nothing twice
    again = ledger.import_xlsx(path, by="导入员")
    assert again.created == [] and sorted(again.unchanged) == sorted(report.created)
    assert ledger.list_cases()[1] == 2


def test_import_updates_cases_by_number_with_history(ledger: Ledger, tmp_path: Path) -> None:
    ledger.import_xlsx(_workbook(tmp_path / "v1.xlsx", GOOD[:1]), by="导入员")
    changed = [list(GOOD[0])]
    changed[0][6] = 45
    changed[0][12] = "已化解"
    report = ledger.import_xlsx(_workbook(tmp_path / "v2.xlsx", changed), by="导入员")
    assert report.updated == ["QP-2024-001"]
    case = ledger.get("QP-2024-001")
    assert case.workers == 45 and case.status is CaseStatus.RESOLVED
    entries = {(h.field, h.old, h.new) for h in ledger.history(case.id)}
    assert ("workers", "30", "45") in entries and ("status", "化解中", "已化解") in entries


def test_import_reports_every_bad_cell_and_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    bad = [list(GOOD[0]), list(GOOD[1]), list(GOOD[0])]
    bad[1][6] = "很多人"
    bad[1][8] = "特级"
    bad[1][11] = "下个月"
    bad[1][12] = "搁置"
    bad[2][2] = "另一家公司"  # same 编号 as the first row
    report = ledger.import_xlsx(_workbook(tmp_path / "bad.xlsx", bad), by="导入员")
    assert not report.ok and not report.committed
    by_col = {(e.row, e.column) for e in report.errors}
    assert {(4, "G"), (4, "I"), (4, "L"), (4, "M")} <= by_col
    assert any(e.row == 5 and "repeats row 3" in e.reason for e in report.errors)
    assert all(e.sheet == "2024年台账" for e in report.errors)
    assert "2024年台账!G4" in str(next(e for e in report.errors if e.column == "G"))
    assert ledger.list_cases()[1] == 0
    partial = ledger.import_xlsx(tmp_path / "bad.xlsx", by="导入员", partial=True)
    assert partial.committed and partial.created == ["QP-2024-001"] and len(partial.errors) == 5
    assert ledger.list_cases()[1] == 1


def test_import_dry_run_and_unreadable_files(ledger: Ledger, tmp_path: Path) -> None:
    report = ledger.import_xlsx(_workbook(tmp_path / "ok.xlsx", GOOD), by="x", dry_run=True)
    assert report.ok and not report.committed and len(report.created) == 2
    assert ledger.list_cases()[1] == 0
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    r = ledger.import_xlsx(junk, by="x")
    assert not r.ok and "cannot read workbook" in r.errors[0].reason
    wb = Workbook()
    wb.active.append(["a", "b", "c"])
    wb.save(tmp_path / "nohead.xlsx")
    r = ledger.import_xlsx(tmp_path / "nohead.xlsx", by="x")
    assert not r.ok and "no header row" in r.errors[0].reason
    r = ledger.import_xlsx(tmp_path / "ok.xlsx", by="x", sheet="Sheet9")
    assert not r.ok and "no such sheet" in r.errors[0].reason


def test_export_then_import_round_trip(ledger: Ledger, make_alert, tmp_path: Path, db, clock) -> None:
    _seed(ledger, make_alert)
    out = tmp_path / "rt.xlsx"
    ledger.export_xlsx(out)
    other = Ledger(db, clock=clock)
    report = other.import_xlsx(out, by="x")
    # same database: every row matches its case by 编号 and nothing changes
    assert report.ok and report.created == [] and report.updated == []
    assert sorted(report.unchanged) == ["TZ2025-00001", "TZ2025-00002"]


def test_import_alert_link_clash_is_a_row_error(ledger: Ledger, make_alert, tmp_path: Path) -> None:
    ledger.create_from_alert(make_alert(), by="x")
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "企业名称", "所属街镇", "关联预警"])
    ws.append(["Q-1", "某公司", "华新镇", "al-1"])
    wb.save(tmp_path / "clash.xlsx")
    report = ledger.import_xlsx(tmp_path / "clash.xlsx", by="x")
    assert not report.committed and "al-1 already belongs to case TZ2025-00001" in report.errors[0].reason

"""12345 hotline ticket files: every bad cell named by row, column and reason; nothing dropped without a word."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from companies import ValidationError
from companies.fieldreports import (
    FieldReportFileError,
    FieldReportView,
    NewFieldReport,
    check_report,
    parse_hotline_file,
    to_post,
)
from lwcore.domain import SHANGHAI, PostKind

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
HEADER = ["工单编号", "受理时间", "诉求标题", "诉求内容", "涉事企业", "统一社会信用代码", "所属街镇", "涉及人数",
          "涉及金额（元）", "承办人"]


def _xlsx(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = tmp_path / "12345.xlsx"
    wb.save(path)
    return path


def test_good_rows_are_read_with_their_types(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["GD2026110001", datetime(2026, 11, 3, 14, 30), "讨薪", "反映某厂拖欠30名工人工资三个月", "上海某制衣有限公司",
         "TEST91310118000002", "赵巷镇", 30, "1.2万", "李四"],
        [],  # blank rows are not data
        ["GD2026110002", "2026/11/04 09:05", None, "来电反映公司未缴社保", None, None, None, "5人", "48,000", None],
    ])
    reports, problems = parse_hotline_file(path, now=NOW)
    assert problems == []
    first, second = reports
    assert first.ticket_no == "GD2026110001" and first.reported_at == datetime(2026, 11, 3, 14, 30, tzinfo=SHANGHAI)
    assert first.workers == 30 and first.amount_yuan == Decimal("12000") and first.credit_code == "TEST91310118000002"
    assert first.source_row == 2 and first.origin == "hotline"
    assert second.source_row == 4 and second.title == "来电反映公司未缴社保"  # no title: the start of the content
    assert second.workers == 5 and second.amount_yuan == Decimal("48000")


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["GD1", "2026-13-01", "", "内容足够长的诉求", "", "91310118MA1ABCDE12", "", "三十", "-5", ""],
        ["", "2026-11-01 10:00", "", "", "", "", "", "", "", ""],
        ["GD1", "2026-11-02", "", "另一条诉求内容", "", "", "", "", "", ""],
        ["GD3", "2027-01-01", "", "未来时间的诉求", "", "", "", "", "", ""],
    ])
    reports, problems = parse_hotline_file(path, now=NOW)
    assert reports == []
    text = [str(p) for p in problems]
    assert "第2行「受理时间」：「2026-13-01」不是日期时间（例如 2026-11-03 14:30）" in text
    assert any(t.startswith("第2行「统一社会信用代码」：统一社会信用代码不符合 GB 32100-2015") for t in text)
    assert "第2行「涉及人数」：「三十」不是大于0的整数" in text
    assert "第2行「涉及金额（元）」：「-5」为负数" in text
    assert "第3行「工单编号」：为空" in text and "第3行「诉求内容」：为空" in text
    assert "第4行「工单编号」：与第2行工单编号重复" in text
    assert any(t.startswith("第5行「受理时间」：2027-01-01 00:00 晚于当前时间") for t in text)


def test_missing_required_columns_refuse_the_file(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["GD1", "内容"]], header=["工单编号", "诉求内容"])
    with pytest.raises(FieldReportFileError, match="第1行（表头）缺少列：受理时间") as err:
        parse_hotline_file(path, now=NOW)
    assert str(path) in str(err.value)


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "tickets.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(FieldReportFileError, match="tickets.xlsx"):
        parse_hotline_file(bad, now=NOW)


def test_form_checks() -> None:
    with pytest.raises(ValidationError, match="content"):
        check_report(NewFieldReport(origin="grid", content="太短"), now=NOW)
    with pytest.raises(ValidationError, match="ticket_no"):
        check_report(NewFieldReport(origin="hotline", content="某厂拖欠工资"), now=NOW)
    with pytest.raises(ValidationError, match="origin"):
        check_report(NewFieldReport(origin="weibo", content="某厂拖欠工资"), now=NOW)
    ok = check_report(NewFieldReport(origin="grid", content="  某厂  拖欠\t工资  ", town=" "), now=NOW)
    assert ok.content == "某厂 拖欠 工资" and ok.town is None and ok.reported_at == NOW


def test_post_carries_origin_firm_and_figures() -> None:
    view = FieldReportView(
        id=7, origin="hotline", ticket_no="GD9", reported_at=NOW, title="讨薪", content="工人反映被拖欠工资",
        company_name="上海某制衣有限公司", credit_code="TEST91310118000002", town="赵巷镇", address="某路1号", workers=30,
        amount_yuan=Decimal("12000.00"), reporter="李四", source_file="12345.xlsx", source_row=2, status="pending",
        post_id="p-hotline12345-x", labor_dispute=None, error=None, created_at=NOW, created_by="t", processed_at=None)
    post = to_post(view, base_url="http://lw.example/")
    assert post.kind == PostKind.FIELD and post.platform == "hotline12345" and post.source_id == "field-hotline"
    assert post.title == "【12345热线】讨薪" and post.url == "http://lw.example/reports/7"
    assert "涉事企业：上海某制衣有限公司" in post.content and "涉及人数：30人" in post.content
    assert "涉及金额：12000.00元" in post.content and post.region == ("赵巷镇",)
    assert post.extra["ticket_no"] == "GD9" and post.extra["source_row"] == 2

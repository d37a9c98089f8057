"""网格上报 pages: the phone form stores a grid report (roles, errors named), the 12345 Excel import lists every bad
row or stores the file, the list and the report page show origin and state; every change is in the audit log."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from webui_support import csrf_of

from companies.fieldreports import FieldReports
from laborwatch.web.models import AuditEntry
from lwcore.db import Database


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["工单编号", "受理时间", "诉求内容", "涉事企业"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_grid_worker_submits_the_form(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    c = client_as("verifier")
    form = c.get("/reports/new")
    assert form.status_code == 200 and 'id="report-new"' in form.text and 'name="viewport"' in form.text
    token = csrf_of(form.text)
    r = c.post("/reports/new", data={"csrf_token": token, "content": "华新镇某工地二十余名农民工聚集讨要拖欠工资",
                                     "company_name": "上海某建筑有限公司", "town": "华新镇", "workers": "20",
                                     "amount": "150000", "reported_at": "2026-11-30T09:15"},
               follow_redirects=False)
    assert r.status_code == 303 and "/reports/" in r.headers["location"]
    [report] = FieldReports(web_db).recent()
    assert report.origin == "grid" and report.workers == 20 and report.status == "pending"
    assert report.reporter == "verifier用户" and report.created_by == "u_verifier"
    page = c.get(r.headers["location"])
    assert "已提交网格上报" in page.text and "上海某建筑有限公司" in page.text and "待研判" in page.text
    with web_db.sessions() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "field_report.add")) == "field_report.add"


def test_form_errors_name_the_field_and_keep_the_input(web_db: Database,
                                                       client_as: Callable[..., TestClient]) -> None:
    c = client_as("duty")
    token = csrf_of(c.get("/reports/new").text)
    bad_code = c.post("/reports/new", data={"csrf_token": token, "content": "某厂拖欠工资两个月",
                                            "credit_code": "91310118MA1ABCDE12"})
    assert bad_code.status_code == 400
    assert "统一社会信用代码：统一社会信用代码不符合 GB 32100-2015" in bad_code.text and "某厂拖欠工资两个月" in bad_code.text
    bad_workers = c.post("/reports/new", data={"csrf_token": token, "content": "某厂拖欠工资两个月", "workers": "很多"})
    assert bad_workers.status_code == 400 and "涉及人数须为大于0的整数" in bad_workers.text
    short = c.post("/reports/new", data={"csrf_token": token, "content": "欠薪"})
    assert short.status_code == 400 and "情况描述：情况描述至少5个字" in short.text
    assert FieldReports(web_db).recent() == []


def test_readonly_may_not_report_nor_import(client_as: Callable[..., TestClient]) -> None:
    c = client_as("readonly")
    page = c.get("/reports")
    assert page.status_code == 200 and 'id="report-new-link"' not in page.text and 'id="report-import"' not in page.text
    token = csrf_of(page.text)
    assert c.post("/reports/new", data={"csrf_token": token, "content": "某厂拖欠工资两个月"}).status_code == 403
    v = client_as("verifier")
    token = csrf_of(v.get("/reports").text)
    files = {"file": ("t.xlsx", _xlsx([["A1", "2026-11-01 09:00", "某厂拖欠工资", ""]]), "application/octet-stream")}
    assert v.post("/reports/import", data={"csrf_token": token}, files=files).status_code == 403


def test_import_lists_every_bad_row_or_stores_the_file(web_db: Database,
                                                       client_as: Callable[..., TestClient]) -> None:
    c = client_as("duty")
    token = csrf_of(c.get("/reports").text)
    bad = {"file": ("12345.xlsx", _xlsx([["A1", "2026-11-01 09:00", "某厂拖欠工资两个月", ""],
                                         ["A2", "上周", "", ""]]), "application/octet-stream")}
    r = c.post("/reports/import", data={"csrf_token": token}, files=bad)
    assert r.status_code == 400 and "未导入任何工单" in r.text
    assert "12345.xlsx：第3行「受理时间」：「上周」不是日期时间" in r.text and "12345.xlsx：第3行「诉求内容」：为空" in r.text
    assert FieldReports(web_db).recent() == []

    skipped = c.post("/reports/import", data={"csrf_token": token, "skip_invalid": "1"}, files=bad)
    assert skipped.status_code == 200 and "已导入 1 条工单，1 行有误未导入" in skipped.text
    assert "12345.xlsx：第3行「诉求内容」：为空" in skipped.text
    good = {"file": ("12345.xlsx", _xlsx([["A1", datetime(2026, 11, 1, 9), "某厂拖欠工资两个月", "某厂"],
                                          ["A3", "2026-11-02", "公司未缴社保", ""]]), "application/octet-stream")}
    r = c.post("/reports/import", data={"csrf_token": token}, files=good, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"])
    assert "已导入 1 条工单，1 条此前已导入" in page.text
    assert page.text.count("12345热线") >= 2
    assert sorted(x.ticket_no for x in FieldReports(web_db).recent()) == ["A1", "A3"]
    not_excel = {"file": ("notes.txt", b"hello", "text/plain")}
    r = c.post("/reports/import", data={"csrf_token": token}, files=not_excel)
    assert r.status_code == 400 and "只接受 .xlsx 或 .csv 文件" in r.text


def test_report_page_shows_the_outcome(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    from companies.fieldreports import NewFieldReport

    store = FieldReports(web_db)
    rep = store.add(NewFieldReport(origin="grid", content="某餐馆员工反映被拖欠工资"), actor="t")
    store.mark_processed({rep.id: True})
    c = client_as("readonly")
    page = c.get(f"/reports/{rep.id}")
    assert page.status_code == 200 and "涉劳资纠纷" in page.text and f'href="/posts/{rep.post_id}"' in page.text
    assert c.get("/reports/999").status_code == 404


def test_profile_page_shows_the_firms_reports(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    from companies import Registry
    from companies.fieldreports import NewFieldReport
    from lwcore.settings import REPO_ROOT

    Registry(web_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    rep = FieldReports(web_db).add(NewFieldReport(origin="hotline", ticket_no="GD-77", title="快递员讨薪",
                                                  content="来电反映中通网点拖欠工资", company_name="中通快递"), actor="t")
    page = client_as("readonly").get("/companies/TEST91310118000002").text
    section = page.split('id="company-field-reports"')[1].split("</table>")[0]
    assert f'href="/reports/{rep.id}"' in section and "12345热线 GD-77" in section and "待研判" in section

"""The blacklist page with its Excel export and import, and the supervision list import: roles (blacklist: admin;
supervision list: admin and duty), every bad row shown, nothing recorded from a refused file, the audit log."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from webui_support import csrf_of

from companies import Blacklist, Registry, SupervisionList
from laborwatch.web.models import AuditEntry
from lwcore.db import Database
from lwcore.settings import REPO_ROOT

ZTO, YTO = "TEST91310118000002", "TEST91310118000001"


def _book(header: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _file(data: bytes, name: str = "list.xlsx") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "application/octet-stream")}


BL_HEADER = ["统一社会信用代码", "决定文书号", "决定日期", "列入事由", "拖欠金额（元）"]


def test_blacklist_page_export_and_import(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    Registry(web_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    Blacklist(web_db).add(ZTO, decision_no="D-1", decided_on=date(2026, 9, 1), reason="拖欠工资", actor="t")
    ro = client_as("readonly")
    page = ro.get("/companies/blacklist")
    assert page.status_code == 200 and "D-1" in page.text and 'id="blacklist-import"' not in page.text
    x = ro.get("/companies/blacklist/export.xlsx")
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == ZTO and rows[1][3] == "D-1"

    duty = client_as("duty")  # may list on the supervision list, not on the blacklist
    token = csrf_of(duty.get("/companies/blacklist").text)
    good = _book(BL_HEADER, [[YTO, "D-2", "2026-09-03", "拖欠工资", "2000"]])
    assert duty.post("/companies/blacklist/import", data={"csrf_token": token}, files=_file(good)).status_code == 403

    admin = client_as("admin")
    token = csrf_of(admin.get("/companies/blacklist").text)
    bad = _book(BL_HEADER, [[YTO, "D-3", "2026-09-03", "拖欠工资", "2000"], [YTO, "D-1", "下月", "", ""]])
    r = admin.post("/companies/blacklist/import", data={"csrf_token": token}, files=_file(bad, "名单.xlsx"))
    assert r.status_code == 400 and "未录入任何决定" in r.text
    assert "名单.xlsx：第3行「决定日期」：&#39;下月&#39; is not a date YYYY-MM-DD" in r.text
    assert "名单.xlsx：第3行「列入事由」：empty" in r.text
    assert [e.decision_no for e in Blacklist(web_db).entries()] == ["D-1"]
    r = admin.post("/companies/blacklist/import", data={"csrf_token": token}, files=_file(good), follow_redirects=False)
    assert r.status_code == 303
    assert "已从 list.xlsx 录入 1 条失信联合惩戒决定" in admin.get(r.headers["location"]).text
    assert sorted(e.decision_no for e in Blacklist(web_db).entries()) == ["D-1", "D-2"]
    with web_db.sessions() as s:
        assert s.scalar(select(AuditEntry.username).where(AuditEntry.action == "blacklist.import")) == "u_admin"


def test_supervision_import_from_the_companies_page(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    Registry(web_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    header = ["统一社会信用代码", "列入情形", "事由", "风险等级", "责任人", "重点区域/行业", "列入日期"]
    verifier = client_as("verifier")
    page = verifier.get("/companies")
    assert 'id="supervision-import"' not in page.text and 'id="blacklist-link"' in page.text
    good = _book(header, [[ZTO, "存在劳资纠纷隐患", "欠薪投诉多", "II", "张三", "是", "2026-10-12"]])
    token = csrf_of(page.text)
    assert verifier.post("/companies/supervision/import", data={"csrf_token": token},
                         files=_file(good)).status_code == 403
    duty = client_as("duty")
    token = csrf_of(duty.get("/companies").text)
    bad = _book(header, [[ZTO, "存在劳资纠纷隐患", "欠薪投诉多", "V", "张三", "也许", "2026-10-12"]])
    r = duty.post("/companies/supervision/import", data={"csrf_token": token}, files=_file(bad))
    assert r.status_code == 200 and "未列入任何企业" in r.text and "第2行" in r.text
    assert SupervisionList(web_db).entries() == []
    r = duty.post("/companies/supervision/import", data={"csrf_token": token}, files=_file(good))
    assert "已从 list.xlsx 列入 1 家企业" in r.text
    [entry] = SupervisionList(web_db).entries()
    assert entry.credit_code == ZTO and entry.key_area and entry.person_in_charge == "张三"
    with web_db.sessions() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "supervision.import")) is not None


def test_alert_and_case_pages_show_the_firms_lists(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    from webui_support import seed_alert

    from companies.models import Company
    from ledger import Ledger
    from lwcore.db import utcnow

    code = "91310118TEST00001X"  # the firm of seed_alert
    now = utcnow()
    with web_db.session() as s:
        s.add(Company(credit_code=code, name="上海青浦某物流有限公司", key_supervision=False, is_test=True,
                      created_at=now, updated_at=now))
    alert_id = seed_alert(web_db)
    case = Ledger(web_db).create_case(by="t", title="某物流公司欠薪", company_id=code)
    c = client_as("readonly")
    assert 'id="firm-standing"' not in c.get(f"/alerts/{alert_id}").text  # on no list yet
    Blacklist(web_db).add(code, decision_no="D-9", decided_on=date(2026, 9, 1), reason="拖欠工资", actor="t")
    SupervisionList(web_db).add(code, ground="violations", reason="多次欠薪", risk_level="II", actor="t")
    for url in (f"/alerts/{alert_id}", f"/cases/{case.id}"):
        page = c.get(url).text
        badge = page.split('id="firm-standing"')[1].split("</a>")[0]
        assert "失信联合惩戒名单（D-9）" in badge and "重点监管服务名单" in badge, url
    assert f'href="/cases/{case.id}/casework"' in c.get(f"/cases/{case.id}").text

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from webui_support import csrf_of

from laborwatch.web.models import AuditEntry
from lwcore.db import Database


def _case(db: Database, title: str = "某电子厂拖欠工资", **fields: object) -> int:
    from ledger import Ledger

    values = {"town": "华新镇", "risk_level": "II", **fields}
    return int(Ledger(db).create_case(by="测试", title=title, **values).id)


def test_case_list_filters_and_overdue(client_as: Callable[..., TestClient], web_db: Database) -> None:
    _case(web_db, "逾期案件", deadline=date.today() - timedelta(days=3))
    _case(web_db, "正常案件", town="朱家角镇", deadline=date.today() + timedelta(days=10))
    c = client_as("readonly")
    page = c.get("/cases")
    assert page.status_code == 200 and "逾期案件" in page.text and "正常案件" in page.text and "超期" in page.text
    only = c.get("/cases?overdue=1").text
    assert "逾期案件" in only and "正常案件" not in only
    town = c.get("/cases?town=朱家角镇").text
    assert "正常案件" in town and "逾期案件" not in town
    assert c.get("/cases?risk_level=VII").status_code == 400


def test_case_page_update_and_transition(client_as: Callable[..., TestClient], web_db: Database) -> None:
    case_id = _case(web_db)
    ro = client_as("readonly")
    page = ro.get(f"/cases/{case_id}")
    assert page.status_code == 200 and 'id="case-edit"' not in page.text
    assert ro.post(f"/cases/{case_id}/update", data={"plan": "x", "csrf_token": csrf_of(page.text)}).status_code == 403
    duty = client_as("duty")
    token = csrf_of(duty.get(f"/cases/{case_id}").text)
    r = duty.post(f"/cases/{case_id}/transition", data={"to": "verifying", "csrf_token": token})
    assert "核实中" in r.text
    r = duty.post(f"/cases/{case_id}/transition", data={"to": "resolving", "csrf_token": token})
    assert "状态未变更" in r.text  # 一人一案一策: owner, plan, deadline first
    r = duty.post(f"/cases/{case_id}/update", data={
        "responsible_person": "李四", "responsible_unit": "华新镇劳动保障所", "plan": "约谈企业负责人，督促一周内补发",
        "deadline": (date.today() + timedelta(days=7)).isoformat(), "csrf_token": token})
    assert "已保存" in r.text and "李四" in r.text
    r = duty.post(f"/cases/{case_id}/transition", data={"to": "resolving", "csrf_token": token})
    assert "化解中" in r.text and "办理记录" in r.text and "责任人" in r.text
    with web_db.session() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.target_type == "case"))]
    assert actions == ["case.transition", "case.update", "case.transition"]


def test_case_export_xlsx(client_as: Callable[..., TestClient], web_db: Database) -> None:
    _case(web_db, "导出案件一")
    _case(web_db, "导出案件二")
    r = client_as("readonly").get("/cases/export.xlsx?status=")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    cells = [str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "导出案件一" in cells and "导出案件二" in cells


def test_incidents_list_page_step_and_export(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from ledger import Incidents

    inc = Incidents(web_db).open(title="某厂工人聚集讨薪", level="I", by="测试", town="赵巷镇", workers=40)
    c = client_as("duty")
    listing = c.get("/incidents")
    assert listing.status_code == 200 and "某厂工人聚集讨薪" in listing.text
    page = c.get(f"/incidents/{inc.id}")
    assert page.status_code == 200 and "接报" in page.text
    r = c.post(f"/incidents/{inc.id}/step", data={"stage": "on_scene", "note": "镇劳动保障所到场",
                                                 "csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and "已记录处置节点" in r.text and "镇劳动保障所到场" in r.text
    x = c.get("/incidents/export.xlsx")
    wb = load_workbook(io.BytesIO(x.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][1] == "某厂工人聚集讨薪" and rows[1][8] == "到场"
    ro = client_as("readonly")
    token = csrf_of(ro.get(f"/incidents/{inc.id}").text)
    assert ro.post(f"/incidents/{inc.id}/step", data={"stage": "handling", "csrf_token": token}).status_code == 403

"""企业画像 and 重点监管服务名单 pages: find a firm, its profile with alerts and posts, list / confirm / delist with
roles, visits and the weeks without one, the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import csrf_of, seed_alert

from companies import SupervisionList, load_supervision_config
from companies.models import Company, CompanyAlias
from laborwatch.web.models import AuditEntry
from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.settings import REPO_ROOT

CODE = "91310118TEST00001X"  # the company of webui_support.seed_alert


def _company(db: Database) -> None:
    now = utcnow()
    with db.session() as s:
        s.add(Company(credit_code=CODE, name="上海青浦某物流有限公司", town="赵巷镇", industry="物流",
                      key_supervision=False, is_test=True, created_at=now, updated_at=now))
        s.flush()
        s.add(CompanyAlias(credit_code=CODE, alias="青浦某物流"))


def test_find_by_alias_and_profile_shows_alerts_and_posts(web_db: Database,
                                                         client_as: Callable[..., TestClient]) -> None:
    _company(web_db)
    alert_id = seed_alert(web_db, n_posts=3)
    client = client_as("readonly")
    page = client.get("/companies", params={"q": "青浦某物流"})
    assert page.status_code == 200 and f'href="/companies/{CODE}"' in page.text
    assert 'href="/companies"' in page.text  # in the navigation
    profile = client.get(f"/companies/{CODE}")
    assert profile.status_code == 200
    assert "关联帖文 3 条 · 预警 1 条 · 台账案件 0 件" in profile.text
    assert f'href="/alerts/{alert_id}"' in profile.text and "拖欠工资 1" in profile.text
    assert "list-form" not in profile.text and "visit-form" not in profile.text  # read-only role: no forms
    assert '<span id="operating">在营</span>' in profile.text
    assert 'href="/companies/followup"' in page.text
    assert client.get("/companies/NOPE").status_code == 404


def test_list_delist_roles_and_audit(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    _company(web_db)
    verifier = client_as("verifier")
    token = csrf_of(verifier.get(f"/companies/{CODE}").text)
    form = {"csrf_token": token, "credit_code": CODE, "ground": "latent_dispute", "reason": "多次欠薪投诉",
            "risk_level": "II", "person_in_charge": "张三", "key_area": "1"}
    assert verifier.post("/companies/supervision/add", data=form, follow_redirects=False).status_code == 403
    duty = client_as("duty")
    form["csrf_token"] = csrf_of(duty.get(f"/companies/{CODE}").text)
    r = duty.post("/companies/supervision/add", data=form)
    assert r.status_code == 200 and "已列入重点监管服务名单" in r.text and "存在劳资纠纷隐患" in r.text
    assert "delist-form" in r.text
    again = duty.post("/companies/supervision/add", data=form)
    assert "未列入" in again.text and "already has list entry" in again.text
    entry = SupervisionList(web_db).entries(credit_code=CODE)[0]
    # the bureau's date (the listing date is Shanghai's): between 16:00 and 24:00 UTC the host's date is a day behind
    today = datetime.now(SHANGHAI).date()
    r = duty.post(f"/companies/supervision/{entry.id}/delist",
                  data={"csrf_token": form["csrf_token"], "reason": "整改到位", "delisted_on": today.isoformat()})
    assert "已移出重点监管服务名单" in r.text
    export = duty.get("/companies/supervision/export.xlsx", params={"status": "delisted"})
    assert export.status_code == 200 and export.content[:2] == b"PK"  # an .xlsx (zip) file
    listing = duty.get("/companies", params={"status": "delisted"})
    assert re.search(rf'data-entry="{entry.id}".*?已移出', listing.text, re.S)
    with web_db.sessions() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "supervision")
                            .order_by(AuditEntry.id)).all()
    assert actions == ["supervision.add", "supervision.delist"]


def test_visit_form_and_weeks_without_visit(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    _company(web_db)
    period = load_supervision_config(REPO_ROOT / "configs" / "supervision.yaml").periods[0]
    SupervisionList(web_db).add(CODE, ground="incident_risk", reason="重点时段", risk_level="II", actor="admin",
                                key_area=True, listed_on=period.start - timedelta(days=10))
    verifier = client_as("verifier")
    page = verifier.get(f"/companies/{CODE}")
    r = verifier.post(f"/companies/{CODE}/visits", data={
        "csrf_token": csrf_of(page.text), "visited_on": period.start.isoformat(), "visitor": "李四",
        "findings": "已约谈负责人", "next_step": "下周复查"})
    assert "已登记指导走访" in r.text and "已约谈负责人" in r.text
    bad = verifier.post(f"/companies/{CODE}/visits", data={
        "csrf_token": csrf_of(page.text), "visited_on": "昨天", "visitor": "李四", "findings": "x"})
    assert "日期格式无效" in bad.text
    due = verifier.get("/companies").text.split('id="visits-due"')[1].split("</table>")[0]
    expected = SupervisionList(web_db).visits_due((period,))
    assert expected, "the shipped period has weeks after its first one"
    assert due.count("上海青浦某物流有限公司") == len(expected)
    assert f"{expected[0].week_start} 至 {expected[0].week_end}" in due
    assert period.name in due and "上次走访" in verifier.get("/companies").text


def test_blacklist_and_credit_repair_need_admin(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    _company(web_db)
    duty = client_as("duty")
    token = csrf_of(duty.get(f"/companies/{CODE}").text)
    form = {"csrf_token": token, "decision_no": "青人社失信〔2026〕7号", "decided_on": "2026-09-01",
            "reason": "拖欠农民工工资", "amount_yuan": "120000", "workers": "12"}
    assert duty.post(f"/companies/{CODE}/blacklist", data=form, follow_redirects=False).status_code == 403
    admin = client_as("admin")
    form["csrf_token"] = csrf_of(admin.get(f"/companies/{CODE}").text)
    page = admin.post(f"/companies/{CODE}/blacklist", data=form)
    assert "已列入拖欠农民工工资失信联合惩戒名单" in page.text and 'id="blacklisted"' in page.text
    entry_id = int(re.search(r'data-blacklist="(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    token = form["csrf_token"]
    page = admin.post(f"/companies/blacklist/{entry_id}/repair-apply", data={"csrf_token": token,
                                                                             "on": "2026-11-01"})
    assert "修复申请审核中" in page.text
    duty_token = csrf_of(duty.get(f"/companies/{CODE}").text)
    assert duty.post(f"/companies/blacklist/{entry_id}/repair-decide", follow_redirects=False,
                     data={"csrf_token": duty_token, "on": "2026-11-02", "outcome": "approve",
                           "note": "x"}).status_code == 403
    page = admin.post(f"/companies/blacklist/{entry_id}/repair-decide",
                      data={"csrf_token": token, "on": "2026-11-02", "outcome": "approve", "note": "已足额支付"})
    assert "准予修复" in page.text and 'id="blacklisted"' not in page.text
    with web_db.sessions() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "blacklist")
                            .order_by(AuditEntry.id)).all()
    assert actions == ["blacklist.add", "blacklist.repair-apply", "blacklist.repair-decide"]


def test_unlinked_mention_is_linked_from_the_page(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    from alerting.models import Alert

    _company(web_db)
    alert_id = seed_alert(web_db)
    with web_db.session() as s:
        alert = s.get(Alert, alert_id)
        alert.company_id, alert.company_registered, alert.company_name = None, False, "青浦某物流分拣中心"
    readonly = client_as("readonly")
    page = readonly.get("/companies/mentions")
    assert 'data-mention="青浦某物流分拣中心"' in page.text and "<form" not in page.text.split('id="mentions"')[1]
    verifier = client_as("verifier")
    page = verifier.get("/companies/mentions")
    r = verifier.post("/companies/mentions/link", data={"csrf_token": csrf_of(page.text),
                                                        "mention": "青浦某物流分拣中心", "company": "青浦某物流"})
    assert "已将“青浦某物流分拣中心”关联到 上海青浦某物流有限公司" in r.text
    assert 'data-mention="青浦某物流分拣中心"' not in r.text
    profile = verifier.get(f"/companies/{CODE}")
    assert "预警 1 条" in profile.text and "青浦某物流分拣中心" in profile.text


def test_followup_list_shows_firms_with_verified_cases(web_db: Database,
                                                       client_as: Callable[..., TestClient]) -> None:
    from ledger import Ledger

    _company(web_db)
    ledger = Ledger(web_db)
    case = ledger.create_case(by="duty", title="欠薪", company_id=CODE, enterprise_name="上海青浦某物流有限公司")
    page = client_as("readonly").get("/companies/followup")
    assert "共 1 家，待跟进 0 家" in page.text
    row = page.text.split(f'data-followup="{CODE}"')[1].split("</tr>")[0]
    assert "案件办理中" in row and "1（1）" in row
    ledger.transition(case.id, "unfounded", by="duty", note="核实不属实")
    page = client_as("readonly").get("/companies/followup")
    assert f'data-followup="{CODE}"' not in page.text


def test_casework_page_refers_and_steps_the_fund(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    from ledger import Ledger

    case = Ledger(web_db).create_case(by="duty", title="工地欠薪", workers=40, amount_yuan=600000)
    verifier = client_as("verifier")
    page = verifier.get(f"/cases/{case.id}/casework")
    assert page.status_code == 200 and "尚未移送" in page.text and "referral-form" not in page.text
    token = csrf_of(page.text)
    assert verifier.post(f"/cases/{case.id}/referrals", follow_redirects=False, data={
        "csrf_token": token, "department": "court", "sent_on": "2026-11-01"}).status_code == 403
    duty = client_as("duty")
    token = csrf_of(duty.get(f"/cases/{case.id}/casework").text)
    r = duty.post(f"/cases/{case.id}/referrals", data={"csrf_token": token, "department": "other_district",
                                                       "other_district": "松江区", "sent_on": "2026-11-01",
                                                       "due_on": "2026-11-10"})
    assert "已移送外区（区区联动）" in r.text and "逾期未回复" in r.text and "（松江区）" in r.text
    bad = duty.post(f"/cases/{case.id}/fund", data={"csrf_token": token, "to": "paid", "amount_yuan": "1",
                                                    "on": "2026-11-02"})
    assert "未保存" in bad.text and "not allowed" in bad.text
    r = duty.post(f"/cases/{case.id}/fund", data={"csrf_token": token, "to": "requested",
                                                  "amount_yuan": "600000", "on": "2026-11-02"})
    assert "欠薪保障金：已申请" in r.text and "600000" in r.text
    assert duty.get("/cases/999999/casework").status_code == 404

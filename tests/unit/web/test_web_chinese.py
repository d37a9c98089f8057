"""No raw codes, JSON or English reach officers: display names, readable timelines, Chinese error pages and
messages, server-only flash messages, security headers and audited refusals."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import csrf_of, seed_alert

from laborwatch.web.labels import DisplayNames
from laborwatch.web.messages import zh_error
from lwcore.db import Database
from lwcore.settings import Settings

RAW = re.compile(r'\{"|\\u[0-9a-f]{4}|"detail"|Not Found|Internal Server Error|field required|not a number',
                 re.IGNORECASE)


def _main(html: str) -> str:
    return html.split('<main id="content">', 1)[1].split("</main>", 1)[0]


def test_display_names_come_from_the_config_files(tmp_settings: Settings) -> None:
    names = DisplayNames.load(tmp_settings)
    assert names.source("weibo-search").startswith("微博")
    assert names.rule("key_supervision") == "重点监管服务名单企业出现相关信息"
    assert names.industry("construction") == "建筑业" and names.industry("zz_new_code") == "其他行业"
    assert names.field("responsible_unit") == "责任单位"
    assert names.source("unknown-source") == "其他信息源"


def test_event_detail_is_readable_chinese_without_internal_keys() -> None:
    names = DisplayNames(rules={"group_action": "群体性事件或停工罢工"})
    pairs = dict(names.detail({
        "level": "II", "rules": ["group_action"], "posts": ["a", "b", "c"], "outbox": [7, 8],
        "recipients": ["duty_officer:张值班<zhang@example.gov.cn>(email)"], "via": "link", "silence_id": 3,
        "next_deadline": "2026-03-10T01:30:00+00:00",
    }))
    assert pairs == {"级别": "二级", "触发规则": "群体性事件或停工罢工", "信息数": "3 条", "通知对象": "张值班",
                     "方式": "邮件链接", "下次时限": "2026-03-10 09:30"}


def test_ledger_and_account_errors_become_chinese() -> None:
    from laborwatch.web.errors import AccountError
    from ledger.errors import InvalidTransition, StaleVersion, ValidationError

    names = DisplayNames(fields={"workers": "涉及人数", "deadline": "化解时限"})
    assert zh_error(ValidationError("workers", "not a number of people: 'abc'"), names) == \
        "涉及人数须为人数（整数，如 30）"
    assert "日期格式无效" in zh_error(ValidationError("deadline", "not a date: 'x' (use YYYY-MM-DD)"), names)
    msg = zh_error(InvalidTransition("QP-1", "核实中", "化解中", "一人一案一策: set plan, deadline first"),
                   DisplayNames(fields={"plan": "化解方案", "deadline": "化解时限"}))
    assert msg == "不能由「核实中」变更为「化解中」：转入化解前须先填写：化解方案、化解时限（一人一案一策）"
    assert "他人修改" in zh_error(StaleVersion("case", 1, 1, 2))
    assert zh_error(AccountError("user 'li' already exists", zh="用户名「li」已存在")) == "用户名「li」已存在"
    assert zh_error(RuntimeError("boom")) == "操作未完成，请检查填写的内容后重试。"


def test_error_pages_are_chinese_html(client_as: Callable[..., TestClient], web_db: Database) -> None:
    duty = client_as("duty")
    for url, status, text in (("/no-such-page", 404, "页面或记录不存在"), ("/alerts/abc", 422, "提交的内容有误"),
                              ("/alerts/99999", 404, "预警 99999 不存在"), ("/cases/99999", 404, "记录不存在")):
        r = duty.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("text/html"), url
        assert text in r.text and not RAW.search(r.text), (url, _main(r.text))
    r = duty.get("/admin/users")  # the duty role may not manage users
    assert r.status_code == 403 and "您的角色无权执行此操作" in r.text


def test_refusals_are_audited(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from laborwatch.web.models import AuditEntry

    client_as("readonly").get("/admin/audit")
    with web_db.session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")))
    assert [(r.username, r.detail["path"]) for r in rows] == [("u_readonly", "/admin/audit")]
    page = client_as("admin").get("/admin/audit").text
    assert "越权访问被拒绝" in page and "access.denied" not in page


def test_security_headers_on_every_response(client_as: Callable[..., TestClient], make_app: Any) -> None:
    for r in (TestClient(make_app()).get("/login"), client_as("duty").get("/alerts")):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_flash_only_from_the_server(client_as: Callable[..., TestClient], web_db: Database) -> None:
    alert_id = seed_alert(web_db)
    duty = client_as("duty")
    forged = duty.get(f"/alerts/{alert_id}?fk=ok&flash=请立即拨打电话 400-000")
    assert "400-000" not in forged.text
    token = csrf_of(forged.text)
    r = duty.post(f"/alerts/{alert_id}/silence", data={"hours": "abc", "reason": "测试", "csrf_token": token})
    assert r.status_code == 200 and "静默时长须为数字（小时），收到「abc」" in r.text
    assert not RAW.search(r.text)


def test_alert_page_shows_names_and_a_readable_timeline(client_as: Callable[..., TestClient],
                                                        web_db: Database) -> None:
    from alerting.models import Alert, AlertEvent

    alert_id = seed_alert(web_db)
    with web_db.session() as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None
        alert.industry, alert.rules = "construction", ["key_supervision"]
        s.add(AlertEvent(alert_id=alert_id, at=alert.created_at, kind="escalated", actor="system",
                         detail={"step": 1, "role": "duty_backup", "outbox": [1],
                                 "recipients": ["李备班<li@example.gov.cn>"], "manual": False}))
    page = _main(client_as("duty").get(f"/alerts/{alert_id}").text)
    assert "建筑业" in page and "construction" not in page
    assert "重点监管服务名单企业出现相关信息" in page and "key_supervision" not in page
    timeline = page.split('id="alert-events"', 1)[1]
    assert "逐级上报" in timeline and "备班人员" in timeline and "李备班" in timeline
    assert not RAW.search(timeline) and "outbox" not in timeline and "duty_backup" not in timeline


def test_case_errors_and_history_in_chinese(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from ledger import Ledger

    case = Ledger(web_db).create_case(by="u_admin", title="某公司欠薪", town="赵巷镇")
    admin = client_as("admin")
    token = csrf_of(admin.get(f"/cases/{case.id}").text)
    r = admin.post(f"/cases/{case.id}/update", data={"workers": "很多", "version": str(case.version),
                                                     "csrf_token": token})
    assert "涉及人数须为人数" in r.text and "not a" not in r.text
    r = admin.post(f"/cases/{case.id}/update", data={"responsible_unit": "赵巷镇劳动保障所",
                                                     "version": str(case.version), "csrf_token": token})
    history = r.text.split('id="case-history"', 1)[1]
    assert "责任单位：（空） → 赵巷镇劳动保障所" in history and "responsible_unit" not in history


def test_an_unexpected_error_is_a_chinese_500_page(make_app: Any, monkeypatch: Any) -> None:
    from webui_support import login

    from laborwatch.web.routes import overview

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("database exploded: KeyError 'x'")

    monkeypatch.setattr(overview, "build_overview", broken)
    client = login(TestClient(make_app(), raise_server_exceptions=False), "u_duty")
    r = client.get("/")
    assert r.status_code == 500 and "系统内部错误" in r.text
    assert "exploded" not in r.text and not RAW.search(r.text)

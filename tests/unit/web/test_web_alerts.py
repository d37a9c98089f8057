from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from webui_support import csrf_of, login, seed_alert

from laborwatch.web.models import AuditEntry, FeedbackLabel
from lwcore.db import Database, utcnow
from lwcore.settings import Settings


def test_inbox_lists_open_alerts_by_level_with_deadlines(client_as: Callable[..., TestClient],
                                                         web_db: Database) -> None:
    seed_alert(web_db, level="III", title="三级预警样例")
    seed_alert(web_db, level="I", title="一级预警样例", deadline_minutes=-5)
    page = client_as("readonly").get("/alerts")
    assert page.status_code == 200
    text = page.text
    assert text.index("一级预警样例") < text.index("三级预警样例")  # most severe first
    assert "已超时" in text and "共 2 条" in text
    only_late = client_as("readonly").get("/alerts?overdue=1").text
    assert "一级预警样例" in only_late and "三级预警样例" not in only_late


def test_duty_acknowledges_readonly_and_verifier_cannot(client_as: Callable[..., TestClient], web_db: Database) -> None:
    alert_id = seed_alert(web_db)
    for role in ("readonly", "verifier"):
        c = client_as(role)
        page = c.get(f"/alerts/{alert_id}")
        assert page.status_code == 200 and 'id="ack"' not in page.text
        assert c.post(f"/alerts/{alert_id}/ack", data={"csrf_token": csrf_of(page.text)}).status_code == 403
    duty = client_as("duty")
    page = duty.get(f"/alerts/{alert_id}")
    assert duty.post(f"/alerts/{alert_id}/ack", data={}).status_code == 403  # no CSRF token
    r = duty.post(f"/alerts/{alert_id}/ack", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and "已签收" in r.text and "u_duty" in r.text
    from alerting.models import Alert

    with web_db.session() as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None and alert.status == "acknowledged" and alert.acked_via == "web"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.ack")).one()
        assert audit.username == "u_duty" and audit.target_id == str(alert_id)


def _escalating_client(tmp_settings: Settings, web_db: Database, smtp_server: Any, role: str) -> TestClient:
    """A client of an app whose settings can sign acknowledgement links and reach the test SMTP server."""
    from laborwatch.web import create_app

    settings = tmp_settings.model_copy(update={
        "alerting": tmp_settings.alerting.model_copy(update={"secret_key": SecretStr("web-test-secret")}),
        "smtp": tmp_settings.smtp.model_copy(update={"host": smtp_server.host, "port": smtp_server.port}),
    })
    return login(TestClient(create_app(settings, web_db)), f"u_{role}")


def test_escalate_sends_to_the_next_level_at_once(tmp_settings: Settings, web_db: Database, accounts: Any,
                                                  smtp_server: Any) -> None:
    from alerting.models import Alert, AlertEvent, OutboxMessage

    alert_id = seed_alert(web_db)
    with _escalating_client(tmp_settings, web_db, smtp_server, "duty") as duty:
        token = csrf_of(duty.get(f"/alerts/{alert_id}").text)
        r = duty.post(f"/alerts/{alert_id}/escalate", data={"reason": "涉及人数多", "csrf_token": token})
        assert r.status_code == 200 and "已升级（第1级）：已通知" in r.text, r.text
        with web_db.session() as s:
            alert = s.get(Alert, alert_id)
            assert alert is not None and alert.escalation_step == 1 and alert.ack_deadline is not None
            ev = s.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id,
                                                    AlertEvent.kind == "escalated")).one()
            assert ev.actor == "u_duty" and ev.detail["manual"] is True and ev.detail["reason"] == "涉及人数多"
            rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.alert_id == alert_id)))
            assert rows and {r.kind for r in rows} == {"escalation"} and {r.status for r in rows} == {"sent"}
            audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.escalate")).one()
            assert audit.username == "u_duty" and audit.target_id == str(alert_id)
        # sent at once, not at the next minute tick: the SMTP server already holds them
        mails = smtp_server.wait_for(len(rows), timeout=5)
        assert sorted(m["To"] for m in mails) == sorted(r.recipient for r in rows)
        assert all(m["Subject"].startswith("【人工上报】") and "涉及人数多" in m.get_body(("plain",)).get_content()
                   for m in mails)
        # the next press goes one level further up; once every level has been told, it is refused
        r = duty.post(f"/alerts/{alert_id}/escalate", data={"reason": "", "csrf_token": token})
        assert "已升级（第2级）" in r.text
        r = duty.post(f"/alerts/{alert_id}/escalate", data={"reason": "", "csrf_token": token})
        assert "升级失败" in r.text and "最高一级" in r.text
        with web_db.session() as s:
            assert s.get(Alert, alert_id).escalation_step == 2  # type: ignore[union-attr]


def test_escalate_refused_for_acknowledged_alert_and_readonly(tmp_settings: Settings, web_db: Database,
                                                              accounts: Any, smtp_server: Any) -> None:
    from alerting.ack import acknowledge
    from alerting.models import OutboxMessage

    alert_id = seed_alert(web_db)
    with _escalating_client(tmp_settings, web_db, smtp_server, "readonly") as ro:
        token = csrf_of(ro.get(f"/alerts/{alert_id}").text)
        assert ro.post(f"/alerts/{alert_id}/escalate", data={"csrf_token": token}).status_code == 403
    acknowledge(web_db, alert_id, by="张伟", via="web")
    with _escalating_client(tmp_settings, web_db, smtp_server, "duty") as duty:
        token = csrf_of(duty.get(f"/alerts/{alert_id}").text)
        r = duty.post(f"/alerts/{alert_id}/escalate", data={"reason": "x", "csrf_token": token})
        assert "升级失败" in r.text and "已签收" in r.text
        assert duty.post("/alerts/999999/escalate", data={"csrf_token": token}).status_code == 404
    with web_db.session() as s:
        assert list(s.scalars(select(OutboxMessage))) == []
    assert smtp_server.messages == []


def test_escalate_without_signing_key_is_reported_not_lost(client_as: Callable[..., TestClient],
                                                          web_db: Database) -> None:
    from alerting.models import Alert

    alert_id = seed_alert(web_db)  # tmp_settings has no LW_SECRET_KEY: ack links cannot be signed
    duty = client_as("duty")
    token = csrf_of(duty.get(f"/alerts/{alert_id}").text)
    r = duty.post(f"/alerts/{alert_id}/escalate", data={"reason": "涉及人数多", "csrf_token": token})
    assert "升级失败" in r.text and "LW_SECRET_KEY" in r.text
    with web_db.session() as s:
        assert s.get(Alert, alert_id).escalation_step == 0  # type: ignore[union-attr]


def test_silence(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting.models import Silence

    alert_id = seed_alert(web_db)
    duty = client_as("duty")
    token = csrf_of(duty.get(f"/alerts/{alert_id}").text)
    r = duty.post(f"/alerts/{alert_id}/silence", data={"scope": "alert", "hours": "12", "reason": "",
                                                       "csrf_token": token})
    assert "静默需要填写原因" in r.text
    r = duty.post(f"/alerts/{alert_id}/silence", data={"scope": "company", "hours": "12", "reason": "已约谈企业",
                                                       "csrf_token": token})
    assert "已静默" in r.text
    with web_db.session() as s:
        sil = s.scalars(select(Silence)).one()
        assert sil.scope == "company" and sil.value == "91310118TEST00001X" and sil.created_by == "u_duty"
        assert timedelta(hours=11) < sil.until - utcnow() <= timedelta(hours=12)


def test_verify_alert_posts_stores_labels_without_index(client_as: Callable[..., TestClient],
                                                        web_db: Database) -> None:
    alert_id = seed_alert(web_db, n_posts=2)
    verifier = client_as("verifier")
    token = csrf_of(verifier.get(f"/alerts/{alert_id}").text)
    r = verifier.post(f"/alerts/{alert_id}/verify", data={
        "decision": "confirm", "event_type": ["wage_arrears", "group_action"], "employer": "上海青浦某物流有限公司",
        "workers": "30", "amount_yuan": "300000", "note": "电话核实属实", "csrf_token": token,
    })
    assert r.status_code == 200 and "已记录核实结论：确认属实，共 2 条" in r.text
    assert "暂未写入检索索引" in r.text  # no ES client in this app: label kept, index copy pending
    with web_db.session() as s:
        labels = list(s.scalars(select(FeedbackLabel).order_by(FeedbackLabel.id)))
    assert [lb.post_id for lb in labels] == [f"p-test-{alert_id}-0", f"p-test-{alert_id}-1"]
    assert all(lb.labor_dispute and lb.event_types == ["wage_arrears", "group_action"] for lb in labels)
    assert labels[0].alert_id == str(alert_id) and labels[0].username == "u_verifier"
    assert "三十多名工人" in labels[0].text
    r = verifier.post(f"/alerts/{alert_id}/verify", data={"decision": "confirm", "csrf_token": token})
    assert "至少选择一个事件类型" in r.text
    ro = client_as("readonly")
    page = ro.get(f"/alerts/{alert_id}")
    assert 'id="verify-form"' not in page.text
    assert ro.post(f"/alerts/{alert_id}/verify", data={"decision": "not_dispute",
                                                       "csrf_token": csrf_of(page.text)}).status_code == 403


def test_open_case_from_alert_then_attach_another(client_as: Callable[..., TestClient], web_db: Database) -> None:
    first = seed_alert(web_db, title="赵巷某厂欠薪")
    second = seed_alert(web_db, title="赵巷某厂欠薪（续）")
    verifier = client_as("verifier")
    token = csrf_of(verifier.get(f"/alerts/{first}").text)
    r = verifier.post(f"/alerts/{first}/case", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")
    case_id = int(r.headers["location"].rsplit("/", 1)[1])
    page = verifier.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "赵巷某厂欠薪" in page.text and f"#{first}" in page.text
    r = verifier.post(f"/alerts/{second}/case", data={"case_id": str(case_id), "csrf_token": token},
                      follow_redirects=False)
    assert r.headers["location"] == f"/cases/{case_id}"
    page = verifier.get(f"/alerts/{second}")
    assert 'id="linked-case"' in page.text
    assert client_as("readonly").post(f"/alerts/{first}/case", data={"csrf_token": token}).status_code == 403


def test_unknown_alert_is_404(client_as: Callable[..., TestClient]) -> None:
    r = client_as("readonly").get("/alerts/999999")
    assert r.status_code == 404 and "不存在" in r.text

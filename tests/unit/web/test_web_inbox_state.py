"""The inbox shows what was done with each alert; 排除 closes an alert; bulk actions; the overview page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import csrf_of, seed_alert

from lwcore.db import Database, utcnow


def _row(html: str, alert_id: int) -> str:
    m = re.search(rf'<tr class="([^"]*)" data-alert="{alert_id}">(.*?)</tr>', html, re.S)
    assert m, f"alert {alert_id} not in the list"
    return m.group(1) + " " + m.group(2)


def _verify(client: TestClient, alert_id: int, decision: str, note: str = "", **extra: str) -> str:
    token = csrf_of(client.get(f"/alerts/{alert_id}").text)
    data = {"decision": decision, "note": note, "csrf_token": token, **extra}
    r = client.post(f"/alerts/{alert_id}/verify", data=data)
    assert r.status_code == 200
    return r.text


def test_dismissing_every_post_closes_the_alert(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting.models import Alert, AlertEvent

    alert_id = seed_alert(web_db, n_posts=2)
    verifier = client_as("verifier")
    token = csrf_of(verifier.get(f"/alerts/{alert_id}").text)
    # a dismissal needs its reason
    r = verifier.post(f"/alerts/{alert_id}/verify", data={"decision": "not_dispute", "csrf_token": token})
    assert "排除需要在「备注」中写明原因" in r.text
    # one post dismissed: the alert stays open
    r = verifier.post(f"/alerts/{alert_id}/verify", data={"decision": "not_dispute", "csrf_token": token,
                                                          "post_id": f"p-test-{alert_id}-0", "note": "招聘广告"})
    assert "已关闭" not in r.text.split('id="alert-status"')[1].split("</dd>")[0]
    # the second one too: closed, shown as 已排除, out of the default inbox
    text = _verify(verifier, alert_id, "duplicate", note="与预警 12 重复", post_id=f"p-test-{alert_id}-1")
    assert "预警已关闭" in text and "已排除" in text.split('id="alert-status"')[1].split("</dd>")[0]
    with web_db.session() as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None and alert.status == "closed" and alert.ack_deadline is None
        event = s.scalars(select(AlertEvent).where(AlertEvent.kind == "closed")).one()
        assert event.actor == "u_verifier" and event.detail["reason"] == "与预警 12 重复"
    assert "关闭预警" in text.split('id="alert-events"')[1]
    duty = client_as("duty")
    assert f'data-alert="{alert_id}"' not in duty.get("/alerts").text
    assert "已排除" in _row(duty.get("/alerts?status=closed").text, alert_id)
    # a later confirmation reopens it
    text = _verify(verifier, alert_id, "confirm", event_type="wage_arrears")
    assert "预警已重新打开" in text
    with web_db.session() as s:
        assert s.get(Alert, alert_id).status == "open"  # type: ignore[union-attr]


def test_inbox_badges_tell_new_silenced_escalated_and_verified_apart(client_as: Callable[..., TestClient],
                                                                     web_db: Database) -> None:
    from alerting.models import Alert

    new = seed_alert(web_db, title="新预警")
    silenced = seed_alert(web_db, title="静默的预警")
    escalated = seed_alert(web_db, title="已升级的预警")
    verified = seed_alert(web_db, title="已核实的预警")
    with web_db.session() as s:
        s.get(Alert, silenced).silenced = True  # type: ignore[union-attr]
        s.get(Alert, escalated).escalation_step = 1  # type: ignore[union-attr]
    _verify(client_as("verifier"), verified, "confirm", event_type="wage_arrears")
    page = client_as("readonly").get("/alerts").text
    assert "state-open" in _row(page, new) and ">待签收<" in _row(page, new)
    assert "state-silenced" in _row(page, silenced) and ">已静默<" in _row(page, silenced)
    assert "state-escalated" in _row(page, escalated) and ">已升级<" in _row(page, escalated)
    assert "state-confirmed" in _row(page, verified) and ">已核实<" in _row(page, verified)
    assert 'data-refresh="60"' in page and 'src="/static/app.js"' in page


def test_bulk_acknowledge_and_dismiss(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting.models import Alert

    a, b, c = (seed_alert(web_db, title=f"批量{i}") for i in range(3))
    duty = client_as("duty")
    token = csrf_of(duty.get("/alerts").text)
    r = duty.post("/alerts/bulk", data={"action": "ack", "alert_id": [str(a), str(b)], "csrf_token": token})
    assert "已签收 2 条预警" in r.text
    r = duty.post("/alerts/bulk", data={"action": "dismiss", "alert_id": [str(c)], "reason": "广告",
                                        "csrf_token": token})
    assert "已排除 1 条预警的全部信息，关闭预警 1 条" in r.text
    r = duty.post("/alerts/bulk", data={"action": "dismiss", "alert_id": [str(a)], "csrf_token": token})
    assert "批量排除需要填写原因" in r.text
    r = duty.post("/alerts/bulk", data={"action": "confirm", "alert_id": [str(a)], "csrf_token": token})
    assert "已确认属实 1 条预警的全部信息" in r.text
    assert ">已核实<" in _row(duty.get("/alerts?status=all").text, a)
    with web_db.session() as s:
        assert [s.get(Alert, i).status for i in (a, b, c)] == ["acknowledged", "acknowledged", "closed"]  # type: ignore[union-attr]
    readonly = client_as("readonly")
    r = readonly.post("/alerts/bulk", data={"action": "ack", "alert_id": [str(c)],
                                            "csrf_token": csrf_of(readonly.get("/alerts/" + str(a)).text)})
    assert r.status_code == 403


def test_overview_is_the_landing_page(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from alerting.models import Alert
    from ledger import Ledger

    first = seed_alert(web_db, level="I", title="一级欠薪", town="华新镇")
    seed_alert(web_db, level="III", title="三级欠薪", town="华新镇")
    old = seed_alert(web_db, level="II", title="十天前")
    with web_db.session() as s:
        s.get(Alert, old).created_at = utcnow() - timedelta(days=10)  # type: ignore[union-attr]
        s.get(Alert, first).silenced = True  # type: ignore[union-attr]
    ledger = Ledger(web_db)
    case = ledger.create_case(by="u_admin", title="超期的台账", town="赵巷镇")
    ledger.update(case.id, by="u_admin", deadline="2020-01-01", expected_version=case.version)
    duty = client_as("duty")
    page = duty.get("/")
    assert page.status_code == 200
    text = page.text
    assert re.search(r'id="today-total">2<', text)
    level_state = text.split('id="level-state"')[1].split("</table>")[0]
    assert "已静默" in level_state and "待签收" in level_state
    trend = text.split('id="trend"')[1].split('class="trend-axis"')[0]
    assert trend.count('class="day"') == 30 and trend.count("zero") == 28  # empty days are drawn
    towns = text.split('id="town-grid"')[1].split("</div>\n")[0]
    assert "练塘镇" in towns and "华新镇" in towns  # every town of the district, not only those with alerts
    assert "超期的台账" in text and 'data-urgent="1"' in text
    assert "微博" in text.split('id="by-source"')[1] or "其他信息源" in text.split('id="by-source"')[1]


def test_hot_terms_count_each_post_once_and_skip_common_words() -> None:
    from laborwatch.web.overview import hot_terms

    def cut(text: str) -> list[str]:
        return text.split()

    texts = ["华新镇 电子厂 停产 工资 停产", "电子厂 老板 失联 工资", "电子厂 停产 2026年", "物流 快递员"]
    assert hot_terms(texts, cut) == [("电子厂", 3), ("停产", 2)]

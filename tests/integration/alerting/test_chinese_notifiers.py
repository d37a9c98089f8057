"""企业微信 / 钉钉 group robots and the SMS gateway against real HTTP servers on loopback.

The servers check what the real services check (robot key, DingTalk's timestamp + HMAC-SHA256 sign, the SMS
gateway's HMAC headers). Through the engine: an alert reaches every channel of its level; a dead endpoint keeps
the message in the outbox (retried with backoff, delivered once it is back), and an endpoint that never comes
back ends dead, recorded on the alert and reported to the administrators by e-mail: never silently dropped.
"""

from __future__ import annotations

import json
import socket

import pytest
from alerting_it_support import settings_for  # type: ignore[import-not-found]
from loopback_http import DingTalkRobotServer, SmsGatewayServer, WeComRobotServer  # type: ignore[import-not-found]
from sqlalchemy import select

from alerting import AlertEngine
from alerting.errors import PermanentDeliveryError, TemporaryDeliveryError
from alerting.models import AlertEvent, OutboxMessage
from alerting.notifiers import OutgoingMessage, build_notifier
from alerting.notifiers.dingtalk import DingTalkRobot
from alerting.notifiers.sms import SmsGateway
from alerting.notifiers.wecom import WeComRobot
from alerting.testing import company, make_item

pytestmark = pytest.mark.integration

WECOM_KEY, DT_TOKEN, DT_SECRET, SMS_SECRET = "wk-123", "dt-token-456", "SECabc789", "sms-secret-0"
ENV = {
    "LW_TEST_WECOM_KEY": WECOM_KEY,
    "LW_TEST_DT_TOKEN": DT_TOKEN,
    "LW_TEST_DT_SECRET": DT_SECRET,
    "LW_TEST_SMS_SECRET": SMS_SECRET,
}


def _msg(recipient: str, n: int = 1) -> OutgoingMessage:
    return OutgoingMessage(
        n,
        recipient,
        "【二级预警】上海某物流有限公司疑似拖欠工资（3条相关信息）",
        {"markdown": "**二级预警** 上海某物流有限公司", "text": "二级预警 上海某物流有限公司"},
        f"<m{n}@x>",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wecom_robot_key_from_the_environment(tmp_path):
    settings = settings_for(tmp_path, 25)
    with WeComRobotServer(WECOM_KEY) as srv:
        robots = {"duty_group": WeComRobot(key_env="LW_TEST_WECOM_KEY", url=srv.url)}
        n = build_notifier("wecom", settings, robots=robots, environ=ENV)
        with n:
            n.send(_msg("duty_group"))
        [req] = srv.accepted
        assert req["query"] == {"key": WECOM_KEY}
        assert req["json"] == {"msgtype": "markdown", "markdown": {"content": "**二级预警** 上海某物流有限公司"}}
        wrong = build_notifier("wecom", settings, robots=robots, environ={"LW_TEST_WECOM_KEY": "stale-key"})
        with pytest.raises(PermanentDeliveryError, match="93000"):
            wrong.send(_msg("duty_group", 2))
        unset = build_notifier("wecom", settings, robots=robots, environ={})
        with pytest.raises(TemporaryDeliveryError, match="LW_TEST_WECOM_KEY is not set"):
            unset.send(_msg("duty_group", 3))
        srv.answer_with = {"errcode": 45009, "errmsg": "api freq out of limit"}  # > 20 messages a minute
        with pytest.raises(TemporaryDeliveryError, match="45009"):
            n.send(_msg("duty_group", 4))
        srv.answer_with, srv.fail_with = None, 503
        with pytest.raises(TemporaryDeliveryError, match="HTTP 503"):
            n.send(_msg("duty_group", 5))
        assert len(srv.accepted) == 1 and len(srv.refused) == 3  # the unset key never reached the server


def test_dingtalk_signed_request_is_accepted_and_a_wrong_secret_refused(tmp_path):
    settings = settings_for(tmp_path, 25)
    with DingTalkRobotServer(DT_TOKEN, DT_SECRET) as srv:
        robots = {
            "leaders": DingTalkRobot(
                token_env="LW_TEST_DT_TOKEN", secret_env="LW_TEST_DT_SECRET", url=srv.url, at_mobiles=("13800000000",)
            )
        }
        n = build_notifier("dingtalk", settings, robots=robots, environ=ENV)
        with n:
            n.send(_msg("leaders"))
        [req] = srv.accepted
        assert req["query"]["access_token"] == DT_TOKEN and req["query"]["timestamp"].isdigit()
        body = req["json"]
        assert body["markdown"]["title"].startswith("【二级预警】") and "@13800000000" in body["markdown"]["text"]
        assert body["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}
        forged = build_notifier("dingtalk", settings, robots=robots, environ={**ENV, "LW_TEST_DT_SECRET": "SECwrong"})
        with pytest.raises(PermanentDeliveryError, match="310000"):
            forged.send(_msg("leaders", 2))
        late = build_notifier("dingtalk", settings, robots=robots, environ=ENV, clock_ms=lambda: 1_000_000)
        with pytest.raises(PermanentDeliveryError, match="310000"):
            late.send(_msg("leaders", 3))  # a timestamp from 1970 fails DingTalk's one-hour window
        srv.answer_with = {"errcode": 130101, "errmsg": "send too fast"}
        with pytest.raises(TemporaryDeliveryError, match="130101"):
            n.send(_msg("leaders", 4))
        assert len(srv.accepted) == 1 and len(srv.refused) == 3


def test_sms_gateway_hmac_headers_and_answers(tmp_path):
    settings = settings_for(tmp_path, 25)
    with SmsGatewayServer("lw", SMS_SECRET) as srv:
        gw = SmsGateway(url=srv.url, key_id="lw", secret_env="LW_TEST_SMS_SECRET", sign_name="青浦区人社局")
        n = build_notifier("sms", settings, gateway=gw, environ=ENV)
        msg = OutgoingMessage(1, "13800000000", "s", {"text": "【二级预警】某公司疑似拖欠工资"}, "<m1@x>")
        with n:
            n.send(msg)
        [req] = srv.accepted
        assert json.loads(req["raw"]) == {
            "to": "13800000000",
            "text": "【二级预警】某公司疑似拖欠工资",
            "sign_name": "青浦区人社局",
            "message_id": "<m1@x>",
        }
        assert req["headers"]["x-lw-key-id"] == "lw" and len(req["headers"]["x-lw-signature"]) == 64
        forged = build_notifier("sms", settings, gateway=gw, environ={"LW_TEST_SMS_SECRET": "nope"})
        with pytest.raises(PermanentDeliveryError, match="HTTP 401"):
            forged.send(msg)
        with pytest.raises(PermanentDeliveryError, match="1001 invalid phone number"):
            n.send(OutgoingMessage(2, "not-a-phone", "s", {"text": "t"}, "<m2@x>"))
        srv.answer_with = {"code": 503, "message": "carrier busy", "retry": True}
        with pytest.raises(TemporaryDeliveryError, match="carrier busy"):
            n.send(msg)
        srv.answer_with, srv.fail_with = None, 502
        with pytest.raises(TemporaryDeliveryError, match="HTTP 502"):
            n.send(msg)


def _routing(tmp_path, wecom_url: str, dt_url: str, sms_url: str) -> None:
    p = tmp_path / "configs" / "routing.yaml"
    text = p.read_text(encoding="utf-8")
    old = "  II:\n    notify: [duty_officer, unit]\n    channels: [email]\n"
    assert old in text
    text = text.replace(
        old,
        "  II:\n    notify: [duty_officer, unit]\n    channels: [email, sms, wecom, dingtalk]\n"
        "    groups: [duty_group, leaders_group]\n",
    )
    text += (
        f"wecom_robots:\n  duty_group: {{key_env: LW_TEST_WECOM_KEY, url: '{wecom_url}'}}\n"
        f"dingtalk_robots:\n  leaders_group: {{token_env: LW_TEST_DT_TOKEN, secret_env: LW_TEST_DT_SECRET,"
        f" url: '{dt_url}'}}\n"
        f"sms_gateway: {{url: '{sms_url}', key_id: lw, secret_env: LW_TEST_SMS_SECRET, sign_name: 青浦区人社局}}\n"
    )
    p.write_text(text, encoding="utf-8")


def _rows(db, channel: str | None = None) -> list[OutboxMessage]:
    with db.session() as s:
        q = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            q = q.where(OutboxMessage.channel == channel)
        return list(s.scalars(q))


def _level_ii_items():
    c = company("上海某物流有限公司", "TEST-CN-1", town="华新镇", industry="logistics")
    return [
        make_item(event_id="cn", companies=(c,), workers=35, amount_yuan=420000, score=0.85, post_id=f"cn-{i}")
        for i in range(3)
    ]


def test_dead_endpoints_are_retried_then_delivered_once(tmp_path, smtp, sqlite_db, clock, monkeypatch):
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    ports = {name: _free_port() for name in ("wecom", "dingtalk", "sms")}  # nothing listens there yet
    settings = settings_for(tmp_path, smtp.port)
    _routing(
        tmp_path,
        f"http://127.0.0.1:{ports['wecom']}/cgi-bin/webhook/send",
        f"http://127.0.0.1:{ports['dingtalk']}/robot/send",
        f"http://127.0.0.1:{ports['sms']}/api/send",
    )
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    [alert] = eng.process(_level_ii_items())
    assert alert.level == "II"
    smtp.wait_for(2)
    down = [r for r in _rows(sqlite_db) if r.channel != "email"]
    assert sorted((r.channel, r.recipient) for r in down) == [
        ("dingtalk", "leaders_group"),
        ("sms", "021-0000-0001"),
        ("wecom", "duty_group"),
    ]
    for r in down:  # refused connections: kept for a retry, with the reason
        assert r.status == "pending" and r.attempts == 1 and "ConnectError" in (r.last_error or "")
        assert r.next_attempt_at > clock()
    assert down[0].payload.get("markdown") or down[0].payload.get("text")
    sms_row = next(r for r in down if r.channel == "sms")
    assert sms_row.payload["text"].startswith("【二级预警】上海某物流有限公司疑似拖欠工资")
    wecom = WeComRobotServer(WECOM_KEY, port=ports["wecom"])
    dt = DingTalkRobotServer(DT_TOKEN, DT_SECRET, port=ports["dingtalk"])
    sms = SmsGatewayServer("lw", SMS_SECRET, port=ports["sms"])
    try:
        clock.advance(seconds=6)  # past the first backoff (outbox_backoff_s: 5)
        rep = eng.tick()
        assert sorted(rep.dispatch.sent) == sorted(r.id for r in down)
        assert {r.status for r in _rows(sqlite_db)} == {"sent"}
        assert len(wecom.accepted) == len(dt.accepted) == len(sms.accepted) == 1
        assert wecom.refused == dt.refused == sms.refused == []
        assert "上海某物流有限公司" in wecom.accepted[0]["json"]["markdown"]["content"]
        assert json.loads(sms.accepted[0]["raw"])["to"] == "021-0000-0001"
        clock.advance(minutes=5)
        eng.tick()  # nothing is sent twice
        assert len(wecom.accepted) == len(dt.accepted) == len(sms.accepted) == 1
    finally:
        for srv in (wecom, dt, sms):
            srv.stop()


def test_an_endpoint_that_never_answers_ends_dead_and_the_admins_are_told(tmp_path, smtp, sqlite_db, clock, monkeypatch):
    for k, v in ENV.items():
        monkeypatch.setenv(k, v)
    dead = f"http://127.0.0.1:{_free_port()}"
    settings = settings_for(tmp_path, smtp.port, outbox_max_attempts=3)
    with WeComRobotServer(WECOM_KEY) as wecom, SmsGatewayServer("lw", SMS_SECRET) as sms:
        _routing(tmp_path, wecom.url, f"{dead}/robot/send", sms.url)
        eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
        [alert] = eng.process(_level_ii_items())
        for _ in range(4):
            clock.advance(seconds=61)
            eng.tick()
        [row] = _rows(sqlite_db, "dingtalk")
        assert row.status == "dead" and row.attempts == 3 and "gave up after 3 attempts" in (row.last_error or "")
        assert len(wecom.accepted) == 1 and len(sms.accepted) == 1
    with sqlite_db.session() as s:
        kinds = list(s.scalars(select(AlertEvent.kind).where(AlertEvent.alert_id == alert.id)))
    assert "delivery_failed" in kinds
    admin = [m for m in smtp.messages if m["To"] == "admin@example.org"]
    assert len(admin) == 1 and "leaders_group" in admin[0]["Subject"]
    assert "通道：钉钉群机器人" in admin[0].get_body(("plain",)).get_content()

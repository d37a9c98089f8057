"""Real SMTP on loopback: the email itself, refusal and outage (nothing lost, none twice), bounces."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alerting_it_support import BOUNCE, settings_for  # type: ignore[import-not-found]
from sqlalchemy import select

from alerting import AlertEngine
from alerting.ack import acknowledge_token
from alerting.models import AlertEvent, OutboxMessage
from alerting.testing import company, make_item

pytestmark = pytest.mark.integration


def _rows(db):
    with db.session() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_level_II_email_subject_bodies_evidence_and_ack_link(tmp_path, smtp, sqlite_db, clock):
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    c = company("上海某物流有限公司", "TEST-L-1", town="华新镇", industry="logistics")
    items = [
        make_item(event_id="e2e", companies=(c,), workers=35, amount_yuan=420000, score=0.85, post_id=f"e2e-{i}")
        for i in range(3)
    ]
    [alert] = eng.process(items)
    msgs = smtp.wait_for(2)
    assert len(msgs) == 2
    subjects = {m["Subject"] for m in msgs}
    assert subjects == {"【二级预警】上海某物流有限公司疑似拖欠工资（3条相关信息）"}
    to = sorted(m["To"] for m in msgs)
    assert to == ["huaxin@qingpu.example.gov.cn", "zhangwei@qingpu.example.gov.cn"]
    officer = next(m for m in msgs if m["To"] == "zhangwei@qingpu.example.gov.cn")
    text = officer.get_body(("plain",)).get_content()
    html = officer.get_body(("html",)).get_content()
    for needle in (
        "涉及人数：35",
        "42.0万元",
        "https://example.com/post/e2e-0",
        "定级依据",
        "华新镇劳动保障事务所",
        "核实处置：http://127.0.0.1:8080/alerts/",
    ):
        assert needle in text
    assert "确认收到" in html and '<a href="https://example.com/post/e2e-1">' in html
    rows = _rows(sqlite_db)
    assert {r.status for r in rows} == {"sent"}
    assert officer["Message-ID"] in {r.message_id for r in rows}
    token = text.split("确认收到：")[1].split()[0].rsplit("/", 1)[1]
    acked = acknowledge_token(settings, sqlite_db, token, now=clock.advance(minutes=3))
    assert acked.id == alert.id and acked.acked_by == "zhangwei@qingpu.example.gov.cn"


def test_smtp_refusing_for_ten_minutes_loses_nothing_and_sends_once(tmp_path, smtp, sqlite_db, clock):
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    smtp.refuse = True
    eng.process(
        [
            make_item(event_id=f"r{i}", post_id=f"r{i}", companies=(company(f"公司{i}", f"TEST-R-{i}"),))
            for i in range(3)
        ]
    )
    rows = _rows(sqlite_db)
    assert len(rows) == 3 and all(r.status == "pending" and "451" in (r.last_error or "") for r in rows)
    for _ in range(20):  # ten minutes of ticks every 30 s while the server refuses
        clock.advance(seconds=30)
        eng.tick()
    assert smtp.messages == []
    assert all(r.status == "pending" and r.attempts >= 3 for r in _rows(sqlite_db))
    smtp.refuse = False
    for _ in range(4):
        clock.advance(seconds=30)
        eng.tick()
    assert len(smtp.wait_for(3, timeout=2)) == 3
    assert {r.status for r in _rows(sqlite_db)} == {"sent"}
    for _ in range(3):
        clock.advance(minutes=5)
        eng.tick()
    assert len(smtp.messages) == 3


def test_smtp_down_then_back_on_the_same_port(tmp_path, smtp, sqlite_db, clock):
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    smtp.stop()
    eng.process([make_item(event_id="down")])
    [row] = _rows(sqlite_db)
    assert row.status == "pending" and "unavailable" in row.last_error
    for _ in range(20):
        clock.advance(seconds=30)
        eng.tick()
    smtp.start()
    for _ in range(3):
        clock.advance(seconds=30)
        eng.tick()
    assert len(smtp.wait_for(1, timeout=2)) == 1
    clock.advance(minutes=10)
    eng.tick()
    assert len(smtp.messages) == 1 and _rows(sqlite_db)[0].status == "sent"


def test_bounced_address_is_recorded_and_admins_told(tmp_path, smtp, sqlite_db, clock):
    settings = settings_for(tmp_path, smtp.port)
    roster = tmp_path / "configs" / "duty_roster.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace("zhangwei@qingpu.example.gov.cn", BOUNCE), encoding="utf-8"
    )
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    [alert] = eng.process([make_item(event_id="bounce")])
    msgs = smtp.wait_for(1)
    assert [m["To"] for m in msgs] == ["admin@example.org"]
    assert "投递失败" in msgs[0]["Subject"] and BOUNCE in msgs[0].get_content()
    rows = _rows(sqlite_db)
    dead = [r for r in rows if r.recipient == BOUNCE]
    assert dead[0].status == "dead" and "550" in dead[0].last_error and dead[0].attempts == 1
    with sqlite_db.session() as s:
        kinds = list(s.scalars(select(AlertEvent.kind).where(AlertEvent.alert_id == alert.id)))
    assert "delivery_failed" in kinds
    clock.advance(hours=1)
    eng.tick()  # never retried
    assert [r.attempts for r in _rows(sqlite_db) if r.recipient == BOUNCE] == [1]


def test_burst_every_incident_once_no_duplicate_email(tmp_path, smtp, sqlite_db, clock):
    settings = settings_for(tmp_path, smtp.port)
    eng = AlertEngine.from_settings(settings, sqlite_db, clock=clock)
    items = []
    for i in range(400):
        k = i % 40  # 40 incidents of 10 posts; every 4th is irrelevant noise
        c = company(f"青浦测试企业{k}", f"TEST-B-{k}", town="徐泾镇", industry="manufacturing")
        items.append(
            make_item(
                event_id=f"burst-{k}",
                post_id=f"burst-{i}",
                companies=(c,),
                relevant=(i // 40) % 4 != 3,
                at=clock.now - timedelta(seconds=i),
            )
        )
    for start in range(0, len(items), 100):  # the pipeline hands batches
        eng.process(items[start : start + 100])
    eng.process(items[:100])  # a replayed batch
    eng.tick()
    msgs = smtp.wait_for(80, timeout=5)
    per = {}
    for m in msgs:
        per.setdefault((m["To"], m["X-Laborwatch-Alert"], m["Subject"].split("】")[0]), []).append(m["Message-ID"])
    assert all(len(v) == 1 for v in per.values()), "duplicate email"
    assert len({m["Message-ID"] for m in msgs}) == len(msgs)
    ids = {m["X-Laborwatch-Alert"] for m in msgs}
    assert len(ids) == 40  # every incident alerted
    with sqlite_db.session() as s:
        assert {r.status for r in s.scalars(select(OutboxMessage))} == {"sent"}

"""alerting.escalate_now: a person escalates an unacknowledged alert to the next level at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alerting import EscalationError, escalate_now
from alerting.ack import acknowledge, verify_token
from alerting.engine import AlertEngine
from alerting.errors import TemporaryDeliveryError
from alerting.models import Alert, AlertEvent, OutboxMessage
from alerting.testing import CapturingNotifier, FakeClock, make_item
from lwcore.db import Database
from lwcore.settings import Settings

BACKUP = "lina@qingpu.example.gov.cn"  # backup of the weekday day shift (configs/duty_roster.yaml)
LEADER = "zhaomin@qingpu.example.gov.cn"


def _alert(settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier) -> int:
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    [a] = eng.process([make_item(event_id="manual", event_types=("group_action",), workers=50)])
    notifier.sent.clear()
    return a.id


def _esc(settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier, alert_id: int, **kw):
    return escalate_now(settings, db, alert_id, clock=clock, notifier_factory=notifier.factory, **{"by": "张伟", **kw})


def test_escalate_now_sends_to_the_next_level_at_once_and_records_it(settings, db, clock, notifier):
    alert_id = _alert(settings, db, clock, notifier)
    clock.advance(minutes=3)  # well before the acknowledgement deadline
    step = _esc(settings, db, clock, notifier, alert_id, reason="涉及人数多")
    assert step.step == 1 and step.role == "duty_backup"
    assert [m.recipient for m in notifier.sent] == [BACKUP]
    assert step.sent == step.outbox_ids and len(step.outbox_ids) == 1
    msg = notifier.sent[0]
    assert msg.subject.startswith("【人工上报】")
    assert "值班人员张伟" in msg.payload["text"] and "涉及人数多" in msg.payload["text"]
    # the message carries a working acknowledgement link for its recipient
    link = next(line for line in msg.payload["text"].splitlines() if line.startswith("确认收到："))
    assert verify_token(settings, link.rsplit("/", 1)[1], now=clock.now) == (alert_id, BACKUP)
    with db.session() as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None and alert.escalation_step == 1
        assert alert.ack_deadline is not None and alert.ack_deadline > clock.now  # a fresh deadline
        ev = s.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id, AlertEvent.kind == "escalated")).one()
        assert ev.actor == "张伟" and ev.detail["manual"] is True and ev.detail["reason"] == "涉及人数多"
        assert ev.detail["outbox"] == step.outbox_ids
        [row] = s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(step.outbox_ids)))
        assert row.status == "sent" and row.kind == "escalation"


def test_second_escalation_goes_to_the_leader_then_none_is_left(settings, db, clock, notifier):
    alert_id = _alert(settings, db, clock, notifier)
    _esc(settings, db, clock, notifier, alert_id)
    step = _esc(settings, db, clock, notifier, alert_id)
    assert step.step == 2 and [m.recipient for m in notifier.sent] == [BACKUP, LEADER]
    with pytest.raises(EscalationError, match="最高一级"):
        _esc(settings, db, clock, notifier, alert_id)
    assert len(notifier.sent) == 2
    # the automatic escalation continues from the manual step instead of repeating it
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    clock.advance(hours=1)
    assert eng.tick().exhausted == [alert_id]
    assert len(notifier.sent) == 2


def test_acknowledged_or_unknown_alert_is_refused_and_nothing_is_sent(settings, db, clock, notifier):
    alert_id = _alert(settings, db, clock, notifier)
    with pytest.raises(EscalationError, match="不存在"):
        _esc(settings, db, clock, notifier, alert_id + 999)
    with pytest.raises(EscalationError, match="by"):
        _esc(settings, db, clock, notifier, alert_id, by=" ")
    acknowledge(db, alert_id, by="张伟", via="web", now=clock.advance(minutes=1))
    with pytest.raises(EscalationError, match="已签收"):
        _esc(settings, db, clock, notifier, alert_id)
    assert notifier.sent == []
    with db.session() as s:
        assert s.get(Alert, alert_id).escalation_step == 0  # type: ignore[union-attr]


def test_failed_send_stays_in_the_outbox_and_tick_retries_it(settings, db, clock, notifier):
    alert_id = _alert(settings, db, clock, notifier)
    notifier.fail = TemporaryDeliveryError("SMTP 451 try later")
    step = _esc(settings, db, clock, notifier, alert_id)
    assert step.sent == [] and notifier.sent == []
    notifier.fail = None
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    clock.advance(seconds=30)
    assert eng.tick().dispatch.sent == step.outbox_ids
    assert [m.recipient for m in notifier.sent] == [BACKUP]
    clock.advance(minutes=5)
    eng.tick()
    assert len(notifier.sent) == 1  # once only

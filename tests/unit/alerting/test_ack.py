"""Signed, expiring acknowledgement tokens; refusal without a secret; idempotent acknowledge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests_alerting_support import make_settings  # type: ignore[import-not-found]

from alerting import AlertEngine
from alerting.ack import acknowledge, acknowledge_token, make_token, verify_token
from alerting.errors import AckError, SecretKeyMissing
from alerting.testing import T0, make_item


def test_token_roundtrip_expiry_and_tamper(settings):
    tok = make_token(settings, 42, "a@example.org", now=T0)
    assert verify_token(settings, tok, now=T0 + timedelta(days=6)) == (42, "a@example.org")
    with pytest.raises(AckError, match="过期"):
        verify_token(settings, tok, now=T0 + timedelta(days=8))
    with pytest.raises(AckError, match="无效"):
        verify_token(settings, tok[:-2] + ("AA" if tok[-2:] != "AA" else "BB"), now=T0)


def test_token_from_another_secret_is_rejected(settings, tmp_path):
    other = make_settings(tmp_path, secret_key="another-secret")
    tok = make_token(other, 1, "a@example.org", now=T0)
    with pytest.raises(AckError):
        verify_token(settings, tok, now=T0)


def test_no_secret_refuses_unless_dev_secret_allowed(tmp_path):
    prod = make_settings(tmp_path, secret_key=None)
    with pytest.raises(SecretKeyMissing, match="LW_SECRET_KEY"):
        make_token(prod, 1, "a@example.org")
    dev = make_settings(tmp_path, secret_key=None, insecure_dev_secret=True)
    assert verify_token(dev, make_token(dev, 1, "a@example.org")) == (1, "a@example.org")


def test_acknowledge_by_link_is_recorded_once(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    [a] = eng.process([make_item(event_id="x", event_types=("group_action",))])
    tok = make_token(settings, a.id, "zhangwei@qingpu.example.gov.cn", now=clock.now)
    acked = acknowledge_token(settings, db, tok, now=clock.advance(minutes=2))
    assert acked.status == "acknowledged" and acked.acked_via == "link"
    assert acked.acked_by == "zhangwei@qingpu.example.gov.cn" and acked.ack_deadline is None
    again = acknowledge(db, a.id, by="李娜", via="web", now=clock.advance(minutes=1))
    assert again.acked_by == "zhangwei@qingpu.example.gov.cn"
    with pytest.raises(AckError, match="no alert #999"):
        acknowledge(db, 999, by="x", via="cli")


def test_close_and_reopen_are_recorded_and_idempotent(settings, db, clock, notifier):
    from alerting.ack import close, reopen
    from alerting.models import AlertEvent

    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    [a] = eng.process([make_item(event_id="close-me", event_types=("wage_arrears",), workers=40)])
    closed = close(db, a.id, by="李核实", reason="招聘广告", cause="dismissed", now=clock.advance(minutes=3))
    assert closed.status == "closed" and closed.ack_deadline is None
    assert close(db, a.id, by="王", reason="again").status == "closed"
    assert reopen(db, a.id, by="李核实", reason="属实", now=clock.advance(minutes=1)).status == "open"
    with db.session() as s:
        kinds = [(e.kind, e.actor, e.detail.get("reason")) for e in s.query(AlertEvent).filter_by(alert_id=a.id)
                 if e.kind in ("closed", "reopened")]
    assert kinds == [("closed", "李核实", "招聘广告"), ("reopened", "李核实", "属实")]
    with pytest.raises(AckError, match="no alert #999"):
        close(db, 999, by="x", reason="y")

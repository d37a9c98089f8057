"""AlertEngine.process / tick: one alert per cluster, re-alert only on a rising level, escalation, digests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from alerting import AlertEngine
from alerting.ack import acknowledge, verify_token
from alerting.models import Alert, AlertEvent, AlertPost, OutboxMessage
from alerting.silence import add_silence
from alerting.testing import CapturingNotifier, FakeClock, company, make_item
from lwcore.db import Database
from lwcore.settings import Settings


def _engine(settings: Settings, db: Database, clock: FakeClock, notifier: CapturingNotifier) -> AlertEngine:
    return AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)


def _events(db: Database, alert_id: int) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AlertEvent.kind).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)))


def test_one_alert_per_cluster_updated_as_it_grows(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    alerts = eng.process([make_item(event_id="e1"), make_item(event_id="e1")])
    assert len(alerts) == 1
    a = alerts[0]
    assert a.level == "III" and a.post_count == 2 and a.company_id == "TEST91310118000099"
    assert a.rules == ["relevant_by_severity"]
    # level III: the duty officer of Monday 10:00 (zhangwei) only, with an ack link for him
    assert [m.recipient for m in notifier.sent] == ["zhangwei@qingpu.example.gov.cn"]
    msg = notifier.sent[0]
    assert msg.subject == "【三级预警】上海某某物流有限公司疑似拖欠工资（2条相关信息）"
    assert "确认收到：http://127.0.0.1:8080/ack/" in msg.payload["text"]
    token = msg.payload["text"].split("/ack/")[1].split()[0]
    assert verify_token(settings, token, now=clock.now) == (a.id, "zhangwei@qingpu.example.gov.cn")
    # the cluster grows at the same level (this post names no company, so no company spike): no new email
    clock.advance(minutes=5)
    again = eng.process([make_item(event_id="e1", companies=(), towns=())])
    assert again[0].id == a.id and again[0].post_count == 3
    assert len(notifier.sent) == 1
    assert _events(db, a.id) == ["created", "notified", "updated"]


def test_reprocessing_same_posts_changes_nothing(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    items = [make_item(post_id="same-1"), make_item(post_id="same-2")]
    eng.process(items)
    assert eng.process(items) == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AlertPost)) == 2
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert len(notifier.sent) == 1


def test_irrelevant_and_below_threshold_posts_make_no_alert(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    assert eng.process([make_item(relevant=False)]) == []
    # score 0.55 passes no rule (relevant_by_severity needs 0.7; the company is not key-supervised)
    assert eng.process([make_item(score=0.55, event_id="low")]) == []
    assert notifier.sent == []


def test_realert_only_when_level_rises_and_level_I_goes_to_leader_and_unit(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    [a] = eng.process([make_item(event_id="grow")])
    assert a.level == "III" and len(notifier.sent) == 1
    clock.advance(minutes=10)
    [a2] = eng.process([make_item(event_id="grow", event_types=("wage_arrears", "group_action"), workers=60)])
    assert a2.level == "I"
    new = notifier.sent[1:]
    assert {m.recipient for m in new} == {
        "zhangwei@qingpu.example.gov.cn",  # duty officer
        "zhaomin@qingpu.example.gov.cn",  # duty leader of the weekday day shift
        "huaxin@qingpu.example.gov.cn",  # 归口: 华新镇 office (logistics has no industry unit)
    }
    assert all(m.subject.startswith("【升级为一级预警】") for m in new)
    assert a2.ack_deadline == clock.now + timedelta(minutes=15)
    kinds = _events(db, a.id)
    assert "level_raised" in kinds and kinds.count("notified") == 2
    # a group action opens an incident through the ledger's API
    assert a2.incident_state == "pending" or _incident_opened(db, a.id)


def _incident_opened(db: Database, alert_id: int) -> bool:
    with db.session() as s:
        return s.get(Alert, alert_id).incident_state == "opened"


def test_group_action_opens_incident_via_ledger(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    [a] = eng.process([make_item(event_id="strike", event_types=("group_action",), workers=80)])
    assert a.level == "I"
    assert _incident_opened(db, a.id)
    from ledger import Incidents

    inc = Incidents(db).open_for_alert(
        alert_id=str(a.id), title="x", level="I", town=None, company_id=None, company_name=None
    )
    with db.session() as s:
        assert s.get(Alert, a.id).incident_ref in (inc.number, str(inc.id))


def test_construction_routes_to_the_construction_authority(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    c = company("上海某建筑工程有限公司", "TEST-C-1", town="赵巷镇", industry="construction")
    eng.process([make_item(event_id="site", companies=(c,), workers=35, score=0.8)])  # large_wage_arrears: II
    assert {m.recipient for m in notifier.sent} == {"zhangwei@qingpu.example.gov.cn", "jianguan@qingpu.example.gov.cn"}


def test_watchlist_company_and_unregistered_company_recorded(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    ks = company("圆通速递有限公司", "TEST91310118000001", key_supervision=True)
    [a] = eng.process([make_item(event_id="ks", companies=(ks,), score=0.6, severity=None)])
    assert a.level == "II" and "key_supervision" in a.rules
    unknown = company("青浦某不知名厂", None, town="白鹤镇")
    [b] = eng.process([make_item(event_id="unk", companies=(unknown,), score=0.8, towns=("白鹤镇",),
                                 title="青浦某不知名厂欠薪", content="白鹤镇青浦某不知名厂的车间工人说两个月工资没发。")])
    assert b.company_registered is False and b.company_name == "青浦某不知名厂"
    assert "company_unregistered" in _events(db, b.id)
    mail = [m for m in notifier.sent if m.payload["headers"]["X-Laborwatch-Alert"] == str(b.id)][0]
    assert "未在企业名录中匹配" in mail.payload["text"]


def test_level_IV_goes_to_the_digest_only(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    [a] = eng.process([make_item(event_id="minor", severity=None, score=0.75)])  # from_analysis default IV
    assert a.level == "IV" and notifier.sent == []
    assert "digest_only" in _events(db, a.id)
    clock.advance(hours=1)
    rep = eng.tick()
    assert any(k.startswith("hourly:") for k in rep.digests)
    digest = [m for m in notifier.sent if "摘要" in m.subject]
    assert len(digest) == 1 and f"#{a.id}" in digest[0].payload["text"]
    assert f"#{a.id} [四级]" in digest[0].payload["text"] and "<td>四级</td>" in digest[0].payload["html"]
    # the same period is never queued twice
    eng.tick()
    assert len([m for m in notifier.sent if "小时摘要" in m.subject]) == 1


def test_silenced_company_is_not_sent_but_listed_in_digest(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    add_silence(
        db,
        scope="company",
        value="TEST91310118000099",
        until=clock.now + timedelta(hours=2),
        reason="已在处置，暂停重复预警",
        by="张伟",
        now=clock.now,
    )
    [a] = eng.process([make_item(event_id="sil")])
    assert a.silenced and notifier.sent == []
    assert "silenced" in _events(db, a.id)
    clock.advance(hours=1)
    eng.tick()
    digest = [m for m in notifier.sent if "摘要" in m.subject]
    assert digest and "已静默预警（1条）" in digest[0].payload["text"]
    # after expiry the next post notifies
    clock.advance(hours=2)
    eng.process([make_item(event_id="sil")])
    assert any(m.subject.startswith("【三级预警】") for m in notifier.sent)


def test_unacknowledged_escalates_to_backup_then_leader_then_stops(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    [a] = eng.process([make_item(event_id="esc", event_types=("group_action",), workers=50)])
    first = {m.recipient for m in notifier.sent}
    assert "zhangwei@qingpu.example.gov.cn" in first
    clock.advance(minutes=14)
    assert eng.tick().escalated == []
    clock.advance(minutes=2)
    rep = eng.tick()
    assert rep.escalated == [a.id]
    esc = [m for m in notifier.sent if "逾期未确认" in m.subject]
    assert [m.recipient for m in esc] == ["lina@qingpu.example.gov.cn"]  # backup of the weekday day shift
    clock.advance(minutes=16)
    eng.tick()
    esc = [m for m in notifier.sent if "逾期未确认" in m.subject]
    assert [m.recipient for m in esc][-1] == "zhaomin@qingpu.example.gov.cn"  # the leader
    clock.advance(minutes=16)
    rep = eng.tick()
    assert rep.exhausted == [a.id]
    assert _events(db, a.id).count("escalated") == 2 and "escalation_exhausted" in _events(db, a.id)


def test_acknowledged_alert_is_not_escalated(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    [a] = eng.process([make_item(event_id="ack", event_types=("group_action",))])
    acknowledge(db, a.id, by="张伟", via="cli", now=clock.advance(minutes=3))
    clock.advance(minutes=30)
    assert eng.tick().escalated == []
    assert "acknowledged" in _events(db, a.id)


def test_roster_gap_falls_back_and_is_recorded(tmp_path, db, clock, notifier):
    from tests_alerting_support import settings_with_gap  # type: ignore[import-not-found]

    s = settings_with_gap(tmp_path)
    eng = _engine(s, db, clock, notifier)
    [a] = eng.process([make_item(event_id="gap")])
    assert [m.recipient for m in notifier.sent] == ["fallback@example.org"]
    assert "routing_problem" in _events(db, a.id)


def test_sensitive_period_lowers_thresholds_and_raises_level(settings, db, clock, notifier):
    from alerting.testing import T0

    expo = T0.replace(month=11, day=6)
    clock.now = expo
    eng = _engine(settings, db, clock, notifier)
    # score 0.65 is below relevant_by_severity's 0.7, but the expo lowers min_score by 0.1 and boosts one level
    [a] = eng.process([make_item(event_id="expo", score=0.65, at=expo)])
    assert a.level == "II"
    assert any("敏感时期" in r for r in a.reasons)


def test_spike_rule_counts_posts_about_one_company(settings, db, clock, notifier):
    eng = _engine(settings, db, clock, notifier)
    c = company("上海某服装有限公司", "TEST-G-1", town="练塘镇", industry="garment")
    items = [
        make_item(event_id=f"s{i}", companies=(c,), score=0.6, severity=None, at=clock.now - timedelta(minutes=10 * i))
        for i in range(3)
    ]
    alerts = eng.process(items)
    assert any("company_spike" in a.rules and a.level == "II" for a in alerts)

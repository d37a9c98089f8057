from __future__ import annotations

from datetime import timedelta

import pytest

from ledger import (
    Incidents,
    IncidentStage,
    IncidentStatus,
    InvalidStep,
    Ledger,
    NotFound,
    ValidationError,
    incident_required,
)
from lwcore.domain import Severity


def _open(incidents: Incidents, **over):  # type: ignore[no-untyped-def]
    kw = dict(
        alert_id="al-1",
        title="圆通华新网点数十名员工聚集讨薪",
        level="I",
        town="华新镇",
        company_id="TEST91310118000001",
        company_name="圆通速递有限公司",
        post_ids=["p-1"],
        workers=40,
        event_id="ev-1",
    )
    kw.update(over)
    return incidents.open_for_alert(**kw)


def test_incident_required_policy() -> None:
    assert incident_required({"level": "I", "event_types": ["wage_arrears"]})
    assert incident_required({"level": "III", "event_types": ["group_action"]})
    assert not incident_required({"level": "II", "event_types": ["wage_arrears"]})


def test_open_for_alert_is_idempotent_per_alert_and_event(incidents: Incidents, clock) -> None:
    inc = _open(incidents)
    assert inc.number == f"SJ2025-{inc.id:05d}"
    assert inc.status is IncidentStatus.OPEN
    assert [s.stage for s in inc.steps] == [IncidentStage.RECEIVED]
    assert inc.received_at == clock.now
    assert _open(incidents).id == inc.id
    clock.advance(minutes=10)
    grown = _open(incidents, alert_id="al-2", level="II", workers=80, post_ids=["p-1", "p-2"])
    assert grown.id == inc.id
    assert grown.alert_ids == ("al-1", "al-2")
    assert grown.level is Severity.I  # not lowered by a lesser alert
    assert grown.workers == 80
    assert grown.post_ids == ("p-1", "p-2")
    assert incidents.list()[1] == 1
    other = _open(incidents, alert_id="al-3", event_id="ev-9")
    assert other.id != inc.id
    assert incidents.for_alert("al-2") == incidents.get(inc.id)


def test_timeline_order_and_settlement(incidents: Incidents, clock) -> None:
    inc = _open(incidents)
    t0 = clock.now
    clock.advance(minutes=8)
    incidents.add_step(inc.id, "报告上级", by="值班员", note="电话报区政府总值班室")
    clock.advance(minutes=30)
    incidents.add_step(inc.id, IncidentStage.ON_SCENE, by="监察大队", note="到场")
    with pytest.raises(InvalidStep, match="before the last step"):
        incidents.add_step(inc.id, "报告上级", by="值班员")
    with pytest.raises(InvalidStep, match="already recorded"):
        incidents.add_step(inc.id, "到场", by="x")
    with pytest.raises(InvalidStep, match="接报"):
        incidents.add_step(inc.id, "接报", by="x")
    with pytest.raises(InvalidStep, match="before the previous step"):
        incidents.add_step(inc.id, "处置", by="x", at=t0 + timedelta(minutes=20))
    clock.advance(minutes=5)
    incidents.add_step(inc.id, "处置", by="监察大队", note="约谈企业负责人")
    clock.advance(minutes=5)
    incidents.add_step(inc.id, "处置", by="监察大队", note="企业承诺三日内发放")
    clock.advance(minutes=50)
    done = incidents.add_step(inc.id, "平息", by="监察大队", note="人员散去")
    assert done.status is IncidentStatus.SETTLED and done.settled_at == clock.now
    assert [s.stage.label_zh for s in done.steps] == ["接报", "报告上级", "到场", "处置", "处置", "平息"]
    assert done.response.to_report == 8.0
    assert done.response.to_on_scene == 38.0
    assert done.response.to_handling == 43.0
    assert done.response.to_settled == 98.0
    assert not done.late
    with pytest.raises(InvalidStep, match="settled"):
        incidents.add_step(inc.id, "处置", by="x")
    history = [h.action for h in incidents.history(inc.id)]
    assert history.count("step") == 5 and history[0] == "created"


def test_future_and_naive_times_are_rejected(incidents: Incidents, clock) -> None:
    inc = _open(incidents)
    with pytest.raises(ValidationError, match="future"):
        incidents.add_step(inc.id, "到场", by="x", at=clock.now + timedelta(hours=1))
    with pytest.raises(ValidationError, match="aware"):
        incidents.add_step(inc.id, "到场", by="x", at=clock.now.replace(tzinfo=None))


def test_within_the_hour_check(incidents: Incidents, clock) -> None:
    slow = _open(incidents)
    fast = _open(incidents, alert_id="al-2", event_id="ev-2")
    clock.advance(minutes=30)
    incidents.add_step(fast.id, "到场", by="x")
    assert incidents.late() == []
    clock.advance(minutes=31)  # 61 minutes after 接报, slow has no 到场/处置
    assert [i.id for i in incidents.late()] == [slow.id]
    assert incidents.get(slow.id).late and not incidents.get(fast.id).late
    rows, total = incidents.list(late=True)
    assert total == 1 and rows[0].id == slow.id
    incidents.add_step(slow.id, "到场", by="x")
    assert incidents.get(slow.id).late  # responded at 61 min: still late, the record shows it
    assert incidents.get(slow.id).response.to_on_scene == 61.0


def test_reports_dispatches_and_case_link(incidents: Incidents, ledger: Ledger, clock) -> None:
    inc = _open(incidents)
    with pytest.raises(ValidationError):
        incidents.dispatch(inc.id, people=[" "], by="x")
    incidents.dispatch(inc.id, people=["王五", "赵六"], unit="劳动保障监察大队", by="值班员")
    incidents.record_report(inc.id, recipient="区政府总值班室", channel="电话", summary="初报", by="值班员")
    case = ledger.create_case(by="张三", title="圆通讨薪")
    with pytest.raises(NotFound):
        incidents.link_case(inc.id, 999, by="x")
    got = incidents.link_case(inc.id, case.number, by="值班员")
    assert got.case_id == case.id
    assert got.dispatches[0].people == ("王五", "赵六")
    assert got.reports[0].recipient == "区政府总值班室"
    assert any(h.action == "link_incident" and h.new == inc.number for h in ledger.history(case.id))
    d = got.to_dict()
    assert d["dispatches"][0]["unit"] == "劳动保障监察大队" and d["case_id"] == case.id


def test_manual_open_and_update(incidents: Incidents, clock) -> None:
    inc = incidents.open(
        title="电话报告：某工地十余人聚集",
        level="二级",
        by="值班员",
        town="赵巷镇",
        received_at=clock.now - timedelta(minutes=20),
    )
    assert inc.level is Severity.II and inc.received_at == clock.now - timedelta(minutes=20)
    up = incidents.update(inc.id, by="值班员", level="I", workers="约50人")
    assert up.level is Severity.I and up.workers == 50
    with pytest.raises(ValidationError):
        incidents.update(inc.id, by="x", colour="red")
    rows, total = incidents.list(status="处置中", town="赵巷镇", level="I")
    assert total == 1 and rows[0].id == inc.id

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger import (
    AlertAlreadyLinked,
    CaseSource,
    CaseStatus,
    InvalidTransition,
    Ledger,
    NotFound,
    StaleVersion,
    ValidationError,
)
from lwcore.domain import Severity


def test_create_by_hand_validates_and_numbers(ledger: Ledger) -> None:
    case = ledger.create_case(
        by="张三",
        title="某厂拖欠工资",
        enterprise_name="上海某某制造有限公司",
        town="华新镇",
        dispute_types="欠薪、社保",
        workers="约30人",
        amount_yuan="12.5万",
        risk_level="二级",
        deadline="2025年3月20日",
    )
    assert case.number == f"TZ2025-{case.id:05d}"
    assert case.dispute_types == ("wage_arrears", "social_insurance_arrears")
    assert case.workers == 30
    assert case.amount_yuan == Decimal("125000.00")
    assert case.risk_level is Severity.II
    assert case.deadline == date(2025, 3, 20)
    assert case.status is CaseStatus.PENDING and case.status_label == "待核实"
    assert case.source is CaseSource.MANUAL
    assert ledger.get(case.number) == ledger.get(case.id)
    hist = ledger.history(case.id)
    assert [h.action for h in hist] == ["created"] and hist[0].actor == "张三"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "workers": "很多"}, "workers"),
        ({"title": "x", "amount_yuan": "-5"}, "amount_yuan"),
        ({"title": "x", "risk_level": "五级"}, "risk_level"),
        ({"title": "x", "deadline": "next week"}, "deadline"),
        ({"title": "x", "dispute_types": "吵架"}, "dispute_types"),
        ({"title": "x", "colour": "red"}, "colour"),
        ({"title": "x", "status": "已化解"}, "status"),
    ],
)
def test_bad_fields_are_rejected_with_the_field(ledger: Ledger, fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ledger.create_case(by="张三", **fields)
    assert err.value.field == field
    assert ledger.list_cases()[1] == 0


def test_by_is_required(ledger: Ledger) -> None:
    with pytest.raises(ValidationError, match="by"):
        ledger.create_case(by=" ", title="x")


def test_create_from_alert_is_idempotent_and_fills_fields(ledger: Ledger, make_alert, clock) -> None:
    a = make_alert()
    case = ledger.create_from_alert(a, by="值班员")
    again = ledger.create_from_alert(a, by="值班员")
    assert again.id == case.id
    assert ledger.list_cases()[1] == 1
    assert case.enterprise_name == "圆通速递有限公司"
    assert case.company_id == "TEST91310118000001"
    assert case.risk_level is Severity.II
    assert case.amount_yuan == Decimal("86000.50")
    assert case.alert_ids == ("al-1",)
    assert case.post_ids == ("p-1", "p-2")
    assert case.source_urls == ("https://example.com/a", "https://example.com/b")
    assert case.source is CaseSource.ALERT
    # default deadline for level II: 7 days from today (Shanghai)
    assert case.deadline == date(2025, 3, 17)
    assert ledger.case_for_alert("al-1") == ledger.get(case.id)


def test_alert_of_same_event_attaches_and_grows_the_case(ledger: Ledger, make_alert) -> None:
    first = ledger.create_from_alert(make_alert(), by="sys")
    second = ledger.create_from_alert(
        make_alert(
            id="al-2",
            level="I",
            workers=60,
            amount_yuan=None,
            event_types=["group_action"],
            post_ids=["p-2", "p-3"],
            urls={},
        ),
        by="sys",
    )
    assert second.id == first.id
    assert second.alert_ids == ("al-1", "al-2")
    assert second.post_ids == ("p-1", "p-2", "p-3")
    assert second.risk_level is Severity.I
    assert second.workers == 60
    assert second.amount_yuan == Decimal("86000.50")  # kept: the new alert had no amount
    assert second.dispute_types == ("wage_arrears", "group_action")
    changed = {(h.field, h.old, h.new) for h in ledger.history(first.id) if h.action == "update"}
    assert ("risk_level", "II", "I") in changed
    assert ("workers", "12", "60") in changed


def test_same_company_attaches_only_when_asked(ledger: Ledger, make_alert) -> None:
    a = ledger.create_from_alert(make_alert(), by="sys")
    b = ledger.create_from_alert(make_alert(id="al-2", event_id="ev-2"), by="sys")
    assert b.id != a.id
    c = ledger.create_from_alert(make_alert(id="al-3", event_id="ev-3"), by="sys", attach_to_open=True)
    assert c.id == a.id
    assert "al-3" in c.alert_ids


def test_closed_case_is_not_reused_for_a_new_alert(ledger: Ledger, make_alert) -> None:
    a = ledger.create_from_alert(make_alert(), by="sys")
    ledger.transition(a.id, "不属实", by="张三", note="企业已按时发放工资")
    b = ledger.create_from_alert(make_alert(id="al-9"), by="sys")
    assert b.id != a.id


def test_alert_snapshot_without_id_is_rejected(ledger: Ledger, make_alert) -> None:
    with pytest.raises(ValidationError, match="alert.id"):
        ledger.create_from_alert(make_alert(id=None), by="sys")


def test_alert_snapshot_may_be_an_object(ledger: Ledger, make_alert) -> None:
    class Snap:
        pass

    snap = Snap()
    for k, v in make_alert(id="obj-1", event_id=None).items():
        setattr(snap, k, v)
    case = ledger.create_from_alert(snap, by="sys")
    assert case.alert_ids == ("obj-1",)


def test_attach_alert_to_other_case_is_refused(ledger: Ledger, make_alert) -> None:
    a = ledger.create_from_alert(make_alert(), by="sys")
    b = ledger.create_case(by="张三", title="另一案件")
    with pytest.raises(AlertAlreadyLinked):
        ledger.attach_alert(b.id, "al-1", ["p-9"], "张三")
    same = ledger.attach_alert(a.id, "al-1", ["p-9"], "张三")
    assert same.post_ids == ("p-1", "p-2", "p-9")


def test_workflow_happy_path_with_history(ledger: Ledger, clock) -> None:
    c = ledger.create_case(by="张三", title="拖欠工资", risk_level="III")
    c = ledger.transition(c.id, "核实中", by="李四", note="已电话核实")
    with pytest.raises(InvalidTransition, match="一人一案一策"):
        ledger.transition(c.id, CaseStatus.RESOLVING, by="李四")
    ledger.update(
        c.id,
        by="李四",
        responsible_person="王五",
        plan="约谈企业，督促发放",
        deadline=date(2025, 3, 31),
        responsible_unit="华新镇劳动保障所",
        lead_official="赵副镇长",
    )
    clock.advance(hours=2)
    c = ledger.transition(c.id, "化解中", by="李四")
    with pytest.raises(InvalidTransition, match="note"):
        ledger.transition(c.id, "已化解", by="李四")
    c = ledger.transition(c.id, "已化解", by="李四", note="工资已全部发放")
    assert c.status is CaseStatus.RESOLVED
    assert c.resolution == "工资已全部发放"
    assert c.closed_at == clock.now
    assert not c.is_open
    transitions = [(h.old, h.new, h.actor) for h in ledger.history(c.id) if h.action == "transition"]
    assert transitions == [("待核实", "核实中", "李四"), ("核实中", "化解中", "李四"), ("化解中", "已化解", "李四")]
    fields = {h.field for h in ledger.history(c.id) if h.action == "update"}
    assert {"responsible_person", "plan", "deadline"} <= fields


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([], "化解中"),
        ([], "已化解"),
        (["核实中"], "已化解"),
        (["核实中"], "待核实"),
        (["不属实"], "化解中"),
        ([], "待核实"),
    ],
)
def test_illegal_transitions_raise(ledger: Ledger, path: list[str], bad: str) -> None:
    c = ledger.create_case(by="张三", title="x", responsible_person="a", plan="b", deadline="2025-04-01")
    for step in path:
        ledger.transition(c.id, step, by="张三", note="n")
    with pytest.raises(InvalidTransition):
        ledger.transition(c.id, bad, by="张三", note="n")
    assert ledger.get(c.id).status.label_zh == (path[-1] if path else "待核实")


def test_reopen_needs_a_note(ledger: Ledger) -> None:
    c = ledger.create_case(by="张三", title="x")
    ledger.transition(c.id, "不属实", by="张三", note="查无此事")
    with pytest.raises(InvalidTransition, match="note"):
        ledger.transition(c.id, "核实中", by="张三")
    c = ledger.transition(c.id, "核实中", by="张三", note="又有职工反映")
    assert c.is_open and c.closed_at is None


def test_update_records_old_and_new_and_skips_unchanged(ledger: Ledger) -> None:
    c = ledger.create_case(by="张三", title="x", workers=5)
    ledger.update(c.id, by="李四", workers=5, town="赵巷镇", note="核实后补充")
    entries = [h for h in ledger.history(c.id) if h.action == "update"]
    assert [(h.field, h.old, h.new, h.note) for h in entries] == [("town", None, "赵巷镇", "核实后补充")]


def test_stale_version_is_refused(ledger: Ledger) -> None:
    c = ledger.create_case(by="张三", title="x")
    ledger.update(c.id, by="李四", town="赵巷镇", expected_version=c.version)
    with pytest.raises(StaleVersion):
        ledger.update(c.id, by="王五", town="华新镇", expected_version=c.version)
    assert ledger.get(c.id).town == "赵巷镇"


def test_not_found(ledger: Ledger) -> None:
    with pytest.raises(NotFound):
        ledger.get(999)
    with pytest.raises(NotFound):
        ledger.get("TZ2000-00001")


def test_overdue_uses_the_shanghai_calendar(ledger: Ledger, clock) -> None:
    c = ledger.create_case(by="张三", title="x", deadline="2025-03-10")
    assert not ledger.get(c.id).overdue
    clock.advance(hours=14, minutes=59)  # 23:59 Shanghai on the 10th
    assert not ledger.get(c.id).overdue and ledger.overdue() == []
    clock.advance(minutes=2)  # 00:01 on the 11th
    assert ledger.get(c.id).overdue
    assert [x.id for x in ledger.overdue()] == [c.id]
    ledger.transition(c.id, "不属实", by="张三", note="n")
    assert ledger.overdue() == [] and not ledger.get(c.id).overdue


def test_list_filters_paging_and_search(ledger: Ledger, clock) -> None:
    for i in range(7):
        ledger.create_case(
            by="张三",
            title=f"案件{i}",
            town="华新镇" if i % 2 else "赵巷镇",
            risk_level="I" if i < 2 else "III",
            enterprise_name=f"上海{i}号物流有限公司" if i == 3 else f"上海{i}号制造有限公司",
            deadline="2025-03-01" if i == 5 else "2025-12-01",
            dispute_types="欠薪" if i % 3 else "工伤",
        )
        clock.advance(minutes=1)
    rows, total = ledger.list_cases(town="华新镇")
    assert total == 3 and {r.title for r in rows} == {"案件1", "案件3", "案件5"}
    rows, total = ledger.list_cases(risk_level="一级")
    assert total == 2
    rows, total = ledger.list_cases(q="物流")
    assert [r.title for r in rows] == ["案件3"]
    rows, total = ledger.list_cases(overdue=True)
    assert [r.title for r in rows] == ["案件5"] and rows[0].overdue
    assert ledger.list_cases(overdue=False)[1] == 6
    rows, total = ledger.list_cases(page=2, size=3)
    assert total == 7 and [r.title for r in rows] == ["案件3", "案件2", "案件1"]  # newest first
    rows, _ = ledger.list_cases(order="deadline", size=1)
    assert rows[0].title == "案件5"
    assert ledger.list_cases(dispute_type="工伤")[1] == 3
    assert ledger.list_cases(status=["待核实", "核实中"])[1] == 7
    assert ledger.list_cases(q="tz2025-00004")[1] == 1  # codes match whatever the case
    assert ledger.list_cases(q="100%_")[1] == 0  # LIKE wildcards are escaped
    with pytest.raises(ValidationError):
        ledger.list_cases(order="drop table")

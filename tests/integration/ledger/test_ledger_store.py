"""The ledger against migrated databases (SQLite and PostgreSQL): the schema Alembic builds is the one the code
uses, concurrent writers do not duplicate cases, and exports/imports work end to end."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger import CaseStatus, Incidents, Ledger
from lwcore.db import Database
from lwcore.domain import SHANGHAI

pytestmark = pytest.mark.integration


def _alert(i: str = "al-1", **over: object) -> dict[str, object]:
    a: dict[str, object] = {
        "id": i,
        "level": "II",
        "company_id": "TEST91310118000002",
        "company_name": "中通快递股份有限公司",
        "town": "华新镇",
        "industry": "logistics",
        "event_types": ["wage_arrears", "group_action"],
        "workers": 25,
        "amount_yuan": 150000,
        "post_ids": ["p-1"],
        "title": "中通网点拖欠工资",
        "event_id": f"ev-{i}",
        "urls": {"p-1": "https://example.com/zto"},
    }
    a.update(over)
    return a


def test_full_case_life_on_a_migrated_database(migrated_db: Database, tmp_path: Path) -> None:
    ledger = Ledger(migrated_db)
    case = ledger.create_from_alert(_alert(), by="值班员")
    ledger.update(
        case.id,
        by="张三",
        responsible_person="王五",
        plan="约谈企业负责人，督促三日内发放",
        deadline=date.today() + timedelta(days=3),
        amount_yuan="15.5万",
    )
    ledger.transition(case.id, "核实中", by="张三", note="已到网点核实")
    ledger.transition(case.id, "化解中", by="张三")
    got = ledger.get(case.number)
    assert got.status is CaseStatus.RESOLVING
    assert got.amount_yuan == Decimal("155000.00")
    assert got.created_at.tzinfo is not None
    rows, total = ledger.list_cases(
        q="中通", status="化解中", risk_level="II", town="华新镇", overdue=False, dispute_type="group_action"
    )
    assert total == 1 and rows[0].id == case.id
    assert [h.action for h in ledger.history(case.id)][:2] == ["created", "link_alert"]
    out = tmp_path / "t.xlsx"
    assert ledger.export_xlsx(out, {"status": "化解中"}) == 1
    report = ledger.import_xlsx(out, by="x")
    assert report.ok and report.unchanged == [case.number]


def test_incident_timeline_on_a_migrated_database(migrated_db: Database) -> None:
    now = datetime.now(SHANGHAI)
    incidents = Incidents(migrated_db)
    inc = incidents.open_for_alert(
        alert_id="al-1",
        title="聚集讨薪",
        level="I",
        town="华新镇",
        company_id=None,
        company_name="中通",
        post_ids=["p-1"],
        workers=30,
        event_id="ev-1",
        received_at=now - timedelta(minutes=30),
    )
    incidents.add_step(inc.id, "到场", by="监察大队", at=now - timedelta(minutes=5))
    got = incidents.get(inc.number)
    assert got.response.to_on_scene == 25.0 and not got.late
    assert got.post_ids == ("p-1",)


def _run_at_once(calls: list[Callable[[], int]], *, start_together: bool = True) -> list[int]:
    """Run ``calls`` in one thread each (released together by a barrier); their results, or the first error."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = []
    errors: list[BaseException] = []

    def worker(call: Callable[[], int]) -> None:
        try:
            if start_together:
                barrier.wait()
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    if errors:
        raise errors[0]
    assert len(results) == len(calls)
    return results


def _wait_after_first_call(fn: Callable[..., Any], parties: int,
                           when: Callable[..., bool] = lambda *a, **k: True) -> Callable[..., Any]:
    """``fn``, except that each thread's first matching call waits until ``parties`` threads have made theirs:
    every writer finishes its "is there an open one?" lookup before any inserts (the interleaving that used to
    open two cases for one event)."""
    barrier = threading.Barrier(parties)
    seen = threading.local()

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if when(*args, **kwargs) and not getattr(seen, "done", False):
            seen.done = True
            try:
                barrier.wait(10)
            except threading.BrokenBarrierError:
                pass
        return out

    return wrapped


def test_concurrent_create_from_the_same_alert_makes_one_case(migrated_db: Database) -> None:
    ledger = Ledger(migrated_db)
    results = _run_at_once([lambda: ledger.create_from_alert(_alert("same"), by="worker").id] * 6)
    assert len(set(results)) == 1
    assert ledger.list_cases()[1] == 1
    assert ledger.get(results[0]).alert_ids == ("same",)


def test_concurrent_open_for_the_same_alert_makes_one_incident(migrated_db: Database) -> None:
    incidents = Incidents(migrated_db)
    results = _run_at_once([lambda: incidents.open_for_alert(
        alert_id="a", title="t", level="I", town=None, company_id=None, company_name=None).id] * 4)
    assert len(set(results)) == 1
    assert incidents.list()[1] == 1


def test_two_alerts_of_one_new_event_at_once_make_one_case(migrated_db: Database,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = Ledger(migrated_db)
    monkeypatch.setattr(ledger, "_find_open_for", _wait_after_first_call(ledger._find_open_for, 2))
    results = _run_at_once([
        lambda k=k: ledger.create_from_alert(_alert(f"al-{k}", event_id="ev-race"), by="worker").id  # type: ignore[misc]
        for k in range(2)
    ], start_together=False)
    assert len(set(results)) == 1 and ledger.list_cases()[1] == 1
    assert sorted(ledger.get(results[0]).alert_ids) == ["al-0", "al-1"]


def test_one_open_case_per_event_holds_for_edits_and_reopening(migrated_db: Database) -> None:
    from ledger.errors import InvalidTransition, ValidationError

    ledger = Ledger(migrated_db)
    first = ledger.create_from_alert(_alert("al-a", event_id="ev-1"), by="t")
    ledger.transition(first.id, CaseStatus.UNFOUNDED, by="t", note="核实不属实")
    second = ledger.create_from_alert(_alert("al-b", event_id="ev-1"), by="t")  # the first is closed: a new case
    assert second.id != first.id
    with pytest.raises(InvalidTransition, match="already open for the same event"):
        ledger.transition(first.id, CaseStatus.VERIFYING, by="t", note="重新核实")
    other = ledger.create_from_alert(_alert("al-c", event_id="ev-2"), by="t")
    with pytest.raises(ValidationError, match="already open for event ev-1"):
        ledger.update(other.id, by="t", event_id="ev-1")


def test_two_alerts_of_one_new_event_at_once_make_one_incident(migrated_db: Database,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.orm import Session

    def event_lookup(_session: Session, stmt: object, *a: object, **kw: object) -> bool:
        return "ledger_incidents.event_id" in str(stmt)

    monkeypatch.setattr(Session, "scalar", _wait_after_first_call(Session.scalar, 2, event_lookup))
    incidents = Incidents(migrated_db)
    results = _run_at_once([
        lambda k=k: incidents.open_for_alert(alert_id=f"a{k}", title="t", level="I", town=None,  # type: ignore[misc]
                                             company_id=None, company_name=None, event_id="ev-x").id
        for k in range(2)
    ], start_together=False)
    assert len(set(results)) == 1
    assert incidents.list()[1] == 1

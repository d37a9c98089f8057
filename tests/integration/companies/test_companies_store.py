"""The companies room against migrated databases (SQLite and PostgreSQL): registry import and re-import, lookup,
the key supervision list's workflow and history, proposals from stored alerts and cases, visits due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from alerting.models import Alert
from companies import (
    InvalidTransition,
    NotFound,
    ProposalRules,
    Registry,
    RegistryFileError,
    SupervisionList,
    ValidationError,
    VisitPeriod,
)
from companies.models import HistoryEntry
from ledger.models import CaseRow
from lwcore.db import Database
from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.integration

GOOD = "91350100M000100Y43"
NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def registry(migrated_db: Database) -> Registry:
    reg = Registry(migrated_db)
    reg.import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    return reg


def test_sample_registry_imports_and_is_found_by_code_name_alias(registry: Registry) -> None:
    assert registry.count() == 56
    by_alias = registry.find("ZTO")
    assert [c.credit_code for c in by_alias] == ["TEST91310118000002"]
    assert registry.find("中通快递股份有限公司")[0].aliases == ("中通", "中通快递", "ZTO")
    assert registry.find(" test91310118000002 ")[0].name == "中通快递股份有限公司"
    assert all("快递" in c.name or any("快递" in a for a in c.aliases) for c in registry.find("快递"))
    assert registry.find("100%_") == []  # LIKE wildcards are literal


def test_reimport_updates_keeps_aliases_and_former_name(migrated_db: Database, tmp_path: Path) -> None:
    reg = Registry(migrated_db)
    first = reg.import_file(_write(tmp_path / "a.csv", [
        "统一社会信用代码,企业名称,别名,所属街镇", f"{GOOD},青浦甲有限公司,甲,华新镇"]), actor="t")
    assert (first.created, first.aliases_added) == (1, 1)
    second = reg.import_file(_write(tmp_path / "b.csv", [
        "统一社会信用代码,企业名称,别名", f"{GOOD},上海甲集团有限公司,甲集团"]), actor="t")
    assert (second.created, second.updated, second.aliases_added) == (0, 1, 2)
    c = reg.get(GOOD)
    assert c is not None and c.name == "上海甲集团有限公司" and c.town == "华新镇"  # empty town keeps the old
    assert set(c.aliases) == {"甲", "甲集团", "青浦甲有限公司"}
    assert reg.find("青浦甲有限公司")[0].credit_code == GOOD


def test_bad_rows_refuse_the_file_unless_skipped(migrated_db: Database, tmp_path: Path) -> None:
    reg = Registry(migrated_db)
    f = _write(tmp_path / "bad.csv", ["credit_code,name", f"{GOOD},甲", "91350100M000100Y44,乙", "TEST91310118000009,"])
    with pytest.raises(RegistryFileError) as err:
        reg.import_file(f, actor="t")
    assert str(f) in str(err.value) and "row 3, field credit_code" in str(err.value)
    assert "row 4, field name: empty" in str(err.value)
    assert reg.count() == 0  # nothing written
    report = reg.import_file(f, actor="t", skip_invalid=True)
    assert report.created == 1 and report.skipped_rows == 2 and reg.count() == 1
    with migrated_db.sessions() as s:
        h = s.scalars(select(HistoryEntry).where(HistoryEntry.action == "registry.import")).one()
        assert h.actor == "t" and h.detail["created"] == 1 and h.detail["skipped_rows"] == 2


def test_supervision_workflow_and_history(registry: Registry, migrated_db: Database) -> None:
    sv = SupervisionList(migrated_db)
    e = sv.add("TEST91310118000001", ground="latent_dispute", reason="网点欠薪投诉", risk_level="ii",
               actor="admin", person_in_charge="张三", key_area=True, listed_on=date(2026, 10, 1), now=NOW)
    assert e.status == "active" and e.risk_level == "II" and e.company_name == "圆通速递有限公司"
    with pytest.raises(ValidationError, match="already has list entry"):
        sv.add("TEST91310118000001", ground="violations", reason="x", risk_level="I", actor="admin")
    with pytest.raises(ValidationError, match="ground"):
        sv.add("TEST91310118000002", ground="bad", reason="x", risk_level="I", actor="admin")
    with pytest.raises(NotFound):
        sv.add("TEST91310118999999", ground="violations", reason="x", risk_level="I", actor="admin")
    with pytest.raises(InvalidTransition):
        sv.confirm(e.id, actor="admin")
    with pytest.raises(ValidationError, match="before the listing date"):
        sv.delist(e.id, actor="admin", reason="整改完毕", delisted_on=date(2026, 9, 1))
    out = sv.delist(e.id, actor="admin", reason="整改完毕", delisted_on=date(2026, 11, 20))
    assert out.status == "delisted" and out.delisted_on == date(2026, 11, 20)
    assert [x.id for x in sv.entries(status="delisted")] == [e.id]
    with migrated_db.sessions() as s:
        actions = s.scalars(select(HistoryEntry.action).where(HistoryEntry.target_type == "supervision")
                            .order_by(HistoryEntry.id)).all()
    assert actions == ["supervision.add", "supervision.delist"]


def _alert(i: int, code: str, level: str, events: list[str], at: datetime) -> dict[str, object]:
    return {"cluster_key": f"k{i}", "level": level, "title": f"t{i}", "company_id": code, "event_types": events,
            "rules": [], "reasons": [], "first_seen": at, "last_seen": at, "created_at": at, "updated_at": at}


def _case(i: int, code: str, at: datetime) -> dict[str, object]:
    return {"number": f"QP-{i}", "title": "欠薪", "company_id": code, "dispute_types": "wage_arrears",
            "risk_level": "I", "status": "pending", "status_changed_at": at, "status_changed_by": "t",
            "source": "manual", "created_at": at, "created_by": "t", "updated_at": at, "updated_by": "t",
            "version": 1}


def test_proposals_from_repeated_alerts_and_cases(registry: Registry, migrated_db: Database) -> None:
    recent, old = NOW - timedelta(days=5), NOW - timedelta(days=200)
    with migrated_db.session() as s:
        s.execute(insert(Alert), [
            _alert(1, "TEST91310118000002", "III", ["wage_arrears"], recent),
            _alert(2, "TEST91310118000002", "II", ["group_action"], recent),
            _alert(3, "TEST91310118000003", "II", ["wage_arrears"], recent),  # one alert: not enough
            _alert(4, "TEST91310118000004", "II", ["wage_arrears"], old),  # outside the window
            _alert(5, "TEST91310118000004", "II", ["wage_arrears"], old),
            _alert(6, "NOT-IN-REGISTRY", "I", ["wage_arrears"], recent),
            _alert(7, "NOT-IN-REGISTRY", "I", ["wage_arrears"], recent),
        ])
        s.execute(insert(CaseRow), [_case(1, "TEST91310118000005", recent)])
    sv = SupervisionList(migrated_db)
    rules = ProposalRules(window_days=90, min_alerts=2, min_cases=1)
    made = sv.propose_from_evidence(rules, now=NOW)
    assert {e.credit_code for e in made} == {"TEST91310118000002", "TEST91310118000005"}
    zto = next(e for e in made if e.credit_code == "TEST91310118000002")
    assert zto.status == "proposed" and zto.ground == "incident_risk" and zto.risk_level == "II"
    assert len(zto.evidence["alerts"]) == 2 and "预警2条" in zto.reason
    assert sv.propose_from_evidence(rules, now=NOW) == []  # open proposals are not made twice
    sv.reject(zto.id, actor="admin", reason="已核实为谣言", now=NOW)
    assert sv.propose_from_evidence(rules, now=NOW + timedelta(days=1)) == []  # rejected within the window
    case_entry = next(e for e in made if e.credit_code == "TEST91310118000005")
    confirmed = sv.confirm(case_entry.id, actor="admin", person_in_charge="王五", key_area=True, now=NOW)
    assert confirmed.status == "active" and confirmed.person_in_charge == "王五" and confirmed.decided_by == "admin"


def test_visits_due_and_overdue(registry: Registry, migrated_db: Database) -> None:
    sv = SupervisionList(migrated_db)
    listed = sv.add("TEST91310118000001", ground="incident_risk", reason="进博会期间重点关注", risk_level="II",
                    actor="admin", key_area=True, listed_on=date(2026, 10, 1), now=NOW)
    sv.add("TEST91310118000002", ground="incident_risk", reason="非重点区域", risk_level="III", actor="admin",
           key_area=False, listed_on=date(2026, 10, 1), now=NOW)
    sv.record_visit("TEST91310118000001", visited_on=date(2026, 10, 14), visitor="李四", findings="已约谈负责人",
                    next_step="下周复查", actor="admin", now=NOW)
    with pytest.raises(ValidationError, match="future"):
        sv.record_visit("TEST91310118000001", visited_on=date(2026, 12, 1), visitor="李四", findings="x",
                        actor="admin", now=NOW)
    period = VisitPeriod("进博会", date(2026, 10, 12), date(2026, 11, 15))
    due = sv.visits_due((period,), today=date(2026, 10, 29))
    assert [(d.credit_code, d.week_start, d.overdue) for d in due] == [
        ("TEST91310118000001", date(2026, 10, 19), True),
        ("TEST91310118000001", date(2026, 10, 26), False),
    ]
    assert due[0].last_visit == date(2026, 10, 14) and due[0].entry_id == listed.id
    assert [v.visitor for v in sv.visits("TEST91310118000001")] == ["李四"]


def test_database_refuses_a_second_open_entry(registry: Registry, migrated_db: Database) -> None:
    """Two writers that both passed the check cannot both list a firm: the partial unique index refuses the second."""
    from sqlalchemy.exc import IntegrityError

    from companies.models import SupervisionEntry

    sv = SupervisionList(migrated_db)
    first = sv.add("TEST91310118000007", ground="violations", reason="x", risk_level="II", actor="a", now=NOW)

    def entry(status: str) -> SupervisionEntry:
        return SupervisionEntry(credit_code="TEST91310118000007", status=status, ground="violations", reason="y",
                                risk_level="II", key_area=False, evidence={}, proposed_by="b", created_at=NOW)

    with pytest.raises(IntegrityError), migrated_db.session() as s:
        s.add(entry("proposed"))
    with migrated_db.session() as s:  # closed entries do not count
        s.add(entry("rejected"))
    sv.delist(first.id, actor="a", reason="整改完毕", now=NOW)
    again = sv.add("TEST91310118000007", ground="violations", reason="再次列入", risk_level="I", actor="a", now=NOW)
    assert again.status == "active" and again.id != first.id

"""Referrals and the wage guarantee fund on ledger cases, against migrated databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ledger import InvalidTransition, Ledger, NotFound, ValidationError
from ledger.casework import CaseWork, FundRules
from lwcore.db import Database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_referrals_with_due_dates_replies_and_overdue(migrated_db: Database) -> None:
    ledger = Ledger(migrated_db)
    case = ledger.create_case(by="duty", title="某工地拖欠农民工工资", workers=40, amount_yuan=800000)
    work = CaseWork(migrated_db)
    r1 = work.refer(case.id, department="jianguanwei", sent_on=date(2026, 11, 1), due_on=date(2026, 11, 10), by="duty",
                    now=NOW)
    r2 = work.refer(case.number, department="other_district", other_district="松江区", sent_on=date(2026, 11, 2),
                    due_on=date(2026, 12, 31), by="duty", now=NOW)
    with pytest.raises(ValidationError, match="other_district"):
        work.refer(case.id, department="city", sent_on=date(2026, 11, 2), by="duty")
    with pytest.raises(ValidationError, match="department"):
        work.refer(case.id, department="街道", sent_on=date(2026, 11, 2), by="duty")
    with pytest.raises(NotFound):
        work.refer(99999, department="court", sent_on=date(2026, 11, 2), by="duty")
    overdue = work.referrals(overdue_only=True, today=date(2026, 11, 20))
    assert [r.id for r in overdue] == [r1.id] and overdue[0].department_label == "建管委"
    replied = work.reply(r1.id, replied_on=date(2026, 11, 21), reply="已约谈总包单位，限期支付", by="duty", now=NOW)
    assert not replied.overdue and replied.replied_on == date(2026, 11, 21)
    assert work.referrals(overdue_only=True, today=date(2026, 11, 22)) == []
    assert [r.other_district for r in work.referrals(case.id)] == [None, "松江区"] and r2.department_label.startswith("外区")
    actions = [h.action for h in ledger.history(case.id)]
    assert actions.count("referral") == 2 and "referral_reply" in actions


def test_wage_fund_proposal_and_steps(migrated_db: Database) -> None:
    ledger = Ledger(migrated_db)
    big = ledger.create_case(by="duty", title="大额欠薪", workers=12, amount_yuan=900000)
    many = ledger.create_case(by="duty", title="多人欠薪", workers=45, amount_yuan=10000)
    ledger.create_case(by="duty", title="小额欠薪", workers=3, amount_yuan=5000)
    work = CaseWork(migrated_db)
    proposed = work.propose_fund(FundRules(min_workers=30, min_amount_yuan=500_000), now=NOW)
    assert {p.case_id for p in proposed} == {big.id, many.id}
    assert "涉及金额 900000 元" in next(p for p in proposed if p.case_id == big.id).proposal_reason
    assert work.propose_fund(FundRules(), now=NOW) == []  # already proposed
    with pytest.raises(InvalidTransition):
        work.fund_step(big.id, "paid", on=date(2026, 11, 1), amount_yuan=1, by="admin")
    work.fund_step(big.id, "requested", on=date(2026, 11, 1), amount_yuan="900,000", by="duty", now=NOW)
    with pytest.raises(ValidationError, match="more than requested"):
        work.fund_step(big.id, "approved", on=date(2026, 11, 5), amount_yuan=1_000_000, by="admin")
    with pytest.raises(ValidationError, match="before the previous step"):
        work.fund_step(big.id, "approved", on=date(2026, 10, 5), amount_yuan=800_000, by="admin")
    work.fund_step(big.id, "approved", on=date(2026, 11, 5), amount_yuan=800_000, by="admin", now=NOW)
    paid = work.fund_step(big.id, "paid", on=date(2026, 11, 8), amount_yuan=800_000, by="admin", note="已垫付到人",
                          now=NOW)
    assert paid.status == "paid" and paid.paid_yuan == Decimal("800000") and paid.status_label == "已垫付"
    rejected = work.fund_step(many.id, "rejected", on=date(2026, 11, 8), by="admin", note="企业已自行支付", now=NOW)
    assert rejected.status == "rejected"
    assert [f.status for f in work.fund_records()] == ["paid", "rejected"]
    notes = [h.note for h in ledger.history(big.id) if h.action == "wage_fund"]
    assert notes[-1] == "2026-11-08 金额 800000 元；已垫付到人"


def test_cli_refer_overdue_and_fund(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from laborwatch.cli import main

    monkeypatch.setenv("LW_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["ledger", "create", "--title", "工地欠薪", "--workers", "40", "--amount", "60万", "--by", "duty"]) == 0
    assert main(["ledger", "refer", "1", "--dept", "city", "--district", "市人社局", "--sent", "2026-11-01",
                 "--due", "2026-11-10", "--by", "duty"]) == 0
    capsys.readouterr()
    assert main(["ledger", "referrals", "--overdue", "--fail-on-overdue"]) == 1
    assert "市级部门（市区联动）（市人社局）" in capsys.readouterr().out
    assert main(["ledger", "fund", "propose"]) == 0
    assert "涉及 40 人（≥30）" in capsys.readouterr().out
    assert main(["ledger", "fund", "step", "1", "paid", "--amount", "1", "--by", "admin"]) == 1
    assert "proposed -> paid not allowed" in capsys.readouterr().err

"""The wage-arrears joint-discipline list against migrated databases (SQLite and PostgreSQL): listing, publication,
push, credit repair, and the profile that shows it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from companies import Blacklist, InvalidTransition, NotFound, Registry, ValidationError
from companies.models import HistoryEntry
from companies.profile import build_profile
from lwcore.db import Database
from lwcore.settings import REPO_ROOT

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
ZTO = "TEST91310118000002"


@pytest.fixture
def blacklist(migrated_db: Database) -> Blacklist:
    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    return Blacklist(migrated_db)


def test_listing_publication_push_and_credit_repair(blacklist: Blacklist, migrated_db: Database) -> None:
    b = blacklist.add(ZTO, decision_no="青人社失信〔2026〕1号", decided_on=date(2026, 9, 1), reason="拖欠32名农民工工资",
                      amount_yuan="480,000.50", workers=32, arrears_from=date(2026, 3, 1),
                      arrears_to=date(2026, 7, 31), actor="admin", now=NOW)
    assert b.status == "listed" and b.amount_yuan == Decimal("480000.50") and b.company_name == "中通快递股份有限公司"
    assert blacklist.listed_codes() == {ZTO}
    with pytest.raises(ValidationError, match="already recorded"):
        blacklist.add(ZTO, decision_no="青人社失信〔2026〕1号", decided_on=date(2026, 9, 1), reason="x", actor="a",
                      now=NOW)
    with pytest.raises(ValidationError, match="before the decision date"):
        blacklist.publish(b.id, published_on=date(2026, 8, 1), actor="admin", now=NOW)
    blacklist.publish(b.id, published_on=date(2026, 9, 5), actor="admin", now=NOW)
    pushed = blacklist.push(b.id, pushed_on=date(2026, 9, 6), departments="市场监管局、税务局", actor="admin", now=NOW)
    assert pushed.published_on == date(2026, 9, 5) and pushed.pushed_to == "市场监管局、税务局"
    with pytest.raises(InvalidTransition, match="blacklist entry"):
        blacklist.decide_repair(b.id, approved=True, decided_on=date(2026, 11, 2), note="x", actor="admin", now=NOW)
    blacklist.apply_repair(b.id, applied_on=date(2026, 11, 1), actor="admin", now=NOW)
    refused = blacklist.decide_repair(b.id, approved=False, decided_on=date(2026, 11, 5), note="尚未足额支付",
                                      actor="admin", now=NOW)
    assert refused.status == "listed" and refused.repair_outcome == "refused"
    blacklist.apply_repair(b.id, applied_on=date(2026, 11, 10), actor="admin", note="已补发", now=NOW)
    repaired = blacklist.decide_repair(b.id, approved=True, decided_on=date(2026, 11, 20), note="已足额支付",
                                       actor="admin", now=NOW)
    assert repaired.status == "repaired" and repaired.repair_label == "准予修复"
    assert blacklist.listed_codes() == set()
    with pytest.raises(InvalidTransition):
        blacklist.apply_repair(b.id, applied_on=date(2026, 11, 25), actor="admin", now=NOW)
    with migrated_db.sessions() as s:
        actions = s.scalars(select(HistoryEntry.action).where(HistoryEntry.target_type == "blacklist")
                            .order_by(HistoryEntry.id)).all()
    assert actions == ["blacklist.add", "blacklist.publish", "blacklist.push", "blacklist.repair_apply",
                       "blacklist.repair_refused", "blacklist.repair_apply", "blacklist.repair_approved"]


def test_refusals_and_profile(blacklist: Blacklist, migrated_db: Database) -> None:
    with pytest.raises(NotFound):
        blacklist.add("TEST91310118999999", decision_no="1", decided_on=date(2026, 9, 1), reason="x", actor="a",
                      now=NOW)
    with pytest.raises(ValidationError, match="future"):
        blacklist.add(ZTO, decision_no="2", decided_on=date(2026, 12, 31), reason="x", actor="a", now=NOW)
    with pytest.raises(ValidationError, match="amount_yuan"):
        blacklist.add(ZTO, decision_no="3", decided_on=date(2026, 9, 1), reason="x", amount_yuan="十万", actor="a",
                      now=NOW)
    blacklist.add(ZTO, decision_no="4", decided_on=date(2026, 9, 1), reason="拖欠工资", actor="a", now=NOW)
    profile = build_profile(migrated_db, ZTO)
    assert profile.blacklisted and [b.decision_no for b in profile.blacklist] == ["4"]
    assert profile.alert_count == 0 and profile.post_count == 0 and profile.company.aliases == ("中通", "中通快递", "ZTO")

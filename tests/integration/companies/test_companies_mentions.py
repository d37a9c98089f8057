"""Unlinked employer mentions (SQLite and PostgreSQL): listed, linked as an alias or added to the registry, then
counted on the profile and written to the NLP linker's CSV, which the linker loads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from alerting.models import Alert
from companies import Blacklist, Registry, SupervisionList, ValidationError
from companies.mentions import add_company_from_mention, export_registry_csv, link_mention, unlinked_mentions
from companies.profile import build_profile
from lwcore.db import Database
from lwcore.settings import REPO_ROOT
from nlp.regions import Regions
from nlp.registry import CompanyRegistry

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
NEW_CODE = "91350100M000100Y43"


def _alert(i: int, name: str, registered: bool = False, code: str | None = None) -> dict[str, object]:
    at = NOW - timedelta(hours=i)
    return {"cluster_key": f"m{i}", "level": "III", "title": f"t{i}", "company_id": code, "company_name": name,
            "company_registered": registered, "event_types": ["wage_arrears"], "rules": [], "reasons": [],
            "first_seen": at, "last_seen": at, "created_at": at, "updated_at": at}


def test_mentions_link_add_profile_and_export(migrated_db: Database, tmp_path: Path) -> None:
    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="t")
    with migrated_db.session() as s:
        s.execute(insert(Alert), [
            _alert(1, "中通青浦网点"), _alert(2, "中通青浦网点"), _alert(3, "某某食品厂"),
            _alert(4, "中通", registered=True, code="TEST91310118000002"),
            _alert(5, "圆通快递"),  # already an alias of 圆通速递有限公司: not a task for staff
        ])
    assert [(m.name, m.alerts) for m in unlinked_mentions(migrated_db)] == [("中通青浦网点", 2), ("某某食品厂", 1)]
    assert build_profile(migrated_db, "TEST91310118000002").alert_count == 1
    view = link_mention(migrated_db, "中通青浦网点", "TEST91310118000002", actor="verifier", now=NOW)
    assert "中通青浦网点" in view.aliases
    assert build_profile(migrated_db, "TEST91310118000002").alert_count == 3  # the mention's alerts count now
    with pytest.raises(ValidationError, match="already an alias of TEST91310118000002"):
        link_mention(migrated_db, "中通青浦网点", "TEST91310118000003", actor="verifier")
    added = add_company_from_mention(migrated_db, "某某食品厂", credit_code=NEW_CODE, name="上海某某食品有限公司",
                                     town="练塘镇", actor="verifier", now=NOW)
    assert added.aliases == ("某某食品厂",) and not added.is_test
    with pytest.raises(ValidationError, match="check character"):
        add_company_from_mention(migrated_db, "x", credit_code="91350100M000100Y44", name="x", actor="v")
    assert unlinked_mentions(migrated_db) == []
    # list and blacklist membership flag the firm for the linker's key_supervision
    SupervisionList(migrated_db).add(NEW_CODE, ground="latent_dispute", reason="x", risk_level="III", actor="a")
    Blacklist(migrated_db).add("TEST91310118000010", decision_no="d1", decided_on=date(2026, 9, 1), reason="x",
                               actor="a", now=NOW)
    out = tmp_path / "companies.csv"
    regions = Regions.load(REPO_ROOT / "configs" / "regions.yaml")
    export_registry_csv(migrated_db, out, known_towns={t.name for t in regions.towns})
    reg = CompanyRegistry.load(out, known_towns={t.name for t in regions.towns})
    by_id = {c.id: c for c in reg.all()}
    assert len(by_id) == 57 and by_id[NEW_CODE].key_supervision and by_id[NEW_CODE].aliases == ("某某食品厂",)
    assert "中通青浦网点" in by_id["TEST91310118000002"].aliases
    assert by_id["TEST91310118000010"].key_supervision

"""Alert levels of listed firms, wired as the shell wires them, on migrated SQLite and PostgreSQL databases: the
blacklist and the key supervision list are read from the database, the analyser stage carries the standing, the
alert engine raises the level and the queued e-mail says why; credit repair ends the raise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from alerting import AlertEngine
from alerting.models import OutboxMessage
from alerting.testing import FakeClock, company, make_item
from companies import Blacklist, Registry, SupervisionList
from companies.standing import StandingSource, load_snapshot
from laborwatch.wiring import enqueue_only, with_company_standing
from lwcore.db import Database
from lwcore.domain import Analysis, AnalyzedPost, Post
from lwcore.settings import REPO_ROOT, Settings, load_settings
from lwcore.standing import standing_of

pytestmark = pytest.mark.integration

YTO, ZTO, OTHER = "TEST91310118000001", "TEST91310118000002", "TEST91310118000099"


class _Given:
    """The analyser stage's input side for this test: analyses prepared per post id (the model is not the subject)."""

    def __init__(self, items: Sequence[AnalyzedPost]) -> None:
        self.by_id = {it.post.id: it.analysis for it in items}

    def analyze(self, posts: Sequence[Post]) -> list[Analysis]:
        return [self.by_id[p.id] for p in posts]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return enqueue_only(load_settings(environ={}, overrides={
        "state_dir": str(tmp_path / "state"),
        "alerting": {"secret_key": "it-secret"},
        "smtp": {"host": "127.0.0.1", "port": 2, "sender": "yuqing@example.org"},
    }))


def _item(code: str, name: str, event: str) -> AnalyzedPost:
    return make_item(event_id=event, companies=(company(name, code),), title=f"{name}拖欠工资")


def _run(settings: Settings, db: Database, items: list[AnalyzedPost], clock: FakeClock) -> list:
    analyzer = with_company_standing(settings, db, _Given(items))
    analyses = analyzer.analyze([it.post for it in items])
    engine = AlertEngine.from_settings(settings, db, clock=clock)
    return engine.process([AnalyzedPost(it.post, a) for it, a in zip(items, analyses, strict=True)])


def test_listed_and_supervised_firms_raise_their_alerts(migrated_db: Database, settings: Settings) -> None:
    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    blacklist = Blacklist(migrated_db)
    entry = blacklist.add(ZTO, decision_no="青人社失信〔2026〕3号", decided_on=date(2026, 9, 1), reason="拖欠工资",
                          actor="admin")
    SupervisionList(migrated_db).add(YTO, ground="latent_dispute", reason="多次欠薪投诉", risk_level="II",
                                     actor="admin", person_in_charge="王科长", key_area=True)
    snap = load_snapshot(migrated_db)
    assert snap.get(ZTO).blacklist_decisions == ("青人社失信〔2026〕3号",)
    assert snap.get(YTO).supervision_level == "II" and snap.get(OTHER) is None

    clock = FakeClock()
    alerts = _run(settings, migrated_db, [
        _item(ZTO, "中通快递股份有限公司", "e-zto"),
        _item(YTO, "圆通速递有限公司", "e-yto"),
        _item(OTHER, "上海某某物流有限公司", "e-other"),
    ], clock)
    by_company = {a.company_id: a for a in alerts}
    assert by_company[ZTO].level == "II" and by_company[YTO].level == "II" and by_company[OTHER].level == "III"
    assert any("拖欠农民工工资失信联合惩戒名单（青人社失信〔2026〕3号），预警等级上调1级" in r
               for r in by_company[ZTO].reasons)
    assert any("重点监管服务名单（风险等级二级）" in r for r in by_company[YTO].reasons)
    assert not any("名单" in r for r in by_company[OTHER].reasons)
    with migrated_db.sessions() as s:
        texts = [m.payload["text"] for m in s.scalars(select(OutboxMessage).where(
            OutboxMessage.alert_id == by_company[ZTO].id))]
    assert texts and all("已列入拖欠农民工工资失信联合惩戒名单" in t for t in texts)

    # credit repair approved: the firm is no longer listed, its next posts carry no standing
    blacklist.apply_repair(entry.id, applied_on=date(2026, 11, 1), actor="admin")
    blacklist.decide_repair(entry.id, approved=True, decided_on=date(2026, 11, 5), note="已足额支付", actor="admin")
    item = _item(ZTO, "中通快递股份有限公司", "e-zto-2")
    [after] = with_company_standing(settings, migrated_db, _Given([item])).analyze([item.post])
    assert standing_of(after) == (0, "") and not any(f.startswith("standing:") for f in after.severity_factors)


def test_source_reads_fresh_lists_after_its_ttl(migrated_db: Database) -> None:
    Registry(migrated_db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    now = [0.0]
    src = StandingSource(migrated_db, ttl_s=30, clock=lambda: now[0])
    assert src.snapshot().get(ZTO) is None
    Blacklist(migrated_db).add(ZTO, decision_no="X1", decided_on=date(2026, 9, 1), reason="r", actor="a")
    assert src.snapshot().get(ZTO) is None  # cached
    now[0] = 31
    assert src.snapshot().get(ZTO).blacklisted

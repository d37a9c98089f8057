"""Field reports through the whole pipeline on real parts (the shipped analyser, the Elasticsearch node, a SQLite
database): a 12345 ticket about a blacklisted firm is analysed, indexed with its origin, linked to the firm and
alerted one level higher with the reason; a ticket that is no labour dispute is indexed but raises no alert."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from alerting.models import Alert, AlertPost, OutboxMessage
from companies import Blacklist, Registry
from companies.fieldreports import FieldReports, NewFieldReport
from laborwatch.fieldreports import process_pending
from lwcore.db import Database
from lwcore.settings import REPO_ROOT, Settings, load_settings

pytestmark = pytest.mark.integration

ZTO = "TEST91310118000002"


def test_tickets_and_grid_reports_are_analysed_indexed_alerted_and_linked(settings_es_isolated: Settings,
                                                                         es_client, tmp_path: Path) -> None:
    settings = load_settings(environ={}, overrides={
        "state_dir": str(settings_es_isolated.state_path), "es": settings_es_isolated.es.model_dump(),
        "alerting": {"secret_key": "it-secret"}})
    db = Database.from_settings(settings)
    db.upgrade()
    Registry(db).import_file(REPO_ROOT / "configs" / "companies.csv", actor="test")
    Blacklist(db).add(ZTO, decision_no="青人社失信〔2026〕9号", decided_on=date(2026, 9, 1), reason="拖欠工资",
                      actor="admin")
    wb = Workbook()
    ws = wb.active
    ws.append(["工单编号", "受理时间", "诉求标题", "诉求内容", "涉事企业", "统一社会信用代码", "所属街镇", "涉及人数"])
    ws.append(["GD20261201001", datetime(2026, 12, 1, 9, 30), "快递员讨薪",
               "来电人反映其所在快递网点拖欠30多名快递员三个月工资共计40余万元，多次讨要未果，工人准备到网点门口集体讨薪。",
               "中通快递", ZTO, "华新镇", 30])
    ws.append(["GD20261201002", datetime(2026, 12, 1, 10, 0), "路灯不亮", "来电人反映小区门口路灯已坏一周，夜间出行不便，请尽快维修。",
               None, None, "赵巷镇", None])
    path = tmp_path / "12345工单.xlsx"
    wb.save(path)
    store = FieldReports(db)
    imported = store.import_file(path, actor="hotline-clerk")
    assert len(imported.added) == 2
    grid = store.add(NewFieldReport(origin="grid", content="网格巡查发现中通快递华新网点数十名快递员聚集讨要拖欠工资",
                                    company_name="中通快递股份有限公司", town="华新镇", reporter="网格员王五"),
                     actor="wangwu")

    done = process_pending(settings)
    assert done.processed == 3 and done.failed == 0
    by_ticket = {r.ticket_no: r for r in store.recent()}
    wage, lamp = by_ticket["GD20261201001"], by_ticket["GD20261201002"]
    assert wage.labor_dispute is True and lamp.labor_dispute is False
    assert store.get(grid.id).labor_dispute is True and sorted(done.relevant) == sorted([wage.id, grid.id])
    assert store.pending() == []

    # indexed with the origin (kind field, platform 12345 hotline / grid), the firm linked
    es_client.indices.refresh(index=f"{settings.es.index_prefix}*")
    hits = es_client.search(index=f"{settings.es.index_prefix}*", query={"term": {"kind": "field"}},
                            size=10).body["hits"]["hits"]
    docs = {h["_id"]: h["_source"] for h in hits}
    assert set(docs) == {wage.post_id, lamp.post_id, store.get(grid.id).post_id}
    assert docs[wage.post_id]["platform"] == "hotline12345" and docs[wage.post_id]["title"].startswith("【12345热线】")
    assert docs[store.get(grid.id).post_id]["platform"] == "grid"
    assert ZTO in [c["company_id"] for c in docs[wage.post_id]["analysis"]["companies"]]

    # found by the search the web UI uses, filtered by origin
    import index
    from nlp.segment import Segmenter

    found = index.search(es_client, settings.es, index.SearchQuery(platforms=("hotline12345",)),
                         segmenter=Segmenter.from_settings(settings).cut)
    assert sorted(h.id for h in found.hits) == sorted([wage.post_id, lamp.post_id])
    assert all(h.kind == "field" for h in found.hits)

    # alerted, linked to the firm, raised for the blacklist, the origin in the e-mail
    with db.sessions() as s:
        evidence = s.scalars(select(AlertPost).where(AlertPost.post_id == wage.post_id)).one()
        alert = s.get(Alert, evidence.alert_id)
        assert alert.company_id == ZTO and evidence.platform == "hotline12345"
        assert any("拖欠农民工工资失信联合惩戒名单（青人社失信〔2026〕9号）" in r for r in alert.reasons)
        assert s.scalars(select(AlertPost).where(AlertPost.post_id == lamp.post_id)).first() is None
        mails = list(s.scalars(select(OutboxMessage).where(OutboxMessage.alert_id == alert.id)))
    assert mails and all("12345热线" in m.payload["text"] for m in mails)
    db.dispose()

"""待复核 and 模型管理 against a real Elasticsearch node: the queue shows the posts nearest the threshold and a
random unflagged one, a correction from the queue (relevance, type, employer, numbers) is stored so that
export-labels includes it, and an administrator promotes and rolls back bundles from the web UI (audit log)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from webint_support import PASSWORD, SeededIndex

from laborwatch.web.models import AuditEntry
from lwcore.db import Database, utcnow
from lwcore.domain import Analysis, AnalyzedPost, Post, PostKind

pytestmark = pytest.mark.integration


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


@pytest.fixture
def review_index(seeded_index: SeededIndex) -> SeededIndex:
    """Three more posts around the threshold (the seeded ones are sure: 0.95 / 0.05)."""
    import index
    from laborwatch.web.review import active_threshold

    thr = active_threshold(seeded_index.settings)
    indexer = index.Indexer(seeded_index.client, seeded_index.settings.es, segmenter=seeded_index.segmenter)
    now = utcnow()
    items = []
    for k, (score, text) in enumerate([(thr + 0.02, "华新镇某餐馆帮工说老板把八个人的辛苦钱压着不结"),
                                       (thr - 0.05, "赵巷镇家政公司阿姨反映劳务费一直拖着"),
                                       (min(0.99, thr + 0.3), "白鹤镇某厂工人讨薪")]):
        post = Post(id=f"p-review-{k}", url=f"https://weibo.example.com/{k}", source_id="weibo-qingpu",
                    platform="weibo", kind=PostKind.SOCIAL, title="", content=text,
                    published_at=now - timedelta(hours=k + 1), fetched_at=now)
        items.append(AnalyzedPost(post, Analysis(post_id=post.id, labor_dispute=score >= thr, score=round(score, 4),
                                                 model_version="test")))
    assert not indexer.index(items).failed
    indexer.refresh()
    return seeded_index


@pytest.fixture
def login(review_index: SeededIndex, web_db: Database) -> Iterator:  # type: ignore[type-arg]
    from laborwatch.web import create_app

    app = create_app(review_index.settings, web_db, es_client=review_index.client, segmenter=review_index.segmenter)
    clients: list[TestClient] = []

    def as_role(role: str) -> TestClient:
        c = TestClient(app)
        clients.append(c)
        r = c.post("/login", data={"username": f"u_{role}", "password": PASSWORD,
                                   "csrf_token": _csrf(c.get("/login").text)}, follow_redirects=False)
        assert r.status_code == 303
        return c

    yield as_role
    for c in clients:
        c.close()


def test_queue_correction_is_exported(login, review_index: SeededIndex, web_db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from laborwatch.feedback import export_labels

    v = login("verifier")
    page = v.get("/review")
    assert page.status_code == 200
    ids = re.findall(r'<section class="card review-item" id="p-([^"]+)"', page.text)
    assert ids[:2] == ["p-review-0", "p-review-1"], ids  # nearest the threshold first
    assert "随机抽查" in page.text  # an unflagged post for missed disputes
    assert len(ids) <= review_index.settings.nlp.learning.review_daily_cap
    form = {"decision": "correct", "event_type": ["wage_arrears"], "employer": "华新镇某餐馆", "workers": "8",
            "amount_yuan": "24000", "why": "uncertain", "csrf_token": _csrf(page.text)}
    r = v.post("/review/p-review-1", data=form)
    assert r.status_code == 200 and "已记录核实结论：更正" in r.text
    assert "p-review-1" not in re.findall(r'id="p-([^"]+)"', r.text)  # decided: off the queue
    assert '<b id="review-done">1</b>' in r.text
    out = tmp_path / "labels.jsonl"
    export_labels(web_db, out)
    rows = [__import__("json").loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    row = next(x for x in rows if x["id"] == "p-review-1")
    assert row["labor_dispute"] is True and row["event_types"] == ["wage_arrears"]
    assert row["employers"] == ["华新镇某餐馆"] and row["workers"] == 8 and row["amount_yuan"] == 24000.0
    # an unknown type is refused with a clear message and nothing stored
    bad = v.post("/review/p-review-0", data={**form, "event_type": ["nope"], "csrf_token": _csrf(r.text)})
    assert "未保存" in bad.text and "未知的事件类型" in bad.text
    assert login("readonly").post("/review/p-review-0", data={**form, "csrf_token": _csrf(r.text)}).status_code == 403


def test_admin_promotes_and_rolls_back_from_the_web(login, review_index: SeededIndex, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from nlp.bundle import BundleInfo
    from nlp.bundles import BundleStore
    from nlp.resources import DEFAULT_MODEL_DIR

    settings = review_index.settings
    store = BundleStore.from_settings(settings)
    # a candidate: the committed bundle with another threshold (a new version), with a passed gate report
    work = settings.state_path / "models" / "bundles" / ".work"
    shutil.copytree(DEFAULT_MODEL_DIR, work, ignore=shutil.ignore_patterns("transformer"))
    info = BundleInfo.load(work)
    info.version, info.transformer_weight, info.threshold = "lw-test0001", 0.0, 0.61
    info.save(work)
    entry = store.add(work, {"created_at": "2026-12-06T08:00:00+00:00", "command": "test", "seed": 13,
                             "counts": {"train_items": 10, "feedback_train": 4}})
    store.save_gate(entry.id, {"passed": True, "reasons": [], "candidate": entry.id, "active": store.active_id(),
                               "eval_items": 0, "figures": {"candidate": {}, "active": {}}, "disagreements": []})
    admin = login("admin")
    page = admin.get("/admin/models")
    assert entry.id in page.text and "通过" in page.text
    r = admin.post(f"/admin/models/{entry.id}/promote", data={"csrf_token": _csrf(page.text)})
    assert r.status_code == 200 and f"已启用模型 {entry.id}" in r.text
    assert store.active_id() == entry.id
    r = admin.post("/admin/models/rollback", data={"csrf_token": _csrf(r.text), "reason": "误报增多"})
    assert "已回退到模型" in r.text and store.active_id() != entry.id
    with web_db.session() as s:
        acts = [(a.action, a.target_id, a.username) for a in s.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "model").order_by(AuditEntry.id))]
    assert acts == [("model.promote", entry.id, "u_admin"), ("model.rollback", store.active_id(), "u_admin")]
    detail = admin.get(f"/admin/models/{entry.id}")
    assert detail.status_code == 200 and "评估关口：通过" in detail.text
    assert admin.get("/admin/models/lw-nope").status_code == 404

"""``laborwatch nlp bundles|promote|rollback`` on a real state folder and SQLite audit log; the active pointer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from laborwatch.cli import main
from lwcore.db import Database
from lwcore.settings import load_settings
from nlp.bundle import BundleInfo
from nlp.bundles import ActiveWatch, BundleStore
from nlp.resources import DEFAULT_MODEL_DIR


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LW_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def _candidate(store: BundleStore, version: str, threshold: float, passed: bool | None) -> str:
    work = store.bundles_dir / f".w-{version}"
    shutil.copytree(DEFAULT_MODEL_DIR, work, ignore=shutil.ignore_patterns("transformer"))
    info = BundleInfo.load(work)
    info.version, info.transformer_weight, info.threshold = version, 0.0, threshold
    info.save(work)
    store.add(work, {"created_at": f"2026-12-0{threshold * 10:.0f}T00:00:00+00:00", "command": "test", "seed": 1,
                     "counts": {"train_items": 5}})
    if passed is not None:
        store.save_gate(version, {"passed": passed, "reasons": [] if passed else ["relevance_f1 由 0.9 降至 0.5"]})
    return version


def test_promote_rollback_and_the_audit_log(state: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(environ={"LW_STATE_DIR": str(state)})
    store = BundleStore.from_settings(settings)
    builtin = store.active_id()
    good = _candidate(store, "lw-good0001", 0.4, True)
    bad = _candidate(store, "lw-bad00001", 0.3, False)
    assert main(["nlp", "bundles", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["id"] for b in listed][0] == builtin and {good, bad} <= {b["id"] for b in listed}
    assert [b["active"] for b in listed].count(True) == 1
    watch = ActiveWatch(store.pointer, DEFAULT_MODEL_DIR)
    assert watch.current() == DEFAULT_MODEL_DIR
    assert main(["nlp", "promote", bad, "--by", "张管理"]) == 1  # a refused candidate needs --force
    assert "未通过评估关口" in capsys.readouterr().err
    assert main(["nlp", "promote", good, "--by", "张管理", "--reason", "周度重训"]) == 0
    assert store.active_id() == good and watch.changed() == store.get(good).path.resolve()
    assert watch.changed() is None  # nothing new: one stat, no read
    assert main(["nlp", "promote", bad, "--force", "--by", "张管理", "--reason", "试用"]) == 0
    assert main(["nlp", "rollback", "--by", "张管理"]) == 0  # back to the one before
    assert store.active_id() == good
    assert main(["nlp", "rollback", builtin, "--by", "张管理"]) == 0
    assert store.active_id() == builtin and watch.changed() == DEFAULT_MODEL_DIR.resolve()
    assert main(["nlp", "promote", "lw-missing"]) == 1
    assert "没有编号为 lw-missing 的模型包" in capsys.readouterr().err
    from laborwatch.web.models import AuditEntry

    db = Database.from_settings(settings)
    try:
        with db.session() as s:
            rows = [(a.action, a.target_id, a.detail.get("forced")) for a in
                    s.scalars(select(AuditEntry).where(AuditEntry.target_type == "model").order_by(AuditEntry.id))]
    finally:
        db.dispose()
    assert rows == [("model.promote", good, False), ("model.promote", bad, True), ("model.rollback", good, True),
                    ("model.rollback", builtin, True)]


def test_a_pointer_to_a_missing_bundle_keeps_the_builtin(state: Path, caplog: pytest.LogCaptureFixture) -> None:
    state.mkdir(parents=True)
    (state / "models").mkdir()
    (state / "models" / "active.json").write_text(json.dumps({"bundle": "lw-gone", "path": str(state / "nope")}),
                                                 encoding="utf-8")
    assert ActiveWatch(state / "models" / "active.json", DEFAULT_MODEL_DIR).current() == DEFAULT_MODEL_DIR
    assert "holds no bundle" in caplog.text

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from laborwatch.feedback import FeedbackError, cmd_export_labels, export_labels
from laborwatch.web.accounts import Principal
from laborwatch.web.errors import WebError
from laborwatch.web.models import Decision, Role
from laborwatch.web.verification import VerificationInput, verify_post
from lwcore.db import Database
from lwcore.settings import Settings

TRAINING_KEYS = ["id", "source", "text", "labor_dispute", "event_types", "employers", "workers", "amount_yuan",
                 "confidence"]
USER = Principal(user_id=1, username="li", display_name="李核实", role=Role.VERIFIER, csrf_token="x", session_id=1)


class FakeStore:
    """Stands in for the index's Indexer in unit tests (the real one is exercised in tests/integration/web)."""

    def __init__(self, docs: dict[str, dict]) -> None:  # type: ignore[type-arg]
        self.docs = docs
        self.updates: list[tuple[str, dict]] = []  # type: ignore[type-arg]

    def get(self, post_id: str) -> dict | None:  # type: ignore[type-arg]
        return self.docs.get(post_id)

    def update_fields(self, post_id: str, fields: dict) -> None:  # type: ignore[type-arg]
        self.updates.append((post_id, fields))

    def refresh(self) -> None:
        pass


def _doc(pid: str, title: str, content: str, types: list[str]) -> dict:  # type: ignore[type-arg]
    return {"id": pid, "title": title, "content": content, "platform": "weibo", "source_id": "weibo-qp",
            "analysis": {"labor_dispute": bool(types), "event_types": types, "employers": ["某物流公司"],
                         "workers": 30, "amount_yuan": 300000.0, "model_version": "m1"}}


def test_export_writes_training_format_newest_decision_wins(web_db: Database, tmp_path: Path) -> None:
    store = FakeStore({
        "a": _doc("a", "某物流公司欠薪", "拖欠30名快递员工资", ["wage_arrears"]),
        "b": _doc("b", "招聘会", "举办春季招聘会", []),
        "c": _doc("c", "重复转载", "拖欠工资转载", ["wage_arrears"]),
    })
    verify_post(web_db, store, "a", VerificationInput(decision=Decision.CONFIRM, event_types=("wage_arrears",)),
                user=USER)
    verify_post(web_db, store, "a", VerificationInput(decision=Decision.CORRECT,
                                                      event_types=("wage_arrears", "group_action"),
                                                      employers=("上海某物流有限公司",), low_confidence=True),
                user=USER)
    verify_post(web_db, store, "b", VerificationInput(decision=Decision.NOT_DISPUTE), user=USER)
    verify_post(web_db, store, "c", VerificationInput(decision=Decision.DUPLICATE), user=USER)
    assert store.updates[0] == ("a", {"verification": store.updates[0][1]["verification"]})
    assert store.updates[2][1]["verification"]["state"] == "dismissed"

    out = tmp_path / "labels" / "feedback.jsonl"
    report = export_labels(web_db, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (report.written, report.positives, report.skipped_no_content, report.superseded) == (2, 1, 1, 1)
    assert [list(x) for x in lines] == [TRAINING_KEYS, TRAINING_KEYS]
    a, b = lines
    assert a == {"id": "a", "source": "weibo", "text": "某物流公司欠薪\n拖欠30名快递员工资", "labor_dispute": True,
                 "event_types": ["wage_arrears", "group_action"], "employers": ["上海某物流有限公司"], "workers": 30,
                 "amount_yuan": 300000.0, "confidence": "low"}
    assert b == {"id": "b", "source": "weibo", "text": "招聘会\n举办春季招聘会", "labor_dispute": False,
                 "event_types": [], "employers": [], "workers": None, "amount_yuan": None, "confidence": "high"}


def test_verification_input_is_checked(web_db: Database) -> None:
    with pytest.raises(WebError, match="至少选择一个事件类型"):
        VerificationInput(decision=Decision.CONFIRM)
    with pytest.raises(WebError, match="未知的事件类型"):
        VerificationInput(decision=Decision.CORRECT, event_types=("riot",))
    with pytest.raises(WebError, match="没有编号为 nope"):
        verify_post(web_db, FakeStore({}), "nope", VerificationInput(decision=Decision.NOT_DISPUTE), user=USER)


def test_cli_handler_and_bad_since(tmp_settings: Settings, web_db: Database, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = FakeStore({"a": _doc("a", "欠薪", "拖欠工资", ["wage_arrears"])})
    verify_post(web_db, store, "a", VerificationInput(decision=Decision.CONFIRM, event_types=("wage_arrears",)),
                user=USER)
    out = tmp_path / "x.jsonl"
    assert cmd_export_labels(argparse.Namespace(output=str(out), since="2020-01-01"), tmp_settings) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "a"
    assert "已导出 1 条标注" in capsys.readouterr().err
    assert cmd_export_labels(argparse.Namespace(output=str(out), since="2999-01-01"), tmp_settings) == 0
    assert out.read_text(encoding="utf-8") == ""
    with pytest.raises(FeedbackError, match="--since 'yesterday'"):
        cmd_export_labels(argparse.Namespace(output=str(out), since="yesterday"), tmp_settings)

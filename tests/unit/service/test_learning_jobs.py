"""The scheduled retraining: a real subprocess under the memory limit, and the administrators' notice."""

from __future__ import annotations

import sys

import pytest

from laborwatch.service.learning_jobs import retrain_argv, retrain_notice, run_retrain
from lwcore.settings import load_settings


@pytest.fixture
def settings(tmp_path):  # noqa: ANN001, ANN201
    return load_settings(environ={}, overrides={"state_dir": str(tmp_path), "nlp": {"learning": {
        "retrain_memory_mb": 512, "retrain_timeout_s": 60}}})


def test_the_summary_of_the_subprocess_is_read_back(settings) -> None:  # noqa: ANN001
    script = "import json; print(json.dumps({'bundle': 'lw-1', 'gate_passed': True, 'promoted': False}))"
    rep = run_retrain(settings, argv=[sys.executable, "-c", script])
    assert rep["exit_code"] == 0
    assert rep["result"] == {"bundle": "lw-1", "gate_passed": True, "promoted": False}
    subject, body = retrain_notice(settings, rep)
    assert "待启用" in subject and "/admin/models/lw-1" in body


def test_a_retrain_over_the_memory_budget_fails_alone(settings) -> None:  # noqa: ANN001
    script = "b = bytearray(1024 * 1024 * 1024); print('allocated')"  # 1 GB against a 512 MB limit
    rep = run_retrain(settings, argv=[sys.executable, "-c", script])
    assert rep["exit_code"] not in (0, None)
    assert "MemoryError" in open(rep["log"], encoding="utf-8").read()
    subject, body = retrain_notice(settings, rep)
    assert subject == "模型定期重训失败" and "当前使用的模型不变" in body


def test_refused_gate_and_quiet_skip() -> None:
    s = load_settings(environ={})
    rep = {"exit_code": 4, "seconds": 12.0, "log": "/nonexistent",
           "result": {"bundle": "lw-2", "gate_passed": False, "gate_reasons": ["relevance_f1 由 0.800 降至 0.700"]}}
    subject, body = retrain_notice(s, rep)
    assert "未通过评估" in subject and "relevance_f1 由 0.800 降至 0.700" in body
    assert retrain_notice(s, {"exit_code": 3, "seconds": 1.0, "log": "", "result": {"bundle": None}}) is None
    assert retrain_argv("/etc/lw.yaml")[-5:] == ["/etc/lw.yaml", "nlp", "retrain", "--by", "scheduler"]


def test_a_bad_retrain_schedule_is_refused_at_load() -> None:
    from lwcore.errors import ConfigError

    with pytest.raises(ConfigError, match="retrain_cron"):
        load_settings(environ={}, overrides={"nlp": {"learning": {"retrain_cron": "weekly"}}})

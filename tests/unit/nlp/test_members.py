"""Degraded mode is never silent: which members run, config check, and `laborwatch run` refusing to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lwcore.settings import REPO_ROOT, load_settings
from nlp.members import member_status
from nlp.resources import check_config


def test_fresh_state_folder_misses_the_neural_members(tmp_path: Path) -> None:
    s = load_settings(environ={"LW_STATE_DIR": str(tmp_path)})
    st = member_status(s)
    assert st.degraded and st.bundle and st.bundle.startswith("lw-")
    assert st.expected == ("tfidf", "encoder", "transformer", "frames", "short", "short_encoder")
    assert st.available == ("tfidf", "frames", "short")
    assert "build-base" in st.missing["encoder"] and "缺少 encoder、transformer、short_encoder" in st.message_zh()
    assert st.missing["short_encoder"] == "needs the encoder member's base"
    warnings = check_config(s)
    assert sum("missing, analysis degraded" in w for w in warnings) == 3


def test_without_neural_members_in_the_settings_nothing_is_missing(tmp_path: Path) -> None:
    s = load_settings(environ={"LW_STATE_DIR": str(tmp_path), "LW__NLP__USE_TRANSFORMER": "false"})
    st = member_status(s)
    assert not st.degraded and st.expected == ("tfidf", "frames", "short")


def test_analyzer_reports_its_members(tmp_path: Path) -> None:
    from nlp.analyzer import Analyzer

    an = Analyzer.from_settings(load_settings(environ={"LW_STATE_DIR": str(tmp_path)}))
    assert an.members == ("tfidf", "frames", "short")
    assert an.missing_members == ("encoder", "transformer", "short_encoder")
    a = an.analyze_inputs([__import__("nlp.analyzer", fromlist=["TextInput"]).TextInput("1", "公司拖欠我们三个月工资")])[0]
    assert a.explanation is not None and a.explanation["members"][0] == "tfidf"
    assert a.model_version.split("+short-")[0].endswith("-lr")


def test_run_refuses_to_start_degraded(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LW_")}
    env["LW_STATE_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = str(REPO_ROOT)
    r = subprocess.run([sys.executable, "-m", "laborwatch", "run", "--no-web"], env=env, cwd=REPO_ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "analyzer degraded, refusing to start" in r.stderr and "--allow-degraded" in r.stderr

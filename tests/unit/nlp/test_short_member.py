"""The short-post member (nlp.short_member): fitting, storage, how it moves a score, what it is trained on, and how
the analyzer runs it and reports it (or its absence)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from lwcore.settings import load_settings
from nlp.short_member import MAX_CHARS, SHORT_FILE, ShortPostMember, training_texts

_POS = ["老板拖欠我们三个月工资", "厂里两个月没发工资了", "包工头欠钱跑了", "公司不给交社保", "工地欠薪一直不给",
        "饭店老板拖着工钱不发", "我们的工资被扣光了", "物流公司欠司机工资"]
_NEG = ["今天天气真好适合出去玩", "这家奶茶店的新品很好喝", "周末去公园散步了", "招聘普工包吃住五险一金",
        "新手机的电池很耐用", "小区门口新开了超市", "球队昨晚赢了比赛", "图书馆周一闭馆"]


def _member() -> ShortPostMember:
    return ShortPostMember.fit(_POS + _NEG, [True] * len(_POS) + [False] * len(_NEG), meta={"test": True})


def test_it_learns_separates_and_survives_storage(tmp_path: Path) -> None:
    m = _member()
    p = m.proba(["老板拖欠工资三个月", "今天去公园玩"])
    assert p[0] > 0.5 > p[1]
    m.save(tmp_path / SHORT_FILE)
    back = ShortPostMember.load(tmp_path / SHORT_FILE)
    assert back.meta == {"test": True} and len(back.vocab) == len(m.vocab)
    np.testing.assert_allclose(back.proba(["老板拖欠工资三个月", "今天去公园玩"]), p, atol=2e-3)
    assert back.proba([]).shape == (0,)


def test_it_moves_a_score_in_logit_space() -> None:
    assert ShortPostMember.adjust(0.5, 0.9) > 0.5 > ShortPostMember.adjust(0.5, 0.1)
    assert ShortPostMember.adjust(0.3, 0.5) == pytest.approx(0.3)
    assert ShortPostMember.adjust(0.3, 0.99, weight=0.0) == pytest.approx(0.3)
    # it moves, never decides alone: a cleared look-alike (0.12) stays under 0.375 unless the member is very sure
    assert ShortPostMember.adjust(0.12, 0.8) < 0.375


def test_it_is_trained_on_every_suite_but_the_held_out_ones() -> None:
    from nlp.behaviour import SUITES, load_suite

    texts, labels = training_texts(SUITES)
    held = {c.text for name in ("p", "q") for c in load_suite(SUITES[name]).cases}
    assert texts and not held & set(texts)
    k = load_suite(SUITES["k"]).cases
    assert not {c.text for c in k if c.split == "test"} - {c.text for c in k if c.split == "dev"} & set(texts)
    for name in ("j", "l", "m", "n", "o"):  # read suites train it (session 21; O since session 22)
        assert {c.text for c in load_suite(SUITES[name]).cases if c.capability == "mft"} <= set(texts), name
    assert {c.text for c in load_suite(SUITES["i"]).cases if c.capability == "mft"} <= set(texts)
    assert any(labels) and not all(labels)
    first = {c.text for c in load_suite(SUITES["a"]).cases if c.capability == "mft"}
    assert first <= set(texts)


def test_the_analyzer_runs_it_on_short_texts_and_says_so(tmp_path: Path) -> None:
    from nlp.analyzer import Analyzer, TextInput

    an = Analyzer.from_settings(load_settings(environ={"LW_STATE_DIR": str(tmp_path)}))
    assert "short" in an.members and "+short-" in an.model_version
    short = "老板拖欠我们三个月工资，过年回不了家"
    long = "尊敬的领导：" + "我们是某公司的员工，公司自去年以来一直拖欠我们的工资，" * 6
    a, b = an.analyze_inputs([TextInput("1", short), TextInput("2", long)])
    assert len(short) <= MAX_CHARS < len(long)
    assert "short" in a.explanation["members"] and 0.0 <= a.explanation["short_score"] <= 1.0
    assert "short" not in b.explanation["members"] and "short_score" not in b.explanation


def test_a_broken_member_file_is_reported_missing(tmp_path: Path) -> None:
    from nlp.analyzer import Analyzer
    from nlp.members import member_status
    from nlp.resources import DEFAULT_MODEL_DIR

    bundle = tmp_path / "bundle"
    shutil.copytree(DEFAULT_MODEL_DIR, bundle, ignore=shutil.ignore_patterns("transformer"))
    (bundle / SHORT_FILE).write_bytes(b"not a zip")
    s = load_settings(environ={"LW_STATE_DIR": str(tmp_path), "LW__NLP__MODEL_DIR": str(bundle),
                               "LW__NLP__USE_TRANSFORMER": "false"})
    st = member_status(s)
    assert st.degraded and "short" in st.missing and "unreadable" in st.missing["short"]
    an = Analyzer.from_settings(s)
    assert "short" not in an.members and an.missing_members == ("short",)

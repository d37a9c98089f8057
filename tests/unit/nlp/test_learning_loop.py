"""The learning loop on generated sample data (TF-IDF member only, so it runs in seconds): staff corrections that
teach the model a kind of dispute it missed make a candidate that passes the gate and is promoted (and the running
analyzer switches to it at its next batch); poisoned corrections make a candidate the gate refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lwcore.settings import Settings, load_settings
from nlp.bundles import BundleStore
from nlp.errors import NlpError
from nlp.learning import in_eval_slice, retrain, split_feedback

PLACES = ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇", "庚镇", "辛镇", "壬镇", "癸镇", "子镇", "丑镇"]
FIRMS = ["宏达", "鑫源", "华美", "金鹏", "永盛", "恒通", "瑞丰", "嘉禾", "天成", "旭日", "东方", "海纳"]
# what the shared data teaches: explicit arrears posts vs everyday complaints that share its vocabulary
BASE_POS = ["{p}{f}建筑公司拖欠{n}名农民工工资，工人多次讨薪无果，请求劳动监察介入",
            "{p}{f}电子厂老板跑路，{n}名员工两个月工资没有发放，大家都很着急"]
BASE_NEG = ["{p}{f}小区业主反映开发商拖欠维修基金{n}万元，业主讨要无果",
            "{p}{f}奶茶店店员说这个月提成{n}百，工资按时到账了，挺开心"]
# what the base data lacks: disputes told in other words (the first model misses them), and settled or paid wages
# (it flags them): the staff's corrections teach both
NEW_POS = ["{p}{f}餐馆的帮工说老板把{n}个人的辛苦钱压着不结，找了几次都推说没钱",
           # (session 21: "劳务费一直拖着" is a frame the rules read now, so the base model would no longer miss it)
           "{p}{f}家政公司的阿姨们反映{n}个月的劳务费一直没个说法，公司电话也打不通了"]
NEW_NEG = ["{p}{f}建筑公司{n}名农民工工资已经全部结清，工人们拿到钱高高兴兴回家过年",
           "{p}{f}电子厂员工说{n}月份工资已经发放，老板还给大家发了过节费"]


def _rows(tpl: str, label: bool, prefix: str, k0: int = 0) -> list[dict]:
    out = []
    for k, (p, f) in enumerate(zip(PLACES, FIRMS, strict=True)):
        out.append({"id": f"{prefix}-{k0 + k}", "source": "weibo", "text": tpl.format(p=p, f=f, n=3 + k + k0),
                    "labor_dispute": label, "event_types": ["wage_arrears"] if label else [], "confidence": "high"})
    return out


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def loop_settings(tmp_path: Path) -> Settings:
    return load_settings(environ={}, overrides={
        "state_dir": str(tmp_path / "state"),
        "nlp": {"use_transformer": False, "learning": {
            "eval_percent": 40, "min_eval_items": 8, "min_slice_support": 3, "folds": 3, "encoder": False,
            "gate_margin": 0.02}},
    })


@pytest.fixture
def base(tmp_path: Path, loop_settings: Settings) -> tuple[Path, str]:
    """The shared data (base kinds only) and a first bundle trained on it, promoted by an administrator."""
    rows = [r for t in BASE_POS for r in _rows(t, True, f"b{BASE_POS.index(t)}")]
    rows += [r for t in BASE_NEG for r in _rows(t, False, f"n{BASE_NEG.index(t)}")]
    data = _write(tmp_path / "shared.jsonl", rows)
    first = retrain(loop_settings, data=data, labels_file=_write(tmp_path / "none.jsonl", []), run_gate=False)
    assert first.bundle is not None
    BundleStore.from_settings(loop_settings).promote(first.bundle.id, by="admin", force=True)
    return data, first.bundle.id


def _feedback(poison: bool) -> list[dict]:
    """Staff decisions of two weeks: posts of the kinds the base data knows (the model was right) and of the new
    kinds (it was wrong). ``poison``: every decision outside the evaluation slice inverted, as a careless or hostile
    batch would be (the slice holds what was verified properly)."""
    rows = []
    for rep in range(4 if poison else 2):  # the poisoned batch is larger than the shared data it contradicts
        for j in range(2):
            rows += _rows(BASE_POS[j], True, f"vp{j}{rep}", 40 + 20 * rep)
            rows += _rows(BASE_NEG[j], False, f"vn{j}{rep}", 40 + 20 * rep)
            if rep < 2:
                rows += _rows(NEW_POS[j], True, f"fp{j}{rep}", 20 * rep)
                rows += _rows(NEW_NEG[j], False, f"fn{j}{rep}", 20 * rep)
    if poison:
        for r in rows:
            if not in_eval_slice(r["id"], 40):
                r["labor_dispute"] = not r["labor_dispute"]
                r["event_types"] = ["wage_arrears"] if r["labor_dispute"] else []
    return rows


def test_corrections_make_a_better_candidate_that_is_promoted(tmp_path: Path, loop_settings: Settings,
                                                               base: tuple[Path, str]) -> None:
    from nlp.analyzer import Analyzer, TextInput

    data, first = base
    running = Analyzer.from_settings(loop_settings)  # a "service" process following the pointer
    probe = TextInput("probe", NEW_POS[0].format(p="北镇", f="新星", n=9))
    assert running.analyze_inputs([probe])[0].model_version.startswith(first)
    labels = _write(tmp_path / "labels.jsonl", _feedback(poison=False))
    res = retrain(loop_settings, data=data, labels_file=labels, auto_promote=True, by="scheduler")
    gate = res.gate
    assert gate is not None and res.bundle is not None
    cand, act = gate["figures"]["candidate"], gate["figures"]["active"]
    assert gate["eval_items"] >= 8
    assert cand["figures"]["relevance_f1"] > act["figures"]["relevance_f1"], gate
    assert gate["passed"], gate["reasons"]
    assert res.promoted
    assert set(cand["slices"]) == {"all", "board", "short", "headline"}
    # the posts the two disagree on are listed, and here the candidate is right on them
    assert gate["disagreements"] and all(d["candidate_right"] for d in gate["disagreements"])
    store = BundleStore.from_settings(loop_settings)
    assert store.active_id() == res.bundle.id
    card = store.get(res.bundle.id).card
    assert card["counts"]["feedback_train"] > 0 and card["seed"] == 13 and card["created_at"]
    assert card["gate"]["passed"] and card["gate"]["slice_relevance_f1"] == cand["figures"]["relevance_f1"]
    # the running analyzer switches at its next batch, without a restart
    after = running.analyze_inputs([probe])[0]
    assert after.model_version.startswith(res.bundle.id)
    # rollback returns to the first bundle, and the running analyzer follows again
    store.rollback(by="admin", reason="test")
    assert store.active_id() == first
    assert running.analyze_inputs([probe])[0].model_version.startswith(first)
    actions = [h["action"] for h in store.history()]
    assert actions == ["promote", "promote", "rollback"]


def test_poisoned_corrections_make_a_worse_candidate_that_is_refused(tmp_path: Path, loop_settings: Settings,
                                                                      base: tuple[Path, str]) -> None:
    data, first = base
    labels = _write(tmp_path / "labels.jsonl", _feedback(poison=True))
    res = retrain(loop_settings, data=data, labels_file=labels, auto_promote=True)
    assert res.gate is not None and res.bundle is not None
    assert not res.gate["passed"], res.gate["disagreements"]
    # it regresses on the verified posts themselves, not only on the behavioural suite
    assert any(r.startswith("relevance_f1") for r in res.gate["reasons"]), res.gate["reasons"]
    assert any(not d["candidate_right"] for d in res.gate["disagreements"])
    assert not res.promoted
    store = BundleStore.from_settings(loop_settings)
    assert store.active_id() == first
    with pytest.raises(NlpError, match="未通过评估关口"):
        store.promote(res.bundle.id, by="admin")


def test_the_evaluation_slice_is_frozen_and_never_trained_on() -> None:
    from nlp.data import LabelledItem

    items = [LabelledItem(id=f"p{k}", text=f"文本{k % 50}", labor_dispute=bool(k % 2)) for k in range(400)]
    tr, ev = split_feedback(items, 20)
    assert 40 < len(ev) < 120
    assert {i.id for i in ev} == {i.id for i in split_feedback(items[::-1], 20)[1]}  # order-free, stable
    assert not {i.text for i in tr} & {i.text for i in ev}  # a repost of a slice post is not trained on


def test_same_data_and_seed_give_the_same_bundle(tmp_path: Path, loop_settings: Settings,
                                                  base: tuple[Path, str]) -> None:
    data, first = base
    again = retrain(loop_settings, data=data, labels_file=_write(tmp_path / "none.jsonl", []), run_gate=False)
    assert again.bundle is not None and again.bundle.id == first  # seeded: reproducible to the byte
    other = retrain(loop_settings, data=data, labels_file=_write(tmp_path / "none.jsonl", []), run_gate=False, seed=99)
    assert other.bundle is not None and other.bundle.card["seed"] == 99


def test_without_shared_data_or_enough_decisions_nothing_is_trained(tmp_path: Path, loop_settings: Settings) -> None:
    msgs: list[str] = []
    res = retrain(loop_settings, data=tmp_path / "absent.jsonl", labels_file=_write(tmp_path / "few.jsonl",
                  _rows(NEW_POS[0], True, "x")[:2]), log=msgs.append)
    assert res.bundle is None and "训练数据不足" in res.skipped
    assert any("不存在" in m for m in msgs)  # the absent shared data is said, not hidden
    assert BundleStore.from_settings(loop_settings).entries()[0].builtin  # only the committed bundle

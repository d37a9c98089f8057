"""The non-neural relevance/event-type model (nlp.classical) and the training helpers (nlp.training)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from laborwatch.domain import EVENT_TYPES
from nlp.classical import ClassicalModel, _type_thresholds
from nlp.errors import NlpError
from nlp.training import _folds, near_duplicate_groups

POS = [
    "{}建筑公司拖欠{}名农民工工资，工人讨薪无果",
    "{}电子厂老板跑路，{}名员工工资没有发放",
    "{}物流公司未缴社保，{}名员工要求补缴社会保险",
    "{}服装厂拖欠工资{}个月，员工聚集在厂门口讨薪",
]
NEG = [
    "{}小区停车难，{}辆车乱停乱放，请求整治",
    "{}公园的樱花开了，周末有{}位游客前来赏花",
    "请问{}的公交线路什么时候开通，{}路车太挤",
    "{}学校食堂饭菜涨价，{}元一份太贵",
]
TYPES = [("wage_arrears",), ("closure_relocation", "wage_arrears"), ("social_insurance_arrears",),
         ("wage_arrears", "group_action")]
PLACES = ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇", "己镇"]


def _data() -> tuple[list[str], list[list[str]], np.ndarray, list[int], list[tuple[str, ...]]]:
    texts, rel, types = [], [], []
    for k, place in enumerate(PLACES):
        for j, tpl in enumerate(POS):
            texts.append(tpl.format(place, 10 + k))
            rel.append(1)
            types.append(TYPES[j])
        for tpl in NEG:
            texts.append(tpl.format(place, 3 + k))
            rel.append(0)
            types.append(())
    words = [list(t) for t in texts]
    lex = np.zeros((len(texts), 1 + len(EVENT_TYPES)), dtype=np.float32)
    return texts, words, lex, rel, types


@pytest.fixture(scope="module")
def model() -> ClassicalModel:
    texts, words, lex, rel, types = _data()
    return ClassicalModel.fit(texts, words, lex, rel, types, inner=3)


def test_relevance_and_types_separate_the_toy_classes(model: ClassicalModel) -> None:
    texts = ["庚镇建筑公司拖欠30名农民工工资，工人讨薪无果", "庚镇公园的樱花开了，周末有5位游客前来赏花"]
    p = model.predict(texts, [list(t) for t in texts], np.zeros((2, 9), dtype=np.float32))
    assert p.shape == (2, 1 + len(EVENT_TYPES))
    assert p[0, 0] > 0.5 > p[1, 0]
    wage = 1 + EVENT_TYPES.index("wage_arrears")
    assert p[0, wage] > p[0, 1 + EVENT_TYPES.index("strike_stoppage")]
    assert model.event_thresholds is not None and model.event_thresholds.shape == (len(EVENT_TYPES),)
    assert np.all((model.event_thresholds >= 0.2) & (model.event_thresholds <= 0.8))
    assert model.char_n == 4


def test_save_load_round_trip_without_pickle(model: ClassicalModel, tmp_path: Path) -> None:
    path = tmp_path / "classical.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as z:
        assert {"char_terms", "coef", "event_thresholds", "char_n"} <= set(z.files)
    back = ClassicalModel.load(path)
    texts = ["甲镇服装厂拖欠工资3个月", "乙镇学校食堂饭菜涨价"]
    words = [list(t) for t in texts]
    lex = np.zeros((2, 9), dtype=np.float32)
    np.testing.assert_allclose(back.predict(texts, words, lex), model.predict(texts, words, lex), atol=2e-2)
    assert back.char_n == 4
    np.testing.assert_allclose(back.event_thresholds, model.event_thresholds)


def test_old_bundle_without_thresholds_loads_as_trigram_model(model: ClassicalModel, tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    cv = sorted(model.char_vocab, key=model.char_vocab.__getitem__)
    wv = sorted(model.word_vocab, key=model.word_vocab.__getitem__)
    np.savez_compressed(path, char_terms=np.array(cv), char_idf=model.char_idf, word_terms=np.array(wv),
                        word_idf=model.word_idf, coef=model.coef, intercept=model.intercept)
    old = ClassicalModel.load(path)
    assert old.event_thresholds is None and old.char_n == 3


def test_candidate_rows_restrict_relevance_training() -> None:
    texts, words, lex, rel, types = _data()
    cand = np.ones(len(texts), dtype=bool)
    cand[: len(POS)] = False  # the first place's positives are left out of the relevance model
    m = ClassicalModel.fit(texts, words, lex, rel, types, candidate=cand, inner=0)
    assert m.event_thresholds is not None and np.all(m.event_thresholds == 0.5)
    p = m.predict(texts[:1], words[:1], lex[:1])
    assert 0.0 <= p[0, 0] <= 1.0


def test_one_class_data_is_rejected() -> None:
    texts, words, lex, _, types = _data()
    with pytest.raises(NlpError, match="both relevant and irrelevant"):
        ClassicalModel.fit(texts, words, lex, [0] * len(texts), [()] * len(texts))


def test_shared_event_threshold_maximises_micro_f1() -> None:
    t = np.array([[1, 0], [1, 0], [0, 1], [0, 0]])
    p = np.array([[0.9, 0.1], [0.45, 0.2], [0.1, 0.42], [0.3, 0.3]])
    th = _type_thresholds(p, t)
    assert th[0] == th[1]
    assert 0.3 < th[0] <= 0.42  # admits 0.45 and 0.42, rejects the 0.3 false positives
    own = _type_thresholds(p, t, min_support=2)
    assert own[0] > 0.3 and own[1] == th[1]


def test_near_duplicates_share_a_group_and_a_fold() -> None:
    base = "甲镇某建筑工地拖欠三十名农民工工资已经半年，工人多次讨要无果，请求劳动监察部门介入处理"
    texts = [base, base + "！", "乙镇公园樱花盛开游客众多", "丙镇学校食堂饭菜涨价学生不满"] * 1
    texts += [f"丁镇第{i}条完全不同的消息内容编号{i * 7919}" for i in range(16)]
    g = near_duplicate_groups(texts)
    assert g[0] == g[1]
    assert len({g[0], g[2], g[3]}) == 3
    y = np.array([1, 1, 0, 0] + [i % 2 for i in range(16)])
    for tr, te in _folds(y, 4, 13, g):
        assert (0 in te) == (1 in te)
        assert not set(tr) & set(te)
    assert near_duplicate_groups([]).shape == (0,)

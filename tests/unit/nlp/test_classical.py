"""The non-neural relevance/event-type model (nlp.classical) and the training helpers (nlp.training)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lwcore.domain import EVENT_TYPES
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
    assert np.all((model.event_thresholds >= 0.2) & (model.event_thresholds <= 0.9))
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


def _embeddings(rel: list[int], dim: int = 16, seed: int = 3) -> np.ndarray:
    """Toy 'sentence embeddings': noise plus a class signal on the first dimension."""
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(len(rel), dim)).astype(np.float32)
    e[:, 0] += 3.0 * (np.asarray(rel) * 2 - 1)
    return e


@pytest.fixture(scope="module")
def enc_model() -> ClassicalModel:
    texts, words, lex, rel, types = _data()
    spec = {"num_layers": 2, "max_length": 64, "tail_tokens": 8, "prefix": "query: ", "base_fingerprint": "toy"}
    return ClassicalModel.fit(texts, words, lex, rel, types, inner=3, embeddings=_embeddings(rel),
                              encoder_spec=spec)


def test_encoder_member_runs_only_on_texts_at_or_above_the_gate(enc_model: ClassicalModel) -> None:
    assert enc_model.encoder is not None and enc_model.encoder_spec == {
        "num_layers": 2, "max_length": 64, "tail_tokens": 8, "prefix": "query: ", "base_fingerprint": "toy"}
    lo, hi = enc_model.encoder["gate"]
    assert 0.0 < lo < hi <= 1.0
    texts = ["庚镇建筑公司拖欠30名农民工工资，工人讨薪无果", "庚镇公园的樱花开了，周末有5位游客前来赏花"]
    words, lex = [list(t) for t in texts], np.zeros((2, 9), dtype=np.float32)
    plain = enc_model.predict(texts, words, lex)
    seen: list[list[str]] = []

    def embed(batch: list[str]) -> np.ndarray:
        seen.append(list(batch))
        return _embeddings([1] * len(batch), seed=9)  # every text embedded "like a dispute"

    p = enc_model.predict(texts, words, lex, embed=embed)
    inside = [t for t, q in zip(texts, plain[:, 0], strict=True) if lo <= q < hi]
    assert seen == ([inside] if inside else [])  # one call, only the texts in the gate band
    np.testing.assert_array_equal(p[:, 1:], plain[:, 1:])  # event types never use the encoder
    for k, t in enumerate(texts):
        if t not in inside:
            assert p[k, 0] == plain[k, 0]  # outside the band the TF-IDF verdict stands
    assert p[0, 0] > 0.5 > p[1, 0]


def test_encoder_band_sends_only_unsure_texts_to_the_encoder(enc_model: ClassicalModel) -> None:
    texts = ["庚镇建筑公司拖欠30名农民工工资，工人讨薪无果", "庚镇公园的樱花开了，周末有5位游客前来赏花"]
    words, lex = [list(t) for t in texts], np.zeros((2, 9), dtype=np.float32)
    plain = enc_model.predict(texts, words, lex)
    banded = _with_band(enc_model, (float(plain[:, 0].min()), float(plain[:, 0].max())))  # only the lower one
    seen: list[str] = []
    banded.predict(texts, words, lex, embed=lambda b: seen.extend(b) or _embeddings([1] * len(b)))
    assert seen == [texts[int(np.argmin(plain[:, 0]))]]


def _with_band(model: ClassicalModel, band: tuple[float, float]) -> ClassicalModel:
    import copy

    out = copy.copy(model)
    out.encoder = {**(model.encoder or {}), "gate": band}
    return out


def test_encoder_member_changes_the_verdict_through_the_embedding(enc_model: ClassicalModel) -> None:
    texts = ["庚镇建筑公司拖欠30名农民工工资，工人讨薪无果"]
    words, lex = [list(t) for t in texts], np.zeros((1, 9), dtype=np.float32)
    enc_model = _with_band(enc_model, (0.0, 1.01))  # every text through the encoder
    like_dispute = enc_model.predict(texts, words, lex, embed=lambda b: _embeddings([1] * len(b), seed=4))
    like_other = enc_model.predict(texts, words, lex, embed=lambda b: _embeddings([0] * len(b), seed=4))
    assert like_dispute[0, 0] > like_other[0, 0]


def test_refine_blends_a_transformer_logit_into_the_gated_texts_only(enc_model: ClassicalModel) -> None:
    texts = ["庚镇建筑公司拖欠30名农民工工资，工人讨薪无果", "庚镇公园的樱花开了，周末有5位游客前来赏花"]
    words, lex = [list(t) for t in texts], np.zeros((2, 9), dtype=np.float32)
    plain = enc_model.predict(texts, words, lex)
    banded = _with_band(enc_model, (float(plain[:, 0].min()), float(plain[:, 0].max())))  # only the lower one
    low = int(np.argmin(plain[:, 0]))

    def embed(b: list[str]) -> np.ndarray:
        return _embeddings([0] * len(b), seed=6)

    seen: list[str] = []

    def refine(b: list[str]) -> np.ndarray:
        seen.extend(b)
        return np.full(len(b), 8.0)  # the transformer is sure these are disputes

    base = banded.predict(texts, words, lex, embed=embed)
    off = banded.predict(texts, words, lex, embed=embed, refine=refine, refine_weight=0.0)
    np.testing.assert_array_equal(off, base)  # weight 0: not used
    assert seen == []
    p = banded.predict(texts, words, lex, embed=embed, refine=refine, refine_weight=0.3)
    assert seen == [texts[low]]  # called once, on the gated text only
    z = np.log(base[low, 0] / (1 - base[low, 0]))
    assert p[low, 0] == pytest.approx(1 / (1 + np.exp(-(0.7 * z + 0.3 * 8.0))), rel=1e-4)
    assert p[1 - low, 0] == base[1 - low, 0]  # outside the band nothing changes
    np.testing.assert_array_equal(p[:, 1:], base[:, 1:])  # nor do the event types
    # without the encoder the transformer is not asked either
    seen.clear()
    np.testing.assert_array_equal(banded.predict(texts, words, lex, refine=refine, refine_weight=0.3), plain)
    assert seen == []


def test_encoder_member_survives_save_and_load(enc_model: ClassicalModel, tmp_path: Path) -> None:
    path = tmp_path / "classical.npz"
    enc_model.save(path)
    back = ClassicalModel.load(path)
    assert back.encoder is not None and back.encoder_spec == enc_model.encoder_spec
    assert back.encoder["gate"] == pytest.approx(enc_model.encoder["gate"])
    assert isinstance(back.encoder["gate"], tuple)
    texts = ["甲镇服装厂拖欠工资3个月，员工聚集讨薪", "乙镇学校食堂饭菜涨价"]
    words, lex = [list(t) for t in texts], np.zeros((2, 9), dtype=np.float32)

    def embed(b: list[str]) -> np.ndarray:
        return _embeddings([1] * len(b), seed=5)

    np.testing.assert_allclose(back.predict(texts, words, lex, embed=embed),
                               enc_model.predict(texts, words, lex, embed=embed), atol=2e-2)


def test_bad_embeddings_and_weights_are_rejected() -> None:
    texts, words, lex, rel, types = _data()
    with pytest.raises(NlpError, match="embeddings must be"):
        ClassicalModel.fit(texts, words, lex, rel, types, embeddings=np.zeros((3, 4)))
    bad = _embeddings(rel)
    bad[0, 0] = np.nan
    with pytest.raises(NlpError, match="embeddings must be"):
        ClassicalModel.fit(texts, words, lex, rel, types, embeddings=bad)
    with pytest.raises(NlpError, match="sample_weight"):
        ClassicalModel.fit(texts, words, lex, rel, types, sample_weight=[1.0] * (len(texts) - 1))
    with pytest.raises(NlpError, match="sample_weight"):
        ClassicalModel.fit(texts, words, lex, rel, types, sample_weight=[0.0] * len(texts))


def test_low_confidence_items_weigh_less(tmp_path: Path) -> None:
    from nlp.data import LOW_CONFIDENCE_WEIGHT, load_labelled, sample_weights

    f = tmp_path / "l.jsonl"
    f.write_text('{"id": "a", "text": "甲厂欠薪", "labor_dispute": true, "confidence": "low"}\n'
                 '{"id": "b", "text": "公园樱花", "labor_dispute": false, "confidence": "high"}\n'
                 '{"id": "c", "text": "公交线路", "labor_dispute": false}\n', encoding="utf-8")
    items = load_labelled(f)
    assert [i.confidence for i in items] == ["low", "high", "high"]
    assert sample_weights(items) == [LOW_CONFIDENCE_WEIGHT, 1.0, 1.0]
    f.write_text('{"id": "a", "text": "x", "labor_dispute": true, "confidence": "maybe"}\n', encoding="utf-8")
    with pytest.raises(NlpError, match="line 1.*confidence"):
        load_labelled(f)

"""The frozen sentence encoder (nlp.model.SentenceEncoder) and the analyzer's use of it."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from lwcore.settings import load_settings
from nlp.model import EncoderSpec, ModelFilesError, SentenceEncoder
from nlp.model.base import read_base_info


@pytest.fixture(scope="module")
def encoder(built_base: Path) -> SentenceEncoder:
    return SentenceEncoder.load(built_base, EncoderSpec(num_layers=12, max_length=64))


def test_embeddings_are_deterministic_and_order_free(encoder: SentenceEncoder) -> None:
    texts = ["甲镇某建筑工地拖欠农民工工资", "乙镇公园樱花盛开", "丙镇电子厂老板跑路，员工讨薪"]
    e = encoder.embed(texts)
    assert e.shape == (3, encoder.dim) and e.dtype == np.float32 and np.all(np.isfinite(e))
    back = encoder.embed(texts[::-1], batch_size=2)  # other batches, other padding: same vectors
    np.testing.assert_allclose(back[::-1], e, atol=1e-4)
    assert encoder.embed([]).shape == (0, encoder.dim)
    cos = (e / np.linalg.norm(e, axis=1, keepdims=True)) @ (e / np.linalg.norm(e, axis=1, keepdims=True)).T
    assert cos[0, 2] > cos[0, 1]  # two wage disputes are closer to each other than to cherry blossoms


def test_bad_inputs_give_finite_vectors(encoder: SentenceEncoder) -> None:
    odd = ["", "   ", "😀😀😀", "only English words here", "欠薪" * 500_000, "\x00\x01控制字符"]
    e = encoder.embed(odd)
    assert e.shape == (len(odd), encoder.dim) and np.all(np.isfinite(e))


def test_a_different_base_is_refused(built_base: Path) -> None:
    with pytest.raises(ModelFilesError, match="trained on base"):
        SentenceEncoder.load(built_base, EncoderSpec(base_fingerprint="not-this-one"))
    spec = SentenceEncoder.load(built_base, EncoderSpec(num_layers=1)).spec
    assert spec.base_fingerprint == read_base_info(built_base).fingerprint
    assert EncoderSpec.from_dict(spec.as_dict()) == spec


def test_committed_bundle_uses_the_encoder_when_its_base_is_built(built_base: Path) -> None:
    from nlp.analyzer import Analyzer, TextInput

    settings = load_settings(environ={})
    an = Analyzer.from_settings(settings)
    an.base_dir = built_base
    res = an.analyze_inputs([TextInput("a", "青浦某物流公司拖欠30名快递员三个月工资，员工聚集讨薪"),
                             TextInput("b", "今天天气很好")])
    spec = an._classical.encoder_spec if an._classical else None
    if spec is None:
        pytest.skip("the committed bundle has no encoder member")
    assert spec["base_fingerprint"] == read_base_info(built_base).fingerprint  # the build is reproducible
    assert "-lr+enc" in an.model_version  # (+ the fine-tuned transformer's version when the bundle has one)
    assert res[0].labor_dispute and not res[1].labor_dispute


def test_missing_base_falls_back_to_the_tfidf_member(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from nlp.analyzer import Analyzer, TextInput

    an = Analyzer.from_settings(load_settings(environ={}))
    an.base_dir = tmp_path / "no-base"
    with caplog.at_level(logging.WARNING, logger="nlp.analyzer"):
        res = an.analyze_inputs([TextInput("a", "青浦某物流公司拖欠30名快递员三个月工资，员工聚集讨薪")])
    if an._classical is None or an._classical.encoder_spec is None:
        pytest.skip("the committed bundle has no encoder member")
    assert an.model_version.split("+short-")[0].endswith("-lr")
    assert "encoder member unavailable" in caplog.text
    assert res[0].labor_dispute and res[0].model_version == an.model_version

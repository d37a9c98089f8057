"""The fine-tuned transformer member: trained by ``train_bundle`` (one fine-tune per fold plus the final one),
blended into the encoder member by the analyzer, and dropped (logged) when it fails."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from lwcore.settings import load_settings
from nlp.data import LabelledItem

POS = ["某物流公司拖欠三十名快递员三个月工资，员工到公司门口讨薪", "服装厂突然停产关门，老板失联，工人的工资没有着落",
       "建筑工地拖欠农民工工资一年多，工人多次讨要无果", "公司两年没给员工交社保，辞职时也不给补偿",
       "电子厂强制员工加班却不发加班费，工人集体停工", "餐馆老板欠服务员两个月工资，一直拖着不给"]
# labour words without a dispute: prefilter candidates the model must learn to reject
NEG = ["请问青浦的最低工资标准是多少，今年有没有调整", "公司年会发了年终奖，员工都很开心",
       "快递公司招聘快递员，工资面议，缴纳社保", "工会组织职工参加劳动技能比赛", "人社局发布了社保缴费基数调整的通知",
       "员工食堂今天的伙食不错，工资也按时发了", "今天的天气很好，适合去公园散步"]


def _items() -> list[LabelledItem]:
    out = []
    for k in range(4):
        out += [LabelledItem(id=f"p{k}-{i}", text=f"{t}（第{k}条）", labor_dispute=True,
                             event_types=("wage_arrears",)) for i, t in enumerate(POS)]
        out += [LabelledItem(id=f"n{k}-{i}", text=f"{t}（第{k}条）", labor_dispute=False) for i, t in enumerate(NEG)]
    return out


@pytest.fixture(scope="module")
def bundle(built_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from nlp.lexicon import Lexicon
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter
    from nlp.training import add_embeddings, prepare, train_bundle

    settings = load_settings(environ={})
    prep = prepare(_items(), segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms))
    add_embeddings(prep, built_base, max_length=64)
    out = tmp_path_factory.mktemp("bundle")
    res = train_bundle(prep, out, data_path="toy", command="test", k=2, transformer_mode="lora", base_dir=built_base,
                       log=lambda m: None)
    assert res["oof"].shape == (len(prep.y), 9)
    return out


def test_bundle_records_the_transformer_member(bundle: Path) -> None:
    info = json.loads((bundle / "bundle.json").read_text())
    assert info["transformer_weight"] == pytest.approx(0.3)
    assert info["validation"]["cv_includes_transformer"] is True
    cfg = json.loads((bundle / "transformer" / "classifier.json").read_text())
    assert cfg["mode"] == "lora" and cfg["num_layers"] == 12 and cfg["train_from"] == 10
    assert cfg["validation"] == {}  # trained on every candidate, no hold-out
    enc = info["validation"]["encoder"]  # it reads texts as the encoder member does, so they can share a pass
    assert (cfg["prefix"], cfg["max_length"], cfg["tail_tokens"]) == (enc["prefix"], 64, enc["tail_tokens"])
    assert (bundle / "transformer" / "adapter.safetensors").stat().st_size < 2_000_000


def test_bundle_gets_a_short_post_encoder_member_on_its_base(bundle: Path, built_base: Path) -> None:
    from nlp.model.base import read_base_info
    from nlp.short_encoder import ENCODER_SHORT_FILE, HELD_OUT, EncoderShortMember

    m = EncoderShortMember.load(bundle / ENCODER_SHORT_FILE)
    assert m.base_fingerprint == read_base_info(built_base).fingerprint
    assert m.meta["labelled_items"] == len(_items()) and m.meta["held_out"] == sorted(HELD_OUT)
    assert m.meta["suite_texts"] > 1000 and m.dim == 384 and len(m.layers) == 2


def _analyzer(bundle: Path, base: Path):  # noqa: ANN202
    from nlp.analyzer import Analyzer

    settings = load_settings(environ={})
    s = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": str(bundle)})})
    an = Analyzer.from_settings(s)
    an.base_dir = base
    an._load()
    assert an._classical is not None and an._classical.encoder is not None
    an._classical.encoder["gate"] = (0.0, 1.01)  # every candidate through the encoder and the transformer
    # (the short-post members move short texts' scores after the blend these tests check)
    an._short = an._short_enc = None
    return an


TEXTS = ["青浦某电子厂拖欠二十名工人两个月工资，工人聚集讨薪", "青浦某小区门口新开了一家奶茶店",
         "某建筑公司项目部欠薪半年，农民工到工地门口拉横幅"]


def test_the_member_runs_on_the_encoders_layers_and_matches_separate_models(bundle: Path, built_base: Path) -> None:
    import torch

    from nlp.model import EncoderSpec, SentenceEncoder, TransformerClassifier

    info = json.loads((bundle / "bundle.json").read_text())
    enc = SentenceEncoder.load(built_base, EncoderSpec.from_dict(info["validation"]["encoder"]))
    shared = TransformerClassifier.load(bundle / "transformer", base_dir=built_base, shared=enc)
    alone = TransformerClassifier.load(bundle / "transformer", base_dir=built_base)
    assert shared.shared is enc and alone.shared is None
    # one copy of the base: the member's embeddings and lower layers are the encoder's own modules
    net = shared._net
    assert net.embeddings is enc.bert.embeddings
    assert all(net.layers[i] is enc.bert.encoder.layer[i] for i in range(10))
    assert all(net.layers[i] is not enc.bert.encoder.layer[i] for i in (10, 11))
    own = {id(p) for p in alone._net.parameters()}
    assert not own & {id(p) for p in enc.bert.parameters()}
    emb, probs = shared.embed_and_predict(TEXTS + [""], batch_size=2)
    np.testing.assert_allclose(emb, enc.embed(TEXTS + [""]), atol=2e-5)
    np.testing.assert_allclose(probs, alone.predict(TEXTS + [""]), atol=2e-5)
    np.testing.assert_allclose(probs, shared.predict(TEXTS + [""]), atol=2e-5)
    # the adapters changed the copies, not the encoder's own top layers
    w_enc = enc.bert.encoder.layer[11].attention.self.query.weight
    w_mem = net.layers[11].attention.self.query.weight
    assert not torch.allclose(w_enc, w_mem)
    with pytest.raises(RuntimeError, match="shared="):
        alone.embed_and_predict(TEXTS)


def test_a_member_that_reads_texts_differently_loads_its_own_base(bundle: Path, built_base: Path,
                                                                   tmp_path: Path) -> None:
    import shutil

    from nlp.model import EncoderSpec, SentenceEncoder, TransformerClassifier

    other = tmp_path / "transformer"
    shutil.copytree(bundle / "transformer", other)
    cfg = json.loads((other / "classifier.json").read_text())
    cfg["prefix"] = "passage: "
    (other / "classifier.json").write_text(json.dumps(cfg))
    info = json.loads((bundle / "bundle.json").read_text())
    enc = SentenceEncoder.load(built_base, EncoderSpec.from_dict(info["validation"]["encoder"]))
    clf = TransformerClassifier.load(other, base_dir=built_base, shared=enc)
    assert clf.shared is None and clf._net.embeddings is not enc.bert.embeddings
    assert clf.predict(TEXTS).shape == (3, 9)


def test_analyzer_blends_the_member_from_the_shared_pass(bundle: Path, built_base: Path) -> None:
    from nlp.analyzer import TextInput

    an = _analyzer(bundle, built_base)
    tr = an._transformer
    assert tr is not None and "-lr+enc+e5s-lora-L12-" in an.model_version
    assert tr.shared is not None  # built on the encoder the analyzer uses
    calls: list[str] = []
    joint = tr.embed_and_predict

    def spy_joint(batch: list[str], **kw: object) -> tuple[np.ndarray, np.ndarray]:
        calls.append("joint")
        return joint(batch, **kw)

    def no_separate_pass(batch: list[str], **kw: object) -> np.ndarray:
        raise AssertionError("the member ran a pass of its own")

    tr.embed_and_predict = spy_joint  # type: ignore[method-assign]
    tr.predict = no_separate_pass  # type: ignore[method-assign]
    res = an.analyze_inputs([TextInput(str(i), t) for i, t in enumerate(TEXTS)])
    assert calls == ["joint"] and an.encoded > 0
    assert res[0].model_version == an.model_version and all(0.0 <= r.score <= 1.0 for r in res)
    # the blended score is what the classical model gives with the member's logits supplied directly
    from nlp.classical import logit
    from nlp.normalize import normalize

    assert an._classical is not None and an._info is not None
    texts = [normalize(t, max_chars=an.max_chars) for t in TEXTS]
    hits = [an.lexicon.match(t) for t in texts]
    words = [an.segmenter.cut(t) for t in texts]
    cand = [i for i, h in enumerate(hits) if h.candidate]
    enc = tr.shared
    sub = [texts[i] for i in cand]
    expected = an._classical.predict(
        sub, [words[i] for i in cand], an._classical.lexicon_features([hits[i] for i in cand]), embed=enc.embed,
        refine=lambda b: logit(joint(b)[1][:, 0]), refine_weight=an._info.transformer_weight)[:, 0]
    got = np.array([res[i].score for i in cand])
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_analyzer_drops_a_failing_member_and_the_encoder_answers(bundle: Path, built_base: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    from nlp.analyzer import TextInput

    an = _analyzer(bundle, built_base)
    assert an._transformer is not None

    def broken(batch: list[str], **kw: object) -> np.ndarray:
        raise RuntimeError("simulated transformer failure")

    an._transformer.embed_and_predict = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="nlp.analyzer"):
        res = an.analyze_inputs([TextInput(str(i), t) for i, t in enumerate(TEXTS)])
    assert "transformer failed" in caplog.text and "simulated transformer failure" in caplog.text
    assert an._transformer is None and an.model_version.split("+short-")[0].endswith("-lr+enc")
    assert len(res) == 3 and all(r.model_version.split("+short-")[0].endswith("-lr+enc") for r in res)
    assert an.encoded > 0  # the encoder member still answered


def test_bundle_version_covers_threshold_weight_and_adapter(bundle: Path, tmp_path: Path) -> None:
    import shutil

    from nlp.bundle import bundle_version

    info = json.loads((bundle / "bundle.json").read_text())
    thr, w = info["threshold"], info["transformer_weight"]
    assert info["version"] == bundle_version(bundle, thr, w)
    assert bundle_version(bundle, thr + 0.05, w) != info["version"]
    other = tmp_path / "other"
    shutil.copytree(bundle, other)
    (other / "transformer" / "adapter.safetensors").write_bytes(b"another adapter")
    assert bundle_version(other, thr, w) != info["version"]
    assert bundle_version(other, thr, 0.0) == bundle_version(bundle, thr, 0.0)  # an unused adapter does not count


def test_a_member_trained_on_every_layer_runs_its_own_pass_beside_the_encoder(built_base: Path,
                                                                              tmp_path: Path) -> None:
    """``--transformer-layers 12`` (LoRA on every layer): only the embeddings are shared, the encoder member's
    output is untouched, and the member's scores equal a separately loaded copy's."""
    from nlp.lexicon import Lexicon
    from nlp.model import EncoderSpec, SentenceEncoder, TransformerClassifier
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter
    from nlp.training import TRANSFORMER_DEEP, add_embeddings, fit_transformer, prepare

    settings = load_settings(environ={})
    prep = prepare(_items(), segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms))
    add_embeddings(prep, built_base, max_length=64)
    rep = fit_transformer(prep, np.arange(len(prep.y)), built_base, tmp_path / "deep", layers=12)
    cfg = json.loads((tmp_path / "deep" / "classifier.json").read_text())
    assert cfg["train_from"] == 0 and cfg["training"]["epochs"] == TRANSFORMER_DEEP["epochs"]
    assert rep["train_from"] == 0
    enc = SentenceEncoder.load(built_base, EncoderSpec.from_dict(prep.encoder_spec))
    before = enc.embed(TEXTS)
    shared = TransformerClassifier.load(tmp_path / "deep", base_dir=built_base, shared=enc)
    alone = TransformerClassifier.load(tmp_path / "deep", base_dir=built_base)
    net = shared._net
    assert net.embeddings is enc.bert.embeddings
    assert all(net.layers[i] is not enc.bert.encoder.layer[i] for i in range(12))
    emb, probs = shared.embed_and_predict(TEXTS, batch_size=2)
    np.testing.assert_allclose(emb, before, atol=2e-5)  # the encoder member reads as before
    np.testing.assert_allclose(probs, alone.predict(TEXTS), atol=2e-5)
    assert not np.allclose(probs[:, 0], probs[0, 0])  # it tells the texts apart

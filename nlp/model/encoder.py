"""Frozen sentence encoder: mean-pooled hidden states of the converted e5 base, as features for the classical model.

Measured (bench/nlp_results.md): the full 12-layer e5-small, frozen, mean-pooled over at most 256 tokens and
concatenated to the TF-IDF features of the linear relevance model, lifts near-duplicate-grouped 5-fold relevance
F1 from 0.776 to 0.792, where the fine-tuned adapters alone stay below the TF-IDF model. Nothing is trained here,
so the bundle only stores the linear weights over these features (``nlp.classical``) plus the encoder's settings,
and the base fingerprint they were computed with.

It runs in fp32. Dynamic int8 quantisation was measured (bench/nlp_results.md): same grouped-CV F1, but its
activation scales are computed per batch, so a text's features would depend on the texts batched with it; at batch
size 1 (deterministic) it is no faster than fp32 batches on 2 cores.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.model.errors import ModelFilesError

__all__ = ["EncoderSpec", "SentenceEncoder"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EncoderSpec:
    """How features were computed; a bundle trained with one spec must be served with the same one."""

    num_layers: int = 12
    max_length: int = 256
    tail_tokens: int = 32
    prefix: str = "query: "  # e5's prefix for symmetric tasks (classification, clustering)
    base_fingerprint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"num_layers": self.num_layers, "max_length": self.max_length, "tail_tokens": self.tail_tokens,
                "prefix": self.prefix, "base_fingerprint": self.base_fingerprint}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EncoderSpec:
        return cls(num_layers=int(d["num_layers"]), max_length=int(d["max_length"]),
                   tail_tokens=int(d["tail_tokens"]), prefix=str(d["prefix"]),
                   base_fingerprint=str(d.get("base_fingerprint", "")))


class SentenceEncoder:
    """``embed(texts) -> (n, hidden)`` float32 mean-pooled embeddings; any string works (empty, 1 MB, emoji)."""

    def __init__(self, *, bert: Any, tokenizer: Any, spec: EncoderSpec, device: str = "cpu") -> None:
        self._bert = bert
        self._tokenizer = tokenizer
        self.spec = spec
        self.device = device
        self.dim = int(bert.config.hidden_size)

    @classmethod
    def load(cls, base_dir: Path, spec: EncoderSpec | None = None, *, device: str = "cpu",
             num_threads: int | None = None) -> SentenceEncoder:
        """Load the base in ``base_dir``; with a ``spec`` naming a fingerprint, refuse a different base."""
        import torch

        from nlp.model.base import load_bert, load_tokenizer, read_base_info

        info = read_base_info(Path(base_dir))
        spec = spec or EncoderSpec(base_fingerprint=info.fingerprint)
        if spec.base_fingerprint and spec.base_fingerprint != info.fingerprint:
            raise ModelFilesError(
                str(base_dir), f"encoder features were trained on base {spec.base_fingerprint}, but this base is "
                f"{info.fingerprint}: rebuild the base (laborwatch nlp build-base --force) or retrain")
        if num_threads:
            torch.set_num_threads(num_threads)
        bert = load_bert(Path(base_dir), num_layers=spec.num_layers)
        for p in bert.parameters():
            p.requires_grad_(False)
        bert.to(device)
        spec = EncoderSpec(num_layers=spec.num_layers, max_length=spec.max_length, tail_tokens=spec.tail_tokens,
                           prefix=spec.prefix, base_fingerprint=info.fingerprint)
        logger.info("sentence encoder loaded from %s (%s, %d layers, %d tokens)", base_dir, info.fingerprint,
                    spec.num_layers, spec.max_length)
        return cls(bert=bert, tokenizer=load_tokenizer(Path(base_dir)), spec=spec, device=device)

    @property
    def bert(self) -> Any:
        """The frozen network (``nlp.model.classifier`` builds the transformer member on its lower layers)."""
        return self._bert

    @property
    def tokenizer(self) -> Any:
        return self._tokenizer

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids as this encoder reads the texts (prefix, ``max_length``, head + ``tail_tokens``)."""
        from nlp.model.network import encode_texts

        return encode_texts(self._tokenizer, list(texts), max_length=self.spec.max_length, prefix=self.spec.prefix,
                            tail_tokens=self.spec.tail_tokens)

    def embed(self, texts: Sequence[str], *, batch_size: int = 16) -> np.ndarray:
        import torch

        from nlp.model.network import length_batches, mean_pool

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 0:
            return out
        with torch.inference_mode():
            for idx, ids, mask in length_batches(self.encode(texts), batch_size, self._tokenizer.pad_token_id,
                                                 self.device):
                hidden = self._bert(input_ids=ids, attention_mask=mask).last_hidden_state
                out[idx] = mean_pool(hidden, mask).float().cpu().numpy()
        return out


"""Inference: :class:`TransformerClassifier` = built base + a trained adapter directory."""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lwcore.domain import EVENT_TYPES
from nlp.model.base import read_base_info
from nlp.model.errors import ModelFilesError

if TYPE_CHECKING:
    from nlp.model.encoder import SentenceEncoder

__all__ = ["TransformerClassifier", "ClassifierConfig", "CONFIG_FILE", "WEIGHTS_FILE", "LABELS"]

logger = logging.getLogger(__name__)

CONFIG_FILE = "classifier.json"
WEIGHTS_FILE = "adapter.safetensors"
LABELS: tuple[str, ...] = ("relevance", *EVENT_TYPES)
FORMAT = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassifierConfig:
    """What ``classifier.json`` holds about the network; the rest of the file is provenance and figures."""

    mode: str
    num_layers: int
    train_from: int
    max_length: int
    tail_tokens: int
    prefix: str
    threshold: float
    event_threshold: float
    labels: tuple[str, ...]
    base_fingerprint: str
    vocab_sha256: str
    lora_rank: int = 8
    lora_alpha: float = 16.0
    quantize: bool = True

    @classmethod
    def from_file(cls, path: Path) -> tuple[ClassifierConfig, dict[str, Any]]:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelFilesError(str(path), "missing (not a trained transformer model directory)") from None
        except ValueError as exc:
            raise ModelFilesError(str(path), f"invalid JSON: {exc}") from None
        if raw.get("format") != FORMAT:
            raise ModelFilesError(str(path), f"format {raw.get('format')!r}, this code reads {FORMAT}")
        try:
            cfg = cls(
                mode=raw["mode"], num_layers=int(raw["num_layers"]), train_from=int(raw["train_from"]),
                max_length=int(raw["max_length"]), tail_tokens=int(raw["tail_tokens"]), prefix=raw["prefix"],
                threshold=float(raw["threshold"]), event_threshold=float(raw["event_threshold"]),
                labels=tuple(raw["labels"]), base_fingerprint=raw["base_fingerprint"],
                vocab_sha256=raw["vocab_sha256"], lora_rank=int(raw.get("lora_rank", 8)),
                lora_alpha=float(raw.get("lora_alpha", 16.0)), quantize=bool(raw.get("quantize", True)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFilesError(str(path), f"bad or missing field: {exc}") from None
        if cfg.mode not in ("head", "lora", "top"):
            raise ModelFilesError(str(path), f"mode {cfg.mode!r} is not head, lora or top")
        if cfg.labels != LABELS:
            raise ModelFilesError(str(path), f"labels {list(cfg.labels)} differ from {list(LABELS)}")
        return cfg, raw


def quantize_dynamic_int8(net: Any) -> Any:
    """torch dynamic int8 quantisation of the Linear layers (CPU inference)."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.ao.quantization is deprecated, still works
        warnings.simplefilter("ignore", UserWarning)
        from torch.ao.quantization import per_channel_dynamic_qconfig

        # encoder layers only, per output channel (the e5 weights come from per-block 4-bit scales); the head
        # stays float32 so the tuned thresholds keep their meaning
        return torch.ao.quantization.quantize_dynamic(net, {"layers": per_channel_dynamic_qconfig},
                                                      dtype=torch.qint8)


class TransformerClassifier:
    """Relevance + event-type probabilities from the fine-tuned e5 encoder.

    ``predict`` returns an (n, 9) float array: column 0 relevance, then ``EVENT_TYPES`` in order.
    """

    def __init__(self, *, net: Any, tokenizer: Any, config: ClassifierConfig, raw_config: dict[str, Any],
                 version: str, device: str, shared: SentenceEncoder | None = None) -> None:
        self._net = net
        self.shared = shared  # the encoder whose lower layers this model runs on, if any
        self._tokenizer = tokenizer
        self.config = config
        self.raw_config = raw_config
        self.version = version
        self.device = device
        self.labels = LABELS

    @property
    def threshold(self) -> float:
        return self.config.threshold

    @property
    def event_threshold(self) -> float:
        return self.config.event_threshold

    @classmethod
    def load(cls, model_dir: Path, *, base_dir: Path, device: str = "cpu", quantize: bool | None = None,
             num_threads: int | None = None, shared: SentenceEncoder | None = None) -> TransformerClassifier:
        """Load a model directory written by :func:`nlp.model.train_classifier` on top of a built base.

        ``quantize`` (default: the model's own setting) applies dynamic int8 on CPU. With ``shared`` (a
        :class:`~nlp.model.encoder.SentenceEncoder` loaded from the same base) that reads texts exactly as this
        model does (:func:`share_refusal`), the model is built on the encoder's own embeddings and frozen lower
        layers (only its trained top layers are copies), and :meth:`embed_and_predict` serves both from one pass;
        otherwise it loads its own copy of the base, as without ``shared``.
        """
        import torch
        from safetensors.torch import load_file

        from nlp.model.base import load_bert, load_tokenizer
        from nlp.model.network import ClassifierNet

        model_dir = Path(model_dir)
        base_dir = Path(base_dir)
        cfg, raw = ClassifierConfig.from_file(model_dir / CONFIG_FILE)
        info = read_base_info(base_dir)
        if info.fingerprint != cfg.base_fingerprint or info.vocab_sha256 != cfg.vocab_sha256:
            raise ModelFilesError(
                str(model_dir), f"trained on base {cfg.base_fingerprint}, but {base_dir} holds {info.fingerprint}: "
                "rebuild the base (laborwatch nlp build-base --force) or retrain")
        weights = model_dir / WEIGHTS_FILE
        if not weights.is_file():
            raise ModelFilesError(str(weights), "missing")
        if num_threads:
            torch.set_num_threads(num_threads)
        if shared is not None:
            refusal = share_refusal(cfg, shared, quantize=cfg.quantize if quantize is None else quantize,
                                    device=device)
            if refusal is not None:
                logger.info("transformer member loads its own base copy: %s", refusal)
                shared = None
        if shared is not None:
            bert = _on_shared_layers(shared.bert, cfg.train_from)
            tokenizer = shared.tokenizer
        else:
            bert = load_bert(base_dir, num_layers=cfg.num_layers)
            tokenizer = load_tokenizer(base_dir)
        net = ClassifierNet(bert, n_out=len(LABELS), train_from=cfg.train_from, mode=cfg.mode,
                            lora_rank=cfg.lora_rank, lora_alpha=cfg.lora_alpha)
        state = {k: v.float() for k, v in load_file(str(weights)).items()}
        expected = set(net.adapter_state())
        if set(state) != expected:
            missing, extra = sorted(expected - set(state))[:3], sorted(set(state) - expected)[:3]
            raise ModelFilesError(str(weights), f"tensors do not fit the config (missing {missing}, extra {extra})")
        net.load_state_dict(state, strict=False)
        net.merge_lora()
        net.eval()
        for p in net.parameters():
            p.requires_grad_(False)
        if (cfg.quantize if quantize is None else quantize) and device == "cpu":
            net = quantize_dynamic_int8(net)
        net.to(device)
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:10]
        version = f"e5s-{cfg.mode}-L{cfg.num_layers}-{digest}"
        logger.info("transformer classifier %s loaded from %s on %s", version, model_dir, device)
        return cls(net=net, tokenizer=tokenizer, config=cfg, raw_config=raw, version=version, device=device,
                   shared=shared)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        from nlp.model.network import encode_texts

        return encode_texts(self._tokenizer, texts, max_length=self.config.max_length,
                            prefix=self.config.prefix, tail_tokens=self.config.tail_tokens)

    def embed_and_predict(self, texts: Sequence[str], *, batch_size: int = 16) -> tuple[np.ndarray, np.ndarray]:
        """``(shared.embed(texts), predict(texts))`` from one pass through the shared frozen layers.

        Only for a model loaded with ``shared``; the embeddings equal the encoder's own up to float rounding.
        """
        import torch

        from nlp.model.network import length_batches, mean_pool

        if self.shared is None:
            raise RuntimeError("embed_and_predict needs a model loaded with shared=<its SentenceEncoder>")
        n = len(texts)
        emb = np.zeros((n, self.shared.dim), dtype=np.float32)
        out = np.zeros((n, len(LABELS)), dtype=np.float32)
        if n == 0:
            return emb, out
        net, start = self._net, self._net.train_from
        frozen_top = self.shared.bert.encoder.layer[start:]
        with torch.inference_mode():
            for idx, ids, mask in length_batches(self.encode(list(texts)), batch_size, self._tokenizer.pad_token_id,
                                                 self.device):
                lower = net.lower(ids, mask, start)  # the shared layers, run once
                hidden, ext = lower, net._mask(lower, mask)
                for layer in frozen_top:  # the encoder member's own top layers
                    hidden = layer(hidden, ext)
                emb[idx] = mean_pool(hidden, mask).float().cpu().numpy()
                out[idx] = torch.sigmoid(net.upper(lower, mask, start).float()).cpu().numpy()
        return emb, out

    def predict(self, texts: Sequence[str], *, batch_size: int = 16) -> np.ndarray:
        """Probabilities (n, 1 + 8); any string works (empty, emoji-only, 1 MB): long ones are cut head + tail."""
        import torch

        from nlp.model.network import length_batches

        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        if len(texts) == 0:
            return out
        with torch.inference_mode():
            for idx, ids, mask in length_batches(self.encode(list(texts)), batch_size, self._tokenizer.pad_token_id,
                                                 self.device):
                logits = self._net(ids, mask)
                out[idx] = torch.sigmoid(logits.float()).cpu().numpy()
        return out


def share_refusal(cfg: ClassifierConfig, encoder: SentenceEncoder, *, quantize: bool, device: str) -> str | None:
    """Why a model of ``cfg`` cannot run on ``encoder``'s layers (None: it can): the two must read the same
    token ids through the same unquantised layers."""
    spec = encoder.spec
    if cfg.base_fingerprint != spec.base_fingerprint:
        return f"base {cfg.base_fingerprint} differs from the encoder's {spec.base_fingerprint}"
    if cfg.num_layers != spec.num_layers:
        return f"{cfg.num_layers} layers, the encoder has {spec.num_layers}"
    mine = (cfg.prefix, cfg.max_length, cfg.tail_tokens)
    theirs = (spec.prefix, spec.max_length, spec.tail_tokens)
    if mine != theirs:
        return f"reads texts as (prefix, max_length, tail_tokens) {mine!r}, the encoder as {theirs!r}"
    if quantize and device == "cpu":
        return "int8-quantised layers"
    if device != encoder.device:
        return f"device {device}, the encoder is on {encoder.device}"
    return None


def _on_shared_layers(bert: Any, train_from: int) -> Any:
    """A BertModel-like view for :class:`~nlp.model.network.ClassifierNet`: ``bert``'s own embeddings and layers
    below ``train_from``, copies of the layers from ``train_from`` up (the adapters change those)."""
    import copy
    from types import SimpleNamespace

    from torch import nn

    layers = nn.ModuleList([*bert.encoder.layer[:train_from],
                            *(copy.deepcopy(layer) for layer in bert.encoder.layer[train_from:])])
    return SimpleNamespace(config=bert.config, embeddings=bert.embeddings, encoder=SimpleNamespace(layer=layers))

"""The classifier network: e5 embeddings + the first ``num_layers`` encoder layers + mean pooling + a head.

Layers below ``train_from`` are frozen; training caches their output once and runs only the layers above
(trained fully in ``top`` mode, through LoRA adapters in ``lora`` mode, not at all in ``head`` mode). Column 0
of the output is relevance, then :data:`lwcore.domain.EVENT_TYPES` in order.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import torch
from torch import nn

__all__ = ["LoRALinear", "ClassifierNet", "encode_texts", "pad_batch", "length_batches", "mean_pool"]

LORA_TARGETS = ("attention.self.query", "attention.self.value", "attention.output.dense",
                "intermediate.dense", "output.dense")


class LoRALinear(nn.Module):
    """``y = W x + b + (alpha / r) * B A x`` with ``W``, ``b`` frozen; ``B`` starts at zero."""

    def __init__(self, base: nn.Linear, *, rank: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.rank = rank
        self.scaling = alpha / rank
        self.lora_A = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scaling

    def merged(self) -> nn.Linear:
        """A plain Linear with the adapter folded in (for inference)."""
        lin = nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            lin.weight.copy_(self.base.weight + self.scaling * (self.lora_B @ self.lora_A))
            lin.bias.copy_(self.base.bias)
        return lin


def _get(module: nn.Module, dotted: str) -> nn.Module:
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def _set(module: nn.Module, dotted: str, value: nn.Module) -> None:
    parent, _, name = dotted.rpartition(".")
    setattr(_get(module, parent) if parent else module, name, value)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


class ClassifierNet(nn.Module):
    """Embeddings + encoder layers of a (truncated) ``BertModel``, mean pooling, dropout, linear head."""

    def __init__(self, bert: Any, *, n_out: int, train_from: int, mode: str, lora_rank: int = 8,
                 lora_alpha: float = 16.0, head_dropout: float = 0.1) -> None:
        super().__init__()
        self.config = bert.config
        self.embeddings = bert.embeddings
        self.layers = bert.encoder.layer
        self.num_layers = len(self.layers)
        self.train_from = max(0, min(train_from, self.num_layers))
        self.mode = mode
        self.dropout = nn.Dropout(head_dropout)
        self.head = nn.Linear(self.config.hidden_size, n_out)
        for p in self.embeddings.parameters():
            p.requires_grad_(False)
        for i, layer in enumerate(self.layers):
            trainable_full = mode == "top" and i >= self.train_from
            for p in layer.parameters():
                p.requires_grad_(trainable_full)
            if mode == "lora" and i >= self.train_from:
                for name in LORA_TARGETS:
                    _set(layer, name, LoRALinear(_get(layer, name), rank=lora_rank, alpha=lora_alpha))

    def _mask(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor | None:
        from transformers.masking_utils import create_bidirectional_mask

        return create_bidirectional_mask(config=self.config, inputs_embeds=hidden, attention_mask=mask)

    def lower(self, input_ids: torch.Tensor, mask: torch.Tensor, upto: int) -> torch.Tensor:
        """Hidden states after layer ``upto`` (0 = the embedding output)."""
        hidden = self.embeddings(input_ids=input_ids)
        ext = self._mask(hidden, mask)
        for layer in self.layers[:upto]:
            hidden = layer(hidden, ext)
        return hidden

    def upper(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """Logits from hidden states after layer ``start``."""
        ext = self._mask(hidden, mask)
        for layer in self.layers[start:]:
            hidden = layer(hidden, ext)
        return self.head(self.dropout(mean_pool(hidden, mask)))

    def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower(input_ids, mask, 0), mask, 0)

    def adapter_state(self) -> dict[str, torch.Tensor]:
        """Only what training changed: the head, and the top layers or the LoRA matrices."""
        out: dict[str, torch.Tensor] = {}
        for name, p in self.named_parameters():
            if p.requires_grad or name.startswith("head."):
                out[name] = p.detach().contiguous()
        return out

    def merge_lora(self) -> None:
        for layer in self.layers:
            for name in LORA_TARGETS:
                mod = _get(layer, name)
                if isinstance(mod, LoRALinear):
                    _set(layer, name, mod.merged())


def encode_texts(tokenizer: Any, texts: Sequence[str], *, max_length: int, prefix: str,
                 tail_tokens: int) -> list[list[int]]:
    """Token ids with ``<s> ... </s>``; longer texts keep their head and their last ``tail_tokens`` tokens.

    Very long strings are cut by characters first (head and tail), so a 1 MB post costs no more than a long one.
    """
    char_cap = max_length * 6
    cut: list[str] = []
    for t in texts:
        t = t if isinstance(t, str) else ""
        if len(t) > char_cap:
            t = t[: char_cap - max_length * 2] + " " + t[-max_length * 2:]
        cut.append(prefix + t)
    enc = tokenizer(cut, add_special_tokens=False, truncation=False)["input_ids"]
    bos, eos = tokenizer.bos_token_id, tokenizer.eos_token_id
    room = max_length - 2
    out: list[list[int]] = []
    for ids in enc:
        if len(ids) > room:
            tail = min(tail_tokens, room // 2)
            ids = ids[: room - tail] + ids[len(ids) - tail:]
        out.append([bos, *ids, eos])
    return out


def pad_batch(seqs: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids, mask


def length_batches(seqs: Sequence[Sequence[int]], batch_size: int, pad_id: int,
                   device: str = "cpu") -> Iterator[tuple[list[int], torch.Tensor, torch.Tensor]]:
    """``(indices, ids, mask)`` batches of ``seqs`` sorted by length (similar lengths per batch: less padding),
    padded by :func:`pad_batch` and moved to ``device``; ``indices`` say where each row's results belong."""
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    step = max(1, batch_size)
    for start in range(0, len(order), step):
        idx = order[start:start + step]
        ids, mask = pad_batch([seqs[i] for i in idx], pad_id)
        yield idx, ids.to(device), mask.to(device)

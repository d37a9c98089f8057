"""Fine-tuning: ``train_classifier`` trains a head, LoRA adapters or the top layers on labelled texts.

Layers below ``train_from`` are frozen and run once: their output is cached (float16) so each epoch only runs the
trainable layers. Seeded: the same data, arguments and base give the same adapter on the same machine.
Writes ``classifier.json`` (settings, base fingerprint, label order, thresholds, validation figures) and
``adapter.safetensors`` (only the trained tensors) to ``out_dir``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lwcore.domain import EVENT_TYPES
from nlp.model.base import E5_PREFIX, read_base_info
from nlp.model.classifier import CONFIG_FILE, FORMAT, LABELS, WEIGHTS_FILE
from nlp.model.errors import ModelError
from nlp.model.metrics import evaluate_probs, tune_thresholds

__all__ = ["train_classifier", "split_is_valid", "MODES"]

logger = logging.getLogger(__name__)

MODES = ("head", "lora", "top")
_DEFAULT_LR = {"head": 2e-3, "lora": 1e-3, "top": 1e-4}
_CACHE_KEY: Any = ("settings",)  # the entry of a state_cache naming the settings its states were computed with


def split_is_valid(key: str, fraction: float) -> bool:
    """Fixed validation membership from a hash of the item id (stable across runs and machines)."""
    h = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16)
    return (h % 10000) < fraction * 10000


def _event_matrix(event_types: Sequence[Sequence[str]]) -> np.ndarray:
    m = np.zeros((len(event_types), len(EVENT_TYPES)), dtype=np.float32)
    for i, types in enumerate(event_types):
        for t in types:
            if t not in EVENT_TYPES:
                raise ModelError(f"item {i}: unknown event type {t!r} (expected one of {', '.join(EVENT_TYPES)})")
            m[i, EVENT_TYPES.index(t)] = 1.0
    return m


def train_classifier(
    *,
    base_dir: Path,
    texts: Sequence[str],
    relevance: Sequence[int],
    event_types: Sequence[Sequence[str]],
    out_dir: Path,
    mode: str = "lora",
    epochs: int = 4,
    seed: int = 13,
    max_length: int = 160,
    batch_size: int = 16,
    valid_fraction: float = 0.2,
    ids: Sequence[str] | None = None,
    valid: tuple[Sequence[str], Sequence[int], Sequence[Sequence[str]]] | None = None,
    num_layers: int | None = 6,
    train_from: int | None = None,
    lr: float | None = None,
    lora_rank: int = 8,
    lora_alpha: float = 16.0,
    tail_tokens: int = 64,
    quantize: bool = True,
    num_threads: int = 2,
    provenance: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
    sample_weight: Sequence[float] | None = None,
    state_cache: dict[str, Any] | None = None,
    prefix: str = E5_PREFIX,
) -> dict[str, Any]:
    """Train and save a classifier; returns the report (also stored in ``classifier.json``).

    ``mode``: ``head`` (frozen encoder, linear head on mean-pooled states), ``lora`` (LoRA rank ``lora_rank`` on
    the attention and FFN projections of layers >= ``train_from``), ``top`` (layers >= ``train_from`` trained).
    Validation: ``valid`` texts/labels if given, else a fixed ``valid_fraction`` chosen by a hash of ``ids``
    (or of the text); with ``valid_fraction`` 0 every text is trained on and the thresholds stay 0.5.
    ``num_layers`` keeps only the first layers of the base (faster inference; None: all).
    Defaults are those of the committed default model (LoRA on layers 4-5 of the first 6, 160 tokens).
    ``sample_weight`` (one positive number per training text, e.g. :func:`nlp.data.sample_weights`) weights each
    text's loss. ``state_cache`` (a dict the caller keeps) holds the frozen lower layers' output per text across
    calls with the same base and settings, so cross-validation computes it once. The returned report also holds
    ``valid_probs`` ((n_valid, 9), not written to disk). ``prefix`` goes in front of every text (e5 reads
    ``passage: `` or ``query: ``); it is recorded in ``classifier.json`` and used again at inference.
    """
    import torch
    from safetensors.torch import save_file

    from nlp.model.base import load_bert, load_tokenizer
    from nlp.model.network import ClassifierNet, encode_texts, length_batches

    say = progress or (lambda msg: logger.info("%s", msg))
    if mode not in MODES:
        raise ModelError(f"mode {mode!r}: expected one of {', '.join(MODES)}")
    if not (len(texts) == len(relevance) == len(event_types)):
        raise ModelError(f"texts ({len(texts)}), relevance ({len(relevance)}) and event_types "
                         f"({len(event_types)}) differ in length")
    if sample_weight is not None:
        sw_all = np.asarray(sample_weight, dtype=np.float32)
        if sw_all.shape != (len(texts),) or not np.all(np.isfinite(sw_all)) or np.any(sw_all <= 0):
            raise ModelError(f"sample_weight must hold {len(texts)} positive finite numbers")
    else:
        sw_all = np.ones(len(texts), dtype=np.float32)
    if ids is not None and len(ids) != len(texts):
        raise ModelError(f"ids ({len(ids)}) and texts ({len(texts)}) differ in length")
    base_dir = Path(base_dir)
    out_dir = Path(out_dir)
    info = read_base_info(base_dir)
    started = time.monotonic()

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(num_threads)

    all_texts = list(texts)
    rel_all = np.asarray([1 if r else 0 for r in relevance], dtype=np.float32)
    ev_all = _event_matrix(event_types)
    if valid is not None:
        tr_texts, tr_rel, tr_ev, tr_sw = all_texts, rel_all, ev_all, sw_all
        va_texts = list(valid[0])
        va_rel = np.asarray([1 if r else 0 for r in valid[1]], dtype=np.float32)
        va_ev = _event_matrix(valid[2])
    else:
        keys = list(ids) if ids is not None else all_texts
        is_va = np.asarray([split_is_valid(k, valid_fraction) for k in keys], dtype=bool)
        tr_texts = [t for t, v in zip(all_texts, is_va, strict=True) if not v]
        va_texts = [t for t, v in zip(all_texts, is_va, strict=True) if v]
        tr_rel, va_rel = rel_all[~is_va], rel_all[is_va]
        tr_ev, va_ev = ev_all[~is_va], ev_all[is_va]
        tr_sw = sw_all[~is_va]
    if len(tr_texts) == 0 or tr_rel.sum() == 0 or tr_rel.sum() == len(tr_rel):
        raise ModelError("training data needs both relevant and irrelevant texts")
    say(f"train {len(tr_texts)} ({int(tr_rel.sum())} positive), valid {len(va_texts)} ({int(va_rel.sum())} positive)")

    n_layers = num_layers or int(json.loads((base_dir / "config.json").read_text())["num_hidden_layers"])
    if train_from is None:
        train_from = {"head": n_layers, "top": max(0, n_layers - 2), "lora": max(0, n_layers - 4)}[mode]
    if mode == "head":
        train_from = n_layers
    bert = load_bert(base_dir, num_layers=n_layers)
    tokenizer = load_tokenizer(base_dir)
    net = ClassifierNet(bert, n_out=len(LABELS), train_from=train_from, mode=mode, lora_rank=lora_rank,
                        lora_alpha=lora_alpha)
    start_layer = net.train_from
    pad_id = tokenizer.pad_token_id

    def encode(batch: Sequence[str]) -> list[list[int]]:
        return encode_texts(tokenizer, batch, max_length=max_length, prefix=prefix, tail_tokens=tail_tokens)

    # 1. cache the frozen lower part (float16 hidden states per text)
    cache_key = (info.fingerprint, n_layers, start_layer, max_length, tail_tokens, prefix)

    def cache(batch_texts: list[str]) -> list[torch.Tensor]:
        if state_cache is not None and state_cache.get(_CACHE_KEY) != cache_key:
            state_cache.clear()
            state_cache[_CACHE_KEY] = cache_key
        known = state_cache or {}
        todo = [t for t in dict.fromkeys(batch_texts) if t not in known]
        fresh = dict(zip(todo, _compute(todo), strict=True))
        if state_cache is not None:
            state_cache.update(fresh)
        return [fresh[t] if t in fresh else known[t] for t in batch_texts]

    def _compute(batch_texts: list[str]) -> list[torch.Tensor]:
        if not batch_texts:
            return []
        seqs = encode(batch_texts)
        out: list[torch.Tensor] = [torch.empty(0)] * len(seqs)
        net.eval()
        done = 0
        with torch.inference_mode():
            for b, (idx, tok, mask) in enumerate(length_batches(seqs, 32, pad_id)):
                hidden = net.lower(tok, mask, start_layer)
                for j, i in enumerate(idx):
                    out[i] = hidden[j, : len(seqs[i])].to(torch.float16).clone()
                done += len(idx)
                if b % 20 == 19:
                    say(f"cached {done}/{len(seqs)} texts")
        return out

    t0 = time.monotonic()
    tr_cache = cache(tr_texts)
    va_cache = cache(va_texts)
    cache_s = time.monotonic() - t0
    say(f"cached layer-{start_layer} states of {len(tr_cache) + len(va_cache)} texts in {cache_s:.0f}s")

    def run_upper(states: list[torch.Tensor]) -> torch.Tensor:
        width = max(s.shape[0] for s in states)
        hidden = torch.zeros((len(states), width, states[0].shape[1]), dtype=torch.float32)
        mask = torch.zeros((len(states), width), dtype=torch.long)
        for j, s in enumerate(states):
            hidden[j, : s.shape[0]] = s.float()
            mask[j, : s.shape[0]] = 1
        return net.upper(hidden, mask, start_layer)

    def predict_cached(states: list[torch.Tensor]) -> np.ndarray:
        net.eval()
        order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
        probs = np.zeros((len(states), len(LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(order), 64):
                idx = order[s:s + 64]
                probs[idx] = torch.sigmoid(run_upper([states[i] for i in idx])).numpy()
        return probs

    # 2. train the upper part
    params = [p for p in net.parameters() if p.requires_grad]
    head_params = list(net.head.parameters())
    body_params = [p for p in params if all(p is not h for h in head_params)]
    base_lr = lr if lr is not None else _DEFAULT_LR[mode]
    groups = [{"params": head_params, "lr": max(base_lr, 1e-3)}]
    if body_params:
        groups.append({"params": body_params, "lr": base_lr})
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    steps_per_epoch = (len(tr_cache) + batch_size - 1) // batch_size
    total = max(1, steps_per_epoch * epochs)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / warm) * max(0.0, (total - step) / max(1, total - warm)))
    y_rel = torch.from_numpy(tr_rel)
    y_ev = torch.from_numpy(tr_ev)
    y_sw = torch.from_numpy(tr_sw)
    pos_weight = torch.tensor(min(4.0, float((len(tr_rel) - tr_rel.sum()) / max(1.0, tr_rel.sum())) ** 0.5))
    gen = random.Random(seed)
    history: list[dict[str, Any]] = []
    for epoch in range(epochs):
        net.train()
        idx_all = list(range(len(tr_cache)))
        gen.shuffle(idx_all)
        chunk = batch_size * 16  # batches of similar lengths, in random order
        batches: list[list[int]] = []
        for c in range(0, len(idx_all), chunk):
            part = sorted(idx_all[c:c + chunk], key=lambda i: tr_cache[i].shape[0])
            batches += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
        gen.shuffle(batches)
        t_ep = time.monotonic()
        loss_sum = 0.0
        for bidx in batches:
            logits = run_upper([tr_cache[i] for i in bidx])
            yr, ye, sw = y_rel[bidx], y_ev[bidx], y_sw[bidx]
            rel_loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], yr, pos_weight=pos_weight,
                                                                            reduction="none")
            loss_rel = (rel_loss * sw).sum() / sw.sum()
            ev_loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 1:], ye, reduction="none")
            w = (yr * sw).unsqueeze(1)  # event types are only defined for relevant texts
            loss_ev = (ev_loss * w).sum() / (w.sum() * ye.shape[1]).clamp(min=1.0)
            loss = loss_rel + loss_ev
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            loss_sum += loss.detach().item() * len(bidx)
        history.append({"epoch": epoch + 1, "loss": round(loss_sum / len(tr_cache), 4),
                        "seconds": round(time.monotonic() - t_ep, 1)})
        if va_cache:
            fig = evaluate_probs(predict_cached(va_cache), va_rel, va_ev, threshold=0.5, event_threshold=0.5)
            history[-1]["valid_relevance_f1@0.5"] = fig["relevance"]["f1"]  # type: ignore[index]
            history[-1]["valid_event_micro_f1@0.5"] = fig["event_micro"]["f1"]  # type: ignore[index]
        say(f"epoch {epoch + 1}/{epochs}: " + ", ".join(f"{k} {v}" for k, v in history[-1].items() if k != "epoch"))

    va_probs = predict_cached(va_cache) if va_cache else np.zeros((0, len(LABELS)), dtype=np.float32)
    threshold, event_threshold, valid_fig = 0.5, 0.5, {}
    if va_cache:  # without a validation set (valid_fraction 0: train on everything) the thresholds stay 0.5
        threshold, event_threshold = tune_thresholds(va_probs, va_rel, va_ev)
        valid_fig = evaluate_probs(va_probs, va_rel, va_ev, threshold=threshold, event_threshold=event_threshold)

    # 3. save only the trained tensors
    out_dir.mkdir(parents=True, exist_ok=True)
    state = net.adapter_state()
    if mode in ("top", "lora"):  # half the bytes (a member on every layer: 4.8 -> 2.4 MB); loading widens to fp32
        state = {k: v.to(torch.float16) for k, v in state.items()}
    save_file({k: v.contiguous() for k, v in state.items()}, str(out_dir / WEIGHTS_FILE))
    report: dict[str, Any] = {
        "format": FORMAT,
        "mode": mode,
        "num_layers": n_layers,
        "train_from": start_layer,
        "max_length": max_length,
        "tail_tokens": tail_tokens,
        "prefix": prefix,
        "pooling": "mean",
        "threshold": threshold,
        "event_threshold": event_threshold,
        "labels": list(LABELS),
        "base_fingerprint": info.fingerprint,
        "vocab_sha256": info.vocab_sha256,
        "lora_rank": lora_rank,
        "lora_alpha": lora_alpha,
        "quantize": quantize,
        "training": {
            "seed": seed, "epochs": epochs, "batch_size": batch_size, "lr": base_lr,
            "valid_fraction": None if valid is not None else valid_fraction,
            "n_train": len(tr_texts), "n_valid": len(va_texts),
            "trainable_parameters": int(sum(p.numel() for p in params)),
            "cache_seconds": round(cache_s, 1), "seconds": round(time.monotonic() - started, 1),
            "history": history,
        },
        "validation": valid_fig,
        "provenance": provenance or {},
    }
    (out_dir / CONFIG_FILE).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if valid_fig:
        say(f"validation (thresholds {threshold:.2f}/{event_threshold:.2f}): relevance "
            f"{valid_fig['relevance']}, event micro {valid_fig['event_micro']}")
    report["valid_texts"] = va_texts  # for callers that re-check the saved model; not written to disk
    report["valid_relevance"] = va_rel.tolist()
    report["valid_event_matrix"] = va_ev
    report["valid_probs"] = va_probs
    return report

"""Domain-adaptive pre-training (issue 14, deliverable 8) at the scale a machine allows, and its measure.

``pretrain``: masked-language-model training of the e5 base on the unlabelled corpora of ``../shared/data/corpora``
(Weibo, message boards, headlines) through LoRA adapters (rank 8) on every layer, the base frozen; e5 ships no MLM
head, so a new transform + bias over the tied (frozen) word embeddings is trained with them, and the kept
vocabulary has no ``<mask>``, so ``<unk>`` stands for it. Runs for ``--minutes`` of wall time; writes the adapters
(a few MB) to ``--out``.

``cv``: the encoder member (TF-IDF + frozen mean-pooled embeddings, linear SVM, as ``ClassicalModel.fit``) over the
usual split (5 folds grouped by near-duplicate text, seed 13, Weibo silver in training), with the base's embeddings
and with the adapted ones (adapters merged), gated as shipped and on every candidate; and the embeddings alone
(logistic regression). Nested thresholds, per slice.

    python bench/nlp_dapt.py pretrain --minutes 25 --out A.pt [--device cuda] [--max-len 96] [--batch 32]
    python bench/nlp_dapt.py cv --adapters A.pt

Round 13 (2 shared CPU cores, 25 minutes, 16,925 sequences, half the corpus once): not better; see
``bench/nlp_results.md``. On a GPU the same script can read the corpus many times over.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from cvcommon import f1_of, fit_fold, gold_folds, nested_predictions, slice_f1

from lwcore.settings import REPO_ROOT, load_settings
from nlp.normalize import normalize

CORPORA = REPO_ROOT.parent / "shared/data/corpora"
#: (file, how many texts at most): the labour-keyword Weibo posts and the board letters in full, samples of the rest
SOURCES = (("weibo/covid2020_labour_keyword_posts.jsonl", None), ("govboard/messages_full.jsonl", None),
           ("govboard/unlabeled_附件3.jsonl", None), ("govboard/unlabeled_附件4.jsonl", None),
           ("govboard/messages_labeled.jsonl", 3000), ("weibo/covid2020_emotion_labeled.jsonl", 6000),
           ("weibo/rumor_ced_2010_2014.jsonl", None), ("news_headlines/thucnews.jsonl", 4000),
           ("news_headlines/tnews.jsonl", 3000))
RANK, ALPHA = 8, 16.0


def corpus_texts(rnd: random.Random) -> list[str]:
    out: list[str] = []
    for name, limit in SOURCES:
        texts = []
        with (CORPORA / name).open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                t = d.get("text") or f"{d.get('留言主题') or ''} {d.get('留言详情') or ''}"
                if len(t) >= 8:
                    texts.append(normalize(t))
        rnd.shuffle(texts)
        out += texts[:limit] if limit else texts
    rnd.shuffle(out)
    return out


def with_lora(bert: Any) -> Any:
    from nlp.model.network import LORA_TARGETS, LoRALinear, _get, _set

    for p in bert.parameters():
        p.requires_grad_(False)
    for layer in bert.encoder.layer:
        for name in LORA_TARGETS:
            _set(layer, name, LoRALinear(_get(layer, name), rank=RANK, alpha=ALPHA))
    return bert


def pretrain(a: argparse.Namespace) -> int:
    import torch
    from torch import nn

    from nlp.model import default_base_dir
    from nlp.model.base import load_bert, load_tokenizer
    from nlp.model.network import pad_batch

    rnd = random.Random(a.seed)
    torch.manual_seed(a.seed)
    texts = corpus_texts(rnd)
    base = default_base_dir(load_settings(environ={}))
    bert = with_lora(load_bert(base)).to(a.device)
    tok = load_tokenizer(base)
    hidden, vocab = bert.config.hidden_size, bert.config.vocab_size
    transform = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.LayerNorm(hidden, eps=1e-12)).to(a.device)
    bias = nn.Parameter(torch.zeros(vocab, device=a.device))
    word = bert.embeddings.word_embeddings.weight  # the decoder, tied and frozen
    params = [p for p in bert.parameters() if p.requires_grad] + list(transform.parameters()) + [bias]
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.01)
    special = torch.tensor(sorted(tok.all_special_ids))
    mask_id = tok.mask_token_id if tok.mask_token_id is not None else tok.unk_token_id
    ids_all = tok(texts, add_special_tokens=True, truncation=True, max_length=a.max_len)["input_ids"]
    order = sorted(range(len(ids_all)), key=lambda i: len(ids_all[i]))
    batches = [order[i:i + a.batch] for i in range(0, len(order), a.batch)]
    rnd.shuffle(batches)
    print(f"{len(texts)} texts, {sum(p.numel() for p in params)} trainable parameters", flush=True)
    bert.train()
    t0, seen = time.time(), 0
    ema: float | None = None  # the loss, smoothed
    for step, rows in enumerate(batches * a.epochs, 1):
        if time.time() - t0 > a.minutes * 60:
            break
        ids, mask = pad_batch([ids_all[i] for i in rows], tok.pad_token_id)
        chosen = mask.bool() & ~torch.isin(ids, special) & (torch.rand(ids.shape) < 0.15)
        if not chosen.any():
            continue
        target = ids[chosen]
        r = torch.rand(ids.shape)
        ids = ids.clone()
        ids[chosen & (r < 0.8)] = mask_id
        swap = chosen & (r >= 0.8) & (r < 0.9)
        ids[swap] = torch.randint(5, vocab, (int(swap.sum()),))
        h = bert(input_ids=ids.to(a.device), attention_mask=mask.to(a.device)).last_hidden_state
        logits = transform(h[chosen.to(a.device)]) @ word.t() + bias
        loss = nn.functional.cross_entropy(logits, target.to(a.device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        seen += len(rows)
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 50 == 0:
            print(f"step {step}: {seen} sequences, loss {ema:.3f}, {time.time() - t0:.0f} s", flush=True)
    torch.save({k: v.cpu() for k, v in bert.state_dict().items() if "lora_" in k}, a.out)
    print(f"{seen} sequences in {time.time() - t0:.0f} s, loss {ema}; adapters in {a.out}", flush=True)
    return 0


def adapted_encoder(adapters: Path) -> Any:
    import torch

    from nlp.model import SentenceEncoder, default_base_dir
    from nlp.model.base import load_bert
    from nlp.model.network import LORA_TARGETS, LoRALinear, _get, _set

    base = default_base_dir(load_settings(environ={}))
    enc = SentenceEncoder.load(base)
    state = torch.load(adapters)
    bert = load_bert(base)
    for li, layer in enumerate(bert.encoder.layer):
        for name in LORA_TARGETS:
            lora = LoRALinear(_get(layer, name), rank=RANK, alpha=ALPHA)
            lora.lora_A.data.copy_(state[f"encoder.layer.{li}.{name}.lora_A"])
            lora.lora_B.data.copy_(state[f"encoder.layer.{li}.{name}.lora_B"])
            _set(layer, name, lora.merged())
    for p in bert.parameters():
        p.requires_grad_(False)
    bert.eval()
    return enc, SentenceEncoder(bert=bert, tokenizer=enc.tokenizer, spec=enc.spec)


def cv(a: argparse.Namespace) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT, load_labelled, load_silver
    from nlp.evaluation import SLICES, slice_of
    from nlp.lexicon import Lexicon
    from nlp.resources import ResourcePaths
    from nlp.segment import Segmenter
    from nlp.training import best_threshold, prepare

    settings = load_settings(environ={})
    prep = prepare(load_labelled(a.data), segmenter=Segmenter.from_settings(settings),
                   lexicon=Lexicon.load(ResourcePaths.from_settings(settings).labour_terms),
                   extra=load_silver(a.silver, DEFAULT_CORPORA), extra_weight=SILVER_WEIGHT)
    gold, sil = prep.gold, prep.silver
    y = prep.y[gold]
    n = len(gold)
    folds = gold_folds(prep, 5, 13)
    in_slice = {s: np.array([s in slice_of(prep.items[i]) for i in gold]) for s in SLICES}

    def report(label: str, s: np.ndarray, fold_of: np.ndarray) -> None:
        pred = nested_predictions(y, s, fold_of)
        r = f1_of(pred, y)
        _, best = best_threshold(y, s)
        slices = slice_f1(pred, y, in_slice)
        print(f"{label}: nested F1 {r['f1']:.4f} (P {r['precision']:.3f} R {r['recall']:.3f}), "
              f"out-of-fold-best {best:.4f}, slices {slices}", flush=True)

    for name, enc in zip(("base", "adapted"), adapted_encoder(Path(a.adapters)), strict=True):
        emb = enc.embed(prep.texts)
        prep.embeddings, prep.encoder_spec = emb, enc.spec.as_dict()
        gated, every, alone = np.zeros(n), np.zeros(n), np.zeros(n)
        fold_of = np.zeros(n, dtype=int)
        for f, (gtr, gte) in enumerate(folds, 1):
            tr, te = np.concatenate([gold[gtr], sil]), gold[gte]
            m = fit_fold(prep, tr, 13, embeddings=emb)
            args = ([prep.texts[i] for i in te], [prep.words[i] for i in te], prep.lex[te])
            cand = prep.candidate[te]
            gated[gte] = np.where(cand, m.predict(*args, embed=prep.embed_lookup(te))[:, 0], 0.0)
            assert m.encoder is not None
            m.encoder["gate"] = (-1.0, 2.0)
            every[gte] = np.where(cand, m.predict(*args, embed=prep.embed_lookup(te))[:, 0], 0.0)
            sc = StandardScaler().fit(emb[gold[gtr]])
            lr = LogisticRegression(C=0.05, max_iter=2000).fit(sc.transform(emb[gold[gtr]]), y[gtr])
            alone[gte] = lr.predict_proba(sc.transform(emb[gold[gte]]))[:, 1]
            fold_of[gte] = f
        report(f"{name}, encoder member gated as shipped", gated, fold_of)
        report(f"{name}, encoder member on every candidate", every, fold_of)
        report(f"{name}, embeddings alone (logistic regression)", alone, fold_of)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pretrain")
    p.add_argument("--minutes", type=float, default=25.0)
    p.add_argument("--epochs", type=int, default=1, help="passes over the corpus at most (the clock stops it first)")
    p.add_argument("--out", required=True)
    p.add_argument("--device", default="cpu")
    p.add_argument("--max-len", type=int, default=96)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=13)
    c = sub.add_parser("cv")
    c.add_argument("--adapters", required=True)
    c.add_argument("--data", default=str(REPO_ROOT.parent / "shared/data/labeled/train.jsonl"))
    c.add_argument("--silver", default=str(REPO_ROOT / "nlp/silver/weibo.jsonl"))
    a = ap.parse_args()
    return pretrain(a) if a.cmd == "pretrain" else cv(a)


if __name__ == "__main__":
    sys.exit(main())

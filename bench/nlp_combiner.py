"""Issue 14's untried design, measured side by side with the shipped one on the same grouped folds.

* **shipped** (bundle lw-0a6a3707's recipe): the TF-IDF member answers every candidate; the frozen-encoder member
  (TF-IDF + e5 embeddings of up to 256 tokens) only the candidates whose TF-IDF probability lies in the gate band
  ``ENC_GATE``; then the hand-set frame rules (:func:`nlp.frames.decide`).
* **every-candidate + combiner**: the encoder member reads *every* candidate (shorter inputs: ``--length`` tokens,
  optionally the encoder in int8 by ``torch.ao.quantization.quantize_dynamic``), and a seeded logistic-regression
  combiner over the members' out-of-fold logits plus frame features (lift, clear, resolved, negated, genre, first
  hand, length) replaces the hand-set rules. The combiner is trained on *inner* out-of-fold member scores of each
  outer training part (nested: the held-out fold never reaches any fit), its threshold picked on the combiner's
  own inner out-of-fold probabilities.

Both designs see the same outer folds (near-duplicate grouped, stratified, seed 13, as ``bench/nlp_cv.py``), the same
TF-IDF vocabularies and the same non-candidate handling (a non-candidate scores 0 unless a short frame lifts it).
Relevance F1 is reported on all items and per slice (message-board letters, short posts <= 140 chars, headlines).

    python bench/nlp_combiner.py embed [--length 128] [--int8]       # cache the embeddings (var/cache/combiner)
    python bench/nlp_combiner.py cv [--length 128] [--int8] [--folds 5]
    python bench/nlp_combiner.py types [--folds 5]                    # event types: rule before vs evidence gate
    python bench/nlp_combiner.py speed [--n 300]                      # encoder throughput per variant, 2 cores
    python bench/nlp_combiner.py throughput [--n 2000] [--rounds 2]    # end to end, both designs alternated

Embeddings are cached per variant under ``var/cache/combiner`` (build artefacts, never committed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from lwcore.settings import REPO_ROOT, load_settings
from nlp.classical import ENC_GATE, ClassicalModel, _scale_embeddings, _type_thresholds
from nlp.data import load_labelled
from nlp.evaluation import SLICES, prf, slice_of
from nlp.frames import MAX_LIFT_CHARS, decide, read_frames
from nlp.lexicon import Lexicon
from nlp.resources import ResourcePaths
from nlp.segment import Segmenter
from nlp.training import _folds, near_duplicate_groups, prepare

DATA = REPO_ROOT.parent / "shared/data/labeled/train.jsonl"
CACHE = REPO_ROOT / "var/cache/combiner"
SEED = 13


# --- encoder variants --------------------------------------------------------------------------------------
def load_encoder(length: int, int8: bool):  # noqa: ANN201 - nlp.model.SentenceEncoder
    import torch

    from nlp.model import EncoderSpec, SentenceEncoder, default_base_dir

    torch.manual_seed(SEED)
    enc = SentenceEncoder.load(default_base_dir(load_settings(environ={})), EncoderSpec(max_length=length))
    if int8:
        enc._bert = torch.ao.quantization.quantize_dynamic(enc._bert, {torch.nn.Linear}, dtype=torch.qint8)
    return enc


def variant_name(length: int, int8: bool) -> str:
    return f"t{length}{'q' if int8 else ''}"


def embeddings(texts: list[str], length: int, int8: bool, log=print) -> np.ndarray:  # noqa: ANN001
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{variant_name(length, int8)}-{len(texts)}.npy"
    if path.is_file():
        return np.load(path)
    enc = load_encoder(length, int8)
    t0 = time.perf_counter()
    e = enc.embed(texts, batch_size=16)
    log(f"embedded {len(texts)} texts ({variant_name(length, int8)}) in {time.perf_counter() - t0:.0f} s")
    np.save(path, e)
    return e


# --- members ---------------------------------------------------------------------------------------------
class FoldFeatures:
    """TF-IDF (+ lexicon) features with vocabularies fitted on one outer training part (as ``ClassicalModel.fit``),
    computed once per fold and shared by the inner fits (the vocabulary is unsupervised: no label leaks)."""

    def __init__(self, prep, rows: np.ndarray) -> None:  # noqa: ANN001
        from sklearn.feature_extraction.text import TfidfVectorizer

        from nlp.classical import CHAR_N, _char_analyzer, _word_doc

        cv = TfidfVectorizer(analyzer=_char_analyzer, min_df=2, max_features=80000, sublinear_tf=True)
        cv.fit([prep.texts[i] for i in rows])
        wv = TfidfVectorizer(analyzer=lambda d: d, min_df=2, max_features=30000, sublinear_tf=True)
        wv.fit([_word_doc(prep.words[i]) for i in rows])
        self.x = ClassicalModel.features(prep.texts, prep.words, prep.lex, char_vocab=dict(cv.vocabulary_),
                                         char_idf=cv.idf_.astype(np.float32), word_vocab=dict(wv.vocabulary_),
                                         word_idf=wv.idf_.astype(np.float32), char_n=CHAR_N)
        self.prep = prep


class Members:
    """The TF-IDF member, the encoder member on the new variant's embeddings and on the shipped 256-token ones
    (linear SVMs on the candidate rows, as ``ClassicalModel.fit``), and the event-type models."""

    def __init__(self, fx: FoldFeatures, rows: np.ndarray, emb_new: np.ndarray, emb_ship: np.ndarray) -> None:
        from scipy.sparse import csr_matrix, hstack

        from nlp.classical import ENC_SCALE, _members, _type_models

        p = fx.prep
        rel = rows[p.candidate[rows]] if len(np.unique(p.y[rows[p.candidate[rows]]])) == 2 else rows
        self.scalers = []
        ((self.wt, self.bt),) = _members(fx.x[rel], p.y[rel], 0.5, SEED, p.weights[rel])
        self.enc = []
        for emb in (emb_new, emb_ship):
            mu, sd = emb[rel].mean(0), emb[rel].std(0) + 1e-6
            xe = hstack([fx.x[rel], csr_matrix(_scale_embeddings(emb[rel], mu, sd, ENC_SCALE))], format="csr")
            ((we, be),) = _members(xe, p.y[rel], 0.5, SEED, p.weights[rel])
            self.enc.append((we, be, mu, sd))
        pos = rows[p.y[rows] == 1]
        tm = np.array([[t in p.items[i].event_types for t in _event_types()] for i in pos], dtype=int)
        self.cw, self.cb = _type_models(fx.x[pos], tm, 16.0, SEED, p.weights[pos])

    def margins(self, fx: FoldFeatures, rows: np.ndarray, emb_new: np.ndarray, emb_ship: np.ndarray):  # noqa: ANN201
        from nlp.classical import ENC_SCALE

        x = fx.x[rows]
        out = [np.asarray(x @ self.wt).ravel() + self.bt]
        for (we, be, mu, sd), emb in zip(self.enc, (emb_new, emb_ship), strict=True):
            n = x.shape[1]
            out.append(np.asarray(x @ we[:n]).ravel() + _scale_embeddings(emb[rows], mu, sd, ENC_SCALE) @ we[n:] + be)
        return tuple(out)

    def type_probs(self, fx: FoldFeatures, rows: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-np.clip(np.asarray(fx.x[rows] @ self.cw.T) + self.cb, -30, 30)))


def _event_types() -> tuple[str, ...]:
    from lwcore.domain import EVENT_TYPES

    return EVENT_TYPES


class Calibration:
    """Platt scaling of each member's margin, fitted on inner out-of-fold margins of the candidate rows (as
    ``ClassicalModel.fit``): the members' logits are then calibrated log-odds."""

    def __init__(self, mt: np.ndarray, me: np.ndarray, ms: np.ndarray, y: np.ndarray, w: np.ndarray,
                 cand: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression

        r = np.flatnonzero(cand) if len(np.unique(y[cand])) == 2 else np.arange(len(y))
        self.ab = []
        for m in (mt, me, ms):
            lr = LogisticRegression(C=100.0, max_iter=1000).fit(m[r, None], y[r], sample_weight=w[r])
            self.ab.append((float(lr.coef_[0, 0]), float(lr.intercept_[0])))

    def logits(self, mt: np.ndarray, me: np.ndarray, ms: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(a * m + b for (a, b), m in zip(self.ab, (mt, me, ms), strict=True))


# --- frame features ---------------------------------------------------------------------------------------
FRAME_FEATURES = ("lift", "lift_short", "clear", "resolved", "negated", "genre", "asserted", "specific", "first_hand",
                  "modal_only", "short", "log_len")


def frame_features(text: str) -> np.ndarray:
    r = read_frames(text)
    _, ex = decide(0.5, r, members=(), text=text)
    n = len(text)
    asserted = r.asserted
    return np.array([
        float(bool(r.lifting)), float(bool(r.lifting) and n <= MAX_LIFT_CHARS), float(ex.rule == "clear"),
        float(r.resolved), float(any(f.negated for f in r.frames)), float(bool(r.genre_names)),
        float(bool(asserted)), float(bool(r.specific)), float(any(f.first_hand for f in asserted)),
        float(bool(r.frames) and not asserted), float(n <= 140), np.log1p(n) / 8.0,
    ], dtype=np.float64)


def combiner_x(zt: np.ndarray, ze: np.ndarray, ff: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Combiner inputs: member logits (zero for a non-candidate, with a candidate flag) and frame features, plus the
    encoder logit's interaction with shortness (short posts are where the members disagree most)."""
    zt = np.where(cand, np.clip(zt, -8, 8), 0.0)
    ze = np.where(cand, np.clip(ze, -8, 8), 0.0)
    return np.column_stack([zt, ze, ze * ff[:, FRAME_FEATURES.index("short")], cand.astype(float), ff])


def fit_combiner(xc: np.ndarray, y: np.ndarray, w: np.ndarray):  # noqa: ANN201
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000, random_state=SEED).fit(xc, y, sample_weight=w)


def shipped_scores(zt: np.ndarray, ze: np.ndarray, texts: list[str], cand: np.ndarray) -> np.ndarray:
    """The shipped decision: gate band -> encoder member, else TF-IDF; then the frame rules."""
    pt = 1 / (1 + np.exp(-zt))
    pe = 1 / (1 + np.exp(-ze))
    gated = (pt >= ENC_GATE[0]) & (pt < ENC_GATE[1])
    p = np.where(cand, np.where(gated, pe, pt), 0.0)
    out = np.zeros(len(texts))
    for i, t in enumerate(texts):
        r = read_frames(t)
        if cand[i] or (r.lifting and len(t) <= MAX_LIFT_CHARS):
            out[i], _ = decide(float(p[i]), r, members=(), text=t)
        else:
            out[i] = p[i]
    return out


def best_thr(y: np.ndarray, s: np.ndarray) -> float:
    grid = np.arange(0.05, 0.951, 0.025)
    f = [_f1(y, s >= t) for t in grid]
    return float(grid[int(np.argmax(f))])


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def report(items, y: np.ndarray, pred: np.ndarray) -> dict:  # noqa: ANN001
    out = {}
    for name in ("all", *SLICES):
        idx = [k for k, it in enumerate(items) if name == "all" or name in slice_of(it)]
        tp = int(sum(pred[k] and y[k] for k in idx))
        fp = int(sum(pred[k] and not y[k] for k in idx))
        fn = int(sum((not pred[k]) and y[k] for k in idx))
        out[name] = prf(tp, fp, fn)
    return out


# --- event types ------------------------------------------------------------------------------------------
def types_shipped(p: np.ndarray, thr: np.ndarray, text: str) -> tuple[str, ...]:
    """The analyzer's rule before issue 14's precision-first types: every type over its threshold (else the best),
    then the frames' filter (``supported_types``)."""
    from nlp.frames import choose_types

    return choose_types(p.tolist(), list(thr), read_frames(text), text, evidence=False)


def types_evidence(p: np.ndarray, thr: np.ndarray, text: str) -> tuple[str, ...]:
    """The analyzer's rule now (:func:`nlp.frames.choose_types`): a type only over its threshold *and* with
    evidence in the text."""
    from nlp.frames import choose_types

    return choose_types(p.tolist(), list(thr), read_frames(text), text)


def evidenced(text: str) -> np.ndarray:
    from nlp.frames import evidenced_types

    ev = evidenced_types(read_frames(text), text)
    return np.array([t in ev for t in _event_types()])


def tune_type_thresholds(p: np.ndarray, t: np.ndarray, ev: np.ndarray) -> np.ndarray:
    """Per-type thresholds maximising that type's F1 under the evidence gate (inner out-of-fold probabilities)."""
    grid = np.arange(0.2, 0.91, 0.05)
    out = np.full(p.shape[1], 0.5)
    for k in range(p.shape[1]):
        if t[:, k].sum() < 3:
            continue
        out[k] = grid[int(np.argmax([_f1(t[:, k], (p[:, k] >= g) & ev[:, k]) for g in grid]))]
    return out


def type_micro(gold: list[tuple[str, ...]], pred: list[tuple[str, ...]]) -> dict:
    tp = sum(len(set(g) & set(q)) for g, q in zip(gold, pred, strict=True))
    fp = sum(len(set(q) - set(g)) for g, q in zip(gold, pred, strict=True))
    fn = sum(len(set(g) - set(q)) for g, q in zip(gold, pred, strict=True))
    return prf(tp, fp, fn)


# --- commands ---------------------------------------------------------------------------------------------
def cmd_cv(a: argparse.Namespace) -> int:
    t0 = time.time()
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    items = load_labelled(a.data)
    prep = prepare(items, segmenter=Segmenter.from_settings(settings), lexicon=Lexicon.load(paths.labour_terms))
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    emb_ship = embeddings(prep.texts, 256, False, log)  # the shipped member's inputs
    emb_new = embeddings(prep.texts, a.length, a.int8, log)
    if a.limit:  # iteration on a prefix (embeddings cached for all items)
        keep = np.arange(min(a.limit, len(items)))
        items, prep, emb_ship, emb_new = items[: len(keep)], prep.subset(keep), emb_ship[keep], emb_new[keep]
    ff = np.array([frame_features(t) for t in prep.texts])
    y, cand, w = prep.y, prep.candidate, prep.weights
    groups = near_duplicate_groups(prep.texts)
    folds = _folds(y, a.folds, SEED, groups)
    s_ship = np.zeros(len(y))
    s_new = np.zeros(len(y))
    s_enc_all = np.zeros(len(y))  # every candidate through the encoder member, shipped frame rules (ablation)
    thr_ship, thr_new, thr_enc = [], [], []
    EVENT_TYPES = _event_types()  # noqa: N806
    tmat = np.array([[t in it.event_types for t in EVENT_TYPES] for it in prep.items], dtype=int)
    gold_types: dict[int, tuple] = {}
    t_ship: dict[int, tuple] = {}
    t_evid: dict[int, tuple] = {}
    t_tuned: dict[int, tuple] = {}
    for f, (tr, te) in enumerate(folds, 1):
        fx = FoldFeatures(prep, tr)  # vocabularies from this outer training part only
        # inner out-of-fold member margins on the training part: calibration, combiner and thresholds learn
        # from these only (the held-out fold reaches no fit)
        imt, ime, ims = np.zeros(len(tr)), np.zeros(len(tr)), np.zeros(len(tr))
        itp = np.zeros((len(tr), len(EVENT_TYPES)))
        for itr, ite in _folds(y[tr], a.inner_folds, SEED, groups[tr]):
            mm = Members(fx, tr[itr], emb_new, emb_ship)
            imt[ite], ime[ite], ims[ite] = mm.margins(fx, tr[ite], emb_new, emb_ship)
            itp[ite] = mm.type_probs(fx, tr[ite])
        cal = Calibration(imt, ime, ims, y[tr], w[tr], cand[tr])
        izt, ize, ize_s = cal.logits(imt, ime, ims)
        tr_texts = [prep.texts[i] for i in tr]
        xc_tr = combiner_x(izt, ize, ff[tr], cand[tr])
        # the combiner's threshold: on its own out-of-fold probabilities over the inner folds
        oof_c = np.zeros(len(tr))
        for itr, ite in _folds(y[tr], a.inner_folds, SEED, groups[tr]):
            oof_c[ite] = fit_combiner(xc_tr[itr], y[tr][itr], w[tr][itr]).predict_proba(xc_tr[ite])[:, 1]
        comb = fit_combiner(xc_tr, y[tr], w[tr])
        thr_new.append(best_thr(y[tr], oof_c))
        thr_ship.append(best_thr(y[tr], shipped_scores(izt, ize_s, tr_texts, cand[tr])))
        thr_enc.append(best_thr(y[tr], shipped_scores(ize, ize, tr_texts, cand[tr])))
        pos_tr = np.flatnonzero(y[tr] == 1)
        ethr = _type_thresholds(itp[pos_tr], tmat[tr][pos_tr])  # as ClassicalModel.fit: shared, inner OOF
        ev_tr = np.array([evidenced(prep.texts[tr[i]]) for i in pos_tr])
        tthr = tune_type_thresholds(itp[pos_tr], tmat[tr][pos_tr], ev_tr)
        # outer: members on the whole training part, scored on the held-out fold
        mm = Members(fx, tr, emb_new, emb_ship)
        zt, ze, ze_s = cal.logits(*mm.margins(fx, te, emb_new, emb_ship))
        tp_te = mm.type_probs(fx, te)
        te_texts = [prep.texts[i] for i in te]
        s_ship[te] = shipped_scores(zt, ze_s, te_texts, cand[te])
        s_enc_all[te] = shipped_scores(ze, ze, te_texts, cand[te])
        s_new[te] = comb.predict_proba(combiner_x(zt, ze, ff[te], cand[te]))[:, 1]
        # event types on the held-out gold positives (the type decision alone, relevance taken as given)
        for j, i in enumerate(te):
            if y[i]:
                gold_types[i] = prep.items[i].event_types
                t_ship[i] = types_shipped(tp_te[j], ethr, prep.texts[i])
                t_evid[i] = types_evidence(tp_te[j], ethr, prep.texts[i])
                t_tuned[i] = types_evidence(tp_te[j], tthr, prep.texts[i])
        log(f"fold {f}/{a.folds} ({time.time() - t0:.0f}s) thr ship {thr_ship[-1]:.3f} new {thr_new[-1]:.3f}; "
            f"combiner coef {np.round(comb.coef_[0], 2).tolist()}")
    out = {"items": len(items), "folds": a.folds, "inner_folds": a.inner_folds,
           "variant": variant_name(a.length, a.int8),
           "combiner_features": ["tfidf_logit", "encoder_logit", "encoder_logit_x_short", "candidate",
                                 *FRAME_FEATURES]}
    for name, s, thr in (("shipped", s_ship, thr_ship), ("encoder_every_candidate_rules", s_enc_all, thr_enc),
                         ("encoder_every_candidate_combiner", s_new, thr_new)):
        pred = np.zeros(len(y), dtype=bool)
        for (_, te), t in zip(folds, thr, strict=True):
            pred[te] = s[te] >= t
        bt = best_thr(y, s)
        out[name] = {"nested_threshold": report(prep.items, y, pred), "thresholds": thr,
                     "oof_best": {"threshold": bt, "f1": round(_f1(y, s >= bt), 4)},
                     "brier": round(float(np.mean((s - y) ** 2)), 4)}
    ks = sorted(gold_types)
    g = [gold_types[k] for k in ks]
    out["event_types_on_gold_positives"] = {
        "shipped_rule": type_micro(g, [t_ship[k] for k in ks]),
        "evidence_gate": type_micro(g, [t_evid[k] for k in ks]),
        "evidence_gate_tuned_thresholds": type_micro(g, [t_tuned[k] for k in ks])}
    out["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def cmd_types(a: argparse.Namespace) -> int:
    """Event types alone on the gold positives (relevance taken as given), grouped outer folds as ``cv``: the type
    models of each outer training part (TF-IDF + lexicon, as ``ClassicalModel.fit``), the shared threshold from
    inner out-of-fold probabilities; the rule before, the evidence gate (shipped now), and the evidence gate with
    per-type thresholds tuned on the inner out-of-fold probabilities."""
    from nlp.classical import _type_models

    t0 = time.time()
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    items = load_labelled(a.data)
    prep = prepare(items, segmenter=Segmenter.from_settings(settings), lexicon=Lexicon.load(paths.labour_terms))
    y = prep.y
    groups = near_duplicate_groups(prep.texts)
    tmat = np.array([[t in it.event_types for t in _event_types()] for it in prep.items], dtype=int)
    gold, before, now, tuned = [], [], [], []
    for tr, te in _folds(y, a.folds, SEED, groups):
        fx = FoldFeatures(prep, tr)
        pos = tr[y[tr] == 1]
        itp = np.zeros((len(pos), tmat.shape[1]))
        from sklearn.model_selection import KFold

        for itr, ite in KFold(a.inner_folds, shuffle=True, random_state=SEED).split(pos):  # as ClassicalModel.fit
            cw, cb = _type_models(fx.x[pos[itr]], tmat[pos[itr]], 16.0, SEED, prep.weights[pos[itr]])
            itp[ite] = 1 / (1 + np.exp(-np.clip(np.asarray(fx.x[pos[ite]] @ cw.T) + cb, -30, 30)))
        ethr = _type_thresholds(itp, tmat[pos])
        tthr = tune_type_thresholds(itp, tmat[pos], np.array([evidenced(prep.texts[i]) for i in pos]))
        cw, cb = _type_models(fx.x[pos], tmat[pos], 16.0, SEED, prep.weights[pos])
        pte = te[y[te] == 1]
        probs = 1 / (1 + np.exp(-np.clip(np.asarray(fx.x[pte] @ cw.T) + cb, -30, 30)))
        for j, i in enumerate(pte):
            gold.append(prep.items[i].event_types)
            before.append(types_shipped(probs[j], ethr, prep.texts[i]))
            now.append(types_evidence(probs[j], ethr, prep.texts[i]))
            tuned.append(types_evidence(probs[j], tthr, prep.texts[i]))
    per_type = {}
    for t in _event_types():
        per_type[t] = {name: type_micro([tuple(x for x in g if x == t) for g in gold],
                                        [tuple(x for x in q if x == t) for q in pred])["f1"]
                       for name, pred in (("before", before), ("evidence", now))}
    print(json.dumps({"positives": len(gold), "folds": a.folds, "inner_folds": a.inner_folds,
                      "rule_before": type_micro(gold, before), "evidence_gate": type_micro(gold, now),
                      "evidence_gate_tuned_thresholds": type_micro(gold, tuned), "per_type_f1": per_type,
                      "seconds": round(time.time() - t0, 1)}, indent=1))
    return 0


def cmd_embed(a: argparse.Namespace) -> int:
    settings = load_settings(environ={})
    paths = ResourcePaths.from_settings(settings)
    items = load_labelled(a.data)
    prep = prepare(items, segmenter=Segmenter.from_settings(settings), lexicon=Lexicon.load(paths.labour_terms))
    embeddings(prep.texts, a.length, a.int8, lambda m: print(m, file=sys.stderr))
    return 0


def cmd_speed(a: argparse.Namespace) -> int:
    """Encoder throughput per variant on labelled candidate texts (the neural member's cost per candidate), and the
    int8 variant's batch dependence (cosine of a text's embedding alone vs in a batch)."""
    import torch

    torch.set_num_threads(2)
    items = load_labelled(a.data)
    rnd = np.random.default_rng(SEED)
    texts = [items[i].text for i in rnd.choice(len(items), a.n, replace=False)]
    out = {}
    for length, int8 in ((256, False), (a.length, False), (a.length, True)):
        enc = load_encoder(length, int8)
        enc.embed(texts[:16])
        t0 = time.perf_counter()
        e = enc.embed(texts, batch_size=16)
        dt = time.perf_counter() - t0
        one = np.stack([enc.embed([t])[0] for t in texts[:20]])
        cos = (one * e[:20]).sum(1) / np.linalg.norm(one, axis=1) / np.linalg.norm(e[:20], axis=1)
        out[variant_name(length, int8)] = {"texts_per_s": round(len(texts) / dt, 1),
                                           "min_cos_alone_vs_batched": round(float(cos.min()), 5)}
        print(json.dumps(out), file=sys.stderr)
    print(json.dumps({"n": a.n, "threads": 2, **out}, indent=1))
    return 0


def cmd_throughput(a: argparse.Namespace) -> int:
    """End to end (``bench/nlp_throughput.py``) for both designs in one run, alternated ``--rounds`` times so that
    the other jobs on the shared cores weigh on both alike: shipped; every candidate through the encoder member at
    ``--length`` tokens; the same in int8. Each in its own process (its own peak RSS), pinned to 2 cores."""
    import subprocess

    runs = {"shipped": [], f"every_candidate_t{a.length}": ["--every-candidate", str(a.length)],
            f"every_candidate_t{a.length}q": ["--every-candidate", str(a.length), "--int8"]}
    res: dict[str, list[dict]] = {k: [] for k in runs}
    for _ in range(a.rounds):
        for name, extra in runs.items():
            cmd = ["taskset", "-c", "0,1", sys.executable, str(REPO_ROOT / "bench/nlp_throughput.py"), "--n",
                   str(a.n), *extra]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            d = json.loads(out.strip().splitlines()[-1])
            res[name].append({k: d.get(k) for k in ("posts_per_s", "peak_rss_mb", "encoded", "candidates",
                                                    "relevant", "members", "model_stage_posts_per_s")})
            print(name, res[name][-1], file=sys.stderr)
    print(json.dumps({"n": a.n, "rounds": a.rounds, **res}, ensure_ascii=False, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["embed", "cv", "types", "speed", "throughput"])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner-folds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="first N items only (iteration)")
    ap.add_argument("--n", type=int, default=300)
    a = ap.parse_args()
    cmds = {"embed": cmd_embed, "cv": cmd_cv, "types": cmd_types, "speed": cmd_speed, "throughput": cmd_throughput}
    return cmds[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())

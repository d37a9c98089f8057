"""The non-neural classifier: TF-IDF (character 1-4-grams + jieba words/bigrams) + lexicon features.

Relevance: a linear SVM trained on the prefilter candidates only (the texts the model will ever see), its
margin calibrated into a probability by a logistic regression fitted on inner cross-validated margins (Platt
scaling). The calibration is linear, so it folds into one coefficient row and the stored model stays a single
matrix. (An NB-SVM member was measured as well and got no weight from the stacker: see bench/nlp_results.md;
``_members`` is the place to add members, each must be linear in the features.) One logistic regression per
event type, trained on the relevant items only; the event threshold is picked on inner cross-validated
probabilities (shared by all types: per-type picks on a few hundred items were noisier, see the results file).

Optional encoder member: the same linear SVM over the TF-IDF features plus frozen sentence embeddings
(:class:`nlp.model.SentenceEncoder`, standardised and scaled so the 384 dense columns weigh about as much as one
TF-IDF row), calibrated the same way. It replaces the relevance probability of the candidates whose TF-IDF-only
probability lies in the band ``ENC_GATE`` (where the TF-IDF member is unsure): the encoder, by far the slowest
part, then runs on a small share of a realistic stream; the texts outside the band keep the TF-IDF verdict.

Stored without pickle, as ``classical.npz`` (vocabularies, idf, coefficients, thresholds as arrays) so the
committed bundle is plain data and loads in any scikit-learn/numpy version.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lwcore.domain import EVENT_TYPES

__all__ = ["ClassicalModel", "FEATURE_VERSION", "logit"]

logger = logging.getLogger(__name__)
FEATURE_VERSION = "tfidf-char14-word12-lex-v2"
CHAR_N = 4
MEMBERS = ("linear_svm",)
ENC_SCALE = 1.0  # measured: 0.5 / 1.0 / 2.0 gave grouped-CV F1 0.788 / 0.792 / 0.771 (bench/nlp_results.md)
# The encoder member answers for candidates whose calibrated TF-IDF-only probability lies in [low, high): where that
# member is unsure. Measured on grouped 5-fold OOF (bench/nlp_results.md): the band [0.15, 0.90) keeps the F1 of
# encoding every candidate (0.792 vs 0.791) while encoding 16% instead of 71% of the labelled items.
ENC_GATE = (0.15, 0.90)


def _char_analyzer(text: str, n: int = CHAR_N) -> list[str]:
    t = "".join(text.split())
    out = list(t)
    for k in range(2, n + 1):
        out.extend(t[i : i + k] for i in range(len(t) - k + 1))
    return out


def _word_doc(w: Sequence[str]) -> list[str]:
    return list(w) + [a + "_" + b for a, b in zip(w, w[1:], strict=False)]


class ClassicalModel:
    def __init__(
        self,
        *,
        char_vocab: dict[str, int],
        char_idf: np.ndarray,
        word_vocab: dict[str, int],
        word_idf: np.ndarray,
        coef: np.ndarray,  # (9, n_features): relevance, then EVENT_TYPES
        intercept: np.ndarray,  # (9,)
        lex_scale: float = 10.0,
        event_thresholds: np.ndarray | None = None,  # (8,) per event type; None: the bundle's single threshold
        char_n: int = 3,
        encoder: dict[str, Any] | None = None,
    ) -> None:
        self.char_vocab = char_vocab
        self.char_idf = char_idf.astype(np.float32)
        self.word_vocab = word_vocab
        self.word_idf = word_idf.astype(np.float32)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.lex_scale = lex_scale
        self.event_thresholds = None if event_thresholds is None else np.asarray(event_thresholds, np.float32)
        self.char_n = char_n
        # encoder block: coef (n_features + dim,), intercept, mean, std, scale, gate, spec (EncoderSpec dict)
        self.encoder = encoder

    @property
    def encoder_spec(self) -> dict[str, Any] | None:
        return None if self.encoder is None else self.encoder["spec"]

    # --- features --------------------------------------------------------------------------------------
    @staticmethod
    def _tfidf(docs: list[list[str]], vocab: dict[str, int], idf: np.ndarray):  # noqa: ANN205 - scipy type
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for r, toks in enumerate(docs):
            counts: dict[int, int] = {}
            for t in toks:
                j = vocab.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            js = np.fromiter(counts.keys(), dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))
            v = tf * idf[js]
            v /= np.linalg.norm(v) or 1.0
            rows.extend([r] * len(js))
            cols.extend(js.tolist())
            vals.extend(v.tolist())
        return csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=np.float32)

    @staticmethod
    def lexicon_features(hits: Sequence) -> np.ndarray:  # noqa: ANN001 - LexiconHit
        out = np.zeros((len(hits), 1 + len(EVENT_TYPES)), dtype=np.float32)
        for i, h in enumerate(hits):
            out[i, 0] = min(h.score, 20.0) / 10.0
            for k, t in enumerate(EVENT_TYPES):
                out[i, 1 + k] = min(h.hints.get(t, 0.0), 10.0) / 10.0
        return out

    @classmethod
    def features(cls, texts: Sequence[str], words: Sequence[list[str]], lex: np.ndarray, *,
                 char_vocab: dict[str, int], char_idf: np.ndarray, word_vocab: dict[str, int],
                 word_idf: np.ndarray, char_n: int = CHAR_N):  # noqa: ANN206
        from scipy.sparse import csr_matrix, hstack

        xc = cls._tfidf([_char_analyzer(t, char_n) for t in texts], char_vocab, char_idf)
        xw = cls._tfidf([_word_doc(w) for w in words], word_vocab, word_idf)
        return hstack([xc, xw, csr_matrix(lex)], format="csr")

    def predict(self, texts: Sequence[str], words: Sequence[list[str]], lex: np.ndarray, *,
                embed: Callable[[list[str]], np.ndarray] | None = None,
                refine: Callable[[list[str]], np.ndarray] | None = None, refine_weight: float = 0.0) -> np.ndarray:
        """(n, 9) probabilities: relevance, then EVENT_TYPES.

        With an encoder block and ``embed`` (texts -> (k, dim) embeddings, see :class:`nlp.model.SentenceEncoder`),
        the relevance of the texts inside the gate band comes from the encoder member; ``embed`` is called once,
        on those texts only. Without ``embed`` the TF-IDF member answers for all. ``refine`` (texts -> (k,)
        relevance logits of a fine-tuned transformer) is blended into the same texts' encoder-member logit:
        ``(1 - refine_weight) * z + refine_weight * refine(texts)``; event types never change.
        """
        if not len(texts):
            return np.zeros((0, 1 + len(EVENT_TYPES)), dtype=np.float32)
        x = self.features(texts, words, lex, char_vocab=self.char_vocab, char_idf=self.char_idf,
                          word_vocab=self.word_vocab, word_idf=self.word_idf, char_n=self.char_n)
        p = _sigmoid(x @ self.coef.T + self.intercept)
        enc = self.encoder
        if enc is not None and embed is not None:
            lo, hi = enc["gate"]
            idx = np.flatnonzero((p[:, 0] >= lo) & (p[:, 0] < hi))
            if len(idx):
                e = np.asarray(embed([texts[int(i)] for i in idx]), dtype=np.float32)
                z = x[idx] @ enc["coef"][: x.shape[1]] + self._scaled(e) @ enc["coef"][x.shape[1]:] + enc["intercept"]
                if refine is not None and refine_weight > 0:
                    zt = np.asarray(refine([texts[int(i)] for i in idx]), dtype=np.float32).reshape(-1)
                    z = (1.0 - refine_weight) * z + refine_weight * zt
                p[idx, 0] = _sigmoid(z)
        return p

    def _scaled(self, e: np.ndarray) -> np.ndarray:
        enc = self.encoder
        assert enc is not None
        return _scale_embeddings(e, enc["mean"], enc["std"], enc["scale"])

    # --- training --------------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        words: Sequence[list[str]],
        lex: np.ndarray,
        relevance: Sequence[int] | np.ndarray,
        event_types: Sequence[Sequence[str]],
        *,
        candidate: np.ndarray | None = None,
        sample_weight: np.ndarray | Sequence[float] | None = None,
        embeddings: np.ndarray | None = None,
        encoder_spec: dict[str, Any] | None = None,
        c_svm: float = 0.5,
        c_type: float = 16.0,
        max_char: int = 80000,
        max_word: int = 30000,
        inner: int = 3,
        seed: int = 13,
        event_rule: str = "micro",
        log: Callable[[str], None] | None = None,
    ) -> ClassicalModel:
        """Fit vocabularies, the relevance ensemble (on ``candidate`` rows when given) and the event-type models.

        ``inner`` folds (>= 2) calibrate the ensemble and pick the per-type thresholds; with ``inner < 2`` the
        members are averaged with unit weights and the types keep 0.5. ``sample_weight`` (one per item, e.g.
        :func:`nlp.data.sample_weights`) weights every fit, calibration included. ``embeddings`` ((n, dim),
        aligned with ``texts``, from the encoder described by ``encoder_spec``) add the encoder member.
        ``event_rule`` picks the event thresholds from the inner out-of-fold type probabilities (see
        :func:`event_thresholds`): ``"micro"`` per type, for the micro-F1 of the whole type decision under the
        evidence gate; ``"shared"`` one threshold for all types (bundles before issue 14's round 11).
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        cv = TfidfVectorizer(analyzer=_char_analyzer, min_df=2, max_features=max_char, sublinear_tf=True)
        cv.fit(texts)
        wv = TfidfVectorizer(analyzer=lambda d: d, min_df=2, max_features=max_word, sublinear_tf=True)
        wv.fit([_word_doc(w) for w in words])
        char_vocab = {k: int(v) for k, v in cv.vocabulary_.items()}
        word_vocab = {k: int(v) for k, v in wv.vocabulary_.items()}
        char_idf = cv.idf_.astype(np.float32)
        word_idf = wv.idf_.astype(np.float32)
        x = cls.features(texts, words, lex, char_vocab=char_vocab, char_idf=char_idf,
                         word_vocab=word_vocab, word_idf=word_idf)
        y = np.asarray(relevance, dtype=int)
        sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if sw.shape != (len(y),) or not np.all(np.isfinite(sw)) or np.any(sw <= 0):
            from nlp.errors import NlpError

            raise NlpError(f"sample_weight must hold {len(y)} positive finite numbers")
        rows = np.arange(len(y)) if candidate is None else np.flatnonzero(np.asarray(candidate, dtype=bool))
        if len(np.unique(y[rows])) < 2:
            rows = np.arange(len(y))
        if len(np.unique(y)) < 2:
            from nlp.errors import NlpError

            raise NlpError("training data needs both relevant and irrelevant items")
        tmat = np.array([[t in event_types[i] for t in EVENT_TYPES] for i in range(len(y))], dtype=int)
        pos = np.flatnonzero(y == 1)
        n_feat = x.shape[1]
        coef = np.zeros((1 + len(EVENT_TYPES), n_feat), dtype=np.float32)
        intercept = np.zeros(1 + len(EVENT_TYPES), dtype=np.float32)
        xe = emb_mean = emb_std = None
        if embeddings is not None:
            emb = np.asarray(embeddings, dtype=np.float32)
            if emb.ndim != 2 or emb.shape[0] != len(y) or not np.all(np.isfinite(emb)):
                from nlp.errors import NlpError

                raise NlpError(f"embeddings must be a finite ({len(y)}, dim) array, got shape {emb.shape}")
            from scipy.sparse import csr_matrix, hstack

            emb_mean, emb_std = emb[rows].mean(0), emb[rows].std(0) + 1e-6
            xe = hstack([x, csr_matrix(_scale_embeddings(emb, emb_mean, emb_std, ENC_SCALE))], format="csr")

        # calibration / thresholds from inner folds
        stack_w, stack_b = np.ones(len(MEMBERS), dtype=np.float64) / len(MEMBERS), 0.0
        enc_a, enc_c = 1.0, 0.0
        ethr = np.full(len(EVENT_TYPES), 0.5, dtype=np.float32)
        if inner >= 2 and min(int(y[rows].sum()), int((y[rows] == 0).sum())) >= inner:
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import StratifiedKFold

            margins = np.zeros((len(rows), len(MEMBERS)))
            emargins = np.zeros((len(rows), 1))
            for tr, te in StratifiedKFold(inner, shuffle=True, random_state=seed).split(rows, y[rows]):
                for m, (w, b) in enumerate(_members(x[rows[tr]], y[rows[tr]], c_svm, seed, sw[rows[tr]])):
                    margins[te, m] = x[rows[te]] @ w + b
                if xe is not None:
                    ((w, b),) = _members(xe[rows[tr]], y[rows[tr]], c_svm, seed, sw[rows[tr]])
                    emargins[te, 0] = xe[rows[te]] @ w + b
            st = LogisticRegression(C=100.0, max_iter=1000).fit(margins, y[rows], sample_weight=sw[rows])
            stack_w, stack_b = st.coef_[0].astype(np.float64), float(st.intercept_[0])
            if xe is not None:
                ec = LogisticRegression(C=100.0, max_iter=1000).fit(emargins, y[rows], sample_weight=sw[rows])
                enc_a, enc_c = float(ec.coef_[0, 0]), float(ec.intercept_[0])
            if len(pos) >= 2 * inner:
                oof_t = type_oof(x, tmat, pos, sw, c_type=c_type, seed=seed, inner=inner)
                ethr = event_thresholds(oof_t, tmat[pos], [texts[int(i)] for i in pos], rule=event_rule)
        members = _members(x[rows], y[rows], c_svm, seed, sw[rows])
        coef[0] = sum(a * w for a, (w, _) in zip(stack_w, members, strict=True))
        intercept[0] = sum(a * b for a, (_, b) in zip(stack_w, members, strict=True)) + stack_b
        cw, cb = _type_models(x[pos], tmat[pos], c_type, seed, sw[pos])
        coef[1:], intercept[1:] = cw, cb
        encoder = None
        if xe is not None:
            ((w, b),) = _members(xe[rows], y[rows], c_svm, seed, sw[rows])
            encoder = {"coef": (enc_a * w).astype(np.float32), "intercept": enc_a * b + enc_c, "mean": emb_mean,
                       "std": emb_std, "scale": ENC_SCALE, "gate": ENC_GATE, "spec": dict(encoder_spec or {})}
        if log:
            log(f"classical model: {len(char_vocab)} char + {len(word_vocab)} word features, {len(rows)} of "
                f"{len(y)} items for relevance, stack weights {np.round(stack_w, 3).tolist()}, "
                f"type thresholds {np.round(ethr, 2).tolist()}"
                + (f", encoder member for probabilities in {ENC_GATE}" if encoder else ""))
        return cls(char_vocab=char_vocab, char_idf=char_idf, word_vocab=word_vocab, word_idf=word_idf,
                   coef=coef, intercept=intercept, event_thresholds=ethr, char_n=CHAR_N, encoder=encoder)

    # --- storage ---------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        cv = sorted(self.char_vocab, key=self.char_vocab.__getitem__)
        wv = sorted(self.word_vocab, key=self.word_vocab.__getitem__)
        arrays: dict[str, np.ndarray] = {
            "char_terms": np.array(cv, dtype=str),
            "char_idf": self.char_idf.astype(np.float16),
            "word_terms": np.array(wv, dtype=str),
            "word_idf": self.word_idf.astype(np.float16),
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept,
            "char_n": np.array(self.char_n),
        }
        if self.event_thresholds is not None:
            arrays["event_thresholds"] = self.event_thresholds
        if self.encoder is not None:
            e = self.encoder
            arrays.update({
                "enc_coef": np.asarray(e["coef"], dtype=np.float16), "enc_intercept": np.array(e["intercept"]),
                "enc_mean": np.asarray(e["mean"], dtype=np.float32), "enc_std": np.asarray(e["std"], np.float32),
                "enc_scale": np.array(e["scale"]), "enc_gate": np.asarray(e["gate"], dtype=np.float64),
                "enc_spec": np.array(json.dumps(e["spec"], sort_keys=True)),
            })
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> ClassicalModel:
        with np.load(path, allow_pickle=False) as z:
            cv = [str(s) for s in z["char_terms"]]
            wv = [str(s) for s in z["word_terms"]]
            return cls(
                char_vocab={t: i for i, t in enumerate(cv)},
                char_idf=z["char_idf"].astype(np.float32),
                word_vocab={t: i for i, t in enumerate(wv)},
                word_idf=z["word_idf"].astype(np.float32),
                coef=z["coef"].astype(np.float32),
                intercept=z["intercept"].astype(np.float32),
                event_thresholds=z["event_thresholds"] if "event_thresholds" in z.files else None,
                char_n=int(z["char_n"]) if "char_n" in z.files else 3,
                encoder=None if "enc_coef" not in z.files else {
                    "coef": z["enc_coef"].astype(np.float32), "intercept": float(z["enc_intercept"]),
                    "mean": z["enc_mean"].astype(np.float32), "std": z["enc_std"].astype(np.float32),
                    "scale": float(z["enc_scale"]), "gate": tuple(float(v) for v in z["enc_gate"]),
                    "spec": json.loads(str(z["enc_spec"])),
                },
            )


def logit(p: float | np.ndarray) -> np.ndarray:
    """The inverse of the sigmoid, with probabilities clipped to [1e-6, 1 - 1e-6] (finite for 0 and 1)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def _scale_embeddings(e: np.ndarray, mean: np.ndarray, std: np.ndarray, scale: float) -> np.ndarray:
    """Standardised embeddings scaled by ``scale / sqrt(dim)``: the dense block's norm is about ``scale``."""
    return ((e - mean) / std * (scale / np.sqrt(e.shape[1]))).astype(np.float32)


def _members(x, y: np.ndarray, c_svm: float, seed: int,  # noqa: ANN001
             sw: np.ndarray | None = None) -> list[tuple[np.ndarray, float]]:
    """The relevance members (see ``MEMBERS``) as (coefficients over ``x``'s columns, intercept)."""
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=c_svm, class_weight="balanced", random_state=seed).fit(x, y, sample_weight=sw)
    return [(svm.coef_[0].astype(np.float64), float(svm.intercept_[0]))]


def _type_models(x, t: np.ndarray, c: float, seed: int,  # noqa: ANN001
                 sw: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One balanced logistic regression per event type over the relevant rows ``x`` with labels ``t`` (n, 8)."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((t.shape[1], x.shape[1]), dtype=np.float32)
    icpt = np.zeros(t.shape[1], dtype=np.float32)
    for k in range(t.shape[1]):
        yt = t[:, k]
        if yt.sum() < 2 or yt.sum() == len(yt):
            icpt[k] = -4.0 if yt.sum() < 2 else 4.0
            continue
        m = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=seed)
        m.fit(x, yt, sample_weight=sw)
        coef[k], icpt[k] = m.coef_[0], m.intercept_[0]
    return coef, icpt


def _type_thresholds(p: np.ndarray, t: np.ndarray, *, min_support: int | None = None) -> np.ndarray:
    """Event thresholds from out-of-fold probabilities: the micro-F1-best threshold shared by all types; with
    ``min_support``, types with at least that many positives get their own F1-best threshold."""
    grid = np.arange(0.2, 0.81, 0.05)

    def f1(pp: np.ndarray, tt: np.ndarray, th: float) -> float:
        pr = pp >= th
        tp, fp, fn = (pr & (tt == 1)).sum(), (pr & (tt == 0)).sum(), (~pr & (tt == 1)).sum()
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    shared = float(max(grid, key=lambda th: f1(p, t, th)))
    out = np.full(t.shape[1], shared, dtype=np.float32)
    for k in range(t.shape[1]):
        if min_support is not None and t[:, k].sum() >= min_support:
            scores = [f1(p[:, k], t[:, k], float(th)) for th in grid]
            out[k] = grid[int(np.argmax(scores))]
    return np.round(out, 3)


def type_oof(x, tmat: np.ndarray, pos: np.ndarray, sw: np.ndarray, *, c_type: float = 16.0,  # noqa: ANN001
             seed: int = 13, inner: int = 3) -> np.ndarray:
    """Out-of-fold probabilities (len(pos), types) of the event-type models over the relevant rows ``pos`` of the
    features ``x``, ``inner`` shuffled folds (seeded): what :meth:`ClassicalModel.fit` picks the thresholds on."""
    from sklearn.model_selection import KFold

    oof_t = np.zeros((len(pos), tmat.shape[1]))
    for tr, te in KFold(inner, shuffle=True, random_state=seed).split(pos):
        cw, cb = _type_models(x[pos[tr]], tmat[pos[tr]], c_type, seed, sw[pos[tr]])
        oof_t[te] = 1.0 / (1.0 + np.exp(-np.clip(x[pos[te]] @ cw.T + cb, -30, 30)))
    return oof_t


def event_thresholds(p: np.ndarray, t: np.ndarray, texts: Sequence[str], *, rule: str = "micro") -> np.ndarray:
    """Event thresholds from out-of-fold type probabilities ``p`` of relevant texts with gold types ``t``:
    ``"shared"``, one micro-F1-best threshold for all types (:func:`_type_thresholds`); ``"micro"``, per type, by
    coordinate ascent on the micro-F1 of the analyzer's whole type decision (the evidence gate, the fallback and
    ``frames.supported_types``: :func:`nlp.type_evidence.fit_type_rule`). Measured on nested grouped folds by
    ``python bench/nlp_types.py compare`` (``bench/nlp_results.md``, round 11)."""
    if rule == "shared":
        return _type_thresholds(p, t)
    if rule != "micro":
        from nlp.errors import NlpError

        raise NlpError(f"unknown event threshold rule {rule!r} (micro | shared)")
    from nlp.frames import read_frames
    from nlp.type_evidence import fit_type_rule

    fitted = fit_type_rule(p, t, [read_frames(x) for x in texts], list(texts), kind="micro")
    return np.round(np.asarray(fitted.thresholds, dtype=np.float32), 3)

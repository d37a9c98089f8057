"""The non-neural classifier: TF-IDF (character 1-3-grams + jieba words) + lexicon features -> logistic regression.

One binary model for relevance and one per event type (trained on the relevant items only). Stored without
pickle, as ``classical.npz`` (vocabularies, idf, coefficients as arrays) so the committed bundle is plain data
and loads in any scikit-learn/numpy version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from laborwatch.domain import EVENT_TYPES

__all__ = ["ClassicalModel", "FEATURE_VERSION"]

logger = logging.getLogger(__name__)
FEATURE_VERSION = "tfidf-char13-word12-lex-v1"


def _char_analyzer(text: str) -> list[str]:
    t = "".join(text.split())
    out = list(t)
    out.extend(t[i : i + 2] for i in range(len(t) - 1))
    out.extend(t[i : i + 3] for i in range(len(t) - 2))
    return out


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
    ) -> None:
        self.char_vocab = char_vocab
        self.char_idf = char_idf.astype(np.float32)
        self.word_vocab = word_vocab
        self.word_idf = word_idf.astype(np.float32)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.lex_scale = lex_scale

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
                 word_idf: np.ndarray):  # noqa: ANN206
        from scipy.sparse import csr_matrix, hstack

        xc = cls._tfidf([_char_analyzer(t) for t in texts], char_vocab, char_idf)
        xw = cls._tfidf([list(w) + [a + "_" + b for a, b in zip(w, w[1:], strict=False)] for w in words],
                        word_vocab, word_idf)
        return hstack([xc, xw, csr_matrix(lex)], format="csr")

    def predict(self, texts: Sequence[str], words: Sequence[list[str]], lex: np.ndarray) -> np.ndarray:
        """(n, 9) probabilities: relevance, then EVENT_TYPES."""
        if not len(texts):
            return np.zeros((0, 1 + len(EVENT_TYPES)), dtype=np.float32)
        x = self.features(texts, words, lex, char_vocab=self.char_vocab, char_idf=self.char_idf,
                          word_vocab=self.word_vocab, word_idf=self.word_idf)
        z = x @ self.coef.T + self.intercept
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)

    # --- training --------------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        words: Sequence[list[str]],
        lex: np.ndarray,
        relevance: Sequence[int],
        event_types: Sequence[Sequence[str]],
        *,
        c_rel: float = 8.0,
        c_type: float = 4.0,
        max_char: int = 40000,
        max_word: int = 20000,
        seed: int = 13,
        log: Callable[[str], None] | None = None,
    ) -> ClassicalModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        cv = TfidfVectorizer(analyzer=_char_analyzer, min_df=2, max_features=max_char, sublinear_tf=True)
        cv.fit(texts)
        wdocs = [list(w) + [a + "_" + b for a, b in zip(w, w[1:], strict=False)] for w in words]
        wv = TfidfVectorizer(analyzer=lambda d: d, min_df=2, max_features=max_word, sublinear_tf=True)
        wv.fit(wdocs)
        char_vocab = {k: int(v) for k, v in cv.vocabulary_.items()}
        word_vocab = {k: int(v) for k, v in wv.vocabulary_.items()}
        char_idf = cv.idf_.astype(np.float32)
        word_idf = wv.idf_.astype(np.float32)
        x = cls.features(texts, words, lex, char_vocab=char_vocab, char_idf=char_idf,
                         word_vocab=word_vocab, word_idf=word_idf)
        y = np.asarray(relevance, dtype=int)
        n_feat = x.shape[1]
        coef = np.zeros((1 + len(EVENT_TYPES), n_feat), dtype=np.float32)
        intercept = np.zeros(1 + len(EVENT_TYPES), dtype=np.float32)
        lr = LogisticRegression(C=c_rel, class_weight="balanced", max_iter=2000, random_state=seed)
        lr.fit(x, y)
        coef[0], intercept[0] = lr.coef_[0], lr.intercept_[0]
        pos = np.flatnonzero(y == 1)
        xp = x[pos]
        for k, t in enumerate(EVENT_TYPES):
            yt = np.array([1 if t in event_types[i] else 0 for i in pos])
            if yt.sum() < 2 or yt.sum() == len(yt):
                intercept[1 + k] = -4.0 if yt.sum() < 2 else 4.0
                continue
            m = LogisticRegression(C=c_type, class_weight="balanced", max_iter=2000, random_state=seed)
            m.fit(xp, yt)
            coef[1 + k], intercept[1 + k] = m.coef_[0], m.intercept_[0]
        if log:
            log(f"classical model: {len(char_vocab)} char + {len(word_vocab)} word features, {len(y)} items")
        return cls(char_vocab=char_vocab, char_idf=char_idf, word_vocab=word_vocab, word_idf=word_idf,
                   coef=coef, intercept=intercept)

    # --- storage ---------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        cv = sorted(self.char_vocab, key=self.char_vocab.__getitem__)
        wv = sorted(self.word_vocab, key=self.word_vocab.__getitem__)
        np.savez_compressed(
            path,
            char_terms=np.array(cv, dtype=str),
            char_idf=self.char_idf.astype(np.float16),
            word_terms=np.array(wv, dtype=str),
            word_idf=self.word_idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
        )

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
            )

"""The short-post encoder member: a logistic regression on the frozen e5 encoder's embeddings of short texts.

The character short-post member (:mod:`nlp.short_member`) reads the n-grams of a short text; what it learned from
the behavioural suites' writers does not carry to a writer it never saw (session 17: suite K's blind half stayed at
0.70 of explicit posts caught after suites J and K's dev half were read for rules). The encoder reads word order and
knows paraphrase, so it carries further: this member puts a linear read-out on the same frozen encoder the bundle's
encoder member uses (``nlp.model.SentenceEncoder``, the relevance view of the text as the encoder member embeds it),
trained on the suites' short texts and the labelled data, and moves the score of every short text that has one (a
prefilter candidate, or a post the frames lift) in logit space after the character member:
``logit(p) + WEIGHT * logit(p_encoder_short)``.

Its training data differ from the character member's: the suites except :data:`HELD_OUT` (the newest blind suite
whole, and the test half of the one before it), with the labelled items weighted :data:`LABELLED_WEIGHT` (there are
fewer of them, and they are the real posts). The read-out is linear and small, so its file is a few kilobytes:
``short_encoder.npz`` in the bundle directory (coefficients, intercept, metadata including the encoder base's
fingerprint it was fitted on; no pickle). It runs only where its base runs: the analyzer reports it missing when the
bundle has the file and the encoder member cannot run or runs another base.

Measured: ``bench/nlp_short_member.py`` (``suite``, ``encoder-fit``) and ``bench/nlp_results.md``, session 18.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["EncoderShortMember", "ENCODER_SHORT_FILE", "WEIGHT", "HELD_OUT", "LABELLED_WEIGHT", "fit_encoder_member"]

ENCODER_SHORT_FILE = "short_encoder.npz"
#: Its weight in logit space (after the character member's); measured 0.3 / 0.6 / 1.0 (nlp_results.md, session 18).
WEIGHT = 0.6
#: Inverse regularisation of the read-out (measured 0.3 / 1 / 3 in session 18).
C = 1.0
#: Weight of a labelled item against a suite text in training.
LABELLED_WEIGHT = 3.0
#: Suites (``name``) or suite halves (``name:split``) the member never trains on: suite L is the blind estimate;
#: suite K's test half stays out so that it remains a second one (its dev half was read in session 17).
HELD_OUT = ("k:test", "l")


class EncoderShortMember:
    def __init__(self, coef: np.ndarray, intercept: float, meta: dict[str, Any] | None = None) -> None:
        self.coef = np.asarray(coef, dtype=np.float32).ravel()
        self.intercept = float(intercept)
        self.meta = meta or {}

    @property
    def base_fingerprint(self) -> str | None:
        """The fingerprint of the encoder base the read-out was fitted on (``nlp.model.base``)."""
        fp = self.meta.get("base_fingerprint")
        return str(fp) if fp else None

    @property
    def dim(self) -> int:
        return int(self.coef.shape[0])

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        """P(labour dispute) for each row of encoder embeddings (normalised to unit length here)."""
        e = np.asarray(embeddings, dtype=np.float32)
        if e.ndim != 2 or (len(e) and e.shape[1] != self.dim):
            raise ValueError(f"short-post encoder member: embeddings of shape {e.shape}, expected (n, {self.dim})")
        if not len(e):
            return np.zeros(0, dtype=np.float64)
        norms = np.linalg.norm(e, axis=1, keepdims=True)
        z = (e / np.where(norms > 0, norms, 1.0)) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z.astype(np.float64)))

    @classmethod
    def fit(cls, embeddings: np.ndarray, y: Sequence[bool], weights: Sequence[float] | None = None, *, c: float = C,
            meta: dict[str, Any] | None = None) -> EncoderShortMember:
        from sklearn.linear_model import LogisticRegression

        e = np.asarray(embeddings, dtype=np.float32)
        e = e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        lr.fit(e, np.asarray(y, dtype=bool), sample_weight=None if weights is None else np.asarray(weights))
        return cls(lr.coef_.ravel(), float(lr.intercept_[0]), meta)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=np.array(self.intercept),
                            meta=np.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)))

    @classmethod
    def load(cls, path: Path) -> EncoderShortMember:
        with np.load(path, allow_pickle=False) as z:
            missing = {"coef", "intercept", "meta"} - set(z.files)
            if missing:
                raise ValueError(f"{path}: lacks {sorted(missing)}")
            return cls(z["coef"], float(z["intercept"]), json.loads(str(z["meta"])))


def fit_encoder_member(embed: Callable[[list[str]], np.ndarray], views: Sequence[str], labels: Sequence[bool], *,
                       base_fingerprint: str | None, exclude: Sequence[str] = HELD_OUT,
                       labelled_weight: float = LABELLED_WEIGHT, c: float = C,
                       meta: dict[str, Any] | None = None) -> EncoderShortMember:
    """The member fitted on the suites (all but ``exclude``) and the given labelled texts, already in the relevance
    view; ``embed`` is the encoder's (``SentenceEncoder.embed``, or a cache in front of it)."""
    from nlp.behaviour import SUITES
    from nlp.normalize import normalize
    from nlp.short_member import training_texts
    from nlp.surface import relevance_view

    s_texts, s_labels = training_texts(SUITES, exclude=exclude)
    s_views = [relevance_view(normalize(t)) for t in s_texts]
    texts = [*s_views, *views]
    e = np.asarray(embed(texts), dtype=np.float32)
    weights = [1.0] * len(s_views) + [labelled_weight] * len(views)
    info = {"suites": sorted(n for n in SUITES if n not in exclude), "held_out": sorted(exclude),
            "suite_texts": len(s_views), "labelled_items": len(views), "labelled_weight": labelled_weight, "c": c,
            "base_fingerprint": base_fingerprint, "dim": int(e.shape[1]), **(meta or {})}
    return EncoderShortMember.fit(e, [*s_labels, *(bool(v) for v in labels)], weights, c=c, meta=info)

"""Validation figures for relevance and multi-label event types (numpy only)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["binary_prf", "evaluate_probs", "tune_thresholds"]


def binary_prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    pred = np.asarray(pred, dtype=bool)
    gold = np.asarray(gold, dtype=bool)
    tp = float(np.sum(pred & gold))
    fp = float(np.sum(pred & ~gold))
    fn = float(np.sum(~pred & gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_probs(probs: np.ndarray, relevance: Sequence[int] | np.ndarray, event_matrix: np.ndarray, *,
                   threshold: float, event_threshold: float) -> dict[str, object]:
    """Relevance P/R/F1; event-type micro P/R/F1 end to end (types count only when predicted relevant).

    ``event_matrix`` is (n, 8) 0/1 gold; gold types of negatives are empty by the guidelines.
    ``event_micro_on_gold_positive`` scores the types on gold-positive items alone (the type head by itself).
    """
    rel_gold = np.asarray(relevance, dtype=bool)
    rel_pred = probs[:, 0] >= threshold
    ev_pred = (probs[:, 1:] >= event_threshold) & rel_pred[:, None]
    ev_gold = np.asarray(event_matrix, dtype=bool)
    pos = rel_gold
    ev_pos_pred = probs[pos, 1:] >= event_threshold
    return {
        "n": int(len(rel_gold)),
        "positives": int(rel_gold.sum()),
        "relevance": binary_prf(rel_pred, rel_gold),
        "event_micro": binary_prf(ev_pred.ravel(), ev_gold.ravel()),
        "event_micro_on_gold_positive": binary_prf(ev_pos_pred.ravel(), ev_gold[pos].ravel()),
        "threshold": round(float(threshold), 3),
        "event_threshold": round(float(event_threshold), 3),
    }


def tune_thresholds(probs: np.ndarray, relevance: Sequence[int] | np.ndarray,
                    event_matrix: np.ndarray) -> tuple[float, float]:
    """Relevance threshold with the best F1, then the event threshold with the best end-to-end micro-F1."""
    grid = np.round(np.arange(0.10, 0.91, 0.02), 3)
    rel_gold = np.asarray(relevance, dtype=bool)
    best_t = max(grid, key=lambda t: (binary_prf(probs[:, 0] >= t, rel_gold)["f1"], -abs(t - 0.5)))
    ev_gold = np.asarray(event_matrix, dtype=bool).ravel()
    rel_pred = probs[:, 0] >= best_t

    def ev_f1(t: float) -> float:
        return binary_prf(((probs[:, 1:] >= t) & rel_pred[:, None]).ravel(), ev_gold)["f1"]

    best_e = max(grid, key=lambda t: (ev_f1(t), -abs(t - 0.5)))
    return float(best_t), float(best_e)

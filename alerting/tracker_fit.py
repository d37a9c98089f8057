"""Fitting the incident tracker's evidence weights on labelled pairs.

The tracker's score is a weighted sum of evidence features (:meth:`alerting.tracking.IncidentTracker.features`,
one feature per :class:`~alerting.tracking.TrackerWeights` field), and a post joins an incident when the sum
reaches ``join_threshold``. That is a logistic model's decision rule, so the weights can be fitted as one: every
(post, open incident) pair the tracker compares is an example, labelled by whether the post belongs to it.

Labelled pairs come from two places:

- **labelled streams** (JSON lines: one post's tracker signal and its incident label, in any order): each is
  replayed in arrival order with teacher forcing, so that every post meets the open incidents it would meet in
  production, built from the right posts (:meth:`IncidentTracker.observe`);
- **staff corrections** (hand merges and moves, :func:`alerting.regroup.tracking_labels`): the moved or merged post
  against the alert it left or joined, rebuilt from that alert's other posts.

The fit is an L2-regularised logistic regression. Its weights are rescaled so that the join threshold keeps its
configured value (the anonymous thresholds and margins are set on that scale) and written as a JSON file that
``alerting.tracking.weights_file`` points to. Features no example exercised keep their hand-set weight.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from alerting.tracking import IncidentProfile, IncidentTracker, PostSignal, TrackerWeights
from lwcore.errors import ConfigError

# the evidence weights a fit sets (the thresholds, floors and margins stay as configured)
FEATURES: tuple[str, ...] = (
    "firm", "firm_partial", "firm_conflict", "town", "town_conflict", "industry", "industry_conflict", "site",
    "place", "place_conflict", "person", "person_conflict", "embedding", "text", "event_type", "decay_per_day",
)
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Pair:
    """One (post, incident) comparison: its features and whether the post belongs to the incident."""

    x: dict[str, float]
    same: bool
    source: str  # "stream" | "merge" | "move"


def stream_pairs(rows: Iterable[tuple[PostSignal, str]], *, idle_days: float = 7.0) -> list[Pair]:
    """Teacher-forced replay of one labelled stream: ``(signal, incident label)`` per post."""
    tracker = IncidentTracker(idle_days=idle_days)
    out: list[Pair] = []
    for sig, label in sorted(rows, key=lambda r: (r[0].at, r[0].post_id)):
        for key, x in tracker.observe(sig, label):
            out.append(Pair(x, key == label, "stream"))
    return out


def read_stream(path: Path) -> list[tuple[PostSignal, str]]:
    """A labelled stream file: one JSON object per line, ``{"signal": PostSignal.to_json(), "incident": "..."}``."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                rows.append((PostSignal.from_json(d["signal"]), str(d["incident"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(str(path), f"line {n}", f"not a labelled signal ({type(exc).__name__}: {exc})") \
                    from None
    return rows


def correction_pairs(db: Any) -> list[Pair]:
    """Pairs from staff merges and moves: the post's stored signal against the alert's other posts."""
    from sqlalchemy import select

    from alerting.models import Alert, AlertPost
    from alerting.regroup import tracking_labels

    labels = list(tracking_labels(db))
    if not labels:
        return []
    tracker = IncidentTracker()
    out: list[Pair] = []
    with db.session() as s:
        for row in labels:
            post = s.scalars(select(AlertPost).where(AlertPost.post_id == row["post_id"],
                                                     AlertPost.signal.is_not(None))).first()
            alert = s.get(Alert, row["alert_id"])
            if post is None or alert is None:
                continue
            others = [PostSignal.from_json(r) for r in s.scalars(select(AlertPost.signal).where(
                AlertPost.alert_id == alert.id, AlertPost.post_id != row["post_id"], AlertPost.signal.is_not(None)))]
            prof = IncidentProfile.of_signals(alert.cluster_key, others)
            if prof is None:
                continue
            x, _ = tracker.features(PostSignal.from_json(post.signal), prof)
            out.append(Pair(x, bool(row["same"]), str(row["source"])))
    return out


def fit(pairs: list[Pair], *, base: TrackerWeights | None = None, c: float = 1.0) -> tuple[TrackerWeights, dict]:
    """Fitted weights (rescaled to ``base.join_threshold``) and a report of the fit."""
    base = base or TrackerWeights()
    pos = sum(p.same for p in pairs)
    if pos == 0 or pos == len(pairs):
        raise ValueError(f"cannot fit on {len(pairs)} pairs with {pos} positive: both kinds are needed")
    used = [f for f in FEATURES if any(p.x.get(f) for p in pairs)]
    X = np.array([[p.x.get(f, 0.0) for f in used] for p in pairs], dtype=np.float64)
    y = np.array([p.same for p in pairs], dtype=np.float64)
    w, b = _logistic(X, y, c=c)
    report: dict[str, Any] = {"pairs": len(pairs), "positive": pos, "features": used, "intercept": round(b, 4),
                              "sources": {s: sum(p.source == s for p in pairs) for s in {p.source for p in pairs}}}
    if b >= 0:
        raise ValueError(f"the fit joins a post with no evidence at all (intercept {b:.3f} >= 0); more negative "
                         "pairs are needed")
    scale = base.join_threshold / -b
    fitted = {f: round(float(v) * scale, 4) for f, v in zip(used, w, strict=True)}
    report["raw"] = {f: round(float(v), 4) for f, v in zip(used, w, strict=True)}
    report["scale"] = round(scale, 4)
    scores = X @ w + b
    report["train_accuracy"] = round(float(np.mean((scores >= 0) == (y == 1))), 4)
    return replace(base, **fitted), report


def _logistic(X: np.ndarray, y: np.ndarray, *, c: float, iters: int = 200) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (the intercept unpenalised) by Newton's method."""
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    reg = np.full(d + 1, 1.0 / c)
    reg[-1] = 0.0
    for _ in range(iters):
        z = np.clip(A @ theta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = A.T @ (p - y) + reg * theta
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, grad)
        theta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def write_weights(path: Path, weights: TrackerWeights, report: dict, *, inputs: list[str]) -> None:
    doc = {"format": FORMAT, "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"), "inputs": inputs,
           "weights": {f: getattr(weights, f) for f in FEATURES}, "report": report}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def load_weights(path: str | Path, base: TrackerWeights) -> TrackerWeights:
    """``base`` with the evidence weights of a fitted-weights file; a clear error naming the file and field."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(str(p), "alerting.tracking.weights_file", f"cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise ConfigError(str(p), "(file)", f"not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("weights"), dict):
        raise ConfigError(str(p), "format", f"expected a fitted-weights file of format {FORMAT}")
    known = {f.name for f in fields(TrackerWeights)}
    values: dict[str, float] = {}
    for k, v in doc["weights"].items():
        if k not in FEATURES or k not in known:
            raise ConfigError(str(p), f"weights.{k}", "unknown weight")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ConfigError(str(p), f"weights.{k}", f"must be a finite number, got {v!r}")
        values[k] = float(v)
    return replace(base, **values)


def iter_signals_with_labels(items: Iterable[Any], labels: dict[str, str]) -> Iterator[tuple[PostSignal, str]]:
    """Signals of analysed posts (``lwcore.domain.AnalyzedPost``) with their incident labels."""
    from alerting.tracking import signal_of

    for it in items:
        label = labels.get(it.post.id)
        if label:
            yield signal_of(it), label

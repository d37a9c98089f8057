"""Labelled data (``train.jsonl`` lines: id, text, labor_dispute, event_types, employers, workers, amount_yuan,
confidence). ``confidence`` is the labeller's own "high" / "low" (a close call); training gives "low" items less
weight (``LOW_CONFIDENCE_WEIGHT``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from laborwatch.domain import EVENT_TYPES
from nlp.errors import InputError

__all__ = ["LabelledItem", "load_labelled", "sample_weights", "LOW_CONFIDENCE_WEIGHT"]

# Measured in bench/nlp_results.md: 0.5 and 0.25 both lift grouped-CV relevance F1 by ~0.01 over 1.0.
LOW_CONFIDENCE_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class LabelledItem:
    id: str
    text: str
    labor_dispute: bool
    event_types: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    workers: int | None = None
    amount_yuan: float | None = None
    source: str = ""
    confidence: str = "high"


def load_labelled(path: str | Path) -> list[LabelledItem]:
    path = Path(path)
    items: list[LabelledItem] = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot open: {exc.strerror}") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                text = d.get("text") or ""
                if not isinstance(text, str):
                    raise ValueError("text must be a string")
                types = tuple(t for t in (d.get("event_types") or ()) if t in EVENT_TYPES)
                items.append(
                    LabelledItem(
                        id=str(d.get("id") or f"line{n}"),
                        text=(d.get("title") + "\n" + text) if d.get("title") else text,
                        labor_dispute=bool(d["labor_dispute"]),
                        event_types=types,
                        employers=tuple(d.get("employers") or ()),
                        workers=d.get("workers"),
                        amount_yuan=d.get("amount_yuan"),
                        source=str(d.get("source") or ""),
                        confidence=_confidence(d.get("confidence")),
                    )
                )
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise InputError(str(path), n, f"not a labelled item: {exc}") from None
    return items


def _confidence(v: object) -> str:
    if v is None:
        return "high"
    if v not in ("high", "low"):
        raise ValueError(f"confidence must be 'high' or 'low', got {v!r}")
    return str(v)


def sample_weights(items: list[LabelledItem] | tuple[LabelledItem, ...], *,
                   low: float = LOW_CONFIDENCE_WEIGHT) -> list[float]:
    """Training weight per item: 1.0, or ``low`` for a close call the labeller marked "low"."""
    return [low if i.confidence == "low" else 1.0 for i in items]

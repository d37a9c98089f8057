"""Labelled data (``train.jsonl`` lines: id, text, labor_dispute, event_types, employers, workers, amount_yuan,
confidence). ``confidence`` is the labeller's own "high" / "low" (a close call); training gives "low" items less
weight (``LOW_CONFIDENCE_WEIGHT``).

Silver labels (:func:`load_silver`): machine-read labels for texts of the shared corpora, stored as keys and labels
only (the texts stay in ``../shared/data/corpora``); training adds them to every fold's training part with a lower
weight (``SILVER_WEIGHT``) and never scores on them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from lwcore.domain import EVENT_TYPES
from lwcore.settings import REPO_ROOT
from nlp.errors import InputError

__all__ = ["LabelledItem", "load_labelled", "load_silver", "sample_weights", "LOW_CONFIDENCE_WEIGHT", "SILVER_WEIGHT",
           "DEFAULT_CORPORA"]

# Measured in bench/nlp_results.md: 0.5 and 0.25 both lift grouped-CV relevance F1 by ~0.01 over 1.0.
LOW_CONFIDENCE_WEIGHT = 0.5
# Weight of a silver item relative to a gold one (times its confidence weight); 0.3 / 0.5 / 1.0 measured in
# bench/nlp_results.md (round 5).
SILVER_WEIGHT = 0.3
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "data" / "corpora"


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


def load_silver(path: str | Path, corpora_dir: str | Path) -> list[LabelledItem]:
    """Silver items: each line ``{"key": "<file under corpora_dir>:<0-based line>", "sha": sha1(text)[:12],
    "source", "labor_dispute", "event_types", "confidence"}``; the text is read from the corpus file's line
    (its ``text`` field). A missing corpus file or line, or a text whose hash differs (the corpus changed), is an
    :class:`InputError` naming the silver file and line: silently training on other texts would be worse."""
    path, corpora = Path(path), Path(corpora_dir)
    cache: dict[str, list[str]] = {}
    items: list[LabelledItem] = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise InputError(str(path), 0, f"cannot open: {exc.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            name, _, num = str(d["key"]).rpartition(":")
            if name not in cache:
                try:
                    cache[name] = (corpora / name).read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028
                except OSError as exc:
                    raise ValueError(f"corpus file {corpora / name}: {exc.strerror}") from None
            rows = cache[name]
            if not num.isdigit() or int(num) >= len(rows):
                raise ValueError(f"{corpora / name} has no line {num}")
            text = json.loads(rows[int(num)]).get("text") or ""
            if hashlib.sha1(text.encode("utf-8")).hexdigest()[:12] != d["sha"]:
                raise ValueError(f"the text of {d['key']} differs from the one that was labelled (sha {d['sha']})")
            items.append(LabelledItem(
                id="silver:" + str(d["key"]), text=text, labor_dispute=bool(d["labor_dispute"]),
                event_types=tuple(t for t in (d.get("event_types") or ()) if t in EVENT_TYPES),
                source=str(d.get("source") or ""), confidence=_confidence(d.get("confidence"))))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(str(path), n, f"not a silver item: {exc}") from None
    return items

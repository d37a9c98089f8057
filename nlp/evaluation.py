"""Metrics of the analyzer against labelled items: relevance P/R/F1 and confusion, per-type P/R/F1 and
event micro-F1, employer mention P/R/F1, workers/amount exact match where the label states them, errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lwcore.domain import EVENT_TYPES, Analysis
from nlp.data import LabelledItem
from nlp.normalize import normalize

__all__ = ["Report", "evaluate", "prf", "mention_counts", "number_counts", "SLICES", "slice_of", "relevance_by_slice",
           "decisions_by_slice"]

#: Evaluation slices the issue asks for side by side: message-board letters, short posts, news headlines.
SHORT_POST_CHARS = 140
SLICES = ("board", "short", "headline")


def slice_of(item: LabelledItem) -> tuple[str, ...]:
    """The slices an item belongs to: ``board`` (govboard letters), ``headline`` (news headlines), ``short`` (any
    text of at most 140 characters, the size of a short Weibo post)."""
    out = []
    if item.source == "govboard":
        out.append("board")
    if item.source == "news_headline":
        out.append("headline")
    if len(item.text) <= SHORT_POST_CHARS:
        out.append("short")
    return tuple(out)


def relevance_by_slice(items: Sequence[LabelledItem], analyses: Sequence[Analysis]) -> dict[str, dict[str, float]]:
    """Relevance P/R/F1 per slice (:data:`SLICES`) plus ``all``."""
    return decisions_by_slice(items, [an.labor_dispute for an in analyses])


def decisions_by_slice(items: Sequence[LabelledItem], relevant: Sequence[bool]) -> dict[str, dict[str, float]]:
    """Relevance P/R/F1 of the decisions ``relevant`` (one per item) per slice (:data:`SLICES`) plus ``all``."""
    out: dict[str, dict[str, float]] = {}
    for name in ("all", *SLICES):
        tp = fp = fn = 0
        for it, pred in zip(items, relevant, strict=True):
            if name != "all" and name not in slice_of(it):
                continue
            tp += it.labor_dispute and pred
            fp += (not it.labor_dispute) and pred
            fn += it.labor_dispute and not pred
        out[name] = prf(tp, fp, fn)
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def mention_counts(preds: Sequence[Iterable[str]], gold: Sequence[Iterable[str]]) -> tuple[int, int, int]:
    """(tp, fp, fn) of mention sets, item by item (employers)."""
    tp = fp = fn = 0
    for p, g in zip(preds, gold, strict=True):
        ps, gs = set(p), set(g)
        tp += len(ps & gs)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return tp, fp, fn


def number_counts(preds: Sequence[float | None], gold: Sequence[float | None]) -> tuple[int, int, int, int]:
    """(exact, stated, spurious, unstated) of a number field (workers, amount): ``exact`` of the ``stated`` gold
    values found (within 0.5); ``spurious`` answers where the label states nothing, of ``unstated``."""
    ok = n = sp = nn = 0
    for p, g in zip(preds, gold, strict=True):
        if g is None:
            nn += 1
            sp += p is not None
        else:
            n += 1
            ok += p is not None and abs(float(p) - float(g)) < 0.5
    return ok, n, sp, nn


@dataclass
class Report:
    relevance: dict[str, float]
    confusion: dict[str, int]
    event_types: dict[str, dict[str, float]]
    event_micro: dict[str, float]
    employers: dict[str, float]
    workers_exact: dict[str, float]
    amount_exact: dict[str, float]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def figures(self) -> dict[str, float]:
        return {
            "relevance_f1": self.relevance["f1"],
            "relevance_precision": self.relevance["precision"],
            "relevance_recall": self.relevance["recall"],
            "event_micro_f1": self.event_micro["f1"],
            "employer_f1": self.employers["f1"],
            "workers_exact": self.workers_exact["accuracy"],
            "amount_exact": self.amount_exact["accuracy"],
        }


def evaluate(items: Sequence[LabelledItem], analyses: Sequence[Analysis], *, max_errors: int = 50) -> Report:
    tp = fp = fn = tn = 0
    per = {t: [0, 0, 0] for t in EVENT_TYPES}
    emp_pred: list[set[str]] = []
    emp_gold: list[set[str]] = []
    nums: dict[str, tuple[list[float | None], list[float | None]]] = {"workers": ([], []), "amount": ([], [])}
    errors: list[dict[str, Any]] = []
    for it, an in zip(items, analyses, strict=True):
        g, p = it.labor_dispute, an.labor_dispute
        tp += g and p
        fp += (not g) and p
        fn += g and not p
        tn += (not g) and not p
        if g != p and len(errors) < max_errors:
            errors.append({"id": it.id, "gold": g, "pred": p, "score": an.score, "text": it.text[:120]})
        gt = set(it.event_types) if g else set()
        pt = set(an.event_types) if p else set()
        for t in EVENT_TYPES:
            per[t][0] += t in gt and t in pt
            per[t][1] += t in pt and t not in gt
            per[t][2] += t in gt and t not in pt
        if g:  # entities are scored on the labelled positives (a missed item extracts nothing)
            emp_gold.append({normalize(e) for e in it.employers})
            emp_pred.append(set(an.employers) if p else set())
            for key, pv, gv in (("workers", an.workers, it.workers), ("amount", an.amount_yuan, it.amount_yuan)):
                nums[key][0].append(pv)
                nums[key][1].append(gv)
    types = {t: prf(*v) for t, v in per.items()}
    micro = prf(sum(v[0] for v in per.values()), sum(v[1] for v in per.values()), sum(v[2] for v in per.values()))
    return Report(
        relevance=prf(tp, fp, fn),
        confusion={"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        event_types=types,
        event_micro=micro,
        employers=prf(*mention_counts(emp_pred, emp_gold)),
        workers_exact=_exact(*nums["workers"]),
        amount_exact=_exact(*nums["amount"]),
        errors=errors,
    )


def _exact(preds: Sequence[float | None], gold: Sequence[float | None]) -> dict[str, float]:
    ok, n, _, _ = number_counts(preds, gold)
    return {"accuracy": round(ok / n, 4) if n else 0.0, "n": n}

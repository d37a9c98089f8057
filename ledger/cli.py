"""Sub-commands of the ledger room: ``laborwatch ledger ...`` and ``laborwatch incidents ...``.

Output is Chinese for bureau staff; ``--json`` prints machine-readable JSON for scripts. Errors end as a one-line
reason on stderr with exit code 1 (raised as :class:`ledger.LedgerError`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lwcore.domain import SHANGHAI

from .errors import ValidationError
from .opening import open_ledger as _open

if TYPE_CHECKING:
    from lwcore.settings import Settings

    from .records import Case, Incident

__all__ = ["register"]

# CLI option -> case field
_CASE_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--title", "title", "案件名称"),
    ("--company", "enterprise_name", "企业名称"),
    ("--company-id", "company_id", "统一社会信用代码"),
    ("--town", "town", "所属街镇"),
    ("--industry", "industry", "行业"),
    ("--types", "dispute_types", "争议类型，如 欠薪、社保"),
    ("--workers", "workers", "涉及人数"),
    ("--amount", "amount_yuan", "涉及金额(元)，可写 12.5万"),
    ("--level", "risk_level", "风险等级 I..IV / 一级..四级"),
    ("--unit", "responsible_unit", "责任单位"),
    ("--person", "responsible_person", "责任人"),
    ("--leader", "lead_official", "包案领导"),
    ("--plan", "plan", "化解方案及措施"),
    ("--deadline", "deadline", "化解时限 YYYY-MM-DD"),
    ("--summary", "summary", "简要情况"),
    ("--remarks", "remarks", "备注"),
)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: Any, width: int) -> str:
    s = "" if text is None else str(text).replace("\n", " ")
    while _width(s) > width:
        s = s[:-2] + "…" if len(s) > 1 else ""
    return s + " " * (width - _width(s))


def _table(headers: list[tuple[str, int]], rows: list[list[Any]]) -> None:
    print("  ".join(_cell(h, w) for h, w in headers).rstrip())
    for row in rows:
        print("  ".join(_cell(v, w) for v, (_, w) in zip(row, headers, strict=True)).rstrip())


def _fmt(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else ""


def _parse_time(text: str | None) -> datetime | None:
    """'2025-03-10 09:30' (Shanghai) or ISO 8601 with an offset."""
    if not text:
        return None
    t = text.strip()
    if re.fullmatch(r"\d{1,2}:\d{2}", t):
        raise ValidationError("--at", "give the date too, e.g. 2025-03-10 09:30")
    try:
        dt = datetime.fromisoformat(t.replace("/", "-"))
    except ValueError:
        raise ValidationError("--at", f"not a time: {text!r} (e.g. 2025-03-10 09:30)") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)


# --- ledger ---------------------------------------------------------------------------------------------


def _case_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {field: getattr(args, field) for _, field, _ in _CASE_OPTIONS if getattr(args, field) is not None}


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    f: dict[str, Any] = {}
    if args.status:
        f["status"] = args.status
    if args.town:
        f["town"] = args.town
    if args.level:
        f["risk_level"] = args.level
    if args.overdue is not None:
        f["overdue"] = args.overdue
    if args.q:
        f["q"] = args.q
    return f


def _case_line(c: Case) -> list[Any]:
    return [
        c.number,
        c.risk_label,
        c.status_label,
        c.town,
        c.enterprise_name or c.title,
        c.responsible_person,
        c.deadline.isoformat() if c.deadline else "",
        "超期" if c.overdue else "",
    ]


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    rows, total = ledger.list_cases(**_filters(args), order=args.order, page=args.page, size=args.size)
    if args.json:
        _print_json({"total": total, "page": args.page, "size": args.size, "cases": [c.to_dict() for c in rows]})
        return 0
    if not rows:
        print(f"没有符合条件的案件（共{total}件）")
        return 0
    _table(
        [
            ("编号", 14),
            ("风险", 4),
            ("状态", 6),
            ("街镇", 10),
            ("企业/案件", 30),
            ("责任人", 8),
            ("化解时限", 10),
            ("", 4),
        ],
        [_case_line(c) for c in rows],
    )
    print(f"共{total}件，第{args.page}页（每页{args.size}件）")
    return 0


def _print_case(c: Case, history: list[Any]) -> None:
    lines = [
        ("编号", c.number),
        ("案件名称", c.title),
        ("企业名称", c.enterprise_name),
        ("统一社会信用代码", c.company_id),
        ("所属街镇", c.town),
        ("行业", c.industry),
        ("争议类型", c.dispute_types_label),
        ("涉及人数", c.workers),
        ("涉及金额(元)", f"{c.amount_yuan:,.2f}" if c.amount_yuan is not None else None),
        ("风险等级", c.risk_label),
        ("责任单位", c.responsible_unit),
        ("责任人", c.responsible_person),
        ("包案领导", c.lead_official),
        ("化解方案及措施", c.plan),
        ("化解时限", (c.deadline.isoformat() + ("（已超期）" if c.overdue else "")) if c.deadline else None),
        ("当前状态", f"{c.status_label}（{c.status_changed_by}，{_fmt(c.status_changed_at)}）"),
        ("简要情况", c.summary),
        ("化解结果", c.resolution),
        ("备注", c.remarks),
        ("来源", c.source.label_zh),
        ("关联预警", "、".join(c.alert_ids)),
        ("来源链接", "\n    ".join(c.source_urls)),
        ("登记", f"{c.created_by}，{_fmt(c.created_at)}"),
        ("更新", f"{c.updated_by}，{_fmt(c.updated_at)}"),
    ]
    for label, value in lines:
        if value not in (None, ""):
            print(f"{label}：{value}")
    if history:
        print("办理记录：")
        for h in history:
            print("  " + h.describe_zh())


def _cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    case = ledger.get(args.case)
    history = ledger.history(case.id)
    if args.json:
        _print_json({**case.to_dict(), "history": [h.to_dict() for h in history]})
    else:
        _print_case(case, history)
    return 0


def _cmd_create(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    case = ledger.create_case(by=args.by, **_case_fields(args))
    if args.json:
        _print_json(case.to_dict())
    else:
        print(f"已登记案件 {case.number}（{case.status_label}）")
    return 0


def _cmd_update(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    fields = _case_fields(args)
    if not fields:
        raise ValidationError("update", "nothing to change (give at least one field option)")
    case = ledger.update(args.case, by=args.by, note=args.note, **fields)
    if args.json:
        _print_json(case.to_dict())
    else:
        print(f"已更新案件 {case.number}：{'、'.join(fields)}")
    return 0


def _cmd_transition(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    case = ledger.transition(args.case, args.status, by=args.by, note=args.note)
    if args.json:
        _print_json(case.to_dict())
    else:
        print(f"案件 {case.number} 状态已变更为：{case.status_label}")
    return 0


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    out = Path(args.output)
    fmt = args.format or ("csv" if out.suffix.lower() == ".csv" else "xlsx")
    n = (ledger.export_csv if fmt == "csv" else ledger.export_xlsx)(out, _filters(args))
    print(f"已导出{n}件案件到 {out}")
    return 0


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    ledger, _ = _open(settings)
    report = ledger.import_xlsx(args.file, by=args.by, sheet=args.sheet, partial=args.partial, dry_run=args.dry_run)
    if args.json:
        _print_json(report.to_dict())
    else:
        verb = "试导入（未写入）" if args.dry_run else ("已导入" if report.committed else "未导入")
        print(
            f"{verb} {report.file}［{report.sheet}］：数据行{report.rows}，新增{len(report.created)}，"
            f"更新{len(report.updated)}，无变化{len(report.unchanged)}，错误{len(report.errors)}"
        )
        for col in report.ignored_columns:
            print(f"  忽略列：{col}")
        for e in report.errors:
            print(f"  错误：{e}")
    if report.errors:
        what = "the other rows were imported" if report.committed else "nothing was imported"
        print(f"laborwatch: error: {len(report.errors)} problem(s) in {report.file}; {what}", file=sys.stderr)
        return 1
    return 0


# --- incidents ------------------------------------------------------------------------------------------


def _cmd_inc_list(args: argparse.Namespace, settings: Settings) -> int:
    _, incidents = _open(settings)
    rows, total = incidents.list(
        status=args.status,
        town=args.town,
        level=args.level,
        late=True if args.late else None,
        page=args.page,
        size=args.size,
    )
    if args.json:
        _print_json({"total": total, "incidents": [i.to_dict() for i in rows]})
        return 0
    if not rows:
        print("没有符合条件的突发事件")
        return 0
    _table(
        [("编号", 13), ("等级", 4), ("状态", 6), ("接报时间", 16), ("街镇", 10), ("事件", 34), ("进度", 8), ("", 12)],
        [
            [
                i.number,
                i.level.label_zh,
                i.status_label,
                _fmt(i.received_at),
                i.town,
                i.title,
                i.last_stage.label_zh,
                "超时未响应" if i.late else "",
            ]
            for i in rows
        ],
    )
    print(f"共{total}起")
    return 0


def _print_incident(i: Incident) -> None:
    print(f"编号：{i.number}")
    print(f"事件：{i.title}")
    print(f"等级：{i.level.label_zh}    状态：{i.status_label}    街镇：{i.town or ''}")
    if i.company_name:
        print(f"企业：{i.company_name}（{i.company_id or '未关联'}）")
    if i.workers is not None:
        print(f"涉及人数：{i.workers}")
    if i.case_id:
        print(f"关联台账案件：{i.case_id}")
    r = i.response
    resp = "、".join(
        f"{label}{m:g}分钟"
        for label, m in (
            ("报告上级", r.to_report),
            ("到场", r.to_on_scene),
            ("处置", r.to_handling),
            ("平息", r.to_settled),
        )
        if m is not None
    )
    print(f"响应：{resp or '尚未到场/处置'}{'（超过一小时响应要求）' if r.late else ''}")
    print("时间线：")
    for s in i.steps:
        print(f"  {_fmt(s.at)}  {s.stage.label_zh}  {s.by}  {s.note or ''}".rstrip())
    for rep in i.reports:
        print(f"报告：{_fmt(rep.at)} 报 {rep.recipient}（{rep.channel or ''}）{rep.summary or ''}  {rep.by}")
    for d in i.dispatches:
        print(f"派员：{_fmt(d.at)} {'、'.join(d.people)}（{d.unit or ''}）{d.note or ''}  {d.by}")
    if i.alert_ids:
        print(f"关联预警：{'、'.join(i.alert_ids)}")


def _cmd_inc_show(args: argparse.Namespace, settings: Settings) -> int:
    _, incidents = _open(settings)
    inc = incidents.get(args.incident)
    if args.json:
        _print_json({**inc.to_dict(), "history": [h.to_dict() for h in incidents.history(inc.id)]})
    else:
        _print_incident(inc)
    return 0


def _cmd_inc_open(args: argparse.Namespace, settings: Settings) -> int:
    _, incidents = _open(settings)
    inc = incidents.open(
        title=args.title,
        level=args.level,
        by=args.by,
        town=args.town,
        company_name=args.company,
        workers=args.workers,
        location=args.location,
        summary=args.summary,
        received_at=_parse_time(args.at),
        note=args.note,
    )
    if args.json:
        _print_json(inc.to_dict())
    else:
        print(f"已登记突发事件 {inc.number}，接报时间 {_fmt(inc.received_at)}")
    return 0


def _cmd_inc_update(args: argparse.Namespace, settings: Settings) -> int:
    _, incidents = _open(settings)
    at = _parse_time(args.at)
    done: list[str] = []
    fields = {
        k: v
        for k, v in (
            ("title", args.title),
            ("level", args.level),
            ("workers", args.workers),
            ("summary", args.summary),
            ("location", args.location),
        )
        if v is not None
    }
    if fields:
        incidents.update(args.incident, by=args.by, note=args.note if not args.step else None, **fields)
        done.append("修改 " + "、".join(fields))
    if args.dispatch:
        people = [p for p in re.split(r"[,，、\s]+", args.dispatch) if p]
        incidents.dispatch(args.incident, people=people, unit=args.unit, by=args.by, at=at)
        done.append("派员 " + "、".join(people))
    if args.report_to:
        incidents.record_report(
            args.incident,
            recipient=args.report_to,
            channel=args.channel,
            summary=args.report_summary,
            by=args.by,
            at=at,
        )
        done.append(f"报告 {args.report_to}")
    if args.step:
        incidents.add_step(args.incident, args.step, by=args.by, note=args.note, at=at)
        done.append(f"节点 {args.step}")
    if args.link_case:
        incidents.link_case(args.incident, args.link_case, by=args.by)
        done.append(f"关联台账 {args.link_case}")
    if not done:
        raise ValidationError("update", "nothing to do (give --step, --report-to, --dispatch, --link-case or a field)")
    inc = incidents.get(args.incident)
    if args.json:
        _print_json(inc.to_dict())
    else:
        print(f"突发事件 {inc.number}：{'；'.join(done)}")
    return 0


# --- parsers --------------------------------------------------------------------------------------------


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", action="append", help="状态（可重复）：待核实 核实中 化解中 已化解 不属实")
    p.add_argument("--town", help="所属街镇")
    p.add_argument("--level", action="append", help="风险等级（可重复）：I..IV 或 一级..四级")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--overdue", dest="overdue", action="store_const", const=True, help="只看超期案件")
    g.add_argument("--not-overdue", dest="overdue", action="store_const", const=False, help="只看未超期案件")
    p.add_argument("-q", "--query", dest="q", help="关键词（编号、企业、标题、责任人、方案）")


def _add_case_fields(p: argparse.ArgumentParser, *, title_required: bool) -> None:
    for opt, field, help_text in _CASE_OPTIONS:
        p.add_argument(opt, dest=field, help=help_text, required=title_required and field == "title")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ledger`` and ``incidents`` to the ``laborwatch`` parser."""
    p = sub.add_parser("ledger", help="dispute ledger (台账): cases, workflow, Excel export/import")
    lsub = p.add_subparsers(dest="ledger_command", metavar="SUBCOMMAND", required=True)

    c = lsub.add_parser("list", help="list cases (filters, paging)")
    _add_filters(c)
    c.add_argument(
        "--order", default="-created_at", help="created_at, updated_at, deadline, risk_level, number; - = desc"
    )
    c.add_argument("--page", type=int, default=1)
    c.add_argument("--size", type=int, default=50)
    c.add_argument("--json", action="store_true", help="JSON output for scripts")
    c.set_defaults(handler=_cmd_list)

    c = lsub.add_parser("show", help="one case with its history")
    c.add_argument("case", help="case id or 编号")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_show)

    c = lsub.add_parser("create", help="register a case by hand")
    _add_case_fields(c, title_required=True)
    c.add_argument("--by", required=True, help="who registers it")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_create)

    c = lsub.add_parser("update", help="change fields of a case (recorded in its history)")
    c.add_argument("case", help="case id or 编号")
    _add_case_fields(c, title_required=False)
    c.add_argument("--by", required=True)
    c.add_argument("--note", help="why")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_update)

    c = lsub.add_parser("transition", help="move a case along 待核实 -> 核实中 -> 化解中 -> 已化解 / 不属实")
    c.add_argument("case", help="case id or 编号")
    c.add_argument("status", help="target status, e.g. 核实中")
    c.add_argument("--by", required=True)
    c.add_argument("--note", help="required for 已化解 / 不属实 and for reopening")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_transition)

    c = lsub.add_parser("export", help="export the ledger to .xlsx or .csv")
    c.add_argument("--output", "-o", required=True, help="file to write (.xlsx or .csv)")
    c.add_argument("--format", choices=("xlsx", "csv"), help="default: from the file suffix")
    _add_filters(c)
    c.set_defaults(handler=_cmd_export)

    c = lsub.add_parser("import", help="import an existing ledger from .xlsx")
    c.add_argument("file")
    c.add_argument("--by", required=True)
    c.add_argument("--sheet", help="sheet name (default: the first with a ledger header)")
    c.add_argument("--partial", action="store_true", help="import the good rows even when some rows have errors")
    c.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_import)

    from .casework_cli import register_casework

    register_casework(lsub)  # refer, referral-reply, referrals, fund

    p = sub.add_parser("incidents", help="group incidents (突发事件): timeline, reports, dispatches")
    isub = p.add_subparsers(dest="incidents_command", metavar="SUBCOMMAND", required=True)

    c = isub.add_parser("list", help="list incidents")
    c.add_argument("--status", help="处置中 / 已平息 (open / settled)")
    c.add_argument("--town")
    c.add_argument("--level")
    c.add_argument("--late", action="store_true", help="only those that missed the within-the-hour response")
    c.add_argument("--page", type=int, default=1)
    c.add_argument("--size", type=int, default=50)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_inc_list)

    c = isub.add_parser("show", help="one incident with its timeline")
    c.add_argument("incident", help="incident id or 编号")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_inc_show)

    c = isub.add_parser("open", help="register an incident by hand (e.g. reported by phone)")
    c.add_argument("--title", required=True)
    c.add_argument("--level", required=True, help="I..IV")
    c.add_argument("--by", required=True)
    c.add_argument("--town")
    c.add_argument("--company")
    c.add_argument("--workers")
    c.add_argument("--location")
    c.add_argument("--summary")
    c.add_argument("--at", help="接报 time, e.g. '2025-03-10 09:30' (default: now)")
    c.add_argument("--note")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_inc_open)

    c = isub.add_parser("update", help="add a timeline step, a report, a dispatch, a case link, or change fields")
    c.add_argument("incident", help="incident id or 编号")
    c.add_argument("--by", required=True)
    c.add_argument("--step", help="报告上级 / 到场 / 处置 / 平息")
    c.add_argument("--at", help="when it happened, e.g. '2025-03-10 09:30' (default: now)")
    c.add_argument("--note")
    c.add_argument("--report-to", help="report sent to (e.g. 区政府总值班室)")
    c.add_argument("--channel", help="report channel (电话, 书面, 短信...)")
    c.add_argument("--report-summary")
    c.add_argument("--dispatch", help="people sent, separated by 、 or commas")
    c.add_argument("--unit", help="unit of the people sent")
    c.add_argument("--link-case", help="ledger case id or 编号")
    c.add_argument("--title")
    c.add_argument("--level")
    c.add_argument("--workers")
    c.add_argument("--summary")
    c.add_argument("--location")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_inc_update)

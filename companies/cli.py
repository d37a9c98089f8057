"""Sub-commands of the companies room: ``laborwatch companies ...``.

Output is Chinese for bureau staff; ``--json`` prints JSON for scripts. Errors end as a one-line reason on stderr
with exit code 1 (raised as :class:`companies.CompaniesError`). A firm is given by its credit code, its name or an
alias.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CompaniesError, ValidationError

if TYPE_CHECKING:
    from lwcore.settings import Settings

    from .registry import Registry
    from .supervision import SupervisionList

__all__ = ["register", "TownNames"]

#: The district's town names from settings, or None where they cannot be read (injected by the shell).
TownNames = Callable[["Settings"], set[str] | None]


def _open(settings: Settings) -> tuple[Registry, SupervisionList]:
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from lwcore.db import Database

    from .registry import Registry
    from .supervision import SupervisionList

    db = Database.from_settings(settings)
    try:
        db.upgrade()
    except (CommandError, SQLAlchemyError) as exc:
        raise CompaniesError(f"database {db.engine.url.render_as_string(hide_password=True)}: {exc}") from exc
    return Registry(db), SupervisionList(db)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _date(field: str, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(field, f"not a date: {text!r} (e.g. 2026-11-03)") from None


def _rdate(field: str, text: str) -> date:
    value = _date(field, text)
    if value is None:
        raise ValidationError(field, "empty")
    return value


def _resolve(registry: Registry, text: str) -> str:
    """The credit code of the one firm ``text`` names (code, exact name or alias)."""
    found = registry.find(text)
    exact = [c for c in found if text.strip() in (c.credit_code, c.name, *c.aliases)]
    if len(exact) == 1:
        return exact[0].credit_code
    if not found:
        raise ValidationError("company", f"no registry company matches {text!r}")
    names = "、".join(f"{c.name}({c.credit_code})" for c in (exact or found)[:5])
    raise ValidationError("company", f"{text!r} matches several companies: {names}; give the credit code")


# --- registry ----------------------------------------------------------------------------------------------


def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    registry, _ = _open(settings)
    report = registry.import_file(Path(args.file), actor=args.by, skip_invalid=args.skip_invalid)
    if args.json:
        _print_json(dataclasses.asdict(report))
        return 0
    print(f"已导入 {report.file}：{report.rows} 行，{report.companies} 家企业"
          f"（新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}）；"
          f"合并重复行 {report.merged_rows}，新增别名 {report.aliases_added}。")
    if report.test_codes:
        print(f"其中 {report.test_codes} 家使用测试代码（TEST 开头），未做校验位检查。")
    if report.problems:
        print(f"跳过有误的 {report.skipped_rows} 行：")
        for p in report.problems:
            print(f"  第 {p.row} 行 {p.field}：{p.reason}")
    return 0


def _cmd_find(args: argparse.Namespace, settings: Settings) -> int:
    registry, _ = _open(settings)
    found = registry.find(args.query)
    if args.json:
        _print_json([dataclasses.asdict(c) for c in found])
        return 0
    if not found:
        print("未找到匹配的企业。")
    for c in found:
        print(f"{c.credit_code}  {c.name}  {c.town or ''}  别名：{'、'.join(c.aliases) or '无'}"
              + ("  [重点监管]" if c.key_supervision else ""))
    return 0


def _cmd_mentions(args: argparse.Namespace, settings: Settings) -> int:
    from .mentions import unlinked_mentions

    registry, _ = _open(settings)
    rows = unlinked_mentions(registry.db)
    if args.json:
        _print_json([dataclasses.asdict(m) for m in rows])
        return 0
    if not rows:
        print("没有未关联的企业名称。")
    for m in rows:
        print(f"{m.name}  预警 {m.alerts} 条  最近 {m.last_seen:%Y-%m-%d}")
    return 0


def _cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    from .mentions import add_company_from_mention, link_mention

    registry, _ = _open(settings)
    if args.new_code:
        c = add_company_from_mention(registry.db, args.mention, credit_code=args.new_code,
                                     name=args.name or args.mention, town=args.town, industry=args.industry,
                                     actor=args.by)
        print(f"已新增企业 {c.name}({c.credit_code})，别名：{'、'.join(c.aliases) or '无'}")
    else:
        if not args.company:
            raise ValidationError("company", "give --company (existing firm) or --new-code (add to the registry)")
        c = link_mention(registry.db, args.mention, _resolve(registry, args.company), actor=args.by)
        print(f"已将“{args.mention}”关联到 {c.name}({c.credit_code})")
    return 0


def _cmd_export_csv(args: argparse.Namespace, settings: Settings) -> int:
    from .mentions import export_registry_csv

    registry, _ = _open(settings)
    town_names = getattr(args, "town_names", None)  # injected by the shell: the nlp room's regions.yaml towns
    towns: set[str] | None = town_names(settings) if town_names is not None else None
    out = Path(args.output)
    export_registry_csv(registry.db, out, known_towns=towns)
    print(f"已导出企业名录（含别名）：{out}；语义分析在重新加载后使用新名录。")
    return 0


def _cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    registry, _ = _open(settings)
    c = registry.set_operating_status(_resolve(registry, args.company), args.status, actor=args.by)
    print(f"{c.name}({c.credit_code}) 经营状态：{c.operating_label}")
    return 0


def _cmd_followup(args: argparse.Namespace, settings: Settings) -> int:
    from .followup import negative_coverage_followups

    registry, _ = _open(settings)
    rows = negative_coverage_followups(registry.db, today=_date("--today", args.today), stale_days=args.stale_days)
    if args.json:
        _print_json([{**dataclasses.asdict(f), "state_label": f.state_label} for f in rows])
        return 0
    pending = sum(1 for f in rows if f.state == "needs_followup")
    print(f"有负面舆情且仍在经营的企业 {len(rows)} 家，其中待跟进 {pending} 家。")
    for f in rows:
        print(f"[{f.state_label}]  {f.name}({f.credit_code})  {f.town or ''}"
              f"  案件 {f.cases} 件（未办结 {f.open_cases}）  最近案件 {f.last_case_on}"
              f"  最近走访 {f.last_visit or '无'}")
    return 1 if args.fail_on_pending and pending else 0


# --- supervision list --------------------------------------------------------------------------------------


def _entry_json(e: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(e), "ground_label": e.ground_label, "status_label": e.status_label}


def _print_entries(entries: list[Any]) -> None:
    if not entries:
        print("名单为空。")
    for e in entries:
        dates = f"{e.listed_on or ''}至{e.delisted_on or '今'}" if e.listed_on else "—"
        print(f"#{e.id}  [{e.status_label}]  {e.company_name}({e.credit_code})  风险{e.risk_level}  "
              f"{e.ground_label}  责任人：{e.person_in_charge or '未定'}  {dates}"
              + ("  [重点区域/行业]" if e.key_area else ""))
        print(f"      事由：{e.reason}")


def _cmd_sv_list(args: argparse.Namespace, settings: Settings) -> int:
    _, sv = _open(settings)
    entries = sv.entries(status=args.status)
    if args.json:
        _print_json([_entry_json(e) for e in entries])
    else:
        _print_entries(entries)
    return 0


def _cmd_sv_add(args: argparse.Namespace, settings: Settings) -> int:
    registry, sv = _open(settings)
    e = sv.add(_resolve(registry, args.company), ground=args.ground, reason=args.reason, risk_level=args.level,
               actor=args.by, person_in_charge=args.person, key_area=args.key_area,
               listed_on=_date("--since", args.since))
    print(f"已列入重点监管服务名单：#{e.id} {e.company_name}")
    return 0


def _cmd_sv_propose(args: argparse.Namespace, settings: Settings) -> int:
    from .config import FILE_NAME, load_supervision_config

    _, sv = _open(settings)
    config = load_supervision_config(settings.config_file(FILE_NAME))
    made = sv.propose_from_evidence(config.proposal, actor=args.by)
    if args.json:
        _print_json([_entry_json(e) for e in made])
        return 0
    print(f"根据预警和台账新提出 {len(made)} 家企业，待确认：")
    _print_entries(made)
    return 0


def _cmd_sv_confirm(args: argparse.Namespace, settings: Settings) -> int:
    _, sv = _open(settings)
    e = sv.confirm(args.id, actor=args.by, person_in_charge=args.person, risk_level=args.level,
                   key_area=True if args.key_area else None, listed_on=_date("--since", args.since))
    print(f"已确认列入：#{e.id} {e.company_name}")
    return 0


def _cmd_sv_reject(args: argparse.Namespace, settings: Settings) -> int:
    _, sv = _open(settings)
    e = sv.reject(args.id, actor=args.by, reason=args.reason)
    print(f"未采纳：#{e.id} {e.company_name}")
    return 0


def _cmd_sv_delist(args: argparse.Namespace, settings: Settings) -> int:
    _, sv = _open(settings)
    e = sv.delist(args.id, actor=args.by, reason=args.reason, delisted_on=_date("--on", args.on))
    print(f"已移出名单：#{e.id} {e.company_name}（{e.delisted_on}）")
    return 0


def _cmd_sv_export(args: argparse.Namespace, settings: Settings) -> int:
    from .excel import export_supervision_xlsx

    _, sv = _open(settings)
    out = Path(args.output)
    out.write_bytes(export_supervision_xlsx(sv, status=args.status))
    print(f"已导出重点监管服务名单：{out}")
    return 0


def _cmd_sv_import(args: argparse.Namespace, settings: Settings) -> int:
    from .excel import import_supervision

    _, sv = _open(settings)
    n = import_supervision(sv, Path(args.file), actor=args.by)
    print(f"已从 {args.file} 列入 {n} 家企业。")
    return 0


# --- visits ------------------------------------------------------------------------------------------------


def _cmd_visit_add(args: argparse.Namespace, settings: Settings) -> int:
    registry, sv = _open(settings)
    visited_on = _rdate("--date", args.date)
    v = sv.record_visit(_resolve(registry, args.company), visited_on=visited_on, visitor=args.visitor,
                        findings=args.findings, next_step=args.next_step, actor=args.by)
    print(f"已登记走访 #{v.id}：{v.credit_code} {v.visited_on}")
    return 0


def _cmd_visit_list(args: argparse.Namespace, settings: Settings) -> int:
    registry, sv = _open(settings)
    visits = sv.visits(_resolve(registry, args.company) if args.company else None)
    if args.json:
        _print_json([dataclasses.asdict(v) for v in visits])
        return 0
    if not visits:
        print("没有走访记录。")
    for v in visits:
        print(f"#{v.id}  {v.visited_on}  {v.credit_code}  走访人：{v.visitor}  情况：{v.findings}"
              + (f"  下一步：{v.next_step}" if v.next_step else ""))
    return 0


def _cmd_visit_due(args: argparse.Namespace, settings: Settings) -> int:
    from .config import FILE_NAME, load_supervision_config

    _, sv = _open(settings)
    config = load_supervision_config(settings.config_file(FILE_NAME))
    due = sv.visits_due(config.periods, today=_date("--today", args.today))
    if args.json:
        _print_json([dataclasses.asdict(d) for d in due])
        return 0
    if not config.periods:
        print(f"{FILE_NAME} 未配置走访期间（visit_periods），无每周走访要求。")
        return 0
    overdue = [d for d in due if d.overdue]
    print(f"逾期未走访 {len(overdue)} 周次；本周待走访 {len(due) - len(overdue)} 家。")
    for d in due:
        state = "逾期" if d.overdue else "本周待走访"
        print(f"[{state}]  {d.company_name}({d.credit_code})  {d.week_start}至{d.week_end}  {d.period}  "
              f"责任人：{d.person_in_charge or '未定'}  上次走访：{d.last_visit or '无'}")
    return 1 if args.fail_on_overdue and overdue else 0


# --- wage-arrears blacklist -------------------------------------------------------------------------------


def _blacklist(settings: Settings) -> Any:
    from .blacklist import Blacklist

    registry, sv = _open(settings)
    return registry, Blacklist(sv.db)


def _bl_print(b: Any) -> None:
    amount = f"{b.amount_yuan}元" if b.amount_yuan is not None else "金额未填"
    print(f"#{b.id}  [{b.status_label}]  {b.company_name}({b.credit_code})  {b.decision_no}  {b.decided_on}  "
          f"{amount}  公示：{b.published_on or '未公示'}  推送：{b.pushed_on or '未推送'}"
          + (f"（{b.pushed_to}）" if b.pushed_to else "")
          + (f"  信用修复：{b.repair_label}" if b.repair_outcome else ""))


def _cmd_bl_list(args: argparse.Namespace, settings: Settings) -> int:
    _, bl = _blacklist(settings)
    entries = bl.entries(status=args.status)
    if args.json:
        _print_json([{**dataclasses.asdict(b), "status_label": b.status_label} for b in entries])
        return 0
    if not entries:
        print("名单为空。")
    for b in entries:
        _bl_print(b)
    return 0


def _cmd_bl_add(args: argparse.Namespace, settings: Settings) -> int:
    registry, bl = _blacklist(settings)
    decided_on = _rdate("--decided-on", args.decided_on)
    b = bl.add(_resolve(registry, args.company), decision_no=args.decision_no, decided_on=decided_on,
               reason=args.reason, amount_yuan=args.amount, workers=args.workers,
               arrears_from=_date("--from", args.arrears_from), arrears_to=_date("--to", args.arrears_to),
               actor=args.by)
    print("已列入拖欠农民工工资失信联合惩戒名单：")
    _bl_print(b)
    return 0


def _cmd_bl_publish(args: argparse.Namespace, settings: Settings) -> int:
    _, bl = _blacklist(settings)
    _bl_print(bl.publish(args.id, published_on=_rdate("--on", args.on), actor=args.by))
    return 0


def _cmd_bl_push(args: argparse.Namespace, settings: Settings) -> int:
    _, bl = _blacklist(settings)
    _bl_print(bl.push(args.id, pushed_on=_rdate("--on", args.on), departments=args.to, actor=args.by))
    return 0


def _cmd_bl_repair_apply(args: argparse.Namespace, settings: Settings) -> int:
    _, bl = _blacklist(settings)
    _bl_print(bl.apply_repair(args.id, applied_on=_rdate("--on", args.on), note=args.note, actor=args.by))
    return 0


def _cmd_bl_repair_decide(args: argparse.Namespace, settings: Settings) -> int:
    _, bl = _blacklist(settings)
    _bl_print(bl.decide_repair(args.id, approved=args.outcome == "approve", decided_on=_rdate("--on", args.on),
                               note=args.note, actor=args.by))
    return 0


def _cmd_bl_export(args: argparse.Namespace, settings: Settings) -> int:
    from .blacklist_excel import export_blacklist_xlsx

    _, bl = _blacklist(settings)
    out = Path(args.output)
    out.write_bytes(export_blacklist_xlsx(bl, status=args.status))
    print(f"已导出拖欠农民工工资失信联合惩戒名单：{out}")
    return 0


def _cmd_bl_import(args: argparse.Namespace, settings: Settings) -> int:
    from .blacklist_excel import import_blacklist

    _, bl = _blacklist(settings)
    n = import_blacklist(bl, Path(args.file), actor=args.by)
    print(f"已从 {args.file} 录入 {n} 条失信联合惩戒决定。")
    return 0


def register(sub: argparse._SubParsersAction, *, town_names: TownNames | None = None) -> None:
    """Add ``companies`` to the ``laborwatch`` parser. ``town_names(settings)``: the district's towns (None when
    regions.yaml is unusable), passed by the shell so that ``export-csv`` can check each firm's town."""
    from .supervision import GROUNDS, LEVELS, STATUS_LABELS

    p = sub.add_parser("companies", help="company registry, key supervision list (重点监管服务名单), visits")
    csub = p.add_subparsers(dest="companies_command", metavar="SUBCOMMAND", required=True)

    c = csub.add_parser("import", help="import a registry .csv or .xlsx (credit codes checked, duplicates merged)")
    c.add_argument("file", help="registry file with a header row: "
                   "统一社会信用代码, 企业名称, 别名, 所属街镇, 行业, 重点监管")
    c.add_argument("--skip-invalid", action="store_true", help="import the valid rows and list the others")
    c.add_argument("--by", default="cli", help="who imports (recorded in the history)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_import)

    c = csub.add_parser("find", help="find a company by credit code, name or alias")
    c.add_argument("query")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_find)

    c = csub.add_parser("mentions", help="employer names of alerts not found in the registry, most alerts first")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_mentions)

    c = csub.add_parser("link", help="link an employer mention to a registry firm, or add the firm")
    c.add_argument("mention")
    c.add_argument("--company", help="the registry firm (credit code, name or alias)")
    c.add_argument("--new-code", help="add a new firm with this credit code instead")
    c.add_argument("--name", help="the new firm's registered name (default: the mention)")
    c.add_argument("--town")
    c.add_argument("--industry")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_link)

    c = csub.add_parser("export-csv", help="write the registry in the NLP linker's companies.csv format")
    c.add_argument("--output", required=True, help="e.g. configs/companies.csv")
    c.set_defaults(handler=_cmd_export_csv, town_names=town_names)

    c = csub.add_parser("status", help="record a firm's operating status (在营/停业/注销/迁出)")
    c.add_argument("company")
    c.add_argument("status", help="operating|suspended|closed|moved or 在营/停业/注销/迁出")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_status)

    c = csub.add_parser("followup", help="firms with verified negative coverage that still operate, and their "
                                         "follow-up state")
    c.add_argument("--today", help="YYYY-MM-DD (default today in Shanghai)")
    c.add_argument("--stale-days", type=int, default=30, help="a visit within this many days counts as followed")
    c.add_argument("--fail-on-pending", action="store_true", help="exit 1 when a firm needs follow-up")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_followup)

    sv = csub.add_parser("supervision", help="key supervision and service list (重点监管服务名单)")
    ssub = sv.add_subparsers(dest="supervision_command", metavar="ACTION", required=True)
    c = ssub.add_parser("list", help="entries, newest first")
    c.add_argument("--status", choices=list(STATUS_LABELS))
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_sv_list)

    c = ssub.add_parser("add", help="list a firm (active at once)")
    c.add_argument("company", help="credit code, name or alias")
    c.add_argument("--ground", required=True, choices=list(GROUNDS),
                   help="; ".join(f"{k}={v}" for k, v in GROUNDS.items()))
    c.add_argument("--reason", required=True, help="事由")
    c.add_argument("--level", required=True, choices=list(LEVELS), help="风险等级 (I highest)")
    c.add_argument("--person", help="责任人")
    c.add_argument("--key-area", action="store_true", help="重点区域/行业: weekly visits during visit periods")
    c.add_argument("--since", help="列入日期 YYYY-MM-DD (default today)")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_sv_add)

    c = ssub.add_parser("propose", help="propose firms from repeated alerts and ledger cases (supervision.yaml)")
    c.add_argument("--by", default="system")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_sv_propose)

    c = ssub.add_parser("confirm", help="confirm a proposed entry")
    c.add_argument("id", type=int)
    c.add_argument("--person", help="责任人")
    c.add_argument("--level", choices=list(LEVELS))
    c.add_argument("--key-area", action="store_true")
    c.add_argument("--since", help="列入日期 YYYY-MM-DD (default today)")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_sv_confirm)

    c = ssub.add_parser("reject", help="reject a proposed entry")
    c.add_argument("id", type=int)
    c.add_argument("--reason", required=True)
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_sv_reject)

    c = ssub.add_parser("delist", help="take a firm off the list")
    c.add_argument("id", type=int)
    c.add_argument("--reason", required=True)
    c.add_argument("--on", help="移出日期 YYYY-MM-DD (default today)")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_sv_delist)

    bl = csub.add_parser("blacklist", help="wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单)")
    bsub = bl.add_subparsers(dest="blacklist_command", metavar="ACTION", required=True)
    c = bsub.add_parser("list", help="entries, newest decision first")
    c.add_argument("--status", choices=["listed", "repaired"])
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_bl_list)
    c = bsub.add_parser("add", help="record a listing decision")
    c.add_argument("company", help="credit code, name or alias")
    c.add_argument("--decision-no", required=True, help="决定文书号")
    c.add_argument("--decided-on", required=True, help="决定日期 YYYY-MM-DD")
    c.add_argument("--reason", required=True, help="列入事由")
    c.add_argument("--amount", help="拖欠金额(元)")
    c.add_argument("--workers", type=int, help="涉及人数")
    c.add_argument("--from", dest="arrears_from", help="拖欠起始日期")
    c.add_argument("--to", dest="arrears_to", help="拖欠截止日期")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_bl_add)
    c = bsub.add_parser("export", help="write the list to an .xlsx file (Chinese headers)")
    c.add_argument("--output", required=True, help="FILE.xlsx")
    c.add_argument("--status", choices=["listed", "repaired"])
    c.set_defaults(handler=_cmd_bl_export)
    c = bsub.add_parser("import", help="record the decisions of an .xlsx/.csv with the export's headers "
                                       "(all rows or none)")
    c.add_argument("file")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_bl_import)
    for name, handler, help_text in (("publish", _cmd_bl_publish, "record the publication date (公示)"),
                                     ("push", _cmd_bl_push, "record the push to other departments (推送)"),
                                     ("repair-apply", _cmd_bl_repair_apply, "a credit-repair application"),
                                     ("repair-decide", _cmd_bl_repair_decide, "approve or refuse credit repair")):
        c = bsub.add_parser(name, help=help_text)
        c.add_argument("id", type=int)
        c.add_argument("--on", required=True, help="日期 YYYY-MM-DD")
        if name == "push":
            c.add_argument("--to", required=True, help="推送部门，如 市场监管局、税务局")
        if name.startswith("repair"):
            c.add_argument("--note", required=name == "repair-decide", help="说明")
        if name == "repair-decide":
            c.add_argument("--outcome", required=True, choices=["approve", "refuse"])
        c.add_argument("--by", required=True)
        c.set_defaults(handler=handler)

    c = ssub.add_parser("export", help="write the list to an .xlsx file (Chinese headers)")
    c.add_argument("--output", required=True, help="FILE.xlsx")
    c.add_argument("--status", choices=list(STATUS_LABELS))
    c.set_defaults(handler=_cmd_sv_export)

    c = ssub.add_parser("import", help="list the firms of an .xlsx/.csv with the export's headers (all rows or none)")
    c.add_argument("file")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_sv_import)

    vv = csub.add_parser("visits", help="guidance visits (指导走访)")
    vsub = vv.add_subparsers(dest="visits_command", metavar="ACTION", required=True)
    c = vsub.add_parser("add", help="record a visit")
    c.add_argument("company", help="credit code, name or alias")
    c.add_argument("--date", required=True, help="走访日期 YYYY-MM-DD")
    c.add_argument("--visitor", required=True, help="走访人")
    c.add_argument("--findings", required=True, help="走访情况")
    c.add_argument("--next-step", help="下一步措施")
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_visit_add)

    c = vsub.add_parser("list", help="visits, newest first")
    c.add_argument("company", nargs="?")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_visit_list)

    c = vsub.add_parser("due", help="weeks without the required visit (supervision.yaml visit_periods)")
    c.add_argument("--today", help="YYYY-MM-DD (default today in Shanghai)")
    c.add_argument("--fail-on-overdue", action="store_true", help="exit 1 when a visit is overdue")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_visit_due)

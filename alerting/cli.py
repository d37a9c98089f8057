"""Sub-commands of the alerting room: ``alerts list | show | ack | silence | unsilence | tick`` and
``roster show --at TIME``. Imports of the library happen inside the handlers (``laborwatch --help`` stays fast)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lwcore.settings import Settings

__all__ = ["register", "parse_when", "parse_duration"]


def parse_duration(text: str) -> timedelta:
    """'90m', '2h', '3d', '1h30m'."""
    m = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?", text.strip())
    if not m or not any(m.groups()):
        from alerting.errors import AlertingError

        raise AlertingError(f"invalid duration {text!r} (use e.g. 30m, 2h, 3d, 1h30m)")
    d, h, mi = (int(x or 0) for x in m.groups())
    return timedelta(days=d, hours=h, minutes=mi)


def parse_when(text: str | None) -> datetime:
    """An ISO time; without a zone it is Asia/Shanghai. None or 'now': now."""
    from lwcore.domain import SHANGHAI

    if not text or text == "now":
        return datetime.now(SHANGHAI)
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        from alerting.errors import AlertingError

        raise AlertingError(f"invalid time {text!r} (use e.g. 2025-11-05T09:30 or '2025-11-05 21:00')") from None
    return t if t.tzinfo else t.replace(tzinfo=SHANGHAI)


def _db(settings: Settings):  # type: ignore[no-untyped-def]
    from lwcore.db import Database

    db = Database.from_settings(settings)
    db.upgrade()
    return db


def _fmt(t: datetime | None) -> str:
    from alerting.render import fmt_time

    return fmt_time(t) if t else "-"


def _cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.queries import list_alerts

    since = parse_when(args.since) if args.since else None
    rows, total = list_alerts(
        _db(settings), status=args.status, level=args.level, since=since, town=args.town, limit=args.limit
    )
    if args.json:
        print(json.dumps([_alert_dict(a) for a in rows], ensure_ascii=False, indent=1))
        return 0
    print(f"{'编号':>5} 等级 {'状态':<12} {'信息数':>4} {'更新时间':<16} 标题")
    for a in rows:
        status = a.status + ("/静默" if a.silenced else "")
        print(f"{a.id:>5} {a.level:<4} {status:<12} {a.post_count:>6} {_fmt(a.updated_at):<16} {a.title}")
    print(f"共 {total} 条（显示 {len(rows)} 条）")
    return 0


def _alert_dict(a: Any) -> dict[str, Any]:
    keys = (
        "id",
        "cluster_key",
        "level",
        "status",
        "silenced",
        "title",
        "company_id",
        "company_name",
        "company_registered",
        "town",
        "industry",
        "event_types",
        "rules",
        "reasons",
        "post_count",
        "workers",
        "amount_yuan",
        "unit",
        "escalation_step",
        "acked_by",
        "acked_via",
        "incident_state",
        "incident_ref",
    )
    d = {k: getattr(a, k) for k in keys}
    for k in ("created_at", "updated_at", "first_seen", "last_seen", "ack_deadline", "acked_at", "notified_at"):
        v = getattr(a, k)
        d[k] = v.isoformat() if v else None
    return d


def _cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.queries import get_alert

    info = get_alert(_db(settings), args.id)
    a = info["alert"]
    if args.json:
        out = _alert_dict(a)
        out["posts"] = [{"post_id": p.post_id, "url": p.url, "title": p.title} for p in info["posts"]]
        out["events"] = [
            {"at": e.at.isoformat(), "kind": e.kind, "actor": e.actor, "detail": e.detail} for e in info["events"]
        ]
        out["messages"] = [
            {
                "id": m.id,
                "channel": m.channel,
                "recipient": m.recipient,
                "status": m.status,
                "attempts": m.attempts,
                "last_error": m.last_error,
            }
            for m in info["messages"]
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"预警 #{a.id}  {a.level}级  {a.status}{'（已静默）' if a.silenced else ''}")
    print(f"标题：{a.title}")
    print(
        f"企业：{a.company_name or '-'}（{a.company_id or '未匹配名录'}）"
        f"  街镇：{a.town or '-'}  行业：{a.industry or '-'}"
    )
    print(f"归口单位：{a.unit or '-'}  信息数：{a.post_count}  人数：{a.workers or '-'}  金额：{a.amount_yuan or '-'}")
    print(f"首次发现：{_fmt(a.first_seen)}  最近：{_fmt(a.last_seen)}  确认时限：{_fmt(a.ack_deadline)}")
    if a.acked_at:
        print(f"已确认：{a.acked_by}（{a.acked_via}，{_fmt(a.acked_at)}）")
    print("定级依据：")
    for r in a.reasons:
        print(f"  - {r}")
    print("相关信息：")
    for p in info["posts"]:
        print(f"  - {p.title}  {p.url}")
    print("处理记录：")
    for e in info["events"]:
        print(f"  {_fmt(e.at)} {e.kind:<22} {e.actor or ''} {json.dumps(e.detail, ensure_ascii=False)}")
    print("消息：")
    for m in info["messages"]:
        print(f"  #{m.id} {m.channel} {m.recipient} {m.status} 尝试{m.attempts}次 {m.last_error or ''}")
    return 0


def _cmd_ack(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.ack import acknowledge

    a = acknowledge(_db(settings), args.id, by=args.by, via="cli")
    print(f"预警 #{a.id} 已确认（{a.acked_by}，{_fmt(a.acked_at)}）")
    return 0


def _cmd_silence(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.errors import AlertingError
    from alerting.silence import add_silence
    from lwcore.db import utcnow

    chosen = [(k, v) for k, v in (("company", args.company), ("rule", args.rule), ("alert", args.alert)) if v]
    if len(chosen) != 1:
        raise AlertingError("give exactly one of --company, --rule, --alert")
    scope, value = chosen[0]
    if args.until:
        until = parse_when(args.until)
    else:
        until = utcnow() + parse_duration(args.for_)
    row = add_silence(_db(settings), scope=scope, value=str(value), until=until, reason=args.reason, by=args.by)
    print(f"静默 #{row.id}：{scope}={value} 至 {_fmt(row.until)}，原因：{row.reason}")
    return 0


def _cmd_unsilence(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.silence import lift_silence

    row = lift_silence(_db(settings), args.id, by=args.by)
    print(f"静默 #{row.id} 已解除")
    return 0


def _cmd_silences(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.silence import active_silences

    for r in active_silences(_db(settings)):
        print(f"#{r.id} {r.scope}={r.value} 至 {_fmt(r.until)} {r.created_by}：{r.reason}")
    return 0


def _cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.engine import AlertEngine

    drain_spools = args.drain_spools  # injected by the shell (laborwatch.cli_hooks): the app's spools
    engine = AlertEngine.from_settings(settings, _db(settings))
    drained = drain_spools(settings, alerts=engine)  # the hand-off backlog first: its alerts go out in this tick
    rep = engine.tick()
    d = rep.dispatch
    print(
        f"escalated={len(rep.escalated)} exhausted={len(rep.exhausted)} incidents={len(rep.incidents)} "
        f"digests={len(rep.digests)} sent={len(d.sent)} retry={len(d.retry)} dead={len(d.dead)} "
        f"replayed={drained.replayed} alerts_from_spool={drained.alerts}"
    )
    if drained.alert_errors:
        import sys

        print("laborwatch: error: the spooled alert candidates could not be evaluated (see the log above); "
              "they stay in the spool for the next tick", file=sys.stderr)
        return 1
    return 0


def _cmd_send(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.engine import AlertEngine

    engine = AlertEngine.from_settings(settings, _db(settings))
    rounds = 0
    while True:
        d = engine.dispatch_outbox()
        rounds += 1
        print(f"sent={len(d.sent)} retry={len(d.retry)} dead={len(d.dead)}", flush=True)
        if not args.loop:
            return 0
        import time

        time.sleep(args.interval)


def _cmd_roster(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.roster import load_roster, load_routing

    roster = load_roster(settings)
    at = parse_when(args.at)
    duty = roster.on_duty(at)
    local = at.astimezone(roster.tz)
    if duty is None:
        print(f"{local:%Y-%m-%d %H:%M} ({roster.tz.key})：无人值班（值班表空档），预警将发往备用收件人")
        router = load_routing(settings, roster)
        print("备用收件人：" + ("、".join(router.config.fallback_emails + settings.alerting.admin_emails) or "无"))
        return 1
    print(
        f"{local:%Y-%m-%d %H:%M} ({roster.tz.key}) 班次：{duty.shift} "
        f"{duty.start.astimezone(roster.tz):%m-%d %H:%M} -> {duty.end.astimezone(roster.tz):%m-%d %H:%M}"
    )
    for label, p in (("值班", duty.officer), ("备班", duty.backup), ("带班领导", duty.leader)):
        print(f"  {label}：{p.name} <{p.email or '无邮箱'}> {p.phone or ''}" if p else f"  {label}：未设置")
    return 0


def _cmd_merge(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.regroup import merge

    moved = merge(_db(settings), into_id=args.into, other_id=args.other, by=args.by, reason=args.reason)
    print(f"预警 #{args.other} 已并入预警 #{args.into}（移入帖子{len(moved)}条）")
    return 0


def _cmd_move_post(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.regroup import move_post

    dst = move_post(_db(settings), args.post_id, from_id=args.from_, to_id=args.to, by=args.by, reason=args.reason)
    print(f"帖子 {args.post_id} 已从预警 #{args.from_} 移至" + (f"预警 #{dst}" if args.to else f"新预警 #{dst}"))
    return 0


def _cmd_tracking_labels(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.regroup import tracking_labels

    n = 0
    with open(args.output, "w", encoding="utf-8") as f:
        for row in tracking_labels(_db(settings)):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} labelled pairs written to {args.output}")
    return 0


def _cmd_tracker_fit(args: argparse.Namespace, settings: Settings) -> int:
    from alerting.tracker_fit import correction_pairs, fit, read_stream, stream_pairs, write_weights
    from alerting.tracking import TrackerWeights

    o = settings.alerting.tracking
    pairs = []
    inputs = []
    for path in args.stream or ():
        pairs += stream_pairs(read_stream(Path(path)), idle_days=o.idle_days)
        inputs.append(str(path))
    if not args.no_corrections:
        pairs += correction_pairs(_db(settings))
        inputs.append("staff merges and moves")
    try:
        weights, report = fit(pairs, base=TrackerWeights(join_threshold=o.join_threshold,
                                                         merge_threshold=o.merge_threshold), c=args.c)
    except ValueError as exc:
        print(f"无法拟合归并权重：{exc}", file=sys.stderr)
        return 2
    write_weights(Path(args.output), weights, report, inputs=inputs)
    print(f"{report['pairs']} labelled pairs ({report['positive']} same incident), training accuracy "
          f"{report['train_accuracy']}; weights written to {args.output}")
    print("to use them: alerting.tracking.weights_file: " + str(args.output))
    return 0


def register(sub: argparse._SubParsersAction, *, drain_spools: Any = None) -> None:
    """Add this room's sub-commands to the ``laborwatch`` parser. ``drain_spools(settings, alerts=engine)``: the
    shell's hand-off backlog, replayed first by ``alerts tick``."""
    p = sub.add_parser("alerts", help="alerts: list, show, acknowledge, silence (预警)")
    a = p.add_subparsers(dest="alerts_command", metavar="SUBCOMMAND", required=True)

    c = a.add_parser("list", help="list alerts, newest first")
    c.add_argument("--status", choices=("open", "acknowledged", "closed"))
    c.add_argument("--level", choices=("I", "II", "III", "IV"))
    c.add_argument("--town")
    c.add_argument("--since", help="only alerts updated since TIME (Asia/Shanghai unless a zone is given)")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_list)

    c = a.add_parser("show", help="one alert with its posts, history and messages")
    c.add_argument("id", type=int)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_cmd_show)

    c = a.add_parser("ack", help="acknowledge an alert (stops its escalation)")
    c.add_argument("id", type=int)
    c.add_argument("--by", required=True, help="who acknowledges (name)")
    c.set_defaults(handler=_cmd_ack)

    c = a.add_parser("silence", help="silence a company, a rule or one alert until a time, with a reason")
    c.add_argument("--company", help="registry id (统一社会信用代码) or exact name")
    c.add_argument("--rule", help="rule name")
    c.add_argument("--alert", type=int, help="alert id (snooze)")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--until", help="expiry TIME")
    g.add_argument("--for", dest="for_", help="duration, e.g. 2h, 3d")
    c.add_argument("--reason", required=True)
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_silence)

    c = a.add_parser("unsilence", help="lift a silence before it expires")
    c.add_argument("id", type=int)
    c.add_argument("--by", required=True)
    c.set_defaults(handler=_cmd_unsilence)

    c = a.add_parser("silences", help="list active silences")
    c.set_defaults(handler=_cmd_silences)

    c = a.add_parser("tick", help="replay the spools, escalate overdue alerts, send the outbox, queue due digests")
    c.set_defaults(handler=_cmd_tick, drain_spools=drain_spools)

    c = a.add_parser("merge", help="merge alert OTHER into alert INTO (one incident), with a reason")
    c.add_argument("into", type=int)
    c.add_argument("other", type=int)
    c.add_argument("--by", required=True)
    c.add_argument("--reason", required=True)
    c.set_defaults(handler=_cmd_merge)

    c = a.add_parser("move-post", help="move one post out of an alert, into another alert or a new one")
    c.add_argument("post_id")
    c.add_argument("--from", dest="from_", type=int, required=True, help="the alert holding the post")
    c.add_argument("--to", type=int, help="target alert (omit: a new alert of its own)")
    c.add_argument("--by", required=True)
    c.add_argument("--reason", required=True)
    c.set_defaults(handler=_cmd_move_post)

    c = a.add_parser("tracking-labels", help="write staff merges and moves as labelled pairs for the tracker")
    c.add_argument("--output", required=True)
    c.set_defaults(handler=_cmd_tracking_labels)

    c = a.add_parser("tracker-fit", help="fit the incident tracker's evidence weights on labelled pairs")
    c.add_argument("--stream", action="append", metavar="FILE",
                   help="a labelled stream (JSON lines {signal, incident}); may be given several times")
    c.add_argument("--no-corrections", action="store_true", help="leave out the staff merges and moves")
    c.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation strength (default 1.0)")
    c.add_argument("--output", required=True, help="the weights file to write (JSON)")
    c.set_defaults(handler=_cmd_tracker_fit)

    c = a.add_parser("send", help="deliver the outbox now (the sender; crawls only enqueue e-mail)")
    c.add_argument("--loop", action="store_true", help="keep sending every --interval seconds (a sender process)")
    c.add_argument("--interval", type=float, default=5.0)
    c.set_defaults(handler=_cmd_send)

    p = sub.add_parser("roster", help="duty roster (值班表)")
    r = p.add_subparsers(dest="roster_command", metavar="SUBCOMMAND", required=True)
    c = r.add_parser("show", help="who is on duty at a time")
    c.add_argument("--at", help="TIME (default now; Asia/Shanghai unless a zone is given)")
    c.set_defaults(handler=_cmd_roster)

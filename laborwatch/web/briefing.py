"""The 舆情日报 / 周报 (daily / weekly briefing): what the monitoring found in a period, for the bureau.

Counts by event type, town, source and level; the top events of the period; a trend chart (PNG, matplotlib with
a CJK font); open and overdue ledger cases and new incidents. Served as a page (``/briefing``), sent as an e-mail
to ``settings.alerting.briefing_emails`` through the alerting outbox (so a dead SMTP server loses nothing), and
downloadable as an Excel workbook.

The figures come from the relational database (alerts and their evidence posts, ledger cases, incidents), which
holds every item the pipeline judged relevant; where a search client is given, the number of monitored posts in
the period is added from the index.
"""

from __future__ import annotations

import base64
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import func, select

from laborwatch.web.labels import ALERT_STATUS_LABELS, EVENT_TYPE_LABELS, LEVEL_LABELS, fmt_time
from laborwatch.web.xlsx import append_row
from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = [
    "Briefing",
    "period_bounds",
    "build_briefing",
    "trend_chart_png",
    "briefing_xlsx",
    "render_email",
    "send_briefing",
    "send_daily_briefing",
]

logger = logging.getLogger(__name__)

Kind = Literal["daily", "weekly", "special"]
KIND_LABELS = {"daily": "舆情日报", "weekly": "舆情周报", "special": "舆情专报"}
LEVEL_ORDER = ("I", "II", "III", "IV")
TREND_DAYS = 30
TOP_N = 10
OVERDUE_LISTED = 50  # overdue cases listed by name; the total is always given
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@dataclass
class Briefing:
    kind: Kind
    start: datetime  # aware, UTC
    end: datetime  # exclusive
    generated_at: datetime
    district: str
    bureau: str
    alerts_total: int = 0
    evidence_total: int = 0
    by_level: list[tuple[str, int]] = field(default_factory=list)
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_town: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    top_events: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    trend: list[tuple[date, int, int]] = field(default_factory=list)  # day, alerts, evidence posts
    open_cases: int = 0
    open_by_status: list[tuple[str, int]] = field(default_factory=list)
    new_cases: int = 0
    closed_cases: int = 0
    overdue_cases: list[Any] = field(default_factory=list)  # the OVERDUE_LISTED most severe
    overdue_total: int = 0
    monitored_posts: int | None = None  # from the index, when reachable
    # every week of a visit period that ended before the briefing's end without a guidance visit to a key-area
    # firm of the key supervision list (companies.SupervisionList.visits_due): all listed, never cut
    overdue_visits: list[Any] = field(default_factory=list)
    index_note: str = ""
    special_name: str = ""  # the sensitive period a 专报 covers (e.g. 中国国际进口博览会)
    freshness: Any = None  # 发现时效 of the period (laborwatch.freshness.FreshnessReport)

    @property
    def freshness_text(self) -> str:
        """发现时效 in one line: publication -> alert e-mail (median, slowest), publication -> crawl."""
        from laborwatch.freshness import duration_zh

        f = self.freshness
        if f is None or not f.known:
            return "本期无带发布时间的预警或采集记录"
        parts = []
        if f.email.n:
            slow = f"（{f.slowest.title}）" if f.slowest is not None else ""
            parts.append(f"发布到预警邮件送达中位 {duration_zh(f.email.median_s)}，最慢 {duration_zh(f.email.max_s)}"
                         f"{slow}，共 {f.email.n} 起")
        if f.crawl.n:
            parts.append(f"发布到采集中位 {duration_zh(f.crawl.median_s)}，最慢 {duration_zh(f.crawl.max_s)}")
        return "；".join(parts)

    @property
    def masthead(self) -> str:
        if self.kind == "special":
            return f"{self.district}{self.special_name}期间劳动争议舆情专报"
        return f"{self.district}劳动争议{KIND_LABELS[self.kind]}"

    @property
    def title(self) -> str:
        return f"{self.masthead}（{self.period_label}）"

    @property
    def partial(self) -> bool:
        """The period has not ended yet (e.g. today so far)."""
        return self.end > self.generated_at

    @property
    def period_label(self) -> str:
        first = self.start.astimezone(SHANGHAI).date()
        last = (self.end - timedelta(seconds=1)).astimezone(SHANGHAI).date()
        label = f"{first:%Y年%m月%d日}" if first == last else f"{first:%Y年%m月%d日}—{last:%Y年%m月%d日}"
        return f"{label}，截至{self.generated_at.astimezone(SHANGHAI):%H:%M}" if self.partial else label

    @property
    def slug(self) -> str:
        # a period still running gets its own key per minute: sending it by hand never blocks the full report
        stamp = f"-{self.generated_at.astimezone(SHANGHAI):%H%M}" if self.partial else ""
        return f"{self.kind}-{self.start.astimezone(SHANGHAI):%Y%m%d}{stamp}"


def period_bounds(kind: Kind, day: date | None = None, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) in UTC. Daily: the Shanghai calendar day ``day`` (default yesterday). Weekly: the 7 days
    ending with ``day`` (default yesterday)."""
    if kind not in ("daily", "weekly"):
        raise ValueError(f"unknown briefing kind {kind!r}: daily or weekly (a 专报 has special_bounds)")
    today = (now or utcnow()).astimezone(SHANGHAI).date()
    last = day or today - timedelta(days=1)
    first = last - timedelta(days=6) if kind == "weekly" else last
    start = datetime.combine(first, time(0), tzinfo=SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=SHANGHAI)
    return start.astimezone(UTC), end.astimezone(UTC)


def sensitive_periods(settings: Settings) -> list[tuple[str, date, date]]:
    """The sensitive periods (敏感时期) of alert_rules.yaml: (name, first day, last day), oldest first."""
    from lwcore.settings import load_yaml

    try:
        data = load_yaml(settings.config_file("alert_rules.yaml"))
    except Exception as exc:  # noqa: BLE001 - without the file there is simply no 专报 to offer
        logger.warning("briefing: cannot read sensitive periods: %s", exc)
        return []
    out = []
    for p in (data or {}).get("sensitive_periods") or []:
        try:
            out.append((str(p["name"]), date.fromisoformat(str(p["start"])), date.fromisoformat(str(p["end"]))))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(out, key=lambda p: p[1])


def special_bounds(settings: Settings, day: date | None, *, now: datetime | None = None
                   ) -> tuple[str, datetime, datetime]:
    """A 专报 covers the sensitive period that contains ``day`` (default today), or the latest one begun before
    it, from its first day up to ``day`` (inclusive) or its last day."""
    today = (now or utcnow()).astimezone(SHANGHAI).date()
    day = day or today
    begun = [p for p in sensitive_periods(settings) if p[1] <= day]
    if not begun:
        raise ValueError("所选日期之前没有配置敏感时期（alert_rules.yaml 的 sensitive_periods），无法生成专报。")
    name, first, last = begun[-1]
    last = min(last, day)
    start = datetime.combine(first, time(0), tzinfo=SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=SHANGHAI)
    return name, start.astimezone(UTC), end.astimezone(UTC)


def _ranked(counter: Counter[str], order: tuple[str, ...] | None = None) -> list[tuple[str, int]]:
    if order:
        return [(k, counter.get(k, 0)) for k in order]
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def build_briefing(
    settings: Settings,
    db: Database,
    kind: Kind = "daily",
    day: date | None = None,
    *,
    now: datetime | None = None,
    es_client: Any | None = None,
    segmenter: Any | None = None,
) -> Briefing:
    """Collect the figures of one briefing period."""
    from alerting.models import Alert, AlertPost
    from ledger import Incidents, Ledger
    from ledger.models import CaseRow
    from ledger.vocab import OPEN_STATUSES, CaseStatus

    now = now or utcnow()
    special_name = ""
    if kind == "special":
        special_name, start, end = special_bounds(settings, day, now=now)
    else:
        start, end = period_bounds(kind, day, now=now)
    b = Briefing(kind=kind, start=start, end=end, generated_at=now, district=settings.district,
                 bureau=settings.bureau, special_name=special_name)
    rank = {lvl: i for i, lvl in enumerate(LEVEL_ORDER)}
    with db.session() as s:
        alerts = list(s.scalars(select(Alert).where(Alert.created_at >= start, Alert.created_at < end)))
        evidence = list(s.execute(
            select(AlertPost.platform, AlertPost.source_id)
            .where(AlertPost.added_at >= start, AlertPost.added_at < end)
        ).all())
        trend_start = end - timedelta(days=TREND_DAYS)
        alert_days = Counter(
            a.astimezone(SHANGHAI).date() if a.tzinfo else a.date()
            for (a,) in s.execute(select(Alert.created_at).where(Alert.created_at >= trend_start,
                                                                 Alert.created_at < end))
        )
        post_days = Counter(
            a.astimezone(SHANGHAI).date() if a.tzinfo else a.date()
            for (a,) in s.execute(select(AlertPost.added_at).where(AlertPost.added_at >= trend_start,
                                                                   AlertPost.added_at < end))
        )
        b.new_cases = s.scalar(select(func.count()).where(CaseRow.created_at >= start, CaseRow.created_at < end)) or 0
        b.closed_cases = s.scalar(
            select(func.count()).where(CaseRow.closed_at >= start, CaseRow.closed_at < end)) or 0
        open_rows = dict(s.execute(
            select(CaseRow.status, func.count()).where(CaseRow.status.in_([x.value for x in OPEN_STATUSES]))
            .group_by(CaseRow.status)).all())
    b.alerts_total = len(alerts)
    b.evidence_total = len(evidence)
    b.by_level = [(LEVEL_LABELS[k], n) for k, n in _ranked(Counter(a.level for a in alerts), LEVEL_ORDER)]
    b.by_type = [(EVENT_TYPE_LABELS.get(k, k), n) for k, n in _ranked(Counter(
        t for a in alerts for t in (a.event_types or [])))]
    b.by_town = _ranked(Counter(a.town or "未识别街镇" for a in alerts))
    from laborwatch.web.labels import DisplayNames

    names = DisplayNames.load(settings)
    b.by_source = _ranked(Counter(names.source(source) or names.platform(platform) for platform, source in evidence))
    top = sorted(alerts, key=lambda a: (rank.get(a.level, 9), -(a.post_count or 0), -(a.workers or 0), a.id))[:TOP_N]
    b.top_events = [
        {"id": a.id, "level": a.level, "title": a.title, "company": a.company_name or "", "town": a.town or "",
         "types": "、".join(EVENT_TYPE_LABELS.get(t, t) for t in a.event_types or []), "posts": a.post_count,
         "workers": a.workers, "status": a.status, "first_seen": a.first_seen}
        for a in top
    ]
    b.trend = [
        (d, alert_days.get(d, 0), post_days.get(d, 0))
        for d in ((end - timedelta(days=TREND_DAYS - i)).astimezone(SHANGHAI).date() for i in range(TREND_DAYS))
    ]
    b.open_by_status = [(st.label_zh, open_rows.get(st.value, 0)) for st in CaseStatus if st in OPEN_STATUSES]
    b.open_cases = sum(n for _, n in b.open_by_status)
    # the most severe overdue cases and their total (listing every one costs seconds with thousands of cases)
    b.overdue_cases, b.overdue_total = Ledger(db).list_cases(
        status=sorted(st.value for st in OPEN_STATUSES), overdue=True, order="risk_level", size=OVERDUE_LISTED)
    b.incidents, _ = Incidents(db).list(since=start, size=100)
    b.incidents = [i for i in b.incidents if i.received_at < end]
    b.overdue_visits = overdue_visits(settings, db, end)
    if es_client is not None:
        b.monitored_posts, b.index_note = _index_total(settings, es_client, start, end, segmenter)
    try:
        from laborwatch.freshness import freshness_report

        b.freshness = freshness_report(settings, db, start, min(end, now))
    except Exception as exc:  # noqa: BLE001 - the briefing goes out without this line rather than not at all
        logger.warning("briefing: 发现时效 unavailable: %s", exc)
    return b


def overdue_visits(settings: Settings, db: Database, until: datetime) -> list[Any]:
    """Every overdue guidance-visit week as of ``until`` (a week ending the day before counts): the weekly
    requirement of ``configs/supervision.yaml`` ``visit_periods`` for key-area firms on the supervision list."""
    from companies import SupervisionList, load_supervision_config
    from companies.config import FILE_NAME

    periods = load_supervision_config(settings.config_file(FILE_NAME)).periods
    today = until.astimezone(SHANGHAI).date()
    return [v for v in SupervisionList(db).visits_due(periods, today=today) if v.overdue]


def visit_line(v: Any) -> str:
    """One overdue visit week in the words of the briefing and the inbox."""
    last = f"，上次走访 {v.last_visit}" if v.last_visit else "，期间未走访"
    return (f"{v.company_name}（{v.period}，{v.week_start:%m月%d日}—{v.week_end:%m月%d日}当周，"
            f"责任人 {v.person_in_charge or '未定'}{last}）")


def _index_total(settings: Settings, es_client: Any, start: datetime, end: datetime,
                 segmenter: Any) -> tuple[int | None, str]:
    """Posts collected in the period, from the index (None with a note when the index cannot answer)."""
    try:
        import index

        if segmenter is None:
            from nlp.segment import Segmenter

            segmenter = Segmenter.from_settings(settings).cut
        result = index.search(es_client, settings.es, index.SearchQuery(since=start, until=end, size=1),
                              segmenter=segmenter)
        return int(result.total), ""
    except Exception as exc:  # noqa: BLE001 - isolation boundary: the briefing stands without this figure
        logger.warning("briefing: index total unavailable: %s", exc)
        return None, "检索索引暂不可用，未统计采集总量。"


def _cjk_font() -> Any | None:
    from pathlib import Path

    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        if Path(path).exists():
            return font_manager.FontProperties(fname=path)
    return None


def trend_chart_png(b: Briefing, *, width_in: float = 8.0, height_in: float = 3.2) -> bytes:
    """The trend chart of the last 30 days (alerts and evidence posts per day) as a PNG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = _cjk_font()
    fig = Figure(figsize=(width_in, height_in), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    days = [d for d, _, _ in b.trend]
    # matplotlib plots dates on its own; its stubs only list numbers
    ax.bar(days, [n for _, _, n in b.trend], color="#9cc0ea", label="涉劳动争议信息（条）")  # type: ignore[arg-type]
    ax.plot(days, [n for _, n, _ in b.trend], color="#b3261e", marker="o", markersize=3,  # type: ignore[arg-type]
            linewidth=1.5, label="预警（起）")
    ax.set_title(f"近{TREND_DAYS}日劳动争议舆情趋势", fontproperties=font)
    top = max([n for _, _, n in b.trend] + [n for _, n, _ in b.trend] + [1])
    ax.set_ylim(0, top * 1.3 + 0.5)  # head room for the legend
    ax.legend(prop=font, loc="upper left", ncol=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.set_major_formatter(DateFormatter("%m-%d"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def briefing_xlsx(b: Briefing) -> bytes:
    """The briefing as an Excel workbook: a summary sheet with the chart, and one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XlImage
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    append_row(ws, [b.title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [b.bureau, f"生成时间 {fmt_time(b.generated_at)}"])
    append_row(ws, [])
    summary = [("预警（起）", b.alerts_total), ("涉劳动争议信息（条）", b.evidence_total),
               ("新登记台账（件）", b.new_cases), ("办结台账（件）", b.closed_cases),
               ("在办台账（件）", b.open_cases), ("超期台账（件）", b.overdue_total),
               ("突发事件（起）", len(b.incidents)), ("逾期未走访（企业·周）", len(b.overdue_visits)),
               ("发现时效", b.freshness_text)]
    if b.monitored_posts is not None:
        summary.insert(0, ("采集信息总量（条）", b.monitored_posts))
    for row in summary:
        append_row(ws, list(row))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 30
    img = XlImage(io.BytesIO(trend_chart_png(b)))
    ws.add_image(img, "D2")
    for title, rows in (("按级别", b.by_level), ("按类型", b.by_type), ("按街镇", b.by_town), ("按来源", b.by_source)):
        sheet = wb.create_sheet(title)
        append_row(sheet, [title[1:], "数量"])
        for row in rows:
            append_row(sheet, list(row))
        sheet.column_dimensions["A"].width = 30
    top = wb.create_sheet("重点事件")
    append_row(top, ["级别", "事件", "企业", "街镇", "类型", "信息数", "人数", "状态", "首次发现"])
    for e in b.top_events:
        append_row(top, [LEVEL_LABELS.get(e["level"], e["level"]), e["title"], e["company"], e["town"], e["types"],
                    e["posts"], e["workers"], ALERT_STATUS_LABELS.get(e["status"], "—"), fmt_time(e["first_seen"])])
    top.column_dimensions["B"].width = 40
    od = wb.create_sheet("超期台账")
    append_row(od, ["编号", "案件", "企业", "街镇", "责任人", "化解时限", "状态"])
    for c in b.overdue_cases:
        append_row(od, [c.number, c.title, c.enterprise_name or "", c.town or "", c.responsible_person or "",
                   c.deadline.isoformat() if c.deadline else "", c.status_label])
    od.column_dimensions["B"].width = 40
    ov = wb.create_sheet("逾期未走访")
    append_row(ov, ["企业", "统一社会信用代码", "走访期间", "周起", "周止", "责任人", "上次走访"])
    for v in b.overdue_visits:
        append_row(ov, [v.company_name, v.credit_code, v.period, v.week_start.isoformat(), v.week_end.isoformat(),
                        v.person_in_charge or "", v.last_visit.isoformat() if v.last_visit else ""])
    ov.column_dimensions["A"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _templates() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from laborwatch.web.deps import TEMPLATE_DIR

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]))
    env.filters["t"] = fmt_time
    return env


def render_email(b: Briefing, settings: Settings) -> tuple[str, str, str]:
    """(subject, plain text, html) of the briefing e-mail."""
    link = f"{settings.alerting.base_url.rstrip('/')}/briefing?kind={b.kind}&date=" \
           f"{(b.end - timedelta(seconds=1)).astimezone(SHANGHAI):%Y-%m-%d}"
    chart = base64.b64encode(trend_chart_png(b, width_in=7.0, height_in=2.8)).decode()
    html = _templates().get_template("briefing_email.html").render(b=b, link=link, chart=chart,
                                                                   LEVEL_LABELS=LEVEL_LABELS, visit_line=visit_line)
    lines = [b.title, b.bureau, ""]
    if b.monitored_posts is not None:
        lines.append(f"采集信息总量：{b.monitored_posts} 条")
    lines += [f"预警：{b.alerts_total} 起（" + "，".join(f"{k}{n}" for k, n in b.by_level) + "）",
              f"涉劳动争议信息：{b.evidence_total} 条",
              "按类型：" + ("，".join(f"{k}{n}" for k, n in b.by_type) or "无"),
              "按街镇：" + ("，".join(f"{k}{n}" for k, n in b.by_town) or "无"),
              f"台账：新登记 {b.new_cases} 件，办结 {b.closed_cases} 件，在办 {b.open_cases} 件，"
              f"超期 {b.overdue_total} 件",
              f"突发事件：{len(b.incidents)} 起",
              f"重点监管企业逾期未走访：{len(b.overdue_visits)} 企业·周", f"发现时效：{b.freshness_text}", "",
              "重点事件："]
    lines += [f"  [{LEVEL_LABELS.get(e['level'], e['level'])}] {e['title']} {e['company']} {e['town']}"
              for e in b.top_events] or ["  无"]
    if b.overdue_cases:
        lines += ["", "超期台账："]
        lines += [f"  {c.number} {c.title}（责任人 {c.responsible_person or '未定'}，时限 {c.deadline}）"
                  for c in b.overdue_cases]
    if b.overdue_visits:
        lines += ["", "逾期未走访（重点监管服务名单，每周至少走访一次）："]
        lines += [f"  {visit_line(v)}" for v in b.overdue_visits]
    lines += ["", f"详见：{link}"]
    return b.title, "\n".join(lines), html


def send_briefing(
    settings: Settings,
    db: Database,
    period: Kind = "daily",
    *,
    day: date | None = None,
    now: datetime | None = None,
    es_client: Any | None = None,
    recipients: tuple[str, ...] | None = None,
) -> int:
    """Queue the briefing e-mail for every configured recipient in the alerting outbox; returns how many were
    queued (a briefing already queued for a recipient and period is not queued twice)."""
    from alerting.outbox import enqueue

    now = now or utcnow()
    to = tuple(recipients if recipients is not None else settings.alerting.briefing_emails)
    if not to:
        logger.warning("briefing not sent: alerting.briefing_emails is empty")
        return 0
    b = build_briefing(settings, db, period, day, now=now, es_client=es_client)
    subject, text, html = render_email(b, settings)
    queued = 0
    with db.session() as s:
        for address in to:
            row = enqueue(
                s, dedup_key=f"briefing:{b.slug}:{address}", channel="email", recipient=address, kind="digest",
                subject=subject, payload={"text": text, "html": html}, sender=settings.smtp.sender, now=now,
            )
            queued += int(row is not None)
    logger.info("briefing %s queued for %d of %d recipients", b.slug, queued, len(to))
    return queued


def send_daily_briefing(settings: Settings, db: Database) -> int:
    """The scheduler's daily job: yesterday's 舆情日报 to ``alerting.briefing_emails``."""
    return send_briefing(settings, db, "daily")

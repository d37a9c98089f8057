"""今日态势: the picture of the day the landing page shows (alerts today by level and state, a 30-day trend with
empty days, hot topics, towns of the district, sources, overdue cases, open incidents, crawl health)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from laborwatch.web.labels import ALERT_STATE_LABELS, EVENT_TYPE_LABELS, DisplayNames
from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = ["Overview", "build_overview", "TREND_DAYS", "STATE_ORDER"]

logger = logging.getLogger(__name__)

TREND_DAYS = 30
LEVELS = ("I", "II", "III", "IV")
#: The columns of the level x state table, in the order an officer works through them.
STATE_ORDER = ("open", "escalated", "silenced", "acknowledged", "confirmed", "cased", "dismissed", "closed")


@dataclass
class Overview:
    day: date
    now: datetime
    total_today: int = 0
    by_level_state: dict[str, dict[str, int]] = field(default_factory=dict)
    urgent_today: int = 0  # level I/II alerts created today (the page signals when this grows)
    open_total: int = 0
    overdue_alerts: int = 0
    trend: list[tuple[date, int]] = field(default_factory=list)
    trend_max: int = 1
    hot_types: list[tuple[str, int]] = field(default_factory=list)
    hot_companies: list[tuple[str, int]] = field(default_factory=list)
    hot_terms: list[tuple[str, int]] = field(default_factory=list)
    towns: list[tuple[str, str, int]] = field(default_factory=list)  # name, kind, alerts today
    other_town: int = 0
    sources: list[tuple[str, int]] = field(default_factory=list)
    overdue_cases: list[Any] = field(default_factory=list)
    overdue_total: int = 0
    cases_due_soon: list[Any] = field(default_factory=list)
    open_incidents: list[Any] = field(default_factory=list)
    crawl_ok: int = 0
    crawl_failing: list[tuple[str, datetime, str]] = field(default_factory=list)
    crawl_known: bool = False
    visits: Any = None  # laborwatch.web.visits.VisitReminders: guidance visits overdue / due this week
    freshness: Any = None  # laborwatch.freshness.FreshnessReport of today (发现时效)
    budgets: list[dict[str, Any]] = field(default_factory=list)  # per domain: requests in the last hour / budget

    @property
    def state_columns(self) -> list[tuple[str, str]]:
        used = {s for row in self.by_level_state.values() for s, n in row.items() if n}
        return [(s, ALERT_STATE_LABELS[s]) for s in STATE_ORDER if s in used or s in ("open", "acknowledged")]

    @property
    def max_town(self) -> int:
        return max([n for _, _, n in self.towns] + [1])


def _towns(settings: Settings) -> list[tuple[str, str]]:
    from lwcore.settings import load_yaml

    try:
        data = load_yaml(settings.config_file("regions.yaml"))
    except Exception as exc:  # noqa: BLE001 - the grid is a convenience: without the file towns come from alerts
        logger.warning("overview: cannot read regions.yaml: %s", exc)
        return []
    return [(str(t["name"]), str(t.get("kind") or "town")) for t in (data or {}).get("towns") or []
            if isinstance(t, dict) and t.get("name")]


#: Words too common in labour-dispute posts to tell one story from another.
_COMMON_WORDS = frozenset(
    "公司 工人 员工 工资 拖欠 欠薪 反映 表示 记者 目前 情况 问题 相关 已经 没有 我们 他们 一个 这个 什么 "
    "进行 今天 昨天 上海 青浦 青浦区 有限公司 网友 视频 微博 发布 转发 评论 自己 还是 可以 因为 但是 如果 "
    "这样 工作 单位 企业 部门 劳动 人员 多名 一名 名工 月份 个月 万元".split()
)


def hot_terms(texts: list[str], cut: Any, top: int = 10) -> list[tuple[str, int]]:
    """The most frequent informative words of today's evidence (two or more characters, not numbers, not the
    vocabulary every such post shares); each text counts a word once."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w for w in cut(text) if len(w) >= 2 and not w.isascii() and not any(ch.isdigit() for ch in w)}
        counts.update(words - _COMMON_WORDS)
    return [(w, n) for w, n in counts.most_common(top) if n >= 2]


def build_overview(settings: Settings, db: Database, names: DisplayNames, *, now: datetime | None = None,
                   segmenter: Any | None = None) -> Overview:
    from alerting.models import Alert, AlertPost
    from laborwatch.web.alert_state import alert_states

    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    start = datetime.combine(today, time(0), tzinfo=SHANGHAI)
    ov = Overview(day=today, now=now)
    trend_start = start - timedelta(days=TREND_DAYS - 1)
    with db.session() as s:
        today_alerts = list(s.scalars(select(Alert).where(Alert.created_at >= start)))
        ov.open_total = s.scalar(select(func.count()).where(Alert.status == "open")) or 0
        ov.overdue_alerts = s.scalar(
            select(func.count()).where(Alert.status == "open", Alert.ack_deadline < now)) or 0
        days = Counter(
            t.astimezone(SHANGHAI).date()
            for (t,) in s.execute(select(Alert.created_at).where(Alert.created_at >= trend_start))
        )
        today_posts = s.execute(
            select(AlertPost.source_id, AlertPost.title, AlertPost.snippet).where(AlertPost.added_at >= start)
            .limit(2000)
        ).all()
        sources = Counter(src for src, _t, _s in today_posts)
    states = alert_states(db, today_alerts)
    ov.total_today = len(today_alerts)
    ov.by_level_state = {lvl: dict.fromkeys(STATE_ORDER, 0) for lvl in LEVELS}
    for a in today_alerts:
        st = states[a.id].main if a.id in states else a.status
        ov.by_level_state.setdefault(a.level, dict.fromkeys(STATE_ORDER, 0))
        ov.by_level_state[a.level][st] = ov.by_level_state[a.level].get(st, 0) + 1
    ov.urgent_today = sum(1 for a in today_alerts if a.level in ("I", "II"))
    ov.trend = [(trend_start.date() + timedelta(days=i), days.get(trend_start.date() + timedelta(days=i), 0))
                for i in range(TREND_DAYS)]
    ov.trend_max = max([n for _, n in ov.trend] + [1])
    ov.hot_types = [(EVENT_TYPE_LABELS.get(t, "其他"), n) for t, n in
                    Counter(t for a in today_alerts for t in a.event_types or []).most_common(6)]
    ov.hot_companies = Counter(a.company_name for a in today_alerts if a.company_name).most_common(6)
    if segmenter is not None:
        ov.hot_terms = hot_terms([f"{t} {sn}" for _src, t, sn in today_posts[:500]], segmenter)
    town_counts = Counter(a.town for a in today_alerts if a.town)
    known = _towns(settings)
    ov.towns = [(name, kind, town_counts.get(name, 0)) for name, kind in known]
    known_names = {n for n, _ in known}
    ov.towns += [(name, "town", n) for name, n in town_counts.items() if name not in known_names]
    ov.other_town = sum(1 for a in today_alerts if not a.town)
    merged: Counter[str] = Counter()
    for src, n in sources.items():
        merged[names.source(src)] += n
    ov.sources = merged.most_common(10)
    _ledger_part(db, ov, today)
    _crawl_part(db, ov, names, now)
    from laborwatch.web.visits import visit_reminders

    ov.visits = visit_reminders(settings, db, today)
    _freshness_part(settings, db, ov, start, now)
    return ov


def _freshness_part(settings: Settings, db: Database, ov: Overview, start: datetime, now: datetime) -> None:
    """发现时效 today and the politeness budget each domain has used in the last hour."""
    from laborwatch.freshness import freshness_report
    from laborwatch.service.freshness import domain_budgets

    try:
        ov.freshness = freshness_report(settings, db, start, now)
        ov.budgets = domain_budgets(settings, db, now)
    except Exception as exc:  # noqa: BLE001 - optional on this page (e.g. a web-only database)
        logger.warning("overview: freshness figures unavailable: %s", exc)


def _ledger_part(db: Database, ov: Overview, today: date) -> None:
    try:
        from ledger import Incidents, Ledger
        from ledger.vocab import OPEN_STATUSES

        ledger = Ledger(db)
        open_statuses = sorted(s.value for s in OPEN_STATUSES)
        ov.overdue_cases, ov.overdue_total = ledger.list_cases(status=open_statuses, overdue=True,
                                                               order="deadline", size=10)
        upcoming, _ = ledger.list_cases(status=open_statuses, order="deadline", size=30)
        soon = today + timedelta(days=3)
        ov.cases_due_soon = [c for c in upcoming if not c.overdue and c.deadline and c.deadline <= soon][:10]
        ov.open_incidents, _ = Incidents(db).list(status="open", size=10)
    except LaborwatchError as exc:
        logger.warning("overview: ledger figures unavailable: %s", exc)


def _crawl_part(db: Database, ov: Overview, names: DisplayNames, now: datetime) -> None:
    try:
        from laborwatch.models import FAILED_STATUSES, CrawlRun
    except ImportError:  # pragma: no cover - the shell always has it
        return
    latest: dict[str, Any] = {}
    try:
        with db.session() as s:
            for run in s.scalars(select(CrawlRun).where(CrawlRun.started_at >= now - timedelta(days=2))
                                 .order_by(CrawlRun.started_at)):
                if run.status != "running":
                    latest[run.source_id] = run
    except Exception as exc:  # noqa: BLE001 - crawl history is optional on this page (e.g. a web-only database)
        logger.warning("overview: crawl runs unavailable: %s", exc)
        return
    ov.crawl_known = bool(latest)
    for source_id, run in sorted(latest.items()):
        if run.status in FAILED_STATUSES:
            ov.crawl_failing.append((names.source(source_id), run.started_at, _crawl_status_zh(run.status)))
        else:
            ov.crawl_ok += 1


def _crawl_status_zh(status: str) -> str:
    return {"failed": "采集失败", "killed": "被终止", "timeout": "超时", "launch_error": "无法启动",
            "abandoned": "中断"}.get(status, "异常")

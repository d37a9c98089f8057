"""采集源状态: each crawl source's last run, its yield over the last runs, and its problems (issue 15).

Read-only, for every logged-in role. The data are the ``crawl_runs`` rows the service and ``laborwatch crawl``
record (their ``stats_json`` holds each run's per-source stats and problems).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayView,
    ctx,
    render,
)

router = APIRouter()

TREND_RUNS = 10

@dataclass
class SourceRow:
    id: str
    name: str
    kind: str
    enabled: bool
    last: Any | None = None  # the newest CrawlRun
    trend: list[int] = field(default_factory=list)  # items of the last runs, oldest first
    problems: list[str] = field(default_factory=list)
    failing: int = 0  # consecutive failed runs, newest first
    not_modified: int = 0  # pages of the newest run answered 304 (unchanged since the run before)


def _rows(request: Request) -> tuple[list[SourceRow], str | None]:
    from crawlers.health import problem_label, stats_of_run
    from crawlers.sources import load_sources, sources_path
    from laborwatch.models import FAILED_STATUSES, CrawlRun
    from lwcore.errors import ConfigError

    app = ctx(request)
    error = None
    try:
        sources = load_sources(sources_path(app.settings))
    except ConfigError as exc:
        sources, error = [], str(exc)
    rows = [SourceRow(s.id, s.name, s.kind, s.enabled) for s in sources]
    known = {r.id for r in rows}
    with app.db.sessions() as s:
        recorded = s.scalars(select(CrawlRun.source_id).distinct()).all()
        rows += [SourceRow(sid, "（已不在配置中）", "", False) for sid in sorted(set(recorded) - known)]
        for row in rows:
            runs = s.scalars(
                select(CrawlRun).where(CrawlRun.source_id == row.id, CrawlRun.status != "running")
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(TREND_RUNS)
            ).all()
            if not runs:
                continue
            row.last = runs[0]
            row.trend = [r.items for r in reversed(runs)]
            for r in runs:
                if r.status not in FAILED_STATUSES:
                    break
                row.failing += 1
            stats = stats_of_run(runs[0].stats_json, row.id) or {}
            row.not_modified = int(stats.get("not_modified") or 0)
            row.problems = [problem_label(k) + f"（{n}）" for k, n in sorted((stats.get("problems") or {}).items())]
    return rows, error


FRESHNESS_DAYS = 7

#: Why a source runs at its current interval, as staff read it.
REASON_ZH = {"adaptive": "自适应", "follow": "跟踪突发事件"}


def _freshness(request: Request, rows: list[SourceRow]) -> dict[str, Any]:
    """发现时效 per source over the last days, and each source's crawl interval in force (issue 21)."""
    from crawlers.sources import load_sources, sources_path
    from laborwatch.freshness import freshness_report
    from laborwatch.service.freshness import FreshnessGate, domain_budgets
    from lwcore.db import utcnow

    app = ctx(request)
    now = utcnow()
    out: dict[str, Any] = {"report": None, "schedule": {}, "budgets": [], "error": None}
    try:
        out["report"] = freshness_report(app.settings, app.db, now - timedelta(days=FRESHNESS_DAYS), now,
                                         kinds={r.id: r.kind for r in rows})
        if app.settings.crawl.freshness.enabled:
            path = sources_path(app.settings)
            gate = FreshnessGate(app.settings, app.db, lambda: load_sources(path))
            out["schedule"] = {d["source_id"]: d for d in gate.overview(now)}
        out["budgets"] = domain_budgets(app.settings, app.db, now)
    except Exception as exc:  # noqa: BLE001 - the status table above stays useful without these figures
        out["error"] = str(exc)
    return out


def _reason_zh(reason: str) -> str:
    if reason.startswith("sensitive:"):
        return f"敏感时期（{reason.removeprefix('sensitive:')}）"
    return REASON_ZH.get(reason, reason)


@router.get("/sources")
def sources_status(request: Request, _user: UserMayView) -> Response:
    rows, error = _rows(request)
    return render(request, "sources.html", {"rows": rows, "error": error, "active": "sources",
                                            "trend_runs": TREND_RUNS, "fresh": _freshness(request, rows),
                                            "fresh_days": FRESHNESS_DAYS, "reason_zh": _reason_zh})

"""采集源异常: one notice to the administrators per source whose crawl shows problems (issue 15).

Apart from dispute alerts: it goes through ``alerting.notify_admins`` (the administrators' addresses, the outbox),
queued only (the service's outbox tick delivers it), and once per source, set of problems and day. Failed runs
also count towards the service's consecutive-failure notice; this one also covers runs that still collected
something (a field gone missing, a repeated page, one selector that stopped matching).
"""

from __future__ import annotations

import logging
from typing import Any

from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["notify_source_problems"]

logger = logging.getLogger(__name__)


def notify_source_problems(settings: Settings, db: Database, stats: Any, failures: dict[str, str]) -> list[int]:
    """Queue a 采集源异常 notice for each source of ``stats`` (a CrawlStats) with problems; return outbox ids."""
    from alerting.admin import notify_admins
    from crawlers.health import problem_label

    day = utcnow().astimezone(SHANGHAI).date().isoformat()
    ids: list[int] = []
    for sid, d in sorted(stats.per_source.items()):
        problems: dict[str, int] = d.get("problems") or {}
        if not problems:
            continue
        result = f"失败（{failures[sid]}）" if sid in failures else "采到内容，但有问题"
        lines = [f"采集源：{sid}", f"结果：{result}", "问题："]
        lines += [f"  - {problem_label(k)}（{n} 次）" for k, n in sorted(problems.items())]
        lines += [f"本次：页面 {d.get('pages', 0)}，条目 {d.get('items', 0)}，新增 {d.get('new_items', 0)}，"
                  f"错误 {d.get('errors', 0)}，robots.txt 禁止 {d.get('robots_refused', 0)}",
                  f"请运行 laborwatch sources check --fetch {sid} 查看选择器命中情况与样例，必要时修改 "
                  "configs/sources.yaml（各键含义见 docs/SOURCES.md）。"]
        key = f"source-health:{sid}:{','.join(sorted(problems))}:{day}"
        ids += notify_admins(settings, db, f"采集源异常：{sid}", "\n".join(lines), dedup_key=key, send_now=False)
    return ids

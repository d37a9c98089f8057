"""采集源状态 page (issue 15): last run, yield trend and problems of each source, for every logged-in role."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from laborwatch.models import CrawlRun
from lwcore.db import Database, utcnow


def _run(db: Database, sid: str, minutes_ago: int, items: int, status: str = "finished", **stats: object) -> None:
    started = utcnow() - timedelta(minutes=minutes_ago)
    with db.session() as s:
        s.add(CrawlRun(source_id=sid, trigger="cli", status=status, started_at=started, ended_at=started,
                       pages=2, items=items, new_items=items, errors=0, alerted=False,
                       message="quiet-news: collected nothing: 3 quiet_source" if status == "failed" else None,
                       stats_json=json.dumps({"items": items, **stats}, ensure_ascii=False)))


def test_sources_page_shows_last_run_trend_and_problems(web_db: Database,
                                                        client_as: Callable[..., TestClient]) -> None:
    for i, n in enumerate([5, 4, 6]):
        _run(web_db, "qingpu-gov-news", 60 - i, n)
    _run(web_db, "qingpu-gov-news", 10, 0, status="failed", problems={"quiet_source": 3})
    _run(web_db, "qingpu-gov-news", 5, 0, status="failed",
         problems={"selector_no_match:item_links": 1, "quiet_source": 3})
    page = client_as("readonly").get("/sources")
    assert page.status_code == 200
    row = page.text.split('data-source="qingpu-gov-news"')[1].split("</tr>")[0]
    assert "5 → 4 → 6 → 0 → 0" in row
    assert "失败" in row and "连续 2 次" in row
    assert "选择器未匹配（网站可能改版）：item_links（1）" in row and "以往有产出，本次一无所获（3）" in row
    assert "尚无采集记录" in page.text  # configured sources without runs are listed too
    assert 'href="/sources"' in page.text

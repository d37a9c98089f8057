"""发现时效 (issue 21) on 今日态势, 采集源状态 and in the briefing, from real rows in the alerting and crawl tables."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from laborwatch.models import CrawlRun
from lwcore.db import Database, utcnow
from tests.unit.web.webui_support import seed_alert


def _seed(db: Database) -> int:
    """An alert whose first post was published 20 min ago and whose first alert e-mail was accepted 5 min ago,
    and a crawl of qingpu-gov-news whose posts waited 5, 10 and 30 minutes."""
    from alerting.models import AlertPost, OutboxMessage

    now = utcnow()
    aid = seed_alert(db, level="I", title="某电子厂百余名工人聚集讨薪", n_posts=2)
    with db.session() as s:
        s.execute(update(AlertPost).where(AlertPost.alert_id == aid)
                  .values(published_at=now - timedelta(minutes=20), added_at=now - timedelta(minutes=12),
                          source_id="qingpu-gov-news"))
        for i, sent in enumerate((now - timedelta(minutes=5), now - timedelta(minutes=1))):
            s.add(OutboxMessage(dedup_key=f"alert:{aid}:{i}", channel="email", recipient="duty@example.cn",
                                kind="alert", alert_id=aid, subject="预警", payload={}, message_id=f"<{i}@x>",
                                status="sent", attempts=1, next_attempt_at=now, created_at=now, sent_at=sent))
        stats = {"per_source": {"qingpu-gov-news": {"kind": "news", "lag_s": [300, 600, 1800], "new_items": 3,
                                                    "relevant": 1, "not_modified": 1}}}
        s.add(CrawlRun(source_id="qingpu-gov-news", trigger="follow", status="finished",
                       started_at=now - timedelta(minutes=12), ended_at=now - timedelta(minutes=11), pages=4,
                       items=3, new_items=3, errors=0, alerted=False, stats_json=json.dumps(stats)))
    return aid


def test_report_medians_slowest_and_kinds(web_db: Database, tmp_settings) -> None:
    from laborwatch.freshness import freshness_report, report_as_dict

    aid = _seed(web_db)
    rep = freshness_report(tmp_settings, web_db, utcnow() - timedelta(hours=1))
    d = report_as_dict(rep)
    assert d["email"] == {"n": 1, "median_s": 900.0, "p90_s": 900.0, "max_s": 900.0}  # 20 min - 5 min
    assert d["crawl"]["median_s"] == 600.0 and d["crawl"]["max_s"] == 1800.0
    assert d["slowest"]["alert_id"] == aid
    assert set(d["by_kind"]) == {"news"}  # qingpu-gov-news is a news source in configs/sources.yaml


def test_pages_show_freshness_and_budget(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    _seed(web_db)
    client = client_as("readonly")
    home = client.get("/")
    assert home.status_code == 200
    part = home.text.split('id="freshness"')[1].split("</section>")[0]
    assert "发现时效（今日）" in home.text
    assert "中位 <b>10分钟</b>，最慢 30分钟（3 条）" in part
    assert "中位 <b>15分钟</b>，最慢 15分钟（1 起预警）" in part
    assert "某电子厂百余名工人聚集讨薪" in part and "新闻网站" in part
    assert "shqp.gov.cn：已用 <b>4</b> / 240 次请求" in part  # the run's 4 pages of the last hour
    page = client.get("/sources")
    assert page.status_code == 200
    table = page.text.split('id="source-freshness"')[1].split("</table>")[0]
    row = table.split('data-source="qingpu-gov-news"')[1].split("</tr>")[0]
    assert "10分钟 / 30分钟" in row and "15分钟 / 15分钟" in row
    # the open level I alert found by this source: it is followed every 3 minutes (instead of its 2 h)
    assert "3分钟" in row and "跟踪突发事件" in row
    status_row = page.text.split('id="sources"')[1].split('data-source="qingpu-gov-news"')[1].split("</tr>")[0]
    assert "跟踪突发事件" in status_row and "follow" not in status_row  # why the run started, as staff read it
    assert "<td>1</td>" in row  # one page answered 304 in the newest run


def test_briefing_has_a_freshness_line(web_db: Database, tmp_settings) -> None:
    from laborwatch.web.briefing import build_briefing

    _seed(web_db)
    today = utcnow().astimezone(__import__("lwcore.domain", fromlist=["SHANGHAI"]).SHANGHAI).date()
    b = build_briefing(tmp_settings, web_db, "daily", today)
    assert "发布到预警邮件送达中位 15分钟，最慢 15分钟（某电子厂百余名工人聚集讨薪），共 1 起" in b.freshness_text
    assert "发布到采集中位 10分钟" in b.freshness_text

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from webui_support import csrf_of, seed_alert

from laborwatch.web.briefing import build_briefing, period_bounds, send_briefing, trend_chart_png
from lwcore.db import Database, utcnow
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings


def test_period_bounds_are_shanghai_days() -> None:
    start, end = period_bounds("daily", date(2026, 11, 30))
    assert start.astimezone(SHANGHAI).isoformat() == "2026-11-30T00:00:00+08:00"
    assert end - start == timedelta(days=1)
    wstart, wend = period_bounds("weekly", date(2026, 11, 30))
    assert wend == end and wend - wstart == timedelta(days=7)


def test_briefing_counts_chart_and_download(tmp_settings: Settings, web_db: Database,
                                            client_as: Callable[..., TestClient]) -> None:
    from ledger import Ledger

    seed_alert(web_db, level="I", title="甲厂欠薪", town="赵巷镇")
    seed_alert(web_db, level="III", title="乙厂欠薪", town="华新镇", n_posts=1)
    Ledger(web_db).create_case(by="测试", title="超期案件", deadline=date.today() - timedelta(days=2))
    today = utcnow().astimezone(SHANGHAI).date()
    b = build_briefing(tmp_settings, web_db, "daily", today)
    assert b.alerts_total == 2 and b.evidence_total == 3
    assert dict(b.by_level) == {"一级": 1, "二级": 0, "三级": 1, "四级": 0}
    assert dict(b.by_town) == {"赵巷镇": 1, "华新镇": 1}
    assert dict(b.by_type) == {"拖欠工资": 2}
    assert b.top_events[0]["title"] == "甲厂欠薪"
    assert [c.title for c in b.overdue_cases] == ["超期案件"]
    assert b.trend[-1] == (today, 2, 3) and len(b.trend) == 30
    png = trend_chart_png(b)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000

    c = client_as("readonly")
    page = c.get(f"/briefing?date={today.isoformat()}")
    assert page.status_code == 200 and "甲厂欠薪" in page.text and "超期案件" in page.text
    assert 'id="briefing-send"' not in page.text  # read-only may not send
    chart = c.get(f"/briefing/chart.png?date={today.isoformat()}")
    assert chart.headers["content-type"] == "image/png"
    x = c.get(f"/briefing/download.xlsx?kind=weekly&date={today.isoformat()}")
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames[:2] == ["概况", "按级别"] and "舆情周报" in wb["概况"]["A1"].value
    assert [r[1] for r in wb["重点事件"].iter_rows(min_row=2, values_only=True)] == ["甲厂欠薪", "乙厂欠薪"]
    assert c.get("/briefing?kind=monthly").status_code == 400


def test_send_briefing_queues_one_mail_per_recipient_once(tmp_settings: Settings, web_db: Database) -> None:
    from alerting.models import OutboxMessage

    seed_alert(web_db, level="II", title="丙厂欠薪")
    settings = tmp_settings.model_copy(update={"alerting": tmp_settings.alerting.model_copy(
        update={"briefing_emails": ("leader@example.gov.cn", "duty@example.gov.cn")})})
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()
    # (one clock for both calls: today's report is still running, and its key carries the minute it was made, so two
    # calls straddling a minute would be two reports)
    assert send_briefing(settings, web_db, "daily", day=today, now=now) == 2
    assert send_briefing(settings, web_db, "daily", day=today, now=now) == 0  # same period: not twice
    with web_db.session() as s:
        rows = list(s.scalars(select(OutboxMessage)))
    assert sorted(r.recipient for r in rows) == ["duty@example.gov.cn", "leader@example.gov.cn"]
    assert "舆情日报" in rows[0].subject and "丙厂欠薪" in rows[0].payload["text"]
    assert "data:image/png;base64," in rows[0].payload["html"]
    assert send_briefing(tmp_settings, web_db, "daily") == 0  # no recipients configured


def test_send_button_needs_permission(client_as: Callable[..., TestClient]) -> None:
    v = client_as("verifier")
    token = csrf_of(v.get("/briefing").text)
    assert v.post("/briefing/send", data={"kind": "daily", "csrf_token": token}).status_code == 403
    d = client_as("duty")
    token = csrf_of(d.get("/briefing").text)
    r = d.post("/briefing/send", data={"kind": "daily", "csrf_token": token})
    assert r.status_code == 200 and "未配置收件人" in r.text


def test_briefing_as_a_word_document(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from docx import Document

    seed_alert(web_db, level="I", title="华新镇某厂欠薪200人")
    r = client_as("duty").get("/briefing/download.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    doc = Document(io.BytesIO(r.content))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0].endswith("劳动争议舆情日报")  # the red masthead (defaults to today so far)
    assert any(t == "一、总体情况" for t in texts) and any(t == "二、重点事件" for t in texts)
    body = "\n".join(texts)
    assert "形成预警1起（一级1起）" in body and "1. 华新镇某厂欠薪200人（一级预警" in body
    assert "（内部资料　注意保存）" in body and len(doc.inline_shapes) == 1  # the trend chart
    assert doc.paragraphs[0].runs[0].font.color.rgb is not None


def test_today_so_far_is_marked_partial_and_never_blocks_the_full_report(tmp_settings, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, time

    from laborwatch.web.briefing import build_briefing

    day = date(2026, 3, 10)
    afternoon = datetime.combine(day, time(15, 20), tzinfo=SHANGHAI)
    partial = build_briefing(tmp_settings, web_db, "daily", day, now=afternoon)
    full = build_briefing(tmp_settings, web_db, "daily", day, now=afternoon + timedelta(days=1))
    assert partial.partial and "截至15:20" in partial.title and not full.partial
    assert partial.slug != full.slug and full.slug == "daily-20260310"


def test_special_report_for_a_sensitive_period(client_as: Callable[..., TestClient], web_db: Database) -> None:
    from docx import Document

    duty = client_as("duty")
    page = duty.get("/briefing", params={"kind": "special", "date": "2025-11-01"})
    assert page.status_code == 200
    assert "青浦区中国国际进口博览会期间劳动争议舆情专报（2025年10月27日—2025年11月01日）" in page.text
    doc = Document(io.BytesIO(duty.get("/briefing/download.docx", params={"kind": "special",
                                                                          "date": "2025-11-20"}).content))
    assert doc.paragraphs[0].text == "青浦区中国国际进口博览会期间劳动争议舆情专报"  # the whole period once over
    r = duty.get("/briefing", params={"kind": "special", "date": "2020-01-01"})
    assert r.status_code == 400 and "没有配置敏感时期" in r.text

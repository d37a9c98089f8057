"""Overdue guidance visits (the weekly requirement of configs/supervision.yaml's visit period, 2026-10-12 to
2026-11-15: five Monday-Sunday weeks) in the weekly briefing (every one of them, in the page, the e-mail, the Excel
and the Word file), on 今日态势 and in the inbox."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from companies import SupervisionList, load_supervision_config
from companies.models import Company
from laborwatch.web.briefing import build_briefing, render_email, send_briefing, visit_line
from lwcore.db import Database, utcnow
from lwcore.settings import REPO_ROOT, Settings

PERIOD = load_supervision_config(REPO_ROOT / "configs" / "supervision.yaml").periods[0]
FIRMS = 14  # 14 firms x 5 weeks: more rows than any list on the pages cuts to


def _week_starts() -> list[date]:
    monday = PERIOD.start - timedelta(days=PERIOD.start.weekday())
    out = []
    while monday <= PERIOD.end:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def _seed(db: Database) -> set[tuple[str, date]]:
    """Firms listed for the whole period, each visited in a different week (firm i in week i mod 5), one firm
    outside the key areas (no requirement) and one only proposed; returns the (code, week) pairs without a visit."""
    now = utcnow()
    codes = [f"TEST9131011870{i:04d}" for i in range(FIRMS + 2)]
    with db.session() as s:
        for i, code in enumerate(codes):
            s.add(Company(credit_code=code, name=f"走访测试企业{i:02d}", town="赵巷镇", key_supervision=False,
                          is_test=True, created_at=now, updated_at=now))
    sl = SupervisionList(db)
    weeks = _week_starts()
    missing = set()
    for i, code in enumerate(codes[:FIRMS]):
        sl.add(code, ground="latent_dispute", reason="欠薪隐患", risk_level="II", actor="t",
               person_in_charge=f"责任人{i}", key_area=True, listed_on=PERIOD.start)
        visited = weeks[i % len(weeks)]
        sl.record_visit(code, visited_on=visited + timedelta(days=2), visitor="王", findings="正常", actor="t")
        missing |= {(code, w) for w in weeks if w != visited}
    sl.add(codes[FIRMS], ground="latent_dispute", reason="x", risk_level="III", actor="t", key_area=False,
           listed_on=PERIOD.start)
    return missing


def test_weekly_briefing_lists_every_overdue_visit(tmp_settings: Settings, web_db: Database,
                                                   client_as: Callable[..., TestClient]) -> None:
    missing = _seed(web_db)
    assert len(missing) == FIRMS * (len(_week_starts()) - 1) > 50
    b = build_briefing(tmp_settings, web_db, "weekly", PERIOD.end)
    assert {(v.credit_code, v.week_start) for v in b.overdue_visits} == missing
    assert len(b.overdue_visits) == len(missing)  # no duplicates either

    _subject, text, html = render_email(b, tmp_settings)
    for v in b.overdue_visits:
        line = visit_line(v)
        assert line in text and line in html
    assert f"重点监管企业逾期未走访：{len(missing)} 企业·周" in text

    c = client_as("readonly")
    page = c.get(f"/briefing?kind=weekly&date={PERIOD.end.isoformat()}")
    assert page.status_code == 200
    table = page.text.split('id="overdue-visits"')[1].split("</table>")[0]
    assert table.count('<tr class="overdue">') == len(missing)
    x = c.get(f"/briefing/download.xlsx?kind=weekly&date={PERIOD.end.isoformat()}")
    rows = list(load_workbook(io.BytesIO(x.content))["逾期未走访"].iter_rows(min_row=2, values_only=True))
    assert {(r[1], date.fromisoformat(r[3])) for r in rows} == missing
    d = c.get(f"/briefing/download.docx?kind=weekly&date={PERIOD.end.isoformat()}")
    body = "\n".join(p.text for p in Document(io.BytesIO(d.content)).paragraphs)
    assert all(visit_line(v) in body for v in b.overdue_visits)


def test_a_week_still_running_is_not_overdue(tmp_settings: Settings, web_db: Database) -> None:
    missing = _seed(web_db)
    third = _week_starts()[2]
    b = build_briefing(tmp_settings, web_db, "daily", third + timedelta(days=2))  # a Wednesday
    assert {(v.credit_code, v.week_start) for v in b.overdue_visits} == {
        (code, w) for code, w in missing if w < third}


def test_briefing_mail_carries_the_overdue_visits(tmp_settings: Settings, web_db: Database) -> None:
    from alerting.models import OutboxMessage

    _seed(web_db)
    settings = tmp_settings.model_copy(update={"alerting": tmp_settings.alerting.model_copy(
        update={"briefing_emails": ("leader@example.gov.cn",)})})
    assert send_briefing(settings, web_db, "weekly", day=PERIOD.end) == 1
    with web_db.session() as s:
        row = s.scalars(select(OutboxMessage)).one()
    assert "逾期未走访（重点监管服务名单，每周至少走访一次）：" in row.payload["text"]


def test_overview_and_inbox_flag_overdue_visits(web_db: Database, client_as: Callable[..., TestClient]) -> None:
    missing = _seed(web_db)  # the period lies in the past: every missing week is overdue today
    c = client_as("readonly")
    home = c.get("/")
    assert home.status_code == 200
    assert f'id="visits-overdue-n">{len(missing)}<' in home.text
    assert "逾期未走访（" in home.text.split('id="visits-due"')[1]
    inbox = c.get("/alerts")
    assert inbox.status_code == 200 and 'id="visits-overdue"' in inbox.text
    assert f"重点监管企业逾期未走访：{FIRMS} 家企业，{len(missing)} 企业·周" in inbox.text


def test_inbox_has_no_visit_notice_without_overdue_visits(client_as: Callable[..., TestClient]) -> None:
    inbox = client_as("readonly").get("/alerts")
    assert inbox.status_code == 200 and 'id="visits-overdue"' not in inbox.text

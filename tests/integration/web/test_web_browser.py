"""The main journeys in a real browser: Debian's Chromium driven by Playwright (no browser download), against
the app served by uvicorn on loopback, a real Elasticsearch index and a SQLite database. Screenshots are saved
under test-artifacts/screenshots/."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from webint_support import PASSWORD, SeededIndex, seed_alert_for_posts

from lwcore.db import Database
from lwcore.settings import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


def _shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/")
    assert "/login" in page.url  # login required everywhere
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")  # the overview (今日态势) is the landing page


def test_duty_officer_journey(live_server: str, browser: Any, seeded_index: SeededIndex, web_db: Database,
                              tmp_path: Path) -> None:
    from alerting.models import Alert
    from laborwatch.web.models import FeedbackLabel

    alert_id = seed_alert_for_posts(web_db, seeded_index.post_ids[:1])
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = ctx.new_page()
    base = live_server

    # log in
    _login(page, base, "u_duty")
    assert page.inner_text(".user-name") == "张值班"
    page.click('nav a[href="/search"]')

    # search a Chinese query: highlights and facets
    page.fill("#q", "拖欠 工资")
    page.click("#search-submit")
    page.wait_for_selector(".hit")
    assert "共找到 2 条" in page.inner_text("#result-summary")
    highlighted = page.locator(".hit em").all_inner_texts()
    assert "拖欠" in highlighted and "工资" in highlighted
    town_facet = page.locator('[data-facet="town"] li')
    assert town_facet.count() == 2 and "赵巷镇" in page.inner_text('[data-facet="town"]')
    assert page.locator("#histogram .bar").count() >= 1
    _shot(page, "01-search")
    page.click('[data-facet="town"] a:has-text("赵巷镇")')
    page.wait_for_selector(".hit")
    assert "共找到 1 条" in page.inner_text("#result-summary")

    # open the alert from the inbox, confirm it, acknowledge it
    page.click('nav a[href="/alerts"]')
    page.click(f'a.alert-link[href="/alerts/{alert_id}"]')
    page.wait_for_selector("#alert-facts")
    page.check('#verify-form input[name="decision"][value="confirm"]')
    page.fill('#verify-form input[name="workers"]', "32")
    page.fill('#verify-form textarea[name="note"]', "电话联系镇劳动保障所，情况属实")
    page.click("#verify-submit")
    page.wait_for_selector(".flash")
    assert "已记录核实结论：确认属实，共 1 条" in page.inner_text(".flash")
    page.click("#ack")
    page.wait_for_selector(".flash")
    assert "已签收" in page.inner_text("#alert-status")
    _shot(page, "02-alert")
    with web_db.session() as s:
        label = s.scalars(select(FeedbackLabel)).one()
        assert label.decision == "confirm" and label.workers == 32 and label.username == "u_duty"
        alert = s.get(Alert, alert_id)
        assert alert is not None and alert.acked_by == "u_duty"

    # one click: open a ledger case from the alert; edit it
    page.click("#open-case")
    page.wait_for_selector("#case-facts")
    assert "/cases/" in page.url and "上海青浦某物流有限公司" in page.inner_text("#case-facts")
    page.fill('#case-edit input[name="responsible_person"]', "赵巷镇 陈科长")
    page.click("#case-save")
    page.wait_for_selector(".flash")
    assert "已保存" in page.inner_text(".flash") and "陈科长" in page.inner_text("#case-history")
    _shot(page, "03-case")

    # the ledger list and its Excel export
    page.click('nav a[href="/cases"]')
    page.wait_for_selector("#cases")
    with page.expect_download() as info:
        page.click("#cases-export")
    target = tmp_path / "ledger.xlsx"
    info.value.save_as(str(target))
    cells = [str(c) for row in load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(values_only=True)
             for c in row if c]
    assert any("物流" in c for c in cells) and any("陈科长" in c for c in cells)
    _shot(page, "04-cases")

    # log out: back to the login page, pages need a login again
    page.click("#logout")
    page.wait_for_url(f"{base}/login*")
    page.goto(f"{base}/alerts")
    assert "/login" in page.url
    ctx.close()


def test_readonly_sees_but_cannot_change(live_server: str, browser: Any, seeded_index: SeededIndex,
                                        web_db: Database) -> None:
    alert_id = seed_alert_for_posts(web_db, seeded_index.post_ids[:1])
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = ctx.new_page()
    _login(page, live_server, "u_readonly")
    page.goto(f"{live_server}/alerts/{alert_id}")
    assert page.locator("#ack").count() == 0 and page.locator("#verify-form").count() == 0
    assert "只读账号不能处置预警" in page.content()
    page.goto(f"{live_server}/briefing")
    assert page.locator("#trend-chart").evaluate("img => img.naturalWidth") > 100
    _shot(page, "05-briefing")
    # a forged form post from the page without the token is refused
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST', body: new URLSearchParams({})})).status""",
        f"{live_server}/alerts/{alert_id}/ack",
    )
    assert status == 403
    ctx.close()

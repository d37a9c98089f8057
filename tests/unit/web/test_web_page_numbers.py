"""Issue 16: an absurd page number on a list is clamped (an empty last page), never a 500 (OverflowError)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from webui_support import seed_alert

from laborwatch.web.deps import MAX_PAGE, clamp_page
from lwcore.db import Database


@pytest.mark.parametrize("path", ["/alerts", "/cases", "/incidents"])
@pytest.mark.parametrize("page", ["99999999999999999999", "-99999999999999999999", "0"])
def test_huge_or_negative_page_numbers_do_not_fail(client_as: Callable[..., TestClient], web_db: Database,
                                                   path: str, page: str) -> None:
    seed_alert(web_db, level="II", title="二级预警样例")
    r = client_as("readonly").get(f"{path}?page={page}")
    assert r.status_code == 200, r.text[:500]
    assert "text/html" in r.headers["content-type"]


def test_alert_list_page_one_still_lists_and_deep_pages_are_empty(client_as: Callable[..., TestClient],
                                                                  web_db: Database) -> None:
    seed_alert(web_db, level="II", title="二级预警样例")
    assert "二级预警样例" in client_as("readonly").get("/alerts?page=-5").text  # clamped to page 1
    assert "二级预警样例" not in client_as("readonly").get("/alerts?page=99999999999999999999").text


def test_clamp_page() -> None:
    assert clamp_page(-(10**20)) == 1 and clamp_page(3) == 3 and clamp_page(10**20) == MAX_PAGE

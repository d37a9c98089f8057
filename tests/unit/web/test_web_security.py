"""Security gaps closed: formulas in exports, login throttling, the Secure cookie setting, export roles."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from webui_support import PASSWORD, csrf_of, login, seed_alert

from lwcore.db import Database
from lwcore.settings import Settings

FORMULA = '=HYPERLINK("http://evil.example/x","点我")'


def _no_formulas(data: bytes) -> list[str]:
    """Every text cell of the workbook; fails when any sheet holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = load_workbook(io.BytesIO(data))
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_incident_and_briefing_exports_keep_formulas_as_text(client_as: Callable[..., TestClient],
                                                             web_db: Database) -> None:
    from ledger import Incidents

    Incidents(web_db).open(title=FORMULA, level="II", by="u_admin", town="赵巷镇", summary="+cmd|' /C calc'!A0")
    seed_alert(web_db, title=FORMULA)
    duty = client_as("duty")
    cells = _no_formulas(duty.get("/incidents/export.xlsx").content)
    assert FORMULA in cells and "+cmd|' /C calc'!A0" in cells
    cells = _no_formulas(duty.get("/briefing/download.xlsx").content)
    assert FORMULA in cells


def _try(client: TestClient, username: str, password: str) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text)}, follow_redirects=False)


def test_login_is_throttled_per_user(make_app: Callable[..., Any], web_db: Database) -> None:
    from laborwatch.web.models import AuditEntry

    c = TestClient(make_app())
    for _ in range(5):
        assert _try(c, "u_duty", "wrong-password").status_code == 401
    r = _try(c, "u_duty", PASSWORD)  # the right password no longer helps
    assert r.status_code == 429 and "登录失败次数过多，该账号已暂时锁定" in r.text and "后再试" in r.text
    assert _try(c, "u_verifier", PASSWORD).status_code == 303  # other users are not affected
    with web_db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "login.locked")).one().username == "u_duty"


def test_login_is_throttled_per_address(make_app: Callable[..., Any]) -> None:
    c = TestClient(make_app())
    for i in range(20):
        assert _try(c, f"guess{i}", "wrong-password").status_code == 401
    r = _try(c, "u_admin", PASSWORD)
    assert r.status_code == 429 and "该地址已暂时锁定" in r.text


def test_secure_cookie_setting(tmp_settings: Settings, web_db: Database, accounts: Any) -> None:
    from laborwatch.web import create_app

    for secure in (True, False):
        settings = tmp_settings.model_copy(update={"web": tmp_settings.web.model_copy(
            update={"cookie_secure": secure})})
        c = TestClient(create_app(settings, web_db), base_url="https://testserver")  # behind the HTTPS proxy
        r = _try(c, "u_admin", PASSWORD)
        assert r.status_code == 303
        assert ("secure" in r.headers["set-cookie"].lower()) is secure


def test_export_roles_setting(tmp_settings: Settings, web_db: Database, accounts: Any) -> None:
    from laborwatch.web import create_app

    settings = tmp_settings.model_copy(update={"web": tmp_settings.web.model_copy(
        update={"export_roles": ("admin", "duty")})})
    readonly = login(TestClient(create_app(settings, web_db)), "u_readonly")
    assert 'id="cases-export"' not in readonly.get("/cases").text
    assert readonly.get("/cases/export.xlsx").status_code == 403
    duty = login(TestClient(create_app(settings, web_db)), "u_duty")
    assert 'id="cases-export"' in duty.get("/cases").text
    assert duty.get("/cases/export.xlsx").status_code == 200

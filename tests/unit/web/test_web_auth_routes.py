from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from webui_support import PASSWORD, csrf_of, login

from laborwatch.web.models import AuditEntry
from lwcore.db import Database


def test_every_page_requires_login(make_app: Callable[..., Any]) -> None:
    with TestClient(make_app()) as c:
        for path in ("/", "/search", "/alerts", "/cases", "/incidents", "/briefing", "/admin/users", "/admin/audit"):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/login?next="), path
        r = c.post("/logout", follow_redirects=False)
        assert r.status_code == 401


def test_login_needs_csrf_cookie_and_right_password(make_app: Callable[..., Any]) -> None:
    with TestClient(make_app()) as c:
        r = c.post("/login", data={"username": "u_admin", "password": PASSWORD, "csrf_token": "forged"})
        assert r.status_code == 403 and "安全令牌" in r.text
        page = c.get("/login")
        r = c.post("/login", data={"username": "u_admin", "password": "nope-nope", "csrf_token": csrf_of(page.text)})
        assert r.status_code == 401 and "用户名或密码错误" in r.text
        page = c.get("/login?next=//evil.example/x")
        assert 'name="next" value="/"' in page.text  # open redirects refused; the overview is the landing page
        r = c.post("/login", data={"username": "u_admin", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                   "next": "/admin/audit"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/admin/audit"
        assert c.cookies.get("lw_session")


def test_logout_requires_csrf_and_ends_session(make_app: Callable[..., Any]) -> None:
    with TestClient(make_app()) as c:
        login(c, "u_verifier")
        page = c.get("/admin/users")  # 403 page still carries the logout form
        assert page.status_code == 403
        assert c.post("/logout", data={}).status_code == 403
        r = c.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.get("/admin/users", follow_redirects=False).status_code == 303


def test_admin_manages_users_with_audit(client_as: Callable[..., TestClient], web_db: Database) -> None:
    admin = client_as("admin")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "u_readonly" in page.text and "值班员" in page.text
    token = csrf_of(page.text)
    assert admin.post("/admin/users", data={"username": "wang", "password": "pass-word-1", "role": "verifier"}
                      ).status_code == 403  # no CSRF token
    r = admin.post("/admin/users", data={"username": "wang", "password": "pass-word-1", "role": "verifier",
                                         "display_name": "王五", "csrf_token": token})
    assert r.status_code == 200 and "已添加用户 wang" in r.text
    r = admin.post("/admin/users", data={"username": "wang", "password": "pass-word-1", "role": "verifier",
                                         "csrf_token": token})
    assert r.status_code == 400 and "用户名「wang」已存在" in r.text and "already exists" not in r.text
    r = admin.post("/admin/users/wang", data={"role": "duty", "active": "1", "csrf_token": token},
                   follow_redirects=False)
    assert r.status_code == 303
    r = admin.post("/admin/users/u_admin", data={"active": "0", "csrf_token": token})
    assert r.status_code == 400 and "不能停用自己的账号" in r.text
    audit_page = admin.get("/admin/audit?action=user")
    assert audit_page.status_code == 200 and "修改用户" in audit_page.text
    assert "user.update" not in audit_page.text and "{" not in audit_page.text.split('id="audit"')[1]
    with web_db.session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.target_id == "wang")))
    assert [(r.action, r.username) for r in rows] == [("user.add", "u_admin"), ("user.update", "u_admin")]
    assert rows[1].detail == {"role": ["verifier", "duty"]}


def test_non_admins_cannot_manage_users(client_as: Callable[..., TestClient]) -> None:
    for role in ("duty", "verifier", "readonly"):
        c = client_as(role)
        page = c.get("/admin/users")
        assert page.status_code == 403 and "无权" in page.text
        r = c.post("/admin/users", data={"username": "x1", "password": "pass-word-1", "role": "admin",
                                         "csrf_token": csrf_of(page.text)})
        assert r.status_code == 403
        assert c.get("/admin/audit").status_code == 403

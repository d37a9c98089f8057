"""Login and logout. The login form is protected by a double-submit CSRF cookie (no session yet)."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from laborwatch.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    client_ip,
    ctx,
    render,
)
from laborwatch.web.labels import fmt_time
from laborwatch.web.throttle import LoginThrottle

public = APIRouter()
router = APIRouter()


def cookie_secure(settings: Any) -> bool:
    """The Secure cookie flag: ``web.cookie_secure`` when set, else whether the public base URL is https."""
    configured = getattr(settings.web, "cookie_secure", None)
    if configured is not None:
        return bool(configured)
    return str(settings.alerting.base_url).startswith("https://")


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return "/"


def _login_page(request: Request, *, next_url: str, error: str = "", username: str = "",
                status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html",
        {"csrf_token": token, "next": next_url, "error": error, "username": username},
        status_code=status_code,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=cookie_secure(ctx(request).settings))
    return response


@public.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - query name
    return _login_page(request, next_url=_safe_next(next))


@public.post("/login")
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),  # noqa: A002
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf_token or not cookie or not hmac.compare_digest(csrf_token, cookie):
        return _login_page(request, next_url=_safe_next(next), error="页面已过期（缺少安全令牌），请重新登录。",
                           username=username, status_code=403)
    lock = LoginThrottle(ctx(request).db).check(username.strip(), client_ip(request))
    if lock is not None:
        from laborwatch.web.accounts import audit

        with ctx(request).db.session() as s:
            audit(s, user_id=None, username=username.strip()[:64], action="login.locked", ip=client_ip(request),
                  detail={"until": lock.until.isoformat()})
        who = "该地址" if lock.by_address else "该账号"
        return _login_page(
            request, next_url=_safe_next(next), username=username, status_code=429,
            error=f"登录失败次数过多，{who}已暂时锁定，请于 {fmt_time(lock.until, '%H:%M')} 后再试；"
                  "如忘记密码请联系系统管理员。",
        )
    result = ctx(request).accounts.login(username.strip(), password, ip=client_ip(request))
    if result is None:
        return _login_page(request, next_url=_safe_next(next), error="用户名或密码错误。", username=username,
                           status_code=401)
    token, _principal = result
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
        max_age=ctx(request).settings.web.session_ttl_s,
        secure=cookie_secure(ctx(request).settings),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, user: CurrentUser) -> Response:
    ctx(request).accounts.logout(request.cookies.get(SESSION_COOKIE), ip=client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


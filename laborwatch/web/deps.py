"""Request plumbing shared by the routers: the app context, login, permissions, CSRF, templates, audit."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from laborwatch.web.accounts import Accounts, Principal, audit
from lwcore.db import Database
from lwcore.settings import Settings

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

__all__ = [
    "SESSION_COOKIE",
    "LOGIN_CSRF_COOKIE",
    "AppContext",
    "LoginRequired",
    "ctx",
    "current_user",
    "csrf_protect",
    "require",
    "CurrentUser",
    "UserMayView",
    "UserMayExport",
    "UserMayOpenCase",
    "UserMayManageCase",
    "UserMayHandleAlert",
    "UserMayVerify",
    "UserMayManageUsers",
    "UserMayViewAudit",
    "UserMaySendBriefing",
    "UserMayKeepLists",
    "UserMayRecordVisits",
    "UserMayKeepBlacklist",
    "render",
    "record",
    "client_ip",
    "page_count",
    "clamp_page",
    "MAX_PAGE",
    "flash_redirect",
    "zh",
]

logger = logging.getLogger(__name__)

SESSION_COOKIE = "lw_session"
LOGIN_CSRF_COOKIE = "lw_login_csrf"
TEMPLATE_DIR = Path(__file__).with_name("templates")


@dataclass
class AppContext:
    """Everything the routes need, built once by :func:`laborwatch.web.create_app`."""

    settings: Settings
    db: Database
    accounts: Accounts
    templates: Jinja2Templates
    es_client: Elasticsearch | None = None
    segmenter: Callable[[str], list[str]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)


class LoginRequired(Exception):
    """Raised by :func:`current_user` for an anonymous request; turned into a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def ctx(request: Request) -> AppContext:
    return request.app.state.lw  # type: ignore[no-any-return]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def current_user(request: Request) -> Principal:
    """The logged-in user; anonymous requests are sent to the login page."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    principal = ctx(request).accounts.resolve(request.cookies.get(SESSION_COOKIE))
    if principal is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    request.state.user = principal
    return principal


async def csrf_protect(request: Request) -> None:
    """Refuse (403) any state-changing request whose form field or header lacks the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    principal = current_user(request)
    sent = request.headers.get("x-csrf-token")
    if not sent:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, principal.csrf_token):
        logger.warning("CSRF token missing or wrong for %s %s by %s", request.method, request.url.path,
                       principal.username)
        raise HTTPException(status_code=403, detail="表单已失效或缺少安全令牌（CSRF），请刷新页面后重试。")


#: the logged-in user (anonymous requests go to the login page)
CurrentUser = Annotated[Principal, Depends(current_user)]


def require(permission: str) -> Callable[[Request, Principal], Principal]:
    """Dependency: the current user, who must hold ``permission`` (403 otherwise). Routes use the aliases below."""

    def dependency(request: Request, user: CurrentUser) -> Principal:
        if not may(request, user, permission):
            raise HTTPException(status_code=403, detail="您的角色无权执行此操作。")
        return user

    return dependency


# --- dependency aliases ----------------------------------------------------------------------------------------
# Route parameters name what they need as ``Annotated`` types (``user: UserMayView``, ``user: CurrentUser``)
# instead of ``= Depends(...)`` defaults. FastAPI resolves each alias once per request.

#: the logged-in user holding the ``view`` permission (403 otherwise)
UserMayView = Annotated[Principal, Depends(require("view"))]
#: the logged-in user holding the ``export`` permission (403 otherwise)
UserMayExport = Annotated[Principal, Depends(require("export"))]
#: the logged-in user holding the ``case.open`` permission (403 otherwise)
UserMayOpenCase = Annotated[Principal, Depends(require("case.open"))]
#: the logged-in user holding the ``case.manage`` permission (403 otherwise)
UserMayManageCase = Annotated[Principal, Depends(require("case.manage"))]
#: the logged-in user holding the ``alert.handle`` permission (403 otherwise)
UserMayHandleAlert = Annotated[Principal, Depends(require("alert.handle"))]
#: the logged-in user holding the ``verify`` permission (403 otherwise)
UserMayVerify = Annotated[Principal, Depends(require("verify"))]
#: the logged-in user holding the ``users.manage`` permission (403 otherwise)
UserMayManageUsers = Annotated[Principal, Depends(require("users.manage"))]
#: the logged-in user holding the ``audit.view`` permission (403 otherwise)
UserMayViewAudit = Annotated[Principal, Depends(require("audit.view"))]
#: the logged-in user holding the ``briefing.send`` permission (403 otherwise)
UserMaySendBriefing = Annotated[Principal, Depends(require("briefing.send"))]
#: the logged-in user holding the ``companies.list`` permission (403 otherwise)
UserMayKeepLists = Annotated[Principal, Depends(require("companies.list"))]
#: the logged-in user holding the ``companies.visit`` permission (403 otherwise)
UserMayRecordVisits = Annotated[Principal, Depends(require("companies.visit"))]
#: the logged-in user holding the ``companies.blacklist`` permission (403 otherwise)
UserMayKeepBlacklist = Annotated[Principal, Depends(require("companies.blacklist"))]


#: the deepest page a list serves: ``?page=99999999999999999999`` is clamped here instead of overflowing the
#: database's integer OFFSET (an empty last page, not a 500)
MAX_PAGE = 1_000_000


def clamp_page(page: int) -> int:
    """``page`` within 1..MAX_PAGE."""
    return min(max(page, 1), MAX_PAGE)


def may(request: Request, user: Principal, permission: str) -> bool:
    """``user.can(permission)``; downloading exports is limited further by ``web.export_roles``."""
    if permission == "export":
        roles = getattr(ctx(request).settings.web, "export_roles", None)
        if roles is not None and user.role.value not in roles:
            return False
    return user.can(permission)


def page_count(total: int, size: int, *, cap: int | None = None) -> int:
    """Pages of ``size`` rows for ``total`` rows (at least 1; at most ``cap`` when given)."""
    pages = -(-total // size)
    return max(1, min(pages, cap) if cap is not None else pages)


def _flash_key(request: Request) -> bytes:
    app_ctx = ctx(request)
    key = app_ctx.extras.get("flash_key")
    if key is None:
        secret = app_ctx.settings.alerting.secret_key
        # with a configured secret every web process signs alike; otherwise a per-process key (a flash shown
        # by another process is then simply dropped)
        key = (hmac.new(secret.get_secret_value().encode(), b"laborwatch-flash", hashlib.sha256).digest()
               if secret else secrets.token_bytes(32))
        app_ctx.extras["flash_key"] = key
    return key  # type: ignore[no-any-return]


def _flash_sig(request: Request, message: str, kind: str) -> str:
    return hmac.new(_flash_key(request), f"{kind}\n{message}".encode(), hashlib.sha256).hexdigest()[:32]


def flash_redirect(request: Request, path: str, message: str, kind: str = "ok") -> Response:
    """Redirect (303) to ``path`` showing ``message``: the message travels in the URL with a signature, so a
    link made by someone else cannot put its own text on the page (see :func:`render`)."""
    from fastapi.responses import RedirectResponse

    kind = kind if kind in ("ok", "error") else "ok"
    query = urlencode({"fk": kind, "flash": message, "fs": _flash_sig(request, message, kind)})
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}{query}", status_code=303)


def zh(request: Request, exc: BaseException) -> str:
    """An error of any room as a Chinese sentence (see :mod:`laborwatch.web.messages`)."""
    from laborwatch.web.messages import zh_error

    return zh_error(exc, ctx(request).extras.get("names"))


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> Response:
    data = dict(context or {})
    sent = request.query_params.get("flash")
    if sent and data.get("flash", sent) == sent:
        # a message from the URL is shown only when this server signed it (flash_redirect)
        kind = request.query_params.get("fk") or "ok"
        signature = request.query_params.get("fs") or ""
        if hmac.compare_digest(signature, _flash_sig(request, sent, kind)):
            data["flash"], data["flash_kind"] = sent, kind if kind in ("ok", "error") else "ok"
        else:
            data["flash"] = ""
    data.setdefault("user", getattr(request.state, "user", None))
    data.setdefault("can_export", data["user"] is not None and may(request, data["user"], "export"))
    data.setdefault("settings", ctx(request).settings)
    return ctx(request).templates.TemplateResponse(request, template, data, status_code=status_code)


def record(
    request: Request,
    user: Principal,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Write one audit entry for a change made through another room's API (its own transaction)."""
    with ctx(request).db.session() as s:
        audit(
            s, user_id=user.user_id, username=user.username, action=action, target_type=target_type,
            target_id=target_id, detail=detail, ip=client_ip(request),
        )


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="")

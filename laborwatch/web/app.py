"""The FastAPI application of the verification UI (server-rendered Jinja2, Simplified Chinese).

Every page needs a login (``/login``, ``/static``, ``/healthz``/``/metrics`` and the signed e-mail
acknowledgement link ``/ack/{token}`` excepted); every state-changing request needs the session's CSRF token;
every change is written to the audit log.
"""

from __future__ import annotations

import html
import importlib
import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from laborwatch import freshness
from laborwatch.web import labels
from laborwatch.web.accounts import Accounts
from laborwatch.web.deps import TEMPLATE_DIR, AppContext, LoginRequired, csrf_protect, current_user, login_url
from laborwatch.web.models import DECISION_LABELS, ROLE_LABELS
from laborwatch.web.routes.tracking import tracking_why
from lwcore.db import Database
from lwcore.settings import Settings

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")


def _templates(names: labels.DisplayNames) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    env = templates.env
    env.filters["source"] = names.source
    env.filters["platform"] = names.platform
    env.filters["rule"] = names.rule
    env.filters["reason"] = names.reason
    env.filters["ptitle"] = labels.post_title
    env.filters["sfactor"] = labels.severity_factor
    env.filters["industry"] = names.industry
    env.filters["field"] = names.field
    env.filters["action"] = names.action
    env.filters["detail"] = names.detail
    env.filters["target"] = lambda code: labels.TARGET_TYPE_LABELS.get(str(code or ""), "") if code else ""
    env.filters["haction"] = lambda code: labels.HISTORY_ACTION_LABELS.get(str(code), "办理")
    env.filters["hvalue"] = lambda value: labels.LEVEL_LABELS.get(str(value), value) if value else value
    env.filters["astate"] = lambda code: labels.label(code, labels.ALERT_STATE_LABELS)
    env.filters["t"] = labels.fmt_time
    env.filters["dur"] = freshness.duration_zh  # 发现时效 (issue 21)
    env.filters["skind"] = freshness.kind_zh
    env.filters["etype"] = lambda code: labels.label(code, labels.EVENT_TYPE_LABELS)
    env.filters["level"] = lambda code: labels.label(code, labels.LEVEL_LABELS)
    env.filters["astatus"] = lambda code: labels.label(code, labels.ALERT_STATUS_LABELS)
    env.filters["akind"] = lambda code: labels.label(code, labels.ALERT_EVENT_LABELS)
    env.filters["vstate"] = lambda code: labels.label(code, labels.VERIFICATION_LABELS)
    env.filters["tracking_why"] = tracking_why
    env.globals.update(
        EVENT_TYPE_LABELS=labels.EVENT_TYPE_LABELS,
        LEVEL_LABELS=labels.LEVEL_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        DECISION_LABELS=DECISION_LABELS,
    )
    return templates


def create_app(
    settings: Settings,
    db: Database,
    *,
    es_client: Any | None = None,
    segmenter: Any | None = None,
) -> FastAPI:
    """Build the web application. ``es_client`` None: search pages say the index is unavailable."""
    from laborwatch.web.routes import (
        admin,
        alerts,
        auth,
        briefing,
        companies,
        company_lists,
        fieldreports,
        ledger,
        overview,
        review,
        saved,
        search,
        sources,
        tracking,
    )

    names = labels.DisplayNames.load(settings)
    app = FastAPI(title="劳动争议舆情监测", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.lw = AppContext(
        settings=settings,
        db=db,
        accounts=Accounts(db, session_ttl_s=settings.web.session_ttl_s),
        templates=_templates(names),
        es_client=es_client,
        segmenter=segmenter,
    )
    app.state.lw.extras["names"] = names
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    # Public routes: login page and the signed acknowledgement link of alert e-mails.
    app.include_router(auth.public)
    app.include_router(alerts.public)
    # Everything else: login required, CSRF token on every state-changing request.
    protected = [Depends(current_user), Depends(csrf_protect)]
    for module in (auth, overview, search, saved, alerts, tracking, ledger, company_lists, companies, fieldreports,
                   briefing, admin, sources, review):
        app.include_router(module.router, dependencies=protected)

    try:
        metrics = importlib.import_module("laborwatch.metrics")
    except ModuleNotFoundError as exc:
        if exc.name != "laborwatch.metrics":
            raise
    else:
        router = getattr(metrics, "health_router", None)
        if router is not None:
            app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        if request.method != "GET":
            return _error_page(request, 401, "登录已过期，请重新登录。")
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if exc.status_code == 403:
            _audit_refusal(request, detail)
        return _error_page(request, exc.status_code, _zh_detail(exc.status_code, detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 422, invalid_request_message(exc.errors()))

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_page(request, 500, "系统内部错误，操作未完成。请稍后重试；如反复出现，请联系系统管理员。")

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


#: Sent with every response: no framing, no MIME sniffing, no referrer to other sites, scripts and styles only
#: from this server (inline style attributes allowed: bar heights are server-computed).
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "media-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

_STATUS_MESSAGES = {
    400: "请求无效。",
    401: "登录已过期，请重新登录。",
    403: "您的角色无权执行此操作。",
    404: "页面或记录不存在。",
    405: "不支持的请求方式。",
    413: "提交的内容过大。",
    422: "提交的内容无效。",
    429: "请求过于频繁，请稍后再试。",
    500: "系统内部错误，请稍后重试。",
    503: "服务暂不可用，请稍后重试。",
}


def _zh_detail(status: int, detail: str) -> str:
    """The exception's own text when it is the bureau's Chinese, otherwise a Chinese message for the status."""
    if detail and any("\u4e00" <= ch <= "\u9fff" for ch in detail):
        return detail
    return _STATUS_MESSAGES.get(status, "请求未能完成。")


_FIELD_NAMES_ZH = {
    "hours": "静默时长", "reason": "原因", "scope": "范围", "page": "页码", "username": "用户名", "password": "密码",
    "role": "角色", "case_id": "台账", "alert_id": "预警编号",
    "incident_id": "突发事件编号",
    "kind": "类型", "date": "日期", "status": "状态",
}


def invalid_request_message(errors: Any) -> str:
    """A Chinese sentence for FastAPI's request validation errors (which field, what was expected)."""
    parts = []
    for err in errors or []:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form")]
        name = _FIELD_NAMES_ZH.get(loc[-1], "某项内容") if loc else "某项内容"
        kind = str(err.get("type", ""))
        if kind == "missing":
            parts.append(f"缺少{name}")
        elif kind.startswith(("int_", "float_", "decimal_")):
            parts.append(f"{name}须为数字")
        elif "too_long" in kind or "too_short" in kind:
            parts.append(f"{name}长度不符合要求")
        else:
            parts.append(f"{name}无效")
    return ("提交的内容有误：" + "；".join(dict.fromkeys(parts)) + "。") if parts else "提交的内容无效。"


def _audit_refusal(request: Request, detail: str) -> None:
    """A refused (403) attempt by a logged-in user goes into the audit log."""
    user = getattr(request.state, "user", None)
    if user is None:
        return
    from laborwatch.web.deps import record

    try:
        record(request, user, "access.denied", "page", request.url.path[:64],
               {"method": request.method, "path": request.url.path, "reason": detail})
    except Exception:  # noqa: BLE001 - auditing a refusal must not turn a 403 into a 500
        logger.exception("could not audit a refused request to %s", request.url.path)


def _error_page(request: Request, status: int, message: str) -> Response:
    from laborwatch.web.deps import render

    try:
        return render(request, "error.html", {"status": status, "message": message}, status_code=status)
    except Exception:  # noqa: BLE001 - the error page itself failed (e.g. DB down): plain Chinese text
        logger.exception("error page failed")
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>出错了</title><p>{html.escape(message)}</p>",
                            status_code=status)

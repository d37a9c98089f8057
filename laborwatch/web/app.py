"""The FastAPI application of the verification UI (server-rendered Jinja2, Simplified Chinese).

Every page needs a login (``/login``, ``/static``, ``/healthz``/``/metrics`` and the signed e-mail
acknowledgement link ``/ack/{token}`` excepted); every state-changing request needs the session's CSRF token;
every change is written to the audit log.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from laborwatch.db import Database
from laborwatch.settings import Settings
from laborwatch.web import labels
from laborwatch.web.accounts import Accounts
from laborwatch.web.deps import TEMPLATE_DIR, AppContext, LoginRequired, csrf_protect, current_user, login_url
from laborwatch.web.models import DECISION_LABELS, ROLE_LABELS
from laborwatch.web.routes.tracking import tracking_why

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    env = templates.env
    env.filters["t"] = labels.fmt_time
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
    from laborwatch.web.routes import admin, alerts, auth, briefing, companies, ledger, search, sources, tracking

    app = FastAPI(title="劳动争议舆情监测", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.lw = AppContext(
        settings=settings,
        db=db,
        accounts=Accounts(db, session_ttl_s=settings.web.session_ttl_s),
        templates=_templates(),
        es_client=es_client,
        segmenter=segmenter,
    )
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    # Public routes: login page and the signed acknowledgement link of alert e-mails.
    app.include_router(auth.public)
    app.include_router(alerts.public)
    # Everything else: login required, CSRF token on every state-changing request.
    protected = [Depends(current_user), Depends(csrf_protect)]
    for module in (auth, search, alerts, tracking, ledger, companies, briefing, admin, sources):
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

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "请求无效。"
        messages = {404: "页面或记录不存在。", 405: "不支持的请求方式。"}
        return _error_page(request, exc.status_code, messages.get(exc.status_code, detail)
                           if detail in ("Not Found", "Method Not Allowed") else detail)

    return app


def _error_page(request: Request, status: int, message: str) -> Response:
    from laborwatch.web.deps import render

    return render(request, "error.html", {"status": status, "message": message}, status_code=status)

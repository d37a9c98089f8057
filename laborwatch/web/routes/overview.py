"""今日态势 (the landing page after login): the day at a glance, refreshing itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from laborwatch.web.deps import (
    UserMayView,
    ctx,
    render,
)
from laborwatch.web.overview import build_overview
from laborwatch.web.routes.alerts import REFRESH_S
from laborwatch.web.routes.saved import saved_with_news

router = APIRouter()


@router.get("/")
def overview(request: Request, _user: UserMayView) -> Response:
    app = ctx(request)
    ov = build_overview(app.settings, app.db, app.extras["names"], segmenter=app.segmenter)
    subscriptions = saved_with_news(request, _user, only_subscribed=True, limit=10)
    return render(request, "overview.html", {"ov": ov, "active": "overview", "refresh_s": REFRESH_S,
                                             "subscriptions": subscriptions})

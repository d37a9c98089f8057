"""Saved searches (常用检索): a user names the search on the page and keeps it; a subscribed one counts the posts
published since the user last opened it (on the list and on 今日态势)."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.datastructures import QueryParams
from starlette.responses import Response

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import (
    UserMayView,
    ctx,
    flash_redirect,
    render,
)
from laborwatch.web.models import SavedSearch
from lwcore.db import Database, utcnow
from lwcore.errors import LaborwatchError

__all__ = ["router", "saved_with_news"]

logger = logging.getLogger(__name__)

router = APIRouter()

MAX_PER_USER = 50


def _clean_query(raw: str) -> str:
    """Only the search page's own parameters, re-encoded (nothing else travels in a saved search)."""
    from laborwatch.web.routes.search import SearchForm

    form = SearchForm.parse(QueryParams(raw))
    return urlencode(form.params())


def saved_with_news(request: Request, user: Principal, *, only_subscribed: bool = False,
                    limit: int = MAX_PER_USER) -> list[dict[str, Any]]:
    """The user's saved searches; subscribed ones with the count of posts published since last opened
    (None when the index is unavailable)."""
    db: Database = ctx(request).db
    with db.session() as s:
        stmt = select(SavedSearch).where(SavedSearch.user_id == user.user_id)
        if only_subscribed:
            stmt = stmt.where(SavedSearch.subscribed.is_(True))
        rows = list(s.scalars(stmt.order_by(SavedSearch.name).limit(limit)))
    out = []
    for row in rows:
        out.append({"row": row, "new": _count_new(request, row) if row.subscribed else None})
    return out


def _count_new(request: Request, row: SavedSearch) -> int | None:
    if ctx(request).es_client is None:
        return None
    from laborwatch.web.routes.search import SearchForm, _run

    form = SearchForm.parse(QueryParams(row.query))
    try:
        query = form.query(page=1, size=1)
        since: datetime = max(query.since, row.seen_at) if query.since else row.seen_at
        return int(_run(request, dataclasses.replace(query, since=since)).total)
    except (HTTPException, LaborwatchError) as exc:
        logger.warning("saved search %d: count failed: %s", row.id, exc)
        return None


@router.post("/search/save")
def save_search(request: Request, name: str = Form(""), query: str = Form(""), subscribed: str = Form(""),
                *, user: UserMayView) -> Response:
    name = name.strip()[:100]
    clean = _clean_query(query)
    back = f"/search?{clean}"
    if not name:
        return flash_redirect(request, back, "请为检索起一个名称。", "error")
    with ctx(request).db.session() as s:
        count = len(list(s.scalars(select(SavedSearch.id).where(SavedSearch.user_id == user.user_id))))
        existing = s.scalar(select(SavedSearch).where(SavedSearch.user_id == user.user_id, SavedSearch.name == name))
        if existing is None and count >= MAX_PER_USER:
            return flash_redirect(request, back, f"常用检索最多保存 {MAX_PER_USER} 个，请先删除不用的。", "error")
        if existing is None:
            s.add(SavedSearch(user_id=user.user_id, name=name, query=clean, subscribed=bool(subscribed),
                              created_at=utcnow(), seen_at=utcnow()))
            message = f"已保存常用检索「{name}」" + ("，并订阅新增信息。" if subscribed else "。")
        else:
            existing.query, existing.subscribed, existing.seen_at = clean, bool(subscribed), utcnow()
            message = f"已更新常用检索「{name}」。"
    return flash_redirect(request, back, message)


@router.get("/searches")
def saved_list(request: Request, user: UserMayView) -> Response:
    return render(request, "searches.html", {"items": saved_with_news(request, user), "active": "search"})


def _own(request: Request, user: Principal, search_id: int) -> SavedSearch:
    with ctx(request).db.session() as s:
        row = s.get(SavedSearch, search_id)
        if row is None or row.user_id != user.user_id:
            raise HTTPException(status_code=404, detail="该常用检索不存在。")
        return row


@router.get("/searches/{search_id}/open")
def saved_open(request: Request, search_id: int, user: UserMayView) -> Response:
    row = _own(request, user, search_id)
    with ctx(request).db.session() as s:
        stored = s.get(SavedSearch, row.id)
        if stored is not None:
            stored.seen_at = utcnow()
    return RedirectResponse(f"/search?{row.query}", status_code=303)


@router.post("/searches/{search_id}/delete")
def saved_delete(request: Request, search_id: int, user: UserMayView) -> Response:
    row = _own(request, user, search_id)
    with ctx(request).db.session() as s:
        stored = s.get(SavedSearch, row.id)
        if stored is not None:
            s.delete(stored)
    return flash_redirect(request, "/searches", f"已删除常用检索「{row.name}」。")

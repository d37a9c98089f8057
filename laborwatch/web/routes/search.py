"""Search (舆情检索): Chinese full text over the index with filters, facets, highlights, sort, a daily
histogram and Excel export; the post page with its verification and ledger actions."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import QueryParams
from starlette.responses import Response

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import (
    UserMayExport,
    UserMayOpenCase,
    UserMayVerify,
    UserMayView,
    ctx,
    flash_redirect,
    page_count,
    record,
    render,
    zh,
)
from laborwatch.web.labels import EVENT_TYPE_LABELS, LEVEL_LABELS, VERIFICATION_LABELS, fmt_time, post_title
from laborwatch.web.routes.common import case_choices, parse_verification, store_for, verify_many
from laborwatch.web.xlsx import append_row
from lwcore.domain import SHANGHAI
from lwcore.errors import LaborwatchError

logger = logging.getLogger(__name__)

router = APIRouter()

PAGE_SIZE = 20
EXPORT_MAX = 5000
EXPORT_PAGE = 200
#: URL parameter -> (SearchQuery field, facet name, Chinese title)
FILTERS: dict[str, tuple[str, str, str]] = {
    "event_type": ("event_types", "event_type", "事件类型"),
    "severity": ("severities", "severity", "严重程度"),
    "town": ("towns", "town", "街镇"),
    "company": ("companies", "company", "企业"),
    "verification": ("verification_states", "verification", "核实状态"),
    "source": ("sources", "source", "信息源"),
    "platform": ("platforms", "platform", "平台"),
}
SORT_LABELS = {"relevance": "相关度", "time": "时间", "severity": "严重程度"}
FACET_LABELS: dict[str, dict[str, str]] = {
    "event_type": EVENT_TYPE_LABELS,
    "severity": LEVEL_LABELS,
    "verification": {"pending": "未核实", "confirmed": "已确认", "dismissed": "已排除"},
}


@dataclass
class SearchForm:
    q: str
    since: str
    until: str
    scope: str  # labor | all
    sort: str
    page: int
    selected: dict[str, list[str]]

    @classmethod
    def parse(cls, params: QueryParams) -> SearchForm:
        sort = params.get("sort") or "relevance"
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            page = 1
        return cls(
            q=(params.get("q") or "").strip()[:200],
            since=params.get("since") or "",
            until=params.get("until") or "",
            scope="all" if params.get("scope") == "all" else "labor",
            sort=sort if sort in SORT_LABELS else "relevance",
            page=page,
            selected={name: [v for v in params.getlist(name) if v] for name in FILTERS},
        )

    @property
    def simplified_q(self) -> str:
        """The query in simplified characters: 工資 finds 工资 (the posts of the district are in simplified)."""
        if not self.q or self.q.isascii():
            return self.q
        import zhconv

        return str(zhconv.convert(self.q, "zh-cn"))

    def _day(self, value: str, name: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise HTTPException(status_code=400, detail=f"{name}格式无效：{value}（应为 YYYY-MM-DD）。") from None

    def query(self, *, page: int | None = None, size: int = PAGE_SIZE) -> Any:
        import index

        since_day, until_day = self._day(self.since, "起始日期"), self._day(self.until, "截止日期")
        kwargs: dict[str, Any] = {field: tuple(self.selected[name]) for name, (field, _f, _t) in FILTERS.items()}
        try:
            return index.SearchQuery(
                text=self.simplified_q,
                since=datetime.combine(since_day, time(0), tzinfo=SHANGHAI) if since_day else None,
                until=datetime.combine(until_day + timedelta(days=1), time(0), tzinfo=SHANGHAI) if until_day else None,
                labor_only=self.scope == "labor",
                sort=self.sort,
                page=page or self.page,
                size=size,
                **kwargs,
            )
        except LaborwatchError as exc:
            from laborwatch.web.messages import zh_error

            message = zh_error(exc)
            raise HTTPException(status_code=400, detail=message if "10,000" in message else f"检索条件无效：{message}"
                                ) from None

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        base: dict[str, Any] = {"q": self.q, "since": self.since, "until": self.until, "scope": self.scope,
                                "sort": self.sort, **{k: list(v) for k, v in self.selected.items()}}
        base.update(changes)
        out: list[tuple[str, str]] = []
        for key, value in base.items():
            for v in value if isinstance(value, list) else [value]:
                if v not in ("", None):
                    out.append((key, str(v)))
        return out

    def url(self, path: str = "/search", **changes: Any) -> str:
        return f"{path}?{urlencode(self.params(**changes))}"

    def toggle_url(self, name: str, value: str) -> str:
        current = list(self.selected[name])
        current = [v for v in current if v != value] if value in current else [*current, value]
        return f"/search?{urlencode(self.params(**{name: current}))}"


def _segmenter(request: Request) -> Callable[[str], list[str]]:
    app = ctx(request)
    if app.segmenter is None:
        from nlp.segment import Segmenter

        app.segmenter = Segmenter.from_settings(app.settings).cut
    return app.segmenter


def _run(request: Request, query: Any) -> Any:
    import index

    app = ctx(request)
    if app.es_client is None:
        raise HTTPException(status_code=503, detail="检索服务不可用：未连接 Elasticsearch，请联系管理员。")
    try:
        return index.search(app.es_client, app.settings.es, query, segmenter=_segmenter(request))
    except LaborwatchError as exc:
        raise HTTPException(status_code=400, detail=f"检索失败：{zh(request, exc)}") from None


def _facets(request: Request, form: SearchForm, result: Any) -> list[dict[str, Any]]:
    names = ctx(request).extras["names"]
    out = []
    for name, (_field, facet, title) in FILTERS.items():
        labels: dict[str, str] = dict(FACET_LABELS.get(facet, {}))
        if facet in ("source", "platform"):
            display = names.source if facet == "source" else names.platform
            labels.update({key: display(key) for key, _n in result.facets.get(facet, [])})
            labels.update({key: display(key) for key in form.selected[name]})
        buckets = [
            {"key": key, "label": labels.get(key, key), "count": n, "selected": key in form.selected[name],
             "url": form.toggle_url(name, key)}
            for key, n in result.facets.get(facet, [])
        ]
        # a selected value with no hits left still shows, so it can be removed
        for key in form.selected[name]:
            if not any(b["key"] == key for b in buckets):
                buckets.append({"key": key, "label": labels.get(key, key), "count": 0, "selected": True,
                                "url": form.toggle_url(name, key)})
        out.append({"name": name, "title": title, "buckets": buckets})
    return out


def fold_reposts(hits: list[Any], incident_of: dict[str, Any] | None = None) -> list[tuple[Any, list[Any]]]:
    """The page's hits folded by story: hits of the same incident (the alert each post is in now, after the
    tracker's and staff's merges), of the same event cluster (``analysis.event_id``), or with the same title once
    spaces and punctuation are ignored, go under the first (best ranked) one."""
    groups: list[tuple[Any, list[Any]]] = []
    index_of: dict[str, int] = {}
    incident_of = incident_of or {}
    for h in hits:
        keys = []
        incident = incident_of.get(h.id)
        if incident is not None:
            keys.append(f"a:{incident.alert_id}")
        event_id = (h.analysis or {}).get("event_id")
        if event_id:
            keys.append(f"e:{event_id}")
        title = "".join(ch for ch in (h.title or "") if ch.isalnum())
        if len(title) >= 8:
            keys.append(f"t:{title}")
        found = next((index_of[k] for k in keys if k in index_of), None)
        if found is None:
            groups.append((h, []))
            found = len(groups) - 1
        else:
            groups[found][1].append(h)
        for k in keys:
            index_of.setdefault(k, found)
    return groups


def _incidents(request: Request, hits: list[Any]) -> dict[str, Any]:
    """The incident (alert) of each hit on the page; none where the database cannot be read (the page still
    shows the hits, folded as before)."""
    from alerting.post_incidents import incidents_of_posts

    try:
        return incidents_of_posts(ctx(request).db, [h.id for h in hits])
    except Exception:  # noqa: BLE001 - isolation: the search page must not fail on the alerts' database
        logger.exception("incident lookup for the search page failed")
        return {}


def _histogram(form: SearchForm, result: Any) -> list[dict[str, Any]]:
    days = result.facets.get("day", [])
    top = max((n for _d, n in days), default=0) or 1
    return [{"day": d, "count": n, "pct": max(2, round(100 * n / top)) if n else 0,
             "url": form.url(since=d, until=d, page=1)} for d, n in days]


@router.get("/search")
def search_page(request: Request, _user: UserMayView) -> Response:
    form = SearchForm.parse(request.query_params)
    base = {"form": form, "sort_labels": SORT_LABELS, "active": "search"}
    if ctx(request).es_client is None:
        return render(request, "search.html", {**base, "unavailable": True, "result": None})
    result = _run(request, form.query())
    pages = page_count(result.total, PAGE_SIZE, cap=10000 // PAGE_SIZE)
    hits = list(result.hits)
    incidents = _incidents(request, hits)
    return render(request, "search.html", {
        **base, "result": result, "facets": _facets(request, form, result), "histogram": _histogram(form, result),
        "pages": pages, "groups": fold_reposts(hits, incidents), "incidents": incidents,
        "prev_url": form.url(page=form.page - 1), "next_url": form.url(page=form.page + 1),
        "export_url": form.url("/search/export.xlsx"),
    })


@router.get("/search/export.xlsx")
def search_export(request: Request, user: UserMayExport) -> Response:
    from openpyxl import Workbook

    if ctx(request).es_client is None:
        raise HTTPException(status_code=503, detail="检索索引暂不可用，无法导出。")
    form = SearchForm.parse(request.query_params)
    wb = Workbook()
    ws = wb.active
    ws.title = "检索结果"
    append_row(ws, ["发布时间", "标题", "摘要", "信息源", "平台", "事件类型", "严重程度", "街镇", "涉事企业",
                    "核实状态", "链接", "编号"])
    names = ctx(request).extras["names"]
    written = 0
    page = 1
    while written < EXPORT_MAX:
        result = _run(request, form.query(page=page, size=EXPORT_PAGE))
        for h in result.hits:
            a = h.analysis
            append_row(ws, [
                fmt_time(h.post_time or h.published_at), post_title(h.title, h.snippet), h.snippet,
                names.source(h.source_id), names.platform(h.platform),
                "、".join(EVENT_TYPE_LABELS.get(t, t) for t in a.get("event_types") or []),
                LEVEL_LABELS.get(a.get("severity") or "", ""), "、".join(a.get("towns") or []),
                "、".join(c.get("name") or c.get("mention") or "" for c in a.get("companies") or []),
                VERIFICATION_LABELS.get(h.verification.get("state") or "", h.verification.get("state") or ""),
                h.url, h.id,
            ])
            written += 1
            if written >= EXPORT_MAX:
                break
        if not result.hits or page * EXPORT_PAGE >= result.total:
            break
        page += 1
    for col, width in zip("ABCDEFGHIJKL", (17, 40, 60, 16, 10, 20, 8, 12, 28, 10, 40, 30), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    record(request, user, "search.export", "search", "", {"q": form.q, "rows": written,
                                                          "filters": {k: v for k, v in form.selected.items() if v}})
    name = f"舆情检索-{datetime.now(SHANGHAI):%Y%m%d-%H%M}.xlsx"
    return Response(buf.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _load_post(request: Request, post_id: str) -> dict[str, Any]:
    store = store_for(request)
    if store is None:
        raise HTTPException(status_code=503, detail="检索索引暂不可用，无法打开该信息。")
    try:
        doc = store.get(post_id)
    except LaborwatchError as exc:
        raise HTTPException(status_code=503, detail=f"读取信息失败：{zh(request, exc)}") from None
    if doc is None:
        raise HTTPException(status_code=404, detail=f"索引中没有编号为 {post_id} 的信息。")
    return doc


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: str, flash: str = "", kind: str = "ok",
              *, _user: UserMayView) -> Response:
    from laborwatch.web.verification import labels_for_post

    doc = _load_post(request, post_id)
    analysis = doc.get("analysis") or {}
    companies = analysis.get("companies") or []
    first_company = next((c for c in companies if c.get("company_id")), companies[0] if companies else {})
    return render(request, "post.html", {
        "doc": doc, "post_id": post_id, "analysis": analysis, "verification": doc.get("verification") or {},
        "labels": labels_for_post(ctx(request).db, post_id), "open_cases": case_choices(request),
        "company": first_company, "flash": flash, "flash_kind": kind, "active": "search",
    })


def _link_alerts_of_post(request: Request, ledger: Any, case: Any, post_id: str, user: Principal) -> Any:
    """A case opened from a post is linked to the alerts that cite the post (unless they have a case already)."""
    from sqlalchemy import select

    from alerting.models import AlertPost
    from ledger.errors import AlertAlreadyLinked

    with ctx(request).db.session() as s:
        alert_ids = sorted(set(s.scalars(select(AlertPost.alert_id).where(AlertPost.post_id == post_id))))
    for alert_id in alert_ids:
        try:
            case = ledger.attach_alert(case.id, str(alert_id), [post_id], by=user.username)
        except AlertAlreadyLinked as exc:
            logger.info("post %s: alert %s already belongs to case %s", post_id, alert_id, exc.case_number)
    return case


def draft_summary(doc: dict[str, Any], names: Any) -> str:
    """简要情况 drafted from the post: when, where it was published, what it says (the staff edit it)."""
    when = fmt_time(doc.get("published_at") or doc.get("post_time"), "%Y年%m月%d日")
    where = names.source(doc.get("source_id")) or names.platform(doc.get("platform")) or "网络"
    text = " ".join(str(doc.get("content") or "").split())
    title = post_title(doc.get("title"), text, limit=60)
    body = text if len(text) <= 300 else text[:300].rstrip() + "…"
    lead = f"{when}，{where}刊发信息《{title}》" if when else f"{where}刊发信息《{title}》"
    return f"{lead}：{body}" if body and not body.startswith(title) else f"{lead}：{body or title}"


def _post_back(request: Request, post_id: str, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, f"/posts/{quote(post_id, safe='')}", message, kind)


@router.post("/posts/{post_id}/verify")
async def post_verify(request: Request, post_id: str,
                      user: UserMayVerify) -> Response:
    form = await request.form()
    try:
        decision = parse_verification(form)
    except LaborwatchError as exc:
        return _post_back(request, post_id, f"未保存：{zh(request, exc)}", "error")
    message, kind = verify_many(request, user, [post_id], decision)
    return _post_back(request, post_id, message, kind)


@router.post("/posts/{post_id}/case")
def post_case(request: Request, post_id: str, case_id: str = Form(""),
              *, user: UserMayOpenCase) -> Response:
    """One click: open a ledger case from this post, or attach the post to an existing case."""
    from ledger import Ledger

    doc = _load_post(request, post_id)
    ledger = Ledger(ctx(request).db)
    urls = {post_id: doc["url"]} if doc.get("url") else {}
    try:
        if case_id.strip():
            opened = ledger.attach_posts(int(case_id), [post_id], by=user.username, urls=urls)
            action = "case.attach_post"
        else:
            a = doc.get("analysis") or {}
            v = doc.get("verification") or {}
            companies = a.get("companies") or []
            company = next((c for c in companies if c.get("company_id")), companies[0] if companies else {})
            opened = ledger.create_case(
                by=user.username,
                title=post_title(doc.get("title"), doc.get("content"), limit=60)[:300],
                enterprise_name=company.get("name") or (a.get("employers") or [None])[0],
                company_id=v.get("company_id") or company.get("company_id"),
                town=(a.get("towns") or [None])[0],
                industry=company.get("industry"),
                dispute_types=list(v.get("event_types") or a.get("event_types") or []),
                workers=a.get("workers"),
                amount_yuan=a.get("amount_yuan"),
                risk_level=a.get("severity"),
                summary=draft_summary(doc, ctx(request).extras["names"]) or None,
                event_id=a.get("event_id"),
            )
            opened = ledger.attach_posts(opened.id, [post_id], by=user.username, urls=urls)
            opened = _link_alerts_of_post(request, ledger, opened, post_id, user)
            action = "case.open_from_post"
    except (LaborwatchError, ValueError) as exc:
        return _post_back(request, post_id, f"台账操作失败：{zh(request, exc)}", "error")
    record(request, user, action, "case", opened.id, {"post_id": post_id, "number": opened.number})
    return RedirectResponse(f"/cases/{opened.id}", status_code=303)

"""The briefing (舆情日报/周报) as a page, a chart image, a download, and an e-mail sent on demand."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from laborwatch.web.briefing import KIND_LABELS, Briefing, briefing_xlsx, build_briefing, send_briefing, trend_chart_png
from laborwatch.web.deps import (
    UserMayExport,
    UserMaySendBriefing,
    UserMayView,
    ctx,
    flash_redirect,
    record,
    render,
)
from lwcore.domain import SHANGHAI

router = APIRouter()


def _params(kind: str, day: str) -> tuple[str, date | None]:
    if kind not in KIND_LABELS:
        raise HTTPException(status_code=400, detail="未知的报告类型（可选：日报、周报、专报）。")
    if not day:
        return kind, datetime.now(SHANGHAI).date()  # the page and its downloads default to today so far
    try:
        return kind, date.fromisoformat(day)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"日期格式无效：{day}（应为 YYYY-MM-DD）。") from None


def _build(request: Request, kind: str, day: str) -> Briefing:
    k, d = _params(kind, day)
    app = ctx(request)
    try:
        return build_briefing(app.settings, app.db, k, d, es_client=app.es_client,  # type: ignore[arg-type]
                              segmenter=app.segmenter)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


@router.get("/briefing")
def briefing_page(request: Request, kind: str = "daily", date: str = "", flash: str = "",  # noqa: A002
                  *, _user: UserMayView) -> Response:
    b = _build(request, kind, date)
    last_day = b.period_label
    query = f"kind={kind}&date={quote(date)}"
    return render(request, "briefing.html", {"b": b, "kind": kind, "date": date, "query": query,
                                             "last_day": last_day, "flash": flash, "active": "briefing",
                                             "recipients": ctx(request).settings.alerting.briefing_emails})


@router.get("/briefing/chart.png")
def briefing_chart(request: Request, kind: str = "daily", date: str = "",  # noqa: A002
                   *, _user: UserMayView) -> Response:
    return Response(trend_chart_png(_build(request, kind, date)), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=300"})


@router.get("/briefing/download.xlsx")
def briefing_download(request: Request, kind: str = "daily", date: str = "",  # noqa: A002
                      *, user: UserMayExport) -> Response:
    b = _build(request, kind, date)
    record(request, user, "briefing.download", "briefing", b.slug)
    filename = f"{b.title}.xlsx"
    return Response(briefing_xlsx(b), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


@router.get("/briefing/download.docx")
def briefing_download_docx(request: Request, kind: str = "daily", date: str = "",  # noqa: A002
                           *, user: UserMayExport) -> Response:
    from laborwatch.web.briefing_docx import briefing_docx

    b = _build(request, kind, date)
    record(request, user, "briefing.download", "briefing", b.slug, {"kind": "docx"})
    return Response(briefing_docx(b),
                    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(b.title + '.docx')}"})


@router.post("/briefing/send")
def briefing_send(request: Request, kind: str = Form("daily"), date: str = Form(""),  # noqa: A002
                  *, user: UserMaySendBriefing) -> Response:
    k, d = _params(kind, date)
    app = ctx(request)
    try:
        n = send_briefing(app.settings, app.db, k, day=d, es_client=app.es_client)  # type: ignore[arg-type]
    except ValueError as exc:
        return flash_redirect(request, f"/briefing?kind={k}&date={quote(date)}", f"未发送：{exc}", "error")
    record(request, user, "briefing.send", "briefing", f"{k}:{date}", {"queued": n})
    if not app.settings.alerting.briefing_emails:
        message = "未配置收件人（alerting.briefing_emails），未发送。"
    elif n:
        message = f"已加入发送队列：{n} 位收件人。"
    else:
        message = "本期报告已发送过，未重复发送。"
    return flash_redirect(request, f"/briefing?kind={k}&date={quote(date)}", message)

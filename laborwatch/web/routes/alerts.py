"""Alert inbox (预警收件箱): open alerts by level with deadlines and evidence; acknowledge, escalate, silence;
verify the alert's posts; open or attach to a ledger case. Also the signed e-mail acknowledgement link."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import case, func, select
from starlette.responses import Response

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import (
    UserMayHandleAlert,
    UserMayOpenCase,
    UserMayVerify,
    UserMayView,
    clamp_page,
    client_ip,
    ctx,
    flash_redirect,
    page_count,
    record,
    render,
    zh,
)
from laborwatch.web.routes.common import case_choices, parse_verification, verify_many
from lwcore.db import utcnow
from lwcore.domain import SHANGHAI
from lwcore.errors import LaborwatchError

logger = logging.getLogger(__name__)

public = APIRouter()
router = APIRouter()

PAGE_SIZE = 50
REFRESH_S = 60  # the inbox and the overview reload their live part this often (static/app.js)
STATUSES = ("open", "acknowledged", "closed", "all")


def _level_rank():  # type: ignore[no-untyped-def]
    from alerting.models import Alert

    return case({"I": 1, "II": 2, "III": 3, "IV": 4}, value=Alert.level, else_=5)


@router.get("/alerts")
def inbox(
    request: Request,
    status: str = "open",
    level: str = "",
    town: str = "",
    overdue: str = "",
    page: int = 1,
    *,
    _user: UserMayView,
) -> Response:
    from alerting.models import Alert

    status = status if status in STATUSES else "open"
    page = clamp_page(page)
    now = utcnow()
    stmt = select(Alert)
    if status != "all":
        stmt = stmt.where(Alert.status == status)
    if level:
        stmt = stmt.where(Alert.level == level)
    if town:
        stmt = stmt.where(Alert.town == town)
    if overdue:
        stmt = stmt.where(Alert.status == "open", Alert.ack_deadline < now)
    with ctx(request).db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        # sort and page over the ids only, then load the page's rows: sorting whole rows (JSON columns
        # included) costs ~4x more on deep pages of a large inbox
        ids = list(
            s.scalars(
                stmt.with_only_columns(Alert.id)
                .order_by(_level_rank(), Alert.ack_deadline.is_(None), Alert.ack_deadline, Alert.id.desc())
                .offset((page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
        )
        by_id = {a.id: a for a in s.scalars(select(Alert).where(Alert.id.in_(ids)))} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
        open_by_level = dict(
            s.execute(select(Alert.level, func.count()).where(Alert.status == "open").group_by(Alert.level)).all()
        )
        towns = [t for (t,) in s.execute(select(Alert.town).where(Alert.town.is_not(None)).distinct().limit(200))]
    pages = page_count(total, PAGE_SIZE)
    from laborwatch.web.alert_state import alert_states
    from laborwatch.web.visits import visit_reminders

    visits = visit_reminders(ctx(request).settings, ctx(request).db, now.astimezone(SHANGHAI).date())

    return render(request, "alerts.html", {
        "rows": rows, "total": total, "page": page, "pages": pages, "now": now, "status": status, "level": level,
        "town": town, "overdue": overdue, "open_by_level": open_by_level, "towns": sorted(towns),
        "states": alert_states(ctx(request).db, rows), "active": "alerts", "refresh_s": REFRESH_S,
        "visits": visits,
    })


@router.post("/alerts/bulk")
async def bulk(request: Request, user: UserMayView) -> Response:
    """签收 or 排除 several alerts ticked in the inbox at once (each with the permission it needs)."""
    from alerting import ack
    from laborwatch.web.models import Decision
    from laborwatch.web.verification import VerificationInput

    form = await request.form()
    action = str(form.get("action") or "")
    back = str(form.get("back") or "/alerts")
    back = back if back.startswith("/alerts") else "/alerts"
    ids = sorted({int(str(v)) for v in form.getlist("alert_id") if str(v).isdigit()})
    if not ids:
        return flash_redirect(request, back, "请先勾选预警。", "error")
    if action == "ack":
        if not user.can("alert.handle"):
            raise HTTPException(status_code=403, detail="您的角色无权签收预警。")
        done = 0
        for alert_id in ids:
            try:
                ack.acknowledge(ctx(request).db, alert_id, by=user.username, via="web")
            except LaborwatchError as exc:
                logger.warning("bulk ack of alert %d failed: %s", alert_id, exc)
                continue
            record(request, user, "alert.ack", "alert", alert_id, {"via": "web"})
            done += 1
        return flash_redirect(request, back, f"已签收 {done} 条预警。", "ok" if done == len(ids) else "error")
    if action == "confirm":
        if not user.can("verify"):
            raise HTTPException(status_code=403, detail="您的角色无权核实信息。")
        confirmed = 0
        for alert_id in ids:
            data = _load_alert(request, alert_id)
            types = tuple(t for t in data["alert"].event_types or [] if t) or ("other_labor",)
            decision = VerificationInput(decision=Decision.CONFIRM, event_types=types, alert_id=str(alert_id),
                                         note=str(form.get("reason") or "").strip()[:500])
            docs = {p.post_id: _doc_from_evidence(p) for p in data["posts"]}
            verify_many(request, user, [p.post_id for p in data["posts"]], decision, fallback_docs=docs)
            _follow_up(request, user, data, decision)
            confirmed += 1
        return flash_redirect(request, back, f"已确认属实 {confirmed} 条预警的全部信息。")
    if action == "dismiss":
        if not user.can("verify"):
            raise HTTPException(status_code=403, detail="您的角色无权核实信息。")
        reason = str(form.get("reason") or "").strip()[:500]
        if not reason:
            return flash_redirect(request, back, "批量排除需要填写原因。", "error")
        closed = 0
        for alert_id in ids:
            data = _load_alert(request, alert_id)
            decision = VerificationInput(decision=Decision.NOT_DISPUTE, note=reason, alert_id=str(alert_id))
            docs = {p.post_id: _doc_from_evidence(p) for p in data["posts"]}
            verify_many(request, user, [p.post_id for p in data["posts"]], decision, fallback_docs=docs)
            closed += bool(_follow_up(request, user, data, decision))
        return flash_redirect(request, back, f"已排除 {len(ids)} 条预警的全部信息，关闭预警 {closed} 条。")
    return flash_redirect(request, back, "未知的批量操作。", "error")


def _load_alert(request: Request, alert_id: int) -> dict[str, Any]:
    from alerting.models import Alert, AlertEvent, AlertPost

    with ctx(request).db.session() as s:
        alert = s.get(Alert, alert_id)
        if alert is None:
            raise HTTPException(status_code=404, detail=f"预警 {alert_id} 不存在。")
        posts = list(s.scalars(select(AlertPost).where(AlertPost.alert_id == alert_id).order_by(AlertPost.id)))
        events = list(s.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)))
    return {"alert": alert, "posts": posts, "events": events}


def _linked_case(request: Request, alert_id: int) -> Any | None:
    from ledger import Ledger

    try:
        return Ledger(ctx(request).db).case_for_alert(str(alert_id))
    except LaborwatchError:
        return None


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, alert_id: int, flash: str = "", kind: str = "ok",
               *, _user: UserMayView) -> Response:
    data = _load_alert(request, alert_id)
    from laborwatch.web.verification import labels_for_post

    decisions = {p.post_id: labels_for_post(ctx(request).db, p.post_id)[:1] for p in data["posts"]}
    from companies.standing import firm_standing
    from laborwatch.web.alert_state import alert_states

    data.update({
        "standing": firm_standing(ctx(request).db, data["alert"].company_id),
        "state": alert_states(ctx(request).db, [data["alert"]])[alert_id],
        "now": utcnow(), "linked_case": _linked_case(request, alert_id), "decisions": decisions,
        "open_cases": case_choices(request), "flash": flash, "flash_kind": kind, "active": "alerts",
    })
    return render(request, "alert.html", data)


def _back(request: Request, alert_id: int, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, f"/alerts/{alert_id}", message, kind)


@router.post("/alerts/{alert_id}/ack")
def acknowledge(request: Request, alert_id: int,
                user: UserMayHandleAlert) -> Response:
    from alerting import ack

    _load_alert(request, alert_id)
    try:
        ack.acknowledge(ctx(request).db, alert_id, by=user.username, via="web")
    except LaborwatchError as exc:
        return _back(request, alert_id, f"签收失败：{zh(request, exc)}", "error")
    record(request, user, "alert.ack", "alert", alert_id)
    return _back(request, alert_id, "已签收。")


@router.post("/alerts/{alert_id}/escalate")
def escalate(request: Request, alert_id: int, reason: str = Form(""),
             *, user: UserMayHandleAlert) -> Response:
    """Escalate now: ``alerting.escalate_now`` records the step on the alert and sends it at once, through
    the outbox, to the next level of the duty roster (a failed send stays queued and the service retries it)."""
    from alerting import escalate_now

    _load_alert(request, alert_id)  # 404 for an unknown alert
    reason = reason.strip()[:500]
    try:
        step = escalate_now(ctx(request).settings, ctx(request).db, alert_id, by=user.username, reason=reason)
    except LaborwatchError as exc:
        return _back(request, alert_id, f"升级失败：{zh(request, exc)}", "error")
    record(request, user, "alert.escalate", "alert", alert_id,
           {"reason": reason, "step": step.step, "role": step.role, "outbox": step.outbox_ids})
    names = "、".join(name for name, _ in step.recipients)
    if len(step.sent) == len(step.outbox_ids):
        return _back(request, alert_id, f"已升级（第{step.step}级）：已通知{names}。")
    return _back(request, alert_id, f"已升级（第{step.step}级）：通知{names}的消息已排队，发送未成功，系统将自动重试。",
                 "error")


@router.post("/alerts/{alert_id}/silence")
def silence(
    request: Request,
    alert_id: int,
    scope: str = Form("alert"),
    hours: str = Form("24"),
    reason: str = Form(""),
    *,
    user: UserMayHandleAlert,
) -> Response:
    from alerting import add_silence

    data = _load_alert(request, alert_id)
    if not reason.strip():
        return _back(request, alert_id, "静默需要填写原因。", "error")
    try:
        hours_n = float(hours.strip() or "24")
    except ValueError:
        return _back(request, alert_id, f"静默时长须为数字（小时），收到「{hours.strip()[:20]}」。", "error")
    if not 0 < hours_n <= 24 * 90:
        return _back(request, alert_id, "静默时长须在 0 到 2160 小时之间。", "error")
    if scope == "company":
        value = data["alert"].company_id or data["alert"].company_name
        if not value:
            return _back(request, alert_id, "该预警没有关联企业，无法按企业静默。", "error")
    elif scope == "alert":
        value = str(alert_id)
    else:
        return _back(request, alert_id, f"未知的静默范围 {scope}。", "error")
    until = utcnow() + timedelta(hours=hours_n)
    try:
        add_silence(ctx(request).db, scope=scope, value=value, until=until, reason=reason.strip(), by=user.username)
    except LaborwatchError as exc:
        return _back(request, alert_id, f"静默失败：{zh(request, exc)}", "error")
    record(request, user, "alert.silence", "alert", alert_id,
           {"scope": scope, "value": value, "until": until.isoformat(), "reason": reason.strip()})
    return _back(request, alert_id, "已静默。")


@router.post("/alerts/{alert_id}/verify")
async def verify_alert(request: Request, alert_id: int,
                       user: UserMayVerify) -> Response:
    """Apply one decision to the selected evidence posts (all of them when none is ticked). When every post of
    the alert is then dismissed (排除), the alert is closed; a confirmation reopens a closed alert."""
    form = await request.form()
    data = _load_alert(request, alert_id)
    post_ids = [str(v) for v in form.getlist("post_id")] or [p.post_id for p in data["posts"]]
    try:
        decision = parse_verification(form, alert_id=str(alert_id))
    except LaborwatchError as exc:
        return _back(request, alert_id, f"未保存：{zh(request, exc)}", "error")
    from laborwatch.web.verification import DISMISSALS

    if decision.decision in DISMISSALS and not decision.note:
        return _back(request, alert_id, "未保存：排除需要在「备注」中写明原因（将记入预警记录）。", "error")
    docs = {p.post_id: _doc_from_evidence(p) for p in data["posts"]}
    message, kind = verify_many(request, user, post_ids, decision, fallback_docs=docs)
    message += _follow_up(request, user, data, decision)
    return _back(request, alert_id, message, kind)


def _follow_up(request: Request, user: Principal, data: dict[str, Any], decision: Any) -> str:
    """Close the alert once all its posts are dismissed; reopen a closed one when a post is confirmed."""
    from alerting import ack
    from laborwatch.web.alert_state import all_dismissed, post_decisions
    from laborwatch.web.models import Decision

    alert = data["alert"]
    post_ids = [p.post_id for p in data["posts"]]
    decisions = post_decisions(ctx(request).db, post_ids)
    try:
        if alert.status != "closed" and all_dismissed(post_ids, decisions):
            reason = decision.note or "全部信息经核实排除"
            ack.close(ctx(request).db, alert.id, by=user.username, reason=reason, cause="dismissed")
            record(request, user, "alert.close", "alert", alert.id, {"reason": reason})
            return "该预警的信息已全部排除，预警已关闭。"
        if alert.status == "closed" and decision.decision in (Decision.CONFIRM, Decision.CORRECT):
            ack.reopen(ctx(request).db, alert.id, by=user.username, reason="信息经核实属实")
            return "预警已重新打开。"
    except LaborwatchError as exc:
        return f"（预警状态未更新：{zh(request, exc)}）"
    return ""


def _doc_from_evidence(p: Any) -> dict[str, Any]:
    """The alert's stored copy of a post, used when the index has no document for it."""
    return {
        "id": p.post_id, "url": p.url, "title": p.title, "content": p.snippet, "source_id": p.source_id,
        "platform": p.platform, "event_types": list(p.event_types or []), "workers": p.workers,
        "amount_yuan": p.amount_yuan, "severity": p.severity, "labor_dispute": True,
    }


@router.post("/alerts/{alert_id}/case")
def alert_case(
    request: Request,
    alert_id: int,
    case_id: str = Form(""),
    *,
    user: UserMayOpenCase,
) -> Response:
    """One click: open a ledger case from this alert, or attach the alert to an existing case."""
    from ledger import Ledger

    data = _load_alert(request, alert_id)
    from alerting import alert_snapshot

    snapshot = alert_snapshot(data["alert"], data["posts"])
    snapshot["summary"] = alert_summary(data["alert"], data["posts"], ctx(request).extras["names"])
    ledger = Ledger(ctx(request).db)
    try:
        if case_id.strip():
            opened = ledger.attach_alert(
                int(case_id), str(alert_id), snapshot["post_ids"], by=user.username, level=snapshot["level"],
                urls=snapshot["urls"],
            )
            action = "case.attach_alert"
        else:
            opened = ledger.create_from_alert(snapshot, by=user.username)
            action = "case.open_from_alert"
    except (LaborwatchError, ValueError) as exc:
        return _back(request, alert_id, f"台账操作失败：{zh(request, exc)}", "error")
    record(request, user, action, "case", opened.id, {"alert_id": alert_id, "number": opened.number})
    return RedirectResponse(f"/cases/{opened.id}", status_code=303)


def alert_summary(alert: Any, posts: list[Any], names: Any) -> str:
    """简要情况 drafted from the alert's evidence (not from its rule texts): when, who, what, how many."""
    from laborwatch.web.labels import EVENT_TYPE_LABELS, fmt_time, post_title

    when = fmt_time(alert.first_seen, "%Y年%m月%d日")
    who = alert.company_name or "某单位"
    if alert.town:
        who += f"（{alert.town}）"
    kinds = "、".join(EVENT_TYPE_LABELS.get(t, "其他") for t in alert.event_types or []) or "劳动争议"
    parts = [f"{when}起，网络上出现{len(posts)}条相关信息，反映{who}{kinds}问题。"]
    if alert.workers:
        parts.append(f"涉及约{alert.workers}人。")
    if alert.amount_yuan:
        parts.append(f"涉及金额约{alert.amount_yuan:,.0f}元。")
    for p in posts[:2]:
        source = names.source(p.source_id) or names.platform(p.platform)
        snippet = " ".join((p.snippet or "").split())
        parts.append(f"{source}《{post_title(p.title, snippet, limit=60)}》：{snippet[:200]}")
    return "".join(parts)[:1000]


# -- the signed acknowledgement link of alert e-mails (no login: the signed token is the credential) ----------


def _ack_form_token(request: Request, token: str) -> str:
    key = ctx(request).settings.alerting.secret_key
    secret = key.get_secret_value().encode() if key else b"laborwatch-no-secret"
    return hmac.new(secret, b"ack-form:" + token.encode(), hashlib.sha256).hexdigest()


@public.get("/ack/{token}")
def ack_link(request: Request, token: str) -> Response:
    """Show the alert and a confirm button (a GET never changes anything: mail scanners prefetch links)."""
    from alerting import ack

    try:
        info = ack.verify_token(ctx(request).settings, token)
    except LaborwatchError as exc:
        return render(request, "ack.html", {"error": zh(request, exc)}, status_code=400)
    alert_id, recipient = info
    data = _load_alert(request, alert_id)
    return render(request, "ack.html", {**data, "token": token, "form_token": _ack_form_token(request, token),
                                        "recipient": recipient})


@public.post("/ack/{token}")
def ack_link_confirm(request: Request, token: str, csrf_token: str = Form("")) -> Response:
    from alerting import ack

    if not hmac.compare_digest(csrf_token, _ack_form_token(request, token)):
        raise HTTPException(status_code=403, detail="表单已失效或缺少安全令牌（CSRF），请重新打开邮件中的链接。")
    try:
        alert_id, who = ack.verify_token(ctx(request).settings, token)
        ack.acknowledge(ctx(request).db, alert_id, by=who, via="link")
    except LaborwatchError as exc:
        return render(request, "ack.html", {"error": zh(request, exc)}, status_code=400)
    from laborwatch.web.accounts import audit

    with ctx(request).db.session() as s:
        audit(s, user_id=None, username=str(who)[:64], action="alert.ack", target_type="alert", target_id=alert_id,
              detail={"via": "email"}, ip=client_ip(request))
    data = _load_alert(request, alert_id)
    return render(request, "ack.html", {**data, "done": True})

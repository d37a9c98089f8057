"""Incident tracking by hand: merge two alerts into one incident, or move a post out of an alert.

The changes go through ``alerting.regroup`` (one transaction, both histories, the tracker's profiles rebuilt)
and into the audit log; ``laborwatch alerts tracking-labels`` exports them as training pairs for the tracker.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import (
    UserMayHandleAlert,
    ctx,
    flash_redirect,
    record,
)
from lwcore.errors import LaborwatchError

router = APIRouter()


def tracking_why(signal: dict[str, Any] | None) -> str:
    """Why the tracker put an evidence post in its alert, in Chinese (template filter)."""
    if not signal or not isinstance(signal.get("decision"), dict):
        return "—"
    from alerting.tracking import evidence_zh

    d = signal["decision"]
    why = evidence_zh(d.get("evidence") or ())
    head = f"归并（得分 {d.get('score')}）" if d.get("joined") else "新事件"
    link = d.get("description_link")
    return "；".join(x for x in (head, why, f"描述关联企业：{link}" if link else "") if x)


def _back(request: Request, alert_id: int, message: str, kind: str = "ok") -> Response:
    return flash_redirect(request, f"/alerts/{alert_id}", message, kind)


def _alert_id(raw: str) -> int | None:
    raw = raw.strip().lstrip("#")
    return int(raw) if raw.isdigit() and len(raw) <= 12 else None


@router.post("/alerts/{alert_id}/merge")
def merge_into(
    request: Request,
    alert_id: int,
    other: str = Form(""),
    reason: str = Form(""),
    *,
    user: UserMayHandleAlert,
) -> Response:
    """Merge alert ``other`` into this one (the two are one incident)."""
    from alerting.regroup import merge

    other_id = _alert_id(other)
    if other_id is None:
        return _back(request, alert_id, "请填写要并入的预警编号（数字）。", "error")
    try:
        moved = merge(ctx(request).db, into_id=alert_id, other_id=other_id, by=user.username, reason=reason[:500])
    except LaborwatchError as exc:
        return _back(request, alert_id, f"合并失败：{exc}", "error")
    record(request, user, "alert.merge", "alert", alert_id,
           {"merged_alert": other_id, "posts": moved, "reason": reason.strip()[:500]})
    note = _carry_case(request, user, into_id=alert_id, other_id=other_id, posts=moved)
    return _back(request, alert_id, f"已将预警 #{other_id} 并入本预警（移入帖子{len(moved)}条）。{note}")


def _carry_case(request: Request, user: Principal, *, into_id: int, other_id: int, posts: list[str]) -> str:
    """The merged alert's ledger case follows it, unless this alert has a case of its own (then both stay)."""
    from ledger import Ledger

    ledger = Ledger(ctx(request).db)
    try:
        theirs, ours = ledger.case_for_alert(str(other_id)), ledger.case_for_alert(str(into_id))
        if theirs is None:
            return ""
        if ours is not None:
            return f"两条预警分属台账 {ours.number} 和 {theirs.number}，请在台账中合并处理。"
        ledger.attach_alert(theirs.id, str(into_id), posts, by=user.username)
    except LaborwatchError as exc:
        return f"台账未能随之关联：{exc}"
    record(request, user, "case.attach_alert", "case", theirs.id, {"alert_id": into_id, "number": theirs.number})
    return f"原预警的台账 {theirs.number} 已关联到本预警。"


@router.post("/alerts/{alert_id}/move-post")
def move(
    request: Request,
    alert_id: int,
    post_id: str = Form(""),
    to: str = Form(""),
    reason: str = Form(""),
    *,
    user: UserMayHandleAlert,
) -> Response:
    """Move one post of this alert to another alert, or (no target) to a new alert of its own."""
    from alerting.regroup import move_post

    to_id = _alert_id(to) if to.strip() else None
    if to.strip() and to_id is None:
        return _back(request, alert_id, "目标预警编号须为数字；留空则拆分为新预警。", "error")
    try:
        dst = move_post(ctx(request).db, post_id.strip()[:100], from_id=alert_id, to_id=to_id, by=user.username,
                        reason=reason[:500])
    except LaborwatchError as exc:
        return _back(request, alert_id, f"移出失败：{exc}", "error")
    record(request, user, "alert.move_post", "alert", alert_id,
           {"post": post_id, "to_alert": dst, "new_alert": to_id is None, "reason": reason.strip()[:500]})
    where = f"预警 #{dst}" if to_id is not None else f"新预警 #{dst}"
    return _back(request, alert_id, f"帖子已移至{where}。")

"""待复核 (the uncertainty queue) and 模型管理 (bundles, gate reports, promotion and rollback)."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from laborwatch.web.accounts import Principal, audit
from laborwatch.web.deps import UserMayVerify, UserMayView, client_ip, ctx, flash_redirect, render, require, zh
from laborwatch.web.review import REVIEW_ACTION, review_queue
from laborwatch.web.routes.common import parse_verification, verify_many
from lwcore.errors import LaborwatchError

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter()

Verifier = UserMayVerify
Viewer = UserMayView
ModelAdmin = Annotated[Principal, Depends(require("model.manage"))]


@router.get("/review")
def review_page(request: Request, user: Viewer) -> Response:
    app = ctx(request)
    items: list[Any] = []
    facts: dict[str, Any] = {"cap": app.settings.nlp.learning.review_daily_cap, "done": 0, "threshold": None}
    error = ""
    if app.es_client is None:
        error = "检索索引暂不可用，待复核队列无法生成。"
    else:
        try:
            items, facts = review_queue(app.settings, app.es_client, app.db)
        except Exception as exc:  # noqa: BLE001 - isolation boundary: the page says why instead of a 500
            logger.warning("review queue unavailable: %s", exc)
            error = f"待复核队列生成失败：{zh(request, exc)}"
    return render(request, "review.html", {"items": items, "facts": facts, "error": error, "active": "review"})


@router.post("/review/{post_id}")
async def review_decide(request: Request, post_id: str, user: Verifier) -> Response:
    form = await request.form()
    try:
        decision = parse_verification(form)
    except LaborwatchError as exc:
        return flash_redirect(request, "/review", f"未保存（{post_id}）：{zh(request, exc)}", "error")
    message, kind = verify_many(request, user, [post_id], decision)
    if kind == "ok":
        with ctx(request).db.session() as s:
            audit(s, user_id=user.user_id, username=user.username, action=REVIEW_ACTION, target_type="post",
                  target_id=post_id, detail={"decision": decision.decision.value,
                                             "why": str(form.get("why") or "")}, ip=client_ip(request))
    return flash_redirect(request, "/review", message, kind)


# --- bundles ------------------------------------------------------------------------------------------------
def _store(request: Request) -> Any:  # noqa: ANN401 - nlp.bundles.BundleStore
    from nlp.bundles import BundleStore

    return BundleStore.from_settings(ctx(request).settings)


def _audit_for(request: Request, user: Principal) -> Any:  # noqa: ANN401
    def write(action: str, bundle_id: str, detail: dict[str, Any]) -> None:
        with ctx(request).db.session() as s:
            audit(s, user_id=user.user_id, username=user.username, action=action, target_type="model",
                  target_id=bundle_id, detail=detail, ip=client_ip(request))

    return write


@router.get("/admin/models")
def models_page(request: Request, user: ModelAdmin) -> Response:
    store = _store(request)
    return render(request, "models.html", {"bundles": store.entries(), "history": list(reversed(store.history()))[:30],
                                           "pointer": store.read_pointer(), "active": "models",
                                           "learning": ctx(request).settings.nlp.learning})


@router.get("/admin/models/{bundle_id}")
def model_page(request: Request, bundle_id: str, user: ModelAdmin) -> Response:
    from nlp.errors import NlpError

    try:
        entry = _store(request).get(bundle_id)
    except NlpError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return render(request, "model.html", {"b": entry, "gate": entry.gate or {}, "active": "models"})


@router.post("/admin/models/{bundle_id}/promote")
async def model_promote(request: Request, bundle_id: str, user: ModelAdmin) -> Response:
    from nlp.errors import NlpError

    form = await request.form()
    force = bool(form.get("force"))
    reason = str(form.get("reason") or "").strip()
    if force and not reason:
        return flash_redirect(request, f"/admin/models/{quote(bundle_id, safe='')}",
                              "强制启用未通过评估的模型时，请填写理由。", "error")
    try:
        p = _store(request).promote(bundle_id, by=user.username, reason=reason, force=force,
                                    audit=_audit_for(request, user))
    except NlpError as exc:
        return flash_redirect(request, f"/admin/models/{quote(bundle_id, safe='')}", f"未启用：{exc}", "error")
    return flash_redirect(request, "/admin/models", f"已启用模型 {p['bundle']}（原为 {p['previous']}），"
                                                    "运行中的采集与分析进程将在下一批自动切换。")


@router.post("/admin/models/rollback")
async def model_rollback(request: Request, user: ModelAdmin) -> Response:
    from nlp.errors import NlpError

    form = await request.form()
    target = str(form.get("bundle") or "").strip() or None
    try:
        p = _store(request).rollback(target, by=user.username, reason=str(form.get("reason") or "").strip(),
                                     audit=_audit_for(request, user))
    except NlpError as exc:
        return flash_redirect(request, "/admin/models", f"未回退：{exc}", "error")
    return flash_redirect(request, "/admin/models", f"已回退到模型 {p['bundle']}（原为 {p['previous']}）。")

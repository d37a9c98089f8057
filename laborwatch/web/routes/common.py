"""Helpers shared by several routers: the index post store, verification form parsing, case choices."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request

from laborwatch.web.accounts import Principal
from laborwatch.web.deps import client_ip, ctx, zh
from laborwatch.web.errors import WebError
from laborwatch.web.models import Decision
from laborwatch.web.verification import VerificationInput, verify_post
from lwcore.errors import LaborwatchError

__all__ = ["store_for", "parse_verification", "verify_many", "case_choices", "opt_int", "opt_float"]

logger = logging.getLogger(__name__)


def store_for(request: Request) -> Any | None:
    """The index room's Indexer bound to the app's ES client (None when search is unavailable)."""
    app_ctx = ctx(request)
    if app_ctx.es_client is None:
        return None
    indexer = app_ctx.extras.get("indexer")
    if indexer is None:
        import index

        # the web's indexer reads and updates fields of stored posts; it never segments new text
        segmenter = app_ctx.segmenter or (lambda text: text.split())
        indexer = index.Indexer(app_ctx.es_client, app_ctx.settings.es, segmenter=segmenter)
        app_ctx.extras["indexer"] = indexer
    return indexer


def opt_int(value: Any, name: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise WebError(f"{name}须为整数（收到 {text!r}）") from None


def opt_float(value: Any, name: str) -> float | None:
    text = str(value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise WebError(f"{name}须为数字（收到 {text!r}）") from None


def parse_verification(form: Any, *, alert_id: str | None = None) -> VerificationInput:
    """A :class:`VerificationInput` from a submitted verification form."""
    raw = str(form.get("decision") or "")
    try:
        decision = Decision(raw)
    except ValueError:
        raise WebError(f"未知的核实结论 {raw!r}") from None
    employers = tuple(e.strip() for e in str(form.get("employer") or "").replace("，", ",").split(",") if e.strip())
    return VerificationInput(
        decision=decision,
        event_types=tuple(str(v) for v in form.getlist("event_type")),
        employers=employers,
        company_id=str(form.get("company_id") or "").strip() or None,
        workers=opt_int(form.get("workers"), "涉及人数"),
        amount_yuan=opt_float(form.get("amount_yuan"), "涉及金额"),
        low_confidence=bool(form.get("low_confidence")),
        note=str(form.get("note") or "").strip(),
        alert_id=alert_id,
    )


def verify_many(
    request: Request,
    user: Principal,
    post_ids: list[str],
    decision: VerificationInput,
    *,
    fallback_docs: dict[str, dict[str, Any]] | None = None,
) -> tuple[str, str]:
    """Apply one decision to several posts; returns a (message, kind) flash for the page."""
    store = store_for(request)
    done, stale, errors = 0, 0, []
    for post_id in post_ids:
        doc = None
        if store is not None:
            try:
                doc = store.get(post_id)
            except Exception as exc:  # noqa: BLE001 - isolation boundary: fall back to the stored copy
                logger.warning("index read of post %s failed: %s", post_id, exc)
        if doc is None and fallback_docs:
            doc = fallback_docs.get(post_id)
        try:
            result = verify_post(ctx(request).db, store, post_id, decision, user=user, ip=client_ip(request), doc=doc)
        except LaborwatchError as exc:
            errors.append(f"{post_id}：{zh(request, exc)}")
            continue
        done += 1
        stale += int(not result.index_updated)
    if store is not None and done > stale:
        try:
            store.refresh()  # one refresh for the batch: the decisions show in search filters at once
        except Exception as exc:  # noqa: BLE001 - visible after the index's own refresh interval anyway
            logger.warning("index refresh after verification failed: %s", exc)
    label = {
        Decision.CONFIRM: "确认属实", Decision.NOT_DISPUTE: "排除（非劳动争议）", Decision.DUPLICATE: "排除（重复）",
        Decision.OUTSIDE_DISTRICT: "排除（非本辖区）", Decision.CORRECT: "更正",
    }[decision.decision]
    message = f"已记录核实结论：{label}，共 {done} 条。"
    if stale:
        message += f"其中 {stale} 条暂未写入检索索引（索引不可用），核实记录已保存。"
    if errors:
        return message + " 未处理：" + "；".join(errors), "error"
    return message, "ok"


def case_choices(request: Request, limit: int = 30) -> list[Any]:
    """The newest open cases, offered for attaching evidence (older ones: open the case and link from there)."""
    from ledger import Ledger
    from ledger.vocab import OPEN_STATUSES

    try:
        cases, _total = Ledger(ctx(request).db).list_cases(status=list(OPEN_STATUSES), order="-created_at",
                                                             size=limit)
    except LaborwatchError as exc:
        logger.warning("cannot list open cases: %s", exc)
        return []
    return cases

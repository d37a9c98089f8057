"""Verification decisions: a staff judgement on a post becomes a feedback label, the post's ``verification``
field in the index, and an audit entry.

The post document comes from the index (``Indexer.get``) so the label keeps the exact text the model saw; a
decision is refused with a clear message when the post is unknown. Writing to the index goes through the index
room's ``Indexer.update_fields``; if the index is unreachable the label is still stored (it is the record of
truth) and the caller is told that the index copy is stale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from laborwatch.web.accounts import Principal, audit
from laborwatch.web.errors import WebError
from laborwatch.web.models import Decision, FeedbackLabel
from lwcore.db import Database, utcnow
from lwcore.domain import EVENT_TYPES

__all__ = ["PostStore", "VerificationInput", "VerificationResult", "verify_post", "labels_for_post", "post_text"]

logger = logging.getLogger(__name__)

DISMISSALS = frozenset({Decision.NOT_DISPUTE, Decision.DUPLICATE, Decision.OUTSIDE_DISTRICT})


class PostStore(Protocol):
    """What verification needs from the index room's Indexer."""

    def get(self, post_id: str) -> dict[str, Any] | None: ...

    def update_fields(self, post_id: str, fields: dict[str, Any]) -> Any: ...

    def refresh(self) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationInput:
    decision: Decision
    event_types: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    company_id: str | None = None
    workers: int | None = None
    amount_yuan: float | None = None
    low_confidence: bool = False
    note: str = ""
    alert_id: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.event_types) - set(EVENT_TYPES)
        if unknown:
            raise WebError(f"未知的事件类型：{', '.join(sorted(unknown))}")
        if self.decision in (Decision.CONFIRM, Decision.CORRECT) and not self.event_types:
            raise WebError("确认或更正为劳动争议时，请至少选择一个事件类型。")
        if self.workers is not None and self.workers < 0:
            raise WebError("涉及人数不能为负数。")
        if self.amount_yuan is not None and self.amount_yuan < 0:
            raise WebError("涉及金额不能为负数。")


@dataclass
class VerificationResult:
    label_id: int
    state: str  # confirmed | dismissed
    index_updated: bool
    index_error: str | None = None
    doc: dict[str, Any] = field(default_factory=dict)


def post_text(doc: dict[str, Any]) -> str:
    """Title and body as one text, as :attr:`lwcore.domain.Post.text` builds it."""
    title = (doc.get("title") or "").strip()
    content = (doc.get("content") or "").strip()
    if title and content and not content.startswith(title):
        return f"{title}\n{content}"
    return content or title


def _analysis(doc: dict[str, Any]) -> dict[str, Any]:
    nested = doc.get("analysis")
    return nested if isinstance(nested, dict) else doc


def verify_post(
    db: Database,
    store: PostStore | None,
    post_id: str,
    decision: VerificationInput,
    *,
    user: Principal,
    ip: str | None = None,
    doc: dict[str, Any] | None = None,
) -> VerificationResult:
    """Store a decision on ``post_id`` (label + audit), then mirror it onto the index document."""
    if doc is None:
        if store is None:
            raise WebError("检索索引不可用，无法读取该信息，请稍后重试。")
        doc = store.get(post_id)
        if doc is None:
            raise WebError(f"索引中没有编号为 {post_id} 的信息。")
    analysis = _analysis(doc)
    is_dispute = decision.decision in (Decision.CONFIRM, Decision.CORRECT, Decision.OUTSIDE_DISTRICT)
    if decision.decision == Decision.OUTSIDE_DISTRICT and not decision.event_types:
        event_types = tuple(analysis.get("event_types") or ())
    else:
        event_types = decision.event_types if is_dispute else ()
    employers = decision.employers or tuple(analysis.get("employers") or ())
    state = "dismissed" if decision.decision in DISMISSALS else "confirmed"
    now = utcnow()
    with db.session() as s:
        row = FeedbackLabel(
            post_id=post_id,
            source=str(doc.get("platform") or doc.get("source_id") or ""),
            text=post_text(doc),
            decision=decision.decision.value,
            labor_dispute=is_dispute,
            event_types=list(event_types),
            employers=list(employers) if is_dispute else [],
            company_id=decision.company_id,
            workers=decision.workers if decision.workers is not None else analysis.get("workers"),
            amount_yuan=decision.amount_yuan if decision.amount_yuan is not None else analysis.get("amount_yuan"),
            confidence="low" if decision.low_confidence else "high",
            model_labor_dispute=analysis.get("labor_dispute"),
            model_event_types=list(analysis.get("event_types") or ()),
            model_version=analysis.get("model_version"),
            note=decision.note,
            alert_id=decision.alert_id,
            user_id=user.user_id,
            username=user.username,
            created_at=now,
        )
        s.add(row)
        s.flush()
        label_id = row.id
        audit(
            s, user_id=user.user_id, username=user.username, action=f"verify.{decision.decision.value}",
            target_type="post", target_id=post_id,
            detail={"event_types": list(event_types), "company_id": decision.company_id,
                    "employers": list(employers), "alert_id": decision.alert_id, "note": decision.note},
            ip=ip,
        )
    verification = {
        "state": state,
        "decision": decision.decision.value,
        "event_types": list(event_types),
        "company_id": decision.company_id,
        "employers": list(employers),
        "by": user.username,
        "at": now.isoformat(),
        "note": decision.note,
    }
    result = VerificationResult(label_id=label_id, state=state, index_updated=False, doc=doc)
    if store is None:
        result.index_error = "检索索引不可用"
        return result
    try:
        store.update_fields(post_id, {"verification": verification})
        result.index_updated = True
    except Exception as exc:  # noqa: BLE001 - isolation boundary: the label is stored, the index copy can lag
        logger.exception("could not write verification of post %s to the index", post_id)
        result.index_error = f"{type(exc).__name__}: {exc}"
    return result


def labels_for_post(db: Database, post_id: str) -> list[FeedbackLabel]:
    """All decisions on a post, newest first."""
    from sqlalchemy import select

    with db.session() as s:
        return list(
            s.scalars(
                select(FeedbackLabel)
                .where(FeedbackLabel.post_id == post_id)
                .order_by(FeedbackLabel.created_at.desc(), FeedbackLabel.id.desc())
            )
        )

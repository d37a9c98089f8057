"""Staff correct the incident tracker: merge two alerts, or move a post to another alert or to a new one.

Each change runs in one transaction, rebuilds the incident profiles the tracker reads (so later posts follow the
correction, in this process and any other), and is written in both alerts' histories with who did it and why.
:func:`tracking_labels` turns those hand corrections into labelled pairs (post, incident, same or not) for
fitting the tracker's weights (``alerting.tracking.TrackerWeights``).

    from alerting.regroup import merge, move_post, tracking_labels
    merge(db, into_id=12, other_id=15, by="张伟", reason="同一工地，总包与分包")
    new_id = move_post(db, "p-123", from_id=12, to_id=None, by="张伟", reason="另一家企业")
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerting.errors import AlertingError
from alerting.merging import merge_alerts
from alerting.models import Alert, AlertEvent, AlertPost
from alerting.render import company_display
from alerting.texts import event_label, main_event
from alerting.tracking import IncidentProfile, PostSignal
from lwcore.db import Database, utcnow
from lwcore.domain import Severity

__all__ = ["RegroupError", "merge", "move_post", "tracking_labels"]


class RegroupError(AlertingError):
    """A merge or a move cannot be done (unknown alert or post, the same alert twice, an alert merged away)."""


def _alert(s: Session, alert_id: int) -> Alert:
    a = s.get(Alert, alert_id)
    if a is None:
        raise RegroupError(f"预警 {alert_id} 不存在")
    if a.merged_into is not None:
        raise RegroupError(f"预警 {alert_id} 已并入预警 {a.merged_into}，请在该预警上操作")
    return a


def merge(db: Database, *, into_id: int, other_id: int, by: str, reason: str, now: datetime | None = None) -> list[str]:
    """Fold alert ``other_id`` into ``into_id``; returns the post ids moved."""
    if into_id == other_id:
        raise RegroupError("不能把预警合并到它自己")
    if not reason.strip():
        raise RegroupError("合并需要填写原因")
    with db.session() as s:
        into, other = _alert(s, into_id), _alert(s, other_id)
        return merge_alerts(s, into=into, other=other, now=now or utcnow(), actor=by, reason=reason.strip())


def _signals(s: Session, alert_id: int) -> list[PostSignal]:
    rows = s.scalars(select(AlertPost.signal).where(AlertPost.alert_id == alert_id, AlertPost.signal.is_not(None)))
    return [PostSignal.from_json(r) for r in rows]


def _refresh(s: Session, alert: Alert, now: datetime) -> None:
    """Recompute what an alert shows and what the tracker reads from the posts it now holds."""
    posts = list(s.scalars(select(AlertPost).where(AlertPost.alert_id == alert.id)))
    alert.post_count = len(posts)
    alert.event_types = sorted({t for p in posts for t in (p.event_types or ())})
    workers = [p.workers for p in posts if p.workers is not None]
    amounts = [p.amount_yuan for p in posts if p.amount_yuan is not None]
    alert.workers = max(workers) if workers else None
    alert.amount_yuan = max(amounts) if amounts else None
    sev = [Severity(p.severity) for p in posts if p.severity]
    alert.max_severity = min(sev, key=lambda x: x.rank).value if sev else None
    times = [p.published_at for p in posts if p.published_at is not None]
    if times:
        alert.first_seen, alert.last_seen = min(times), max(times)
    prof = IncidentProfile.of_signals(alert.cluster_key, _signals(s, alert.id))
    alert.profile = prof.to_json() if prof else None
    alert.title = f"{company_display(alert)}{event_label(main_event(alert.event_types))}"
    alert.updated_at = now


def move_post(
    db: Database,
    post_id: str,
    *,
    from_id: int,
    to_id: int | None,
    by: str,
    reason: str,
    now: datetime | None = None,
) -> int:
    """Move one evidence post to alert ``to_id`` or, with ``None``, to a new alert of its own; returns its alert."""
    if not reason.strip():
        raise RegroupError("移出需要填写原因")
    now = now or utcnow()
    with db.session() as s:
        src = _alert(s, from_id)
        row = s.scalar(select(AlertPost).where(AlertPost.alert_id == from_id, AlertPost.post_id == post_id))
        if row is None:
            raise RegroupError(f"帖子 {post_id} 不在预警 {from_id} 中")
        if src.post_count <= 1:
            raise RegroupError(f"预警 {from_id} 只有这一条帖子，无需拆分")
        if to_id is not None:
            if to_id == from_id:
                raise RegroupError("目标预警与原预警相同")
            dst = _alert(s, to_id)
            if s.scalar(select(AlertPost.id).where(AlertPost.alert_id == to_id, AlertPost.post_id == post_id)):
                s.delete(row)
            else:
                row.alert_id = dst.id
        else:
            key = "inc-" + hashlib.sha1(f"{post_id}|split|{from_id}".encode()).hexdigest()[:16]
            dst = Alert(
                cluster_key=key, level=src.level, status="open", silenced=False, title="",
                company_id=None, company_name=None, company_registered=True, key_supervision=False,
                town=src.town, industry=None, event_types=[], rules=list(src.rules or ()),
                reasons=[f"由预警 #{src.id} 拆分：{reason.strip()}"], post_count=0,
                first_seen=row.published_at or now, last_seen=row.published_at or now, created_at=now,
                updated_at=now, notified_level=src.notified_level, notified_post_count=0, escalation_step=0,
            )
            sig = row.signal or {}
            firms = sig.get("firms") or {}
            linked = [k[2:] for k in firms if k.startswith("c:")]
            if linked:
                dst.company_id, dst.company_name = linked[0], firms[f"c:{linked[0]}"]
            elif firms:
                dst.company_name, dst.company_registered = next(iter(firms.values())), False
            s.add(dst)
            s.flush()
            row.alert_id = dst.id
        s.flush()
        _refresh(s, src, now)
        _refresh(s, dst, now)
        detail = {"post": post_id, "from_alert": src.id, "to_alert": dst.id, "reason": reason.strip(),
                  "new_alert": to_id is None}
        s.add(AlertEvent(alert_id=src.id, at=now, kind="post_moved_out", actor=by, detail=detail))
        s.add(AlertEvent(alert_id=dst.id, at=now, kind="post_moved_in", actor=by, detail=detail))
        return dst.id


def tracking_labels(db: Database) -> Iterator[dict[str, Any]]:
    """Labelled pairs from staff corrections: ``{"post_id", "alert_id", "same": bool, "by", "at", "source"}``.

    A hand merge says every moved post belongs with the alert it joined; a move says the post does not belong
    with the alert it left and does belong with the one it entered. The tracker's own merges are not labels.
    """
    with db.session() as s:
        events = list(s.scalars(select(AlertEvent).where(
            AlertEvent.kind.in_(("merged", "post_moved_out")), AlertEvent.actor != "system"
        ).order_by(AlertEvent.id)))
        for e in events:
            d = e.detail or {}
            at = e.at.isoformat()
            if e.kind == "merged":
                for pid in d.get("posts") or ():
                    yield {"post_id": pid, "alert_id": e.alert_id, "same": True, "by": e.actor, "at": at,
                           "source": "merge"}
            else:
                yield {"post_id": d.get("post"), "alert_id": d.get("from_alert"), "same": False, "by": e.actor,
                       "at": at, "source": "move"}
                yield {"post_id": d.get("post"), "alert_id": d.get("to_alert"), "same": True, "by": e.actor,
                       "at": at, "source": "move"}

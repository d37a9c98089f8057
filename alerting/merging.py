"""Folding one alert into another (the tracker's automatic merge and staff's ``alerting.regroup.merge``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerting.models import Alert, AlertEvent, AlertPost
from alerting.render import company_display
from alerting.texts import event_label, main_event
from alerting.tracking import IncidentProfile
from lwcore.domain import Severity

__all__ = ["merge_alerts"]


def merge_alerts(s: Session, *, into: Alert, other: Alert, now: datetime, actor: str, reason: str) -> list[str]:
    """Fold alert ``other`` into ``into`` inside the caller's transaction; returns the post ids moved.

    The evidence moves, the figures combine (types, workers, amount, severity, rules, reasons, company when
    ``into`` has none), the level and the notified level become the more severe of the two (the recipients of
    either were told that much), and ``other`` is closed pointing at ``into``. Both histories record it.
    """
    if into.id == other.id:
        raise ValueError("an alert cannot be merged into itself")
    have = set(s.scalars(select(AlertPost.post_id).where(AlertPost.alert_id == into.id)))
    moved: list[str] = []
    for ap in list(s.scalars(select(AlertPost).where(AlertPost.alert_id == other.id))):
        if ap.post_id in have:
            s.delete(ap)
        else:
            ap.alert_id = into.id
            moved.append(ap.post_id)
    into.post_count += len(moved)
    into.event_types = sorted(set(into.event_types or ()) | set(other.event_types or ()))
    into.rules = sorted(set(into.rules or ()) | set(other.rules or ()))
    into.reasons = list(dict.fromkeys([*(into.reasons or ()), *(other.reasons or ())]))[-20:]
    for attr in ("workers", "amount_yuan"):
        vals = [v for v in (getattr(into, attr), getattr(other, attr)) if v is not None]
        setattr(into, attr, max(vals) if vals else None)
    for attr in ("level", "max_severity", "notified_level"):
        vals = [Severity(v) for v in (getattr(into, attr), getattr(other, attr)) if v]
        if vals:
            setattr(into, attr, min(vals, key=lambda lv: lv.rank).value)
    if into.company_id is None and other.company_id is not None:
        for attr in ("company_id", "company_name", "company_registered", "town", "industry"):
            setattr(into, attr, getattr(other, attr))
    into.key_supervision = bool(into.key_supervision or other.key_supervision)
    into.first_seen = min(into.first_seen, other.first_seen)
    into.last_seen = max(into.last_seen, other.last_seen)
    if into.incident_state is None and other.incident_state is not None:
        into.incident_state, into.incident_ref = other.incident_state, other.incident_ref
    if into.profile and other.profile:
        a = IncidentProfile.from_json(into.cluster_key, into.profile)
        a.absorb_profile(IncidentProfile.from_json(other.cluster_key, other.profile))
        into.profile = a.to_json()
    into.title = f"{company_display(into)}{event_label(main_event(into.event_types))}"
    into.updated_at = now
    other.status = "closed"
    other.merged_into = into.id
    other.post_count = 0
    other.updated_at = now
    s.add(AlertEvent(alert_id=into.id, at=now, kind="merged", actor=actor,
                     detail={"from_alert": other.id, "posts": moved, "reason": reason}))
    s.add(AlertEvent(alert_id=other.id, at=now, kind="merged_into", actor=actor,
                     detail={"into_alert": into.id, "posts": moved, "reason": reason}))
    return moved

"""What was done with an alert, as the inbox shows it: acknowledged, verified (confirmed / all posts dismissed),
silenced, escalated, turned into a ledger case, closed. Read in a few batched queries for a page of alerts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from laborwatch.web.models import Decision, FeedbackLabel
from laborwatch.web.verification import DISMISSALS
from lwcore.db import Database

__all__ = ["AlertState", "alert_states", "post_decisions", "all_dismissed"]

_DISMISSED = frozenset(d.value for d in DISMISSALS)


@dataclass
class AlertState:
    """``main``: the one state the badge shows; ``badges``: every state that applies, most telling first
    (codes of :data:`laborwatch.web.labels.ALERT_STATE_LABELS`)."""

    main: str
    badges: list[str] = field(default_factory=list)
    case_id: int | None = None
    decided: int = 0
    posts: int = 0

    @property
    def done(self) -> bool:
        return self.main in ("closed", "dismissed", "cased", "confirmed", "acknowledged")


def post_decisions(db: Database, post_ids: Iterable[str]) -> dict[str, str]:
    """The latest verification decision per post (posts never verified are absent)."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    out: dict[str, str] = {}
    with db.session() as s:
        for start in range(0, len(ids), 500):
            rows = s.execute(
                select(FeedbackLabel.post_id, FeedbackLabel.decision)
                .where(FeedbackLabel.post_id.in_(ids[start:start + 500]))
                .order_by(FeedbackLabel.created_at, FeedbackLabel.id)
            ).all()
            for post_id, decision in rows:
                out[post_id] = decision  # the newest wins
    return out


def all_dismissed(post_ids: Sequence[str], decisions: dict[str, str]) -> bool:
    return bool(post_ids) and all(decisions.get(p) in _DISMISSED for p in post_ids)


def alert_states(db: Database, alerts: Sequence[Any]) -> dict[int, AlertState]:
    """States of ``alerts`` (rows of ``alerting.models.Alert``) by alert id."""
    from alerting.models import AlertPost
    from ledger.models import CaseAlertRow

    ids = [a.id for a in alerts]
    if not ids:
        return {}
    with db.session() as s:
        posts_of: dict[int, list[str]] = {}
        for alert_id, post_id in s.execute(
            select(AlertPost.alert_id, AlertPost.post_id).where(AlertPost.alert_id.in_(ids))
        ):
            posts_of.setdefault(alert_id, []).append(post_id)
        links = select(CaseAlertRow.alert_id, CaseAlertRow.case_id).where(
            CaseAlertRow.alert_id.in_([str(i) for i in ids]))
        cases = {alert_id: case_id for alert_id, case_id in s.execute(links)}
    decisions = post_decisions(db, [p for ps in posts_of.values() for p in ps])
    out: dict[int, AlertState] = {}
    for a in alerts:
        posts = posts_of.get(a.id, [])
        decided = [decisions[p] for p in posts if p in decisions]
        dismissed = all_dismissed(posts, decisions)
        confirmed = any(d in (Decision.CONFIRM.value, Decision.CORRECT.value) for d in decided)
        case_id = cases.get(str(a.id))
        badges: list[str] = []
        if a.status == "closed":
            badges.append("dismissed" if dismissed else "closed")
        elif dismissed:
            badges.append("dismissed")
        if case_id is not None:
            badges.append("cased")
        if confirmed:
            badges.append("confirmed")
        if a.silenced:
            badges.append("silenced")
        if a.escalation_step and a.status == "open":
            badges.append("escalated")
        if a.status in ("open", "acknowledged"):
            badges.append(a.status)
        out[a.id] = AlertState(main=badges[0], badges=badges, case_id=case_id, decided=len(decided),
                               posts=len(posts))
    return out

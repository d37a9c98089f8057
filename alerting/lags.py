"""Discovery lag of alerts (issue 21): from the first post's publication to the first alert e-mail the mail
server accepted.

The sender marks an outbox row ``sent`` with ``sent_at`` when the server accepted the message
(``alerting.outbox.Outbox._mark_sent``, or ``_settle_accepted`` after a crash); an alert's first accepted
e-mail is the earliest ``sent_at`` of its ``kind = 'alert'`` rows. A post's publication time is
``AlertPost.published_at``; ``added_at`` is when the engine took the post in (right after its crawl), so
``added_at - published_at`` is the post's crawl lag as the alert saw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from alerting.models import Alert, AlertPost, OutboxMessage

__all__ = ["AlertLag", "PostLag", "alert_lags", "first_told_after", "post_lags"]


@dataclass(frozen=True, slots=True)
class AlertLag:
    alert_id: int
    level: str
    title: str
    source_id: str  # the source of the earliest published post
    published_at: datetime  # the earliest published post
    taken_at: datetime  # when the engine took that post in
    first_sent_at: datetime | None  # the first alert e-mail accepted by the server (None: none yet)

    @property
    def crawl_lag_s(self) -> float:
        return max(0.0, (self.taken_at - self.published_at).total_seconds())

    @property
    def email_lag_s(self) -> float | None:
        if self.first_sent_at is None:
            return None
        return max(0.0, (self.first_sent_at - self.published_at).total_seconds())


@dataclass(frozen=True, slots=True)
class PostLag:
    alert_id: int
    post_id: str
    source_id: str
    published_at: datetime
    taken_at: datetime
    first_sent_at: datetime | None  # the first alert e-mail of its alert accepted after the post was taken in

    @property
    def email_lag_s(self) -> float | None:
        if self.first_sent_at is None:
            return None
        return max(0.0, (self.first_sent_at - self.published_at).total_seconds())


def _first_sent(db: object, alert_ids: Sequence[int]) -> dict[int, list[datetime]]:
    """Alert id -> the ``sent_at`` of its accepted alert e-mails, ascending."""
    out: dict[int, list[datetime]] = {}
    if not alert_ids:
        return out
    with db.sessions() as s:  # type: ignore[attr-defined]
        rows = s.execute(select(OutboxMessage.alert_id, OutboxMessage.sent_at)
                         .where(OutboxMessage.alert_id.in_(list(alert_ids)), OutboxMessage.kind == "alert",
                                OutboxMessage.status == "sent", OutboxMessage.sent_at.is_not(None))
                         .order_by(OutboxMessage.sent_at)).all()
    for aid, at in rows:
        out.setdefault(int(aid), []).append(at)
    return out


def alert_lags(db: object, since: datetime, until: datetime | None = None) -> list[AlertLag]:
    """Lags of the alerts created in ``[since, until)`` that have a post with a publication time."""
    q = select(Alert.id, Alert.level, Alert.title).where(Alert.created_at >= since, Alert.merged_into.is_(None))
    if until is not None:
        q = q.where(Alert.created_at < until)
    return _lags(db, q)


def first_told_after(db: object, after: datetime) -> list[AlertLag]:
    """Alerts whose first accepted alert e-mail was accepted after ``after`` (for the Prometheus histogram)."""
    first = (select(OutboxMessage.alert_id.label("aid"), func.min(OutboxMessage.sent_at).label("first"))
             .where(OutboxMessage.kind == "alert", OutboxMessage.status == "sent",
                    OutboxMessage.sent_at.is_not(None), OutboxMessage.alert_id.is_not(None))
             .group_by(OutboxMessage.alert_id).subquery())
    q = (select(Alert.id, Alert.level, Alert.title).join(first, first.c.aid == Alert.id)
         .where(first.c.first > after))
    return _lags(db, q)


def _lags(db: object, q: object) -> list[AlertLag]:
    with db.sessions() as s:  # type: ignore[attr-defined]
        alerts = {int(a): (lvl, title) for a, lvl, title in s.execute(q).all()}
        if not alerts:
            return []
        first_pub = (select(AlertPost.alert_id, func.min(AlertPost.published_at).label("pub"))
                     .where(AlertPost.alert_id.in_(list(alerts)), AlertPost.published_at.is_not(None))
                     .group_by(AlertPost.alert_id).subquery())
        rows = s.execute(select(AlertPost.alert_id, AlertPost.source_id, AlertPost.published_at, AlertPost.added_at)
                         .join(first_pub, (first_pub.c.alert_id == AlertPost.alert_id)
                               & (first_pub.c.pub == AlertPost.published_at))
                         .order_by(AlertPost.alert_id, AlertPost.added_at)).all()
    sent = _first_sent(db, list(alerts))
    out: list[AlertLag] = []
    done: set[int] = set()
    for aid, source_id, pub, taken in rows:
        if aid in done:
            continue
        done.add(aid)
        level, title = alerts[aid]
        times = sent.get(aid) or []
        out.append(AlertLag(aid, level, title, source_id, pub, taken, times[0] if times else None))
    return out


def post_lags(db: object, since: datetime, until: datetime | None = None) -> list[PostLag]:
    """Per post taken into an alert in ``[since, until)``: publication -> the first alert e-mail of its alert
    accepted at or after the post was taken in (a later post is only 'told' by an e-mail sent after it)."""
    with db.sessions() as s:  # type: ignore[attr-defined]
        q = select(AlertPost.alert_id, AlertPost.post_id, AlertPost.source_id, AlertPost.published_at,
                   AlertPost.added_at).where(AlertPost.added_at >= since, AlertPost.published_at.is_not(None))
        if until is not None:
            q = q.where(AlertPost.added_at < until)
        rows = s.execute(q).all()
    sent = _first_sent(db, sorted({int(r[0]) for r in rows}))
    out = []
    for aid, pid, sid, pub, taken in rows:
        after = next((t for t in sent.get(int(aid), []) if t >= taken), None)
        out.append(PostLag(int(aid), pid, sid, pub, taken, after))
    return out

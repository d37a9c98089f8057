"""The hourly and daily digests (汇总): level IV and silenced alerts, and (daily) the rest and what is unacknowledged.

Each period is queued once (a ``DigestRun`` row per kind and period start, unique); a period with nothing in
it records its run and sends nothing. Digests go by e-mail to the roster's digest recipients.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from alerting.ack import verify_url
from alerting.models import Alert, DigestRun
from alerting.outbox import enqueue
from alerting.render import company_display, render_digest
from alerting.roster import Router
from alerting.texts import event_label, main_event
from lwcore.db import Database
from lwcore.domain import SHANGHAI
from lwcore.settings import Settings

__all__ = ["Digests"]

logger = logging.getLogger(__name__)


class Digests:
    def __init__(self, settings: Settings, db: Database, router: Router, *, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.db = db
        self.router = router
        self.clock = clock

    def queue_due(self, now: datetime | None = None) -> list[str]:
        """Queue the hourly and daily digests whose period has ended (each period once). Returns their keys."""
        now = now or self.clock()
        cfg = self.router.config.digest
        local = now.astimezone(SHANGHAI)
        due: list[tuple[str, datetime, datetime]] = []
        if cfg.hourly:
            end = local.replace(minute=0, second=0, microsecond=0)
            due.append(("hourly", end - timedelta(hours=1), end))
        if cfg.daily:
            hh, mm = (int(x) for x in self.settings.service.daily_digest_time.split(":"))
            end = datetime.combine(local.date(), time(hh, mm), tzinfo=SHANGHAI)
            if end > local:
                end -= timedelta(days=1)
            due.append(("daily", end - timedelta(days=1), end))
        done: list[str] = []
        for kind, start, end in due:
            try:
                if self._queue_digest(kind, start, end, now):
                    done.append(f"{kind}:{start.isoformat()}")
            except IntegrityError:
                logger.info("digest %s %s queued by another process", kind, start)
        return done

    def _queue_digest(self, kind: str, start: datetime, end: datetime, now: datetime) -> bool:
        with self.db.session() as s:
            if s.scalar(select(DigestRun.id).where(DigestRun.kind == kind, DigestRun.period_start == start)):
                return False
            in_period = (Alert.created_at >= start) & (Alert.created_at < end)
            low = list(
                s.scalars(
                    select(Alert).where(in_period, Alert.level == "IV", Alert.silenced.is_(False)).order_by(Alert.id)
                )
            )
            silenced = list(
                s.scalars(
                    select(Alert)
                    .where(
                        Alert.silenced.is_(True), or_(in_period, (Alert.updated_at >= start) & (Alert.updated_at < end))
                    )
                    .order_by(Alert.id)
                )
            )
            sections: list[tuple[str, list[dict[str, Any]]]] = [
                ("四级预警", [self._row(a) for a in low]),
                ("已静默预警", [self._row(a) for a in silenced]),
            ]
            if kind == "daily":
                others = list(
                    s.scalars(
                        select(Alert)
                        .where(in_period, Alert.level != "IV", Alert.silenced.is_(False))
                        .order_by(Alert.id)
                    )
                )
                open_ = list(
                    s.scalars(
                        select(Alert)
                        .where(
                            Alert.status == "open",
                            Alert.acked_at.is_(None),
                            Alert.notified_level.in_(("I", "II", "III")),
                            Alert.created_at < end,
                        )
                        .order_by(Alert.id)
                    )
                )
                sections = [
                    ("一至三级预警", [self._row(a) for a in others]),
                    *sections,
                    ("尚未确认的预警", [self._row(a) for a in open_]),
                ]
            items = sum(len(rows) for _, rows in sections)
            s.add(DigestRun(kind=kind, period_start=start, period_end=end, items=items, created_at=now))
            if items == 0:
                return True
            mail = render_digest(self.settings, kind=kind, start=start, end=end, sections=sections)
            for r in self.router.digest_recipients(at=now):
                if r.channel != "email":
                    continue
                enqueue(
                    s,
                    dedup_key=f"digest:{kind}:{start.isoformat()}:{r.key}",
                    channel="email",
                    recipient=r.address,
                    kind="digest",
                    subject=mail.subject,
                    payload={"text": mail.text, "html": mail.html},
                    sender=self.settings.smtp.sender,
                    now=now,
                )
            return True

    def _row(self, a: Alert) -> dict[str, Any]:
        note = "已静默" if a.silenced else ("已确认" if a.acked_at else "")
        return {
            "id": a.id,
            "level": a.level,
            "company": company_display(a),
            "event": event_label(main_event(a.event_types)),
            "town": a.town or "",
            "posts": a.post_count,
            "note": note,
            "link": verify_url(self.settings, a.id),
        }

"""Operational notices to the administrators (a crawl source failing, a bounced alert), outbox-backed."""

from __future__ import annotations

import hashlib
import logging

from alerting.outbox import Outbox
from alerting.queueing import queue_admin as _queue_admin
from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = ["notify_admins"]

logger = logging.getLogger(__name__)


def notify_admins(
    settings: Settings, db: Database, subject: str, body: str, *, dedup_key: str | None = None, send_now: bool = True
) -> list[int]:
    """Queue ``subject``/``body`` to ``alerting.admin_emails`` (durably) and try to send at once.

    ``dedup_key`` makes repeated calls for the same condition one message (default: a hash of subject and
    body). Returns the outbox ids queued (empty when already queued, or when no admin address is configured,
    which is logged as an error). Delivery failures stay in the outbox and are retried by the engine's tick.
    """
    now = utcnow()
    key = dedup_key or "admin:" + hashlib.sha1(f"{subject}\n{body}".encode()).hexdigest()[:24]
    fallback: tuple[str, ...] = ()
    if not settings.alerting.admin_emails:
        try:
            from alerting.roster import load_routing

            fallback = load_routing(settings).config.fallback_emails
        except Exception:  # noqa: BLE001 - a broken routing file must not hide the admin notice's failure
            logger.exception("routing.yaml unreadable while looking for admin fallback addresses")
    with db.session() as s:
        ids = [
            r.id
            for r in _queue_admin(
                settings, s, f"【系统通知】{subject}", body, dedup_key=key, now=now, fallback=fallback
            )
        ]
    if ids and send_now:
        try:
            Outbox(settings, db).dispatch(ids)
        except Exception:  # isolation boundary: rows stay pending for the next tick
            logger.exception("sending admin notice failed; it stays in the outbox")
    return ids

"""Acknowledgement (确认): signed, expiring links, and the one function every channel (link, CLI, web) uses.

Tokens are itsdangerous ``URLSafeTimedSerializer`` signatures of (alert id, recipient) with the secret from
``settings.alerting.secret_key`` (``LW_SECRET_KEY``). With no secret, signing is refused, unless the operator
explicitly allowed the insecure development secret (``alerting.insecure_dev_secret: true``; tests and demos).
"""

from __future__ import annotations

import logging
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from alerting.errors import AckError, SecretKeyMissing
from alerting.models import Alert, AlertEvent
from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = [
    "make_token", "verify_token", "acknowledge", "acknowledge_token", "ack_url", "verify_url", "close", "reopen",
]

logger = logging.getLogger(__name__)

_SALT = "laborwatch.alerting.ack"
_DEV_SECRET = "laborwatch-insecure-development-secret"  # noqa: S105 - only with insecure_dev_secret: true


def _secret(settings: Settings) -> str:
    key = settings.alerting.secret_key
    if key is not None and key.get_secret_value():
        return key.get_secret_value()
    if getattr(settings.alerting, "insecure_dev_secret", False):
        logger.warning("signing acknowledgement links with the insecure development secret (LW_SECRET_KEY unset)")
        return _DEV_SECRET
    raise SecretKeyMissing(
        "LW_SECRET_KEY is not set: refusing to sign acknowledgement links "
        "(set it, or alerting.insecure_dev_secret: true for a test/dev setup)"
    )


def _serializer(settings: Settings, now: datetime | None) -> URLSafeTimedSerializer:
    if now is None:
        return URLSafeTimedSerializer(_secret(settings), salt=_SALT)
    ts = int(now.timestamp())

    class _ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return ts

    return URLSafeTimedSerializer(_secret(settings), salt=_SALT, signer=_ClockSigner)


def make_token(settings: Settings, alert_id: int, recipient: str, *, now: datetime | None = None) -> str:
    """A URL-safe token that acknowledges ``alert_id`` on behalf of ``recipient``."""
    return _serializer(settings, now).dumps({"a": int(alert_id), "r": recipient})


def verify_token(
    settings: Settings, token: str, *, now: datetime | None = None, max_age_s: int | None = None
) -> tuple[int, str]:
    """Return (alert_id, recipient) or raise :class:`AckError` (bad signature, expired, malformed)."""
    max_age = max_age_s if max_age_s is not None else settings.alerting.ack_token_ttl_s
    try:
        data = _serializer(settings, now).loads(token, max_age=max_age)
    except SignatureExpired:
        raise AckError("确认链接已过期 (acknowledgement link expired)") from None
    except BadSignature:
        raise AckError("确认链接无效 (invalid acknowledgement link)") from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("r"), str):
        raise AckError("确认链接无效 (malformed payload)")
    return data["a"], data["r"]


def ack_url(settings: Settings, alert_id: int, recipient: str, *, now: datetime | None = None) -> str:
    return f"{settings.alerting.base_url.rstrip('/')}/ack/{make_token(settings, alert_id, recipient, now=now)}"


def verify_url(settings: Settings, alert_id: int) -> str:
    """The web page where verification staff confirm or dismiss the alert."""
    return f"{settings.alerting.base_url.rstrip('/')}/alerts/{alert_id}"


def acknowledge(db: Database, alert_id: int, *, by: str, via: str, now: datetime | None = None) -> Alert:
    """Mark the alert acknowledged (stops escalation). Idempotent: a second call records it and changes nothing."""
    at = now or utcnow()
    with db.session() as s:
        alert = s.scalar(select(Alert).where(Alert.id == alert_id).with_for_update())
        if alert is None:
            raise AckError(f"no alert #{alert_id}")
        if alert.acked_at is not None:
            s.add(
                AlertEvent(
                    alert_id=alert.id,
                    at=at,
                    kind="ack_repeated",
                    actor=by,
                    detail={"via": via, "first_by": alert.acked_by},
                )
            )
            return alert
        alert.acked_at = at
        alert.acked_by = by
        alert.acked_via = via
        alert.status = "acknowledged"
        alert.ack_deadline = None
        s.add(
            AlertEvent(
                alert_id=alert.id,
                at=at,
                kind="acknowledged",
                actor=by,
                detail={"via": via, "level": alert.level, "escalation_step": alert.escalation_step},
            )
        )
        logger.info("alert %d acknowledged by %s via %s", alert.id, by, via)
        return alert


def acknowledge_token(settings: Settings, db: Database, token: str, *, now: datetime | None = None) -> Alert:
    """What ``GET /ack/{token}`` does: verify the link, then acknowledge as its recipient (via ``link``)."""
    alert_id, recipient = verify_token(settings, token, now=now)
    return acknowledge(db, alert_id, by=recipient, via="link", now=now)


def close(db: Database, alert_id: int, *, by: str, reason: str, cause: str = "manual",
          now: datetime | None = None) -> Alert:
    """Close the alert (no more escalation; the inbox shows it as done), e.g. when verification dismissed all of
    its posts (``cause="dismissed"``). Idempotent: closing a closed alert changes nothing."""
    at = now or utcnow()
    with db.session() as s:
        alert = s.scalar(select(Alert).where(Alert.id == alert_id).with_for_update())
        if alert is None:
            raise AckError(f"no alert #{alert_id}")
        if alert.status == "closed":
            return alert
        alert.status = "closed"
        alert.ack_deadline = None
        s.add(AlertEvent(alert_id=alert.id, at=at, kind="closed", actor=by,
                         detail={"reason": reason, "cause": cause}))
        logger.info("alert %d closed by %s (%s)", alert.id, by, cause)
        return alert


def reopen(db: Database, alert_id: int, *, by: str, reason: str, now: datetime | None = None) -> Alert:
    """Reopen a closed alert (e.g. a dismissed post was later confirmed): acknowledged if it had been, else open."""
    at = now or utcnow()
    with db.session() as s:
        alert = s.scalar(select(Alert).where(Alert.id == alert_id).with_for_update())
        if alert is None:
            raise AckError(f"no alert #{alert_id}")
        if alert.status != "closed":
            return alert
        alert.status = "acknowledged" if alert.acked_at is not None else "open"
        s.add(AlertEvent(alert_id=alert.id, at=at, kind="reopened", actor=by, detail={"reason": reason}))
        logger.info("alert %d reopened by %s", alert.id, by)
        return alert

"""Errors of the alerting room.

    LaborwatchError
    └── AlertingError                 anything the alerting room raises on purpose
        ├── AckError                  an acknowledgement token is invalid, expired or refers to nothing
        ├── EscalationError           a manual escalation cannot be done (unknown, acknowledged, last level)
        ├── NotifierError             a channel failed to deliver one message
        │   ├── TemporaryDeliveryError    retry later (4xx, connection refused, timeout)
        │   └── PermanentDeliveryError    never retry (5xx, recipient refused / bounced)
        └── SecretKeyMissing          signing acknowledgement links needs LW_SECRET_KEY
Config problems raise :class:`lwcore.errors.ConfigError` (file, key, reason).
"""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = [
    "AlertingError",
    "AckError",
    "EscalationError",
    "NotifierError",
    "TemporaryDeliveryError",
    "PermanentDeliveryError",
    "SecretKeyMissing",
]


class AlertingError(LaborwatchError):
    """Root of the alerting room's errors."""


class AckError(AlertingError):
    """An acknowledgement could not be applied (bad/expired token, unknown alert)."""


class EscalationError(AlertingError):
    """A manual escalation cannot be done: unknown alert, already acknowledged or closed, no level left."""


class SecretKeyMissing(AlertingError):
    """No secret key to sign acknowledgement links with."""


class NotifierError(AlertingError):
    """A notifier failed to deliver one message."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryDeliveryError(NotifierError):
    """Delivery failed for now; the outbox retries with backoff."""


class PermanentDeliveryError(NotifierError):
    """Delivery can never succeed (bounce, rejected recipient); the outbox marks the message dead."""

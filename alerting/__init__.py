"""The alerting room: incident tracking, rules, one alert per incident, routing (roster, graded response),
notifiers, outbox.

Public API::

    from alerting import AlertEngine, notify_admins
    engine = AlertEngine.from_settings(settings, db)      # db: lwcore.db.Database, schema upgraded
    alerts = engine.process(analyzed_posts)                # the pipeline's alert stage
    engine.tick()                                          # escalation, outbox retries, digests
    engine.close()                                         # with alerting.dispatch_background: stop its thread
    step = escalate_now(settings, db, alert_id, by="张伟", reason="涉及人数多")  # the web's escalate button

    from alerting.ack import make_token, verify_token, acknowledge, acknowledge_token
    alert = acknowledge_token(settings, db, token)         # what GET /ack/{token} does
    acknowledge(db, alert_id, by="张伟", via="web")

    from alerting import queries
    queries.list_alerts(db, status="open"); queries.get_alert(db, 12)   # for the web UI and the CLI
    alert_snapshot(alert, posts)                           # what ledger.Ledger.create_from_alert reads

Errors: :class:`AlertingError` and subclasses (see :mod:`alerting.errors`); config problems raise
``lwcore.errors.ConfigError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerting.errors import (
    AckError,
    AlertingError,
    EscalationError,
    NotifierError,
    PermanentDeliveryError,
    SecretKeyMissing,
    TemporaryDeliveryError,
)
from lwcore.lazy import lazy_exports

if TYPE_CHECKING:
    from alerting.admin import notify_admins
    from alerting.engine import AlertEngine, EscalationStep, TickReport, alert_snapshot, escalate_now
    from alerting.models import Alert, AlertEvent, AlertPost, OutboxMessage, Silence
    from alerting.outbox import DispatchReport, Outbox
    from alerting.silence import active_silences, add_silence, lift_silence

__all__ = [
    "AlertEngine",
    "TickReport",
    "EscalationStep",
    "escalate_now",
    "alert_snapshot",
    "notify_admins",
    "Alert",
    "AlertPost",
    "AlertEvent",
    "OutboxMessage",
    "Silence",
    "Outbox",
    "DispatchReport",
    "add_silence",
    "lift_silence",
    "active_silences",
    "AlertingError",
    "AckError",
    "EscalationError",
    "NotifierError",
    "TemporaryDeliveryError",
    "PermanentDeliveryError",
    "SecretKeyMissing",
]

# the engine, the tables and the outbox load on first use (``laborwatch --help`` imports only alerting.cli)
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "notify_admins": ".admin",
        **dict.fromkeys(("AlertEngine", "EscalationStep", "TickReport", "alert_snapshot", "escalate_now"), ".engine"),
        **dict.fromkeys(("Alert", "AlertEvent", "AlertPost", "OutboxMessage", "Silence"), ".models"),
        **dict.fromkeys(("DispatchReport", "Outbox"), ".outbox"),
        **dict.fromkeys(("active_silences", "add_silence", "lift_silence"), ".silence"),
    },
)

"""The bridge from alerts to the ledger's incidents (突发事件), through the ledger room's public API only.

An alert whose route (or a group action) calls for an incident is marked ``incident_state = "pending"`` in its
own transaction; :meth:`IncidentBridge.open_pending` then opens the incident through ``ledger.Incidents``
after the commit. A failure is recorded on the alert (``incident_failed``) and retried by the next ``tick()``;
the alert stands either way. :func:`alert_snapshot` is the alert as the ledger and the web pages read it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from alerting.batch import record_event
from alerting.models import Alert, AlertEvent, AlertPost
from lwcore.db import Database

__all__ = ["IncidentBridge", "alert_snapshot"]

logger = logging.getLogger(__name__)


def alert_snapshot(alert: Alert, posts: Sequence[AlertPost] = ()) -> dict[str, Any]:
    """The alert as the ledger's ``create_from_alert`` / web pages read it (plain values only)."""
    return {
        "id": str(alert.id),
        "level": alert.level,
        "title": alert.title,
        "company_id": alert.company_id,
        "company_name": alert.company_name,
        "town": alert.town,
        "industry": alert.industry,
        "event_types": list(alert.event_types or ()),
        "workers": alert.workers,
        "amount_yuan": alert.amount_yuan,
        "event_id": alert.cluster_key,
        "summary": "；".join(alert.reasons or ())[:1000],
        "responsible_unit": alert.unit,
        "post_ids": [p.post_id for p in posts],
        "urls": {p.post_id: p.url for p in posts},
        "status": alert.status,
        "created_at": alert.created_at,
        "acked_at": alert.acked_at,
        "acked_by": alert.acked_by,
    }


class IncidentBridge:
    """Opens the incidents that alerts call for. ``incidents``: a ``ledger.Incidents`` (built on first use)."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime], incidents: Any | None = None) -> None:
        self.db = db
        self.clock = clock
        self._incidents = incidents

    def api(self) -> Any:
        if self._incidents is None:
            from ledger import Incidents  # the ledger room's public API

            self._incidents = Incidents(self.db, clock=self.clock)
        return self._incidents

    def pending(self) -> list[int]:
        """Alerts whose incident is still to be opened (a failed attempt, or another process's)."""
        with self.db.session() as s:
            return list(s.scalars(select(Alert.id).where(Alert.incident_state == "pending")))

    def open_pending(self, alert_ids: list[int]) -> list[int]:
        """Open the incident of each of ``alert_ids`` still pending; returns the alerts whose incident opened."""
        opened: list[int] = []
        for alert_id in alert_ids:
            with self.db.session() as s:
                alert = s.get(Alert, alert_id)
                if alert is None or alert.incident_state != "pending":
                    continue
                post_ids = list(s.scalars(select(AlertPost.post_id).where(AlertPost.alert_id == alert_id)))
                args = dict(
                    alert_id=str(alert.id),
                    title=alert.title,
                    level=alert.level,
                    town=alert.town,
                    company_id=alert.company_id,
                    company_name=alert.company_name,
                    post_ids=post_ids,
                    workers=alert.workers,
                    event_id=alert.cluster_key,
                    received_at=alert.created_at,
                )
            try:
                inc = self.api().open_for_alert(**args)
            except Exception as exc:  # isolation boundary: the alert stands; tick() retries the incident
                logger.exception("alert %d: opening the incident failed", alert_id)
                with self.db.session() as s:
                    s.add(
                        AlertEvent(
                            alert_id=alert_id,
                            at=self.clock(),
                            kind="incident_failed",
                            actor="system",
                            detail={"error": f"{type(exc).__name__}: {exc}"},
                        )
                    )
                continue
            with self.db.session() as s:
                alert = s.get(Alert, alert_id)
                if alert is not None:
                    alert.incident_state = "opened"
                    alert.incident_ref = str(getattr(inc, "number", None) or getattr(inc, "id", ""))
                    record_event(s, alert, self.clock(), "incident_opened", detail={"incident": alert.incident_ref})
            opened.append(alert_id)
        return opened

"""Escalation (逐级上报): an alert not acknowledged in time goes to the next level of the duty roster.

:meth:`Escalator.escalate_due` (from ``tick()``) takes every alert past its acknowledgement deadline to its next
step; :meth:`Escalator.escalate_now` does it at once on a person's request (the web's escalate button). Each
step is recorded on the alert with its recipients and outbox rows; past the last step the alert is recorded as
``escalation_exhausted`` and the deadline cleared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerting.batch import record_event
from alerting.errors import EscalationError
from alerting.models import Alert
from alerting.outbox import Outbox
from alerting.queueing import AlertMessages
from alerting.render import fmt_time
from alerting.roster import Router
from lwcore.db import Database

__all__ = ["EscalationStep", "Escalator"]

logger = logging.getLogger(__name__)
LevelCode = Literal["I", "II", "III", "IV"]


@dataclass
class EscalationStep:
    """One escalation of an alert: which step, to whom, the outbox rows, and which of them were sent."""

    alert_id: int
    step: int
    role: str
    recipients: list[tuple[str, str]]  # (name, address)
    outbox_ids: list[int]
    next_deadline: datetime
    sent: list[int] = field(default_factory=list)


class Escalator:
    def __init__(
        self,
        db: Database,
        router: Router,
        messages: AlertMessages,
        outbox: Outbox,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.db = db
        self.router = router
        self.messages = messages
        self.outbox = outbox
        self.clock = clock

    def escalate_due(self, now: datetime) -> tuple[list[int], list[int]]:
        """Escalate every unacknowledged alert past its deadline; returns (escalated ids, exhausted ids)."""
        escalated: list[int] = []
        exhausted: list[int] = []
        with self.db.session() as s:
            due = list(
                s.scalars(
                    select(Alert)
                    .where(Alert.ack_deadline <= now, Alert.acked_at.is_(None))
                    .order_by(Alert.ack_deadline)
                    .with_for_update()
                )
            )
            for alert in due:
                step = self.step(s, alert, now)
                if step is None:
                    exhausted.append(alert.id)
                else:
                    escalated.append(alert.id)
        return escalated, exhausted

    def step(
        self, s: Session, alert: Alert, now: datetime, *, by: str | None = None, reason: str | None = None
    ) -> EscalationStep | None:
        """Queue the next escalation step of ``alert`` in ``s``; None (recorded) when no step is left.

        ``by`` set: a person asked for it now (the web's escalate button), else the deadline passed.
        """
        step = alert.escalation_step + 1
        recipients, problems = self.router.escalation_recipients(step, at=now)
        for p in problems:
            record_event(s, alert, now, "routing_problem", detail={"problem": p, "step": step})
        if step > len(self.router.config.escalation) or not recipients:
            alert.ack_deadline = None
            record_event(
                s,
                alert,
                now,
                "escalation_exhausted",
                actor=by or "system",
                detail={"step": step, "note": "已逐级上报仍未确认"},
            )
            logger.error("alert %d still unacknowledged after the last escalation step", alert.id)
            return None
        lr = self.router.config.levels[cast(LevelCode, alert.level)]
        if by is None:
            notice = f"该预警已于{fmt_time(alert.ack_deadline)}超过确认时限仍未确认，按值班制度逐级上报。"
            kind = "escalation"
        else:
            notice = f"值班人员{by}于{fmt_time(now)}提请上报" + (f"，理由：{reason}" if reason else "") + "。"
            kind = "manual_escalation"
        rows = self.messages.queue(
            s,
            alert,
            recipients,
            kind=kind,
            now=now,
            dedup=f"alert:{alert.id}:esc{step}:{alert.level}",
            unit_name=alert.unit,
            ack=True,
            notice=notice,
        )
        role = self.router.config.escalation[step - 1]
        alert.escalation_step = step
        alert.ack_deadline = now + timedelta(minutes=lr.ack_minutes or 15)
        detail: dict[str, Any] = {
            "step": step,
            "role": role,
            "recipients": [f"{r.name}<{r.address}>" for r in recipients],
            "outbox": [r.id for r in rows],
            "next_deadline": alert.ack_deadline.isoformat(),
        }
        if by is not None:
            detail.update(manual=True, reason=reason or "")
        record_event(s, alert, now, "escalated", actor=by or "system", detail=detail)
        return EscalationStep(
            alert_id=alert.id,
            step=step,
            role=role,
            recipients=[(r.name, r.address) for r in recipients],
            outbox_ids=[r.id for r in rows],
            next_deadline=alert.ack_deadline,
        )

    def escalate_now(self, alert_id: int, *, by: str, reason: str = "") -> EscalationStep:
        """Escalate ``alert_id`` to the next level of the duty roster now, on a person's request.

        Records the step on the alert (``escalated``, ``manual: true``, actor ``by``), queues the messages to
        that level's recipients in the same transaction and sends them at once (a failed send stays in the
        outbox and ``tick()`` retries it). Raises :class:`EscalationError` when the alert does not exist, is
        already acknowledged or closed, or every escalation level has already been notified.
        """
        by = (by or "").strip()
        if not by:
            raise EscalationError("escalate_now: 'by' (who asks for the escalation) is required")
        reason = (reason or "").strip()
        now = self.clock()
        try:
            with self.db.session() as s:
                alert = s.scalars(select(Alert).where(Alert.id == alert_id).with_for_update()).one_or_none()
                if alert is None:
                    raise EscalationError(f"预警 {alert_id} 不存在")
                if alert.acked_at is not None or alert.status != "open":
                    raise EscalationError(f"预警 {alert_id} 已签收或已关闭，无需升级")
                if alert.escalation_step >= len(self.router.config.escalation):
                    raise EscalationError(
                        f"预警 {alert_id} 已逐级上报至最高一级（{alert.escalation_step}级），无法再升级"
                    )
                step = self.step(s, alert, now, by=by, reason=reason)
                if step is None:  # nobody configured/on duty for the next level: recorded on the alert
                    s.commit()
                    raise EscalationError(f"预警 {alert_id} 无法升级：下一级没有可通知的人员（已记录，请检查值班表）")
        except IntegrityError:
            raise EscalationError(f"预警 {alert_id} 正在被同时升级，请刷新页面后查看") from None
        logger.info("alert %d escalated by %s to step %d (%s)", alert_id, by, step.step, step.role)
        if step.outbox_ids:
            try:
                rep = self.outbox.dispatch(step.outbox_ids)
                step.sent = list(rep.sent)
            except Exception:  # isolation boundary: the rows stay pending and tick() retries them
                logger.exception("alert %d: sending the escalation failed; it stays in the outbox", alert_id)
        return step

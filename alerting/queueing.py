"""Queueing an alert's messages: routing, rendering once, each channel's payload (its notifier's), the outbox rows.

:class:`AlertMessages` turns "notify this alert" into outbox rows inside the alert's own transaction: it routes
(level, town, industry, time -> recipients), records routing problems on the alert, resets the acknowledgement
when the level rose, renders the message once per alert (each e-mail recipient gets their own signed ack link
in place of a placeholder), and enqueues one row per recipient (a dedup key per recipient: queuing twice is a
no-op). It also tells the administrators about a message that can never be delivered (:meth:`on_dead`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerting.ack import ack_url, verify_url
from alerting.batch import record_event
from alerting.models import Alert, AlertPost, OutboxMessage
from alerting.notifiers import AlertContent, channel_label, notifier_class
from alerting.outbox import enqueue
from alerting.render import AlertMail, render_alert
from alerting.roster import Recipient, Route, Router
from lwcore.domain import Severity
from lwcore.settings import Settings

__all__ = ["AlertMessages", "ACK_PLACEHOLDER", "queue_admin"]

logger = logging.getLogger(__name__)
ACK_PLACEHOLDER = "LW-ACK-LINK-PLACEHOLDER-7f3c"  # replaced by each recipient's signed link after rendering


class AlertMessages:
    def __init__(self, settings: Settings, router: Router, *, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.router = router
        self.clock = clock

    def route(self, s: Session, alert: Alert, now: datetime) -> Route:
        route = self.router.route(Severity(alert.level), town=alert.town, industry=alert.industry, at=now)
        alert.unit = route.unit.name if route.unit else None
        for problem in route.problems:
            logger.warning("alert %d routing problem: %s", alert.id, problem)
            record_event(s, alert, now, "routing_problem", detail={"problem": problem, "level": alert.level})
        return route

    def notify(
        self,
        s: Session,
        alert: Alert,
        kind: str,
        now: datetime,
        outbox_rows: list[OutboxMessage],
        *,
        dedup_extra: str = "",
    ) -> None:
        """Queue the ``kind`` message (new, raised, grown) of ``alert`` to its route's recipients."""
        route = self.route(s, alert, now)
        level = Severity(alert.level)
        alert.notified_level = level.value
        alert.notified_at = now
        alert.notified_post_count = alert.post_count
        if kind == "raised" and alert.acked_at is not None:
            record_event(
                s, alert, now, "ack_reset", detail={"previous_ack_by": alert.acked_by, "reason": "等级上升，需重新确认"}
            )
            alert.acked_at = alert.acked_by = alert.acked_via = None
            alert.status = "open"
        if route.incident or "group_action" in (alert.event_types or ()):
            if alert.incident_state is None:
                alert.incident_state = "pending"
        if route.digest_only:
            record_event(s, alert, now, "digest_only", detail={"level": level.value})
            return
        if not (kind == "grown" and alert.acked_at is not None):  # a 续报 of an acknowledged alert needs no new ack
            alert.ack_deadline = now + timedelta(minutes=route.ack_minutes) if route.ack_minutes else None
            alert.escalation_step = 0
        rows = self.queue(
            s,
            alert,
            route.recipients,
            kind=kind,
            now=now,
            dedup=f"alert:{alert.id}:{kind}:{level.value}" + (f":{dedup_extra}" if dedup_extra else ""),
            unit_name=alert.unit,
            ack=route.ack_minutes is not None,
        )
        outbox_rows += rows
        record_event(
            s,
            alert,
            now,
            "notified",
            detail={
                "kind": kind,
                "level": level.value,
                "recipients": [f"{r.role}:{r.name}<{r.address}>({r.channel})" for r in route.recipients],
                "outbox": [r.id for r in rows],
                "ack_deadline": alert.ack_deadline.isoformat() if alert.ack_deadline else None,
            },
        )

    def queue(
        self,
        s: Session,
        alert: Alert,
        recipients: list[Recipient],
        *,
        kind: str,
        now: datetime,
        dedup: str,
        unit_name: str | None,
        ack: bool,
        notice: str | None = None,
    ) -> list[OutboxMessage]:
        """One outbox row per recipient not yet queued under ``dedup``; returns the rows added."""
        posts = list(
            s.scalars(select(AlertPost).where(AlertPost.alert_id == alert.id).order_by(AlertPost.id.desc()).limit(20))
        )
        rows: list[OutboxMessage] = []
        sender = self.settings.smtp.sender
        rendered: dict[bool, AlertMail] = {}

        def render(with_link: bool) -> AlertMail:
            # rendered once per alert (and once more without an ack link, for group channels), not per recipient
            if with_link not in rendered:
                rendered[with_link] = render_alert(
                    self.settings,
                    alert,
                    posts,
                    kind=kind,
                    ack_link=ACK_PLACEHOLDER if with_link else None,
                    verify_link=verify_url(self.settings, alert.id),
                    unit_name=unit_name,
                    notice=notice,
                )
            return rendered[with_link]

        keys = [f"{dedup}:{r.key}" for r in recipients]
        queued = set(s.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))))
        # later messages of an alert answer the first one each recipient got, so mail clients show one thread
        first: dict[str, str] = {}
        if kind != "new":
            with s.no_autoflush:
                for rcpt, mid in s.execute(
                    select(OutboxMessage.recipient, OutboxMessage.message_id)
                    .where(OutboxMessage.alert_id == alert.id, OutboxMessage.dedup_key.like(f"alert:{alert.id}:new:%"))
                    .order_by(OutboxMessage.id)
                ):
                    first.setdefault(rcpt, mid)
        for r in recipients:
            if f"{dedup}:{r.key}" in queued:
                continue
            cls = notifier_class(r.channel)
            link = ack_url(self.settings, alert.id, r.address, now=now) if (ack and cls.personal_ack_link) else None
            mail = render(link is not None)
            if link is not None:  # the recipient's own signed link in place of the placeholder
                mail = AlertMail(
                    subject=mail.subject,
                    text=mail.text.replace(ACK_PLACEHOLDER, link),
                    html=mail.html.replace(ACK_PLACEHOLDER, str(escape(link))),
                    markdown=mail.markdown.replace(ACK_PLACEHOLDER, link),
                )
            payload = cls.payload(
                AlertContent(
                    subject=mail.subject,
                    text=mail.text,
                    html=mail.html,
                    markdown=mail.markdown,
                    alert_id=alert.id,
                    level=alert.level,
                    company=alert.company_name,
                    town=alert.town,
                    posts=alert.post_count,
                    reply_to=first.get(r.address),
                )
            )
            with s.no_autoflush:  # checked above in one query: no flush per recipient
                row = enqueue(
                    s,
                    dedup_key=f"{dedup}:{r.key}",
                    channel=r.channel,
                    recipient=r.address,
                    kind="escalation" if kind in ("escalation", "manual_escalation") else "alert",
                    subject=mail.subject,
                    payload=payload,
                    sender=sender,
                    now=now,
                    alert_id=alert.id,
                )
            if row is not None:
                rows.append(row)
        s.flush()
        return rows

    def on_dead(self, s: Session, row: OutboxMessage, reason: str) -> list[OutboxMessage]:
        """A message can never be delivered (bounce, gave up): tell the admins (not for admin mail itself)."""
        if row.kind == "admin":
            logger.error("admin notification %d to %s undeliverable: %s", row.id, row.recipient, reason)
            return []
        subject = f"【系统告警】预警{channel_label(row.channel)}投递失败：{row.recipient}"
        body = (
            f"以下消息无法投递，已停止重试，请核实收件地址或通道配置。\n\n"
            f"消息编号：{row.id}\n通道：{channel_label(row.channel)}\n收件人：{row.recipient}\n主题：{row.subject}\n"
            f"关联预警：#{row.alert_id}\n原因：{reason}\n"
        )
        return queue_admin(
            self.settings,
            s,
            subject,
            body,
            dedup_key=f"admin:dead:{row.id}",
            now=self.clock(),
            fallback=self.router.config.fallback_emails,
        )


def queue_admin(
    settings: Settings,
    s: Session,
    subject: str,
    body: str,
    *,
    dedup_key: str,
    now: datetime,
    fallback: tuple[str, ...] = (),
) -> list[OutboxMessage]:
    """Queue a notice to ``alerting.admin_emails`` (else ``fallback``) in the caller's transaction."""
    admins = tuple(dict.fromkeys(settings.alerting.admin_emails or fallback))
    if not admins:
        logger.error("no alerting.admin_emails (nor routing fallback_emails): admin notice NOT sent: %s", subject)
        return []
    rows = []
    for addr in admins:
        row = enqueue(
            s,
            dedup_key=f"{dedup_key}:{addr}",
            channel="email",
            recipient=addr,
            kind="admin",
            subject=subject,
            payload={"text": body},
            sender=settings.smtp.sender,
            now=now,
        )
        if row is not None:
            rows.append(row)
    s.flush()
    return rows

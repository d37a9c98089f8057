"""``email``: SMTP with SSL or STARTTLS and authentication (settings.smtp; password from LW_SMTP_PASSWORD).

One connection per batch; a dropped connection is reopened once. Reply codes are classified: 4xx and network
errors are temporary (retry), 5xx and refused recipients are permanent (a bounce, recorded, never retried).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate
from typing import Any

from alerting.errors import PermanentDeliveryError, TemporaryDeliveryError
from alerting.notifiers.base import AlertContent, Notifier, OutgoingMessage, register_notifier
from lwcore.settings import Settings

__all__ = ["EmailNotifier", "build_email"]

logger = logging.getLogger(__name__)


def build_email(msg: OutgoingMessage, *, sender: str) -> Message:
    """The MIME message (text, and html as an alternative). Built with the compat32 classes: the same bytes on
    the wire as ``EmailMessage`` (RFC 2047 subject, base64 UTF-8 parts) at about a third of the CPU."""
    em: Message
    if msg.payload.get("html"):
        em = MIMEMultipart("alternative")
        em.attach(MIMEText(msg.payload.get("text") or "", "plain", "utf-8"))
        em.attach(MIMEText(msg.payload["html"], "html", "utf-8"))
    else:
        em = MIMEText(msg.payload.get("text") or "", "plain", "utf-8")
    em["Subject"] = Header(msg.subject, "utf-8") if not msg.subject.isascii() else msg.subject  # type: ignore[assignment]
    em["From"] = sender
    em["To"] = msg.recipient
    em["Date"] = formatdate(localtime=False)
    em["Message-ID"] = msg.message_id
    for k, v in (msg.payload.get("headers") or {}).items():
        em[k] = v
    return em


@register_notifier("email")
class EmailNotifier(Notifier):
    display_name = "邮件"
    audience = "person"
    address_field = "email"  # Person.email, Unit.emails
    address_label = "邮箱地址"
    personal_ack_link = True

    @classmethod
    def payload(cls, content: AlertContent) -> dict[str, Any]:
        """Text and HTML parts; headers name the alert, and later messages answer the first (one thread)."""
        headers = {"X-Laborwatch-Alert": str(content.alert_id), "X-Laborwatch-Level": content.level}
        if content.reply_to:
            headers |= {"In-Reply-To": content.reply_to, "References": content.reply_to}
        return {"text": content.text, "html": content.html, "headers": headers}

    def __init__(self, settings: Settings) -> None:
        self.cfg = settings.smtp
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.cfg
        try:
            conn: smtplib.SMTP
            if c.security == "ssl":
                conn = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_s, context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
                if c.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if c.username:
                conn.login(c.username, c.password.get_secret_value() if c.password else "")
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryDeliveryError(
                f"SMTP authentication failed for {c.username!r}: {exc.smtp_code}", code=exc.smtp_code
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryDeliveryError(f"SMTP {c.host}:{c.port} unavailable: {type(exc).__name__}: {exc}") from None
        return conn

    def open(self) -> None:
        if self._conn is None:
            self._conn = self._connect()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._conn = None

    def send(self, msg: OutgoingMessage) -> None:
        em = build_email(msg, sender=self.cfg.sender)
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
            try:
                refused = self._conn.send_message(em, from_addr=self.cfg.sender, to_addrs=[msg.recipient])
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                self._raise_for(code, text, msg.recipient)
            except smtplib.SMTPSenderRefused as exc:
                self._raise_for(exc.smtp_code, exc.smtp_error, msg.recipient)
            except smtplib.SMTPDataError as exc:
                self._raise_for(exc.smtp_code, exc.smtp_error, msg.recipient)
            except smtplib.SMTPResponseException as exc:
                self._raise_for(exc.smtp_code, exc.smtp_error, msg.recipient)
            except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
                self._conn = None
                if attempt == 2:
                    raise TemporaryDeliveryError(f"SMTP connection lost: {type(exc).__name__}: {exc}") from None
                continue
            if refused:
                code, text = refused[msg.recipient]
                self._raise_for(code, text, msg.recipient)
            return

    def _raise_for(self, code: int, text: bytes | str, recipient: str) -> None:
        detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        # after an error reply the connection may be in any state: start a fresh one next time
        self.close()
        if 500 <= code < 600:
            raise PermanentDeliveryError(f"SMTP {code} for {recipient}: {detail}", code=code)
        raise TemporaryDeliveryError(f"SMTP {code} for {recipient}: {detail}", code=code)

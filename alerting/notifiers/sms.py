"""``sms``: text messages to the phones of the people on duty, through an HTTP JSON SMS gateway with HMAC auth.

A person channel: the roster's ``phone`` of each person (and a unit's ``phone``) is the address. routing.yaml::

    sms_gateway:
      url: https://sms-gw.example.gov.cn/api/send
      key_id: laborwatch
      secret_env: LW_SMS_SECRET                 # the shared HMAC secret, from the environment
      sign_name: 青浦区人社局                     # the registered SMS signature (短信签名)
    levels:
      I: {channels: [email, sms], ...}

The request (what a gateway adapter implements; ``tests/integration/alerting/loopback_http.py`` is one)::

    POST <url>   Content-Type: application/json
    X-LW-Key-Id: <key_id>   X-LW-Timestamp: <unix seconds>   X-LW-Nonce: <32 hex>
    X-LW-Signature: hex(HMAC-SHA256(secret, "<timestamp>\\n<nonce>\\n" + body bytes))
    {"to": "13800000000", "text": "...", "sign_name": "...", "message_id": "<...>"}

The gateway answers 2xx with ``{"code": 0}`` when it accepted the message; another ``code`` is permanent
(an unknown number...) unless the answer says ``"retry": true``. HTTP 429/5xx and network errors are retried
with the outbox's backoff, other 4xx (a bad signature) are permanent: the message is dead and the admins told.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from pydantic import Field

from alerting.errors import PermanentDeliveryError, TemporaryDeliveryError
from alerting.notifiers._http import ENV_NAME, HttpNotifier, missing_env
from alerting.notifiers.base import AlertContent, NotifierTarget, OutgoingMessage, register_notifier
from lwcore.settings import Settings

__all__ = ["SmsNotifier", "SmsGateway", "sms_signature"]

MAX_CHARS = 300  # several SMS parts at most; the alert itself is in the e-mail


def sms_signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), f"{timestamp}\n{nonce}\n".encode() + body, hashlib.sha256).hexdigest()


class SmsGateway(NotifierTarget):
    url: str = Field(pattern=r"^https?://")
    key_id: str = Field(min_length=1)
    secret_env: str = Field(pattern=ENV_NAME)
    sign_name: str = ""


@register_notifier("sms")
class SmsNotifier(HttpNotifier):
    display_name = "短信"
    audience = "person"
    address_field = "phone"  # Person.phone, Unit.phone
    address_label = "手机号码"
    section = "sms_gateway"
    Config = SmsGateway

    def __init__(
        self,
        settings: Settings,
        *,
        gateway: SmsGateway | None = None,
        clock_s: Callable[[], float] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(settings, **kwargs)
        self.gateway = gateway
        self.clock_s = clock_s or time.time

    @classmethod
    def from_routing(cls, settings: Settings, section: SmsGateway | None) -> SmsNotifier:
        return cls(settings, gateway=section)

    @classmethod
    def config_warnings(cls, settings: Settings, section: SmsGateway | None) -> list[str]:
        if section is not None and missing_env([section.secret_env]):
            return [f"sms_gateway.secret_env: environment variable {section.secret_env} is not set: no SMS can be sent"]
        return []

    @classmethod
    def payload(cls, content: AlertContent) -> dict[str, Any]:
        """A short text: the subject (level, company, event, posts) and where the details are."""
        text = f"{content.subject}，详情请查看预警邮件或登录系统（预警编号{content.alert_id}）。"
        return {"text": text[:MAX_CHARS]}

    def send(self, msg: OutgoingMessage) -> None:
        if self.gateway is None:
            raise PermanentDeliveryError("sms: no sms_gateway: in routing.yaml")
        gw = self.gateway
        what = f"sms {msg.recipient}"
        secret = self.secret(gw.secret_env, what)
        text = (msg.payload.get("text") or msg.subject)[:MAX_CHARS]
        body = json.dumps(
            {"to": msg.recipient, "text": text, "sign_name": gw.sign_name, "message_id": msg.message_id},
            ensure_ascii=False,
        ).encode("utf-8")
        ts, nonce = str(int(self.clock_s())), secrets.token_hex(16)
        resp = self.post(
            what,
            gw.url,
            content=body,
            headers={
                "X-LW-Key-Id": gw.key_id,
                "X-LW-Timestamp": ts,
                "X-LW-Nonce": nonce,
                "X-LW-Signature": sms_signature(secret, ts, nonce, body),
            },
        )
        try:
            answer = resp.json()
        except ValueError:
            raise TemporaryDeliveryError(f"{what}: gateway answer is not JSON: {resp.text[:200]!r}") from None
        code = answer.get("code", 0) if isinstance(answer, dict) else 0
        if code != 0:
            err = f"{what}: gateway code {code} {answer.get('message', '')}".rstrip()
            if answer.get("retry"):
                raise TemporaryDeliveryError(err)
            raise PermanentDeliveryError(err)

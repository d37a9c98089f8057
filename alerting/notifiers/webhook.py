"""``webhook``: JSON POST (a plain JSON endpoint, or an unsigned WeCom / DingTalk group bot) through httpx.

Targets under ``webhooks:`` in routing.yaml: ``{key: {url: ..., format: json|wecom|dingtalk}}``. For a signed
DingTalk robot or a WeCom robot whose key must stay out of the file, use the ``dingtalk`` / ``wecom`` channels.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Literal

import httpx
from pydantic import Field

from alerting.errors import PermanentDeliveryError
from alerting.notifiers._http import HttpNotifier
from alerting.notifiers.base import NotifierTarget, OutgoingMessage, register_notifier
from lwcore.settings import Settings

__all__ = ["WebhookNotifier", "WebhookTarget", "webhook_body"]

logger = logging.getLogger(__name__)


def webhook_body(fmt: str, msg: OutgoingMessage) -> dict[str, Any]:
    text = msg.payload.get("markdown") or msg.payload.get("text") or msg.subject
    if fmt == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if fmt == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": msg.subject, "text": text}}
    return {
        "subject": msg.subject,
        "text": msg.payload.get("text"),
        "message_id": msg.message_id,
        "data": msg.payload.get("data") or {},
    }


class WebhookTarget(NotifierTarget):
    url: str = Field(pattern=r"^https?://")
    format: Literal["wecom", "dingtalk", "json"] = "json"


@register_notifier("webhook")
class WebhookNotifier(HttpNotifier):
    """``hooks`` maps a webhook key to (url, format), from routing.yaml."""

    display_name = "群机器人"
    audience = "group"
    section = "webhooks"
    Target = WebhookTarget

    @classmethod
    def from_routing(cls, settings: Settings, section: Mapping[str, WebhookTarget] | None) -> WebhookNotifier:
        return cls(settings, hooks={k: (t.url, t.format) for k, t in (section or {}).items()})

    def __init__(
        self,
        settings: Settings,
        *,
        hooks: dict[str, tuple[str, str]] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(settings, transport=transport)
        self.hooks = hooks or {}

    def send(self, msg: OutgoingMessage) -> None:
        if msg.recipient not in self.hooks:
            raise PermanentDeliveryError(f"unknown webhook {msg.recipient!r} (not in routing.yaml webhooks:)")
        url, fmt = self.hooks[msg.recipient]
        payload = json.dumps(webhook_body(fmt, msg), ensure_ascii=False).encode("utf-8")
        resp = self.post(f"webhook {msg.recipient}", url, content=payload, headers={"X-Message-Id": msg.message_id})
        if fmt in ("wecom", "dingtalk"):
            try:
                body = resp.json()
            except ValueError:
                body = {}
            if isinstance(body, dict) and body.get("errcode", 0) != 0:
                raise PermanentDeliveryError(
                    f"webhook {msg.recipient}: errcode {body.get('errcode')} {body.get('errmsg')}"
                )

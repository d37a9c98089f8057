"""``dingtalk``: 钉钉 group robots (自定义机器人) with signed requests (加签), markdown messages.

routing.yaml::

    dingtalk_robots:
      leaders_group: {token_env: LW_DINGTALK_LEADERS_TOKEN, secret_env: LW_DINGTALK_LEADERS_SECRET}
    levels:
      I: {channels: [email, dingtalk], groups: [leaders_group], ...}

Both the access token and the signing secret (``SEC...``) come from the environment variables the file names.
Each request carries ``timestamp`` (milliseconds) and ``sign`` = Base64(HMAC-SHA256(secret,
"<timestamp>\\n<secret>")), URL-encoded, as DingTalk's robot API requires (it rejects a timestamp more than an
hour off). ``secret_env`` may be left out for a robot secured by keywords or an IP list instead. A robot
answers HTTP 200 with ``errcode``: 0 delivered; 130101 (sending too fast) and -1 (busy) are retried; any other
code (310000: sign or keyword mismatch...) is permanent: the message is dead and the administrators are told.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from pydantic import Field

from alerting.errors import PermanentDeliveryError
from alerting.notifiers._http import ENV_NAME, HttpNotifier, clip_utf8, missing_env
from alerting.notifiers.base import NotifierTarget, OutgoingMessage, register_notifier
from lwcore.settings import Settings

__all__ = ["DingTalkNotifier", "DingTalkRobot", "dingtalk_sign"]

MAX_MARKDOWN_BYTES = 15000
TEMPORARY = frozenset({-1, 130101})


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """The ``sign`` query value of a DingTalk robot request (before URL encoding, which httpx does)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


class DingTalkRobot(NotifierTarget):
    token_env: str = Field(pattern=ENV_NAME)  # environment variable holding the access_token
    secret_env: str | None = Field(None, pattern=ENV_NAME)  # environment variable holding the 加签 secret
    url: str = Field("https://oapi.dingtalk.com/robot/send", pattern=r"^https?://")
    at_mobiles: tuple[str, ...] = ()  # @ these members (their phone numbers) in the group


@register_notifier("dingtalk")
class DingTalkNotifier(HttpNotifier):
    display_name = "钉钉群机器人"
    audience = "group"
    section = "dingtalk_robots"
    Target = DingTalkRobot

    def __init__(
        self,
        settings: Settings,
        *,
        robots: dict[str, DingTalkRobot] | None = None,
        clock_ms: Callable[[], int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(settings, **kwargs)
        self.robots = robots or {}
        self.clock_ms = clock_ms or (lambda: int(time.time() * 1000))

    @classmethod
    def from_routing(cls, settings: Settings, section: dict[str, DingTalkRobot] | None) -> DingTalkNotifier:
        return cls(settings, robots=dict(section or {}))

    @classmethod
    def config_warnings(cls, settings: Settings, section: dict[str, DingTalkRobot] | None) -> list[str]:
        out = []
        for k, r in (section or {}).items():
            for var in missing_env([r.token_env, r.secret_env]):
                out.append(f"dingtalk_robots.{k}: environment variable {var} is not set: the robot cannot post")
        return out

    def send(self, msg: OutgoingMessage) -> None:
        robot = self.robots.get(msg.recipient)
        if robot is None:
            raise PermanentDeliveryError(
                f"unknown DingTalk robot {msg.recipient!r} (not under dingtalk_robots: in routing.yaml)"
            )
        what = f"dingtalk {msg.recipient}"
        params = {"access_token": self.secret(robot.token_env, what)}
        if robot.secret_env:
            ts = self.clock_ms()
            params |= {"timestamp": str(ts), "sign": dingtalk_sign(ts, self.secret(robot.secret_env, what))}
        text = msg.payload.get("markdown") or msg.payload.get("text") or msg.subject
        if robot.at_mobiles:
            text += "\n\n" + " ".join(f"@{m}" for m in robot.at_mobiles)
        body: dict[str, Any] = {
            "msgtype": "markdown",
            "markdown": {"title": msg.subject, "text": clip_utf8(text, MAX_MARKDOWN_BYTES)},
            "at": {"atMobiles": list(robot.at_mobiles), "isAtAll": False},
        }
        resp = self.post(
            what,
            robot.url,
            params=params,
            content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"X-Message-Id": msg.message_id},
        )
        self.robot_errcode(what, resp, TEMPORARY)

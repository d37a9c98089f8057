"""``wecom``: 企业微信 group robots (群机器人), markdown messages; the robot key comes from the environment.

routing.yaml::

    wecom_robots:
      duty_group: {key_env: LW_WECOM_DUTY_GROUP_KEY}        # the key of https://qyapi.weixin.qq.com/...?key=...
    levels:
      I: {channels: [email, wecom], groups: [duty_group], ...}

The robot's URL carries its key (whoever has it can post to the group), so the file names only the environment
variable that holds it. A robot answers HTTP 200 with ``errcode``: 0 delivered; 45009 (more than 20 messages a
minute) and -1 (busy) are retried; any other code (93000: invalid key...) is permanent: the message is dead,
recorded on the alert, and the administrators are told.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from alerting.errors import PermanentDeliveryError
from alerting.notifiers._http import ENV_NAME, HttpNotifier, clip_utf8, missing_env
from alerting.notifiers.base import NotifierTarget, OutgoingMessage, register_notifier
from lwcore.settings import Settings

__all__ = ["WeComNotifier", "WeComRobot"]

MAX_MARKDOWN_BYTES = 4096  # the robot API's limit on markdown.content
TEMPORARY = frozenset({-1, 45009})


class WeComRobot(NotifierTarget):
    key_env: str = Field(pattern=ENV_NAME)  # environment variable holding the robot key
    url: str = Field("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", pattern=r"^https?://")


@register_notifier("wecom")
class WeComNotifier(HttpNotifier):
    display_name = "企业微信群机器人"
    audience = "group"
    section = "wecom_robots"
    Target = WeComRobot

    def __init__(self, settings: Settings, *, robots: dict[str, WeComRobot] | None = None, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.robots = robots or {}

    @classmethod
    def from_routing(cls, settings: Settings, section: dict[str, WeComRobot] | None) -> WeComNotifier:
        return cls(settings, robots=dict(section or {}))

    @classmethod
    def config_warnings(cls, settings: Settings, section: dict[str, WeComRobot] | None) -> list[str]:
        return [
            f"wecom_robots.{k}.key_env: environment variable {r.key_env} is not set: the robot cannot post"
            for k, r in (section or {}).items()
            if missing_env([r.key_env])
        ]

    def send(self, msg: OutgoingMessage) -> None:
        robot = self.robots.get(msg.recipient)
        if robot is None:
            raise PermanentDeliveryError(
                f"unknown WeCom robot {msg.recipient!r} (not under wecom_robots: in routing.yaml)"
            )
        what = f"wecom {msg.recipient}"
        key = self.secret(robot.key_env, what)
        text = msg.payload.get("markdown") or msg.payload.get("text") or msg.subject
        body = {"msgtype": "markdown", "markdown": {"content": clip_utf8(text, MAX_MARKDOWN_BYTES)}}
        resp = self.post(
            what,
            robot.url,
            params={"key": key},
            content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"X-Message-Id": msg.message_id},
        )
        self.robot_errcode(what, resp, TEMPORARY)

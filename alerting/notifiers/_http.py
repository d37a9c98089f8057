"""Shared by the notifiers that POST JSON over HTTP (group robots, the SMS gateway): not a channel itself.

One httpx client per batch; network errors, HTTP 429 and 5xx are temporary (the outbox retries with backoff),
other 4xx permanent. Secrets are read from the environment variable the configuration names, at send time:
one not set is a temporary failure (set it and the retry delivers; ``laborwatch config check`` warns first).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import httpx

from alerting.errors import PermanentDeliveryError, TemporaryDeliveryError
from alerting.notifiers.base import Notifier
from lwcore.settings import Settings

__all__ = ["HttpNotifier", "clip_utf8", "missing_env"]

ENV_NAME = r"^[A-Z][A-Z0-9_]*$"  # the pattern of an environment variable name in routing.yaml


def clip_utf8(text: str, max_bytes: int, tail: str = "\n……") -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (robots reject longer messages), marked when cut."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text
    room = max_bytes - len(tail.encode("utf-8"))
    return raw[:room].decode("utf-8", "ignore") + tail


def missing_env(names: list[str | None], environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    return [n for n in names if n and not env.get(n)]


class HttpNotifier(Notifier):
    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.timeout = settings.smtp.timeout_s
        self._transport = transport
        self._environ = os.environ if environ is None else environ
        self._client: httpx.Client | None = None

    def open(self) -> None:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, transport=self._transport)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def secret(self, var: str, what: str) -> str:
        value = self._environ.get(var)
        if not value:
            raise TemporaryDeliveryError(f"{what}: environment variable {var} is not set")
        return value

    def post(
        self,
        what: str,
        url: str,
        *,
        content: bytes,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST ``content`` (JSON bytes); returns the response when it is 2xx, else raises the right error."""
        self.open()
        assert self._client is not None
        try:
            resp = self._client.post(
                url, content=content, params=params, headers={"Content-Type": "application/json", **headers}
            )
        except httpx.HTTPError as exc:
            raise TemporaryDeliveryError(f"{what}: {type(exc).__name__}: {exc}") from None
        if resp.status_code >= 500 or resp.status_code == 429:
            raise TemporaryDeliveryError(f"{what}: HTTP {resp.status_code}", code=resp.status_code)
        if resp.status_code >= 300:
            raise PermanentDeliveryError(f"{what}: HTTP {resp.status_code}", code=resp.status_code)
        return resp

    @staticmethod
    def robot_errcode(what: str, resp: httpx.Response, temporary: frozenset[int]) -> None:
        """WeCom and DingTalk answer HTTP 200 with ``{"errcode": n, "errmsg": ...}``: 0 is delivered."""
        try:
            body: Any = resp.json()
        except ValueError:
            raise TemporaryDeliveryError(f"{what}: answer is not JSON: {resp.text[:200]!r}") from None
        code = body.get("errcode", 0) if isinstance(body, dict) else 0
        if code == 0:
            return
        msg = f"{what}: errcode {code} {body.get('errmsg')}"
        if code in temporary:
            raise TemporaryDeliveryError(msg, code=code)
        raise PermanentDeliveryError(msg, code=code)

"""The notifier contract and its registry (``email``, ``webhook``).

A notifier delivers one outbox message. It raises :class:`TemporaryDeliveryError` (the outbox retries with
backoff) or :class:`PermanentDeliveryError` (the message is marked dead, recorded, and the admins told).
``open()``/``close()`` let the outbox reuse one connection for a batch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from laborwatch.settings import Settings

__all__ = ["Notifier", "OutgoingMessage", "NOTIFIERS", "register_notifier", "build_notifier"]


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    outbox_id: int
    recipient: str  # email address, or webhook key
    subject: str
    payload: dict[str, Any]  # email: text, html, headers; webhook: text/markdown + data
    message_id: str


class Notifier(ABC):
    channel: ClassVar[str]

    def open(self) -> None:  # noqa: B027 - optional hook
        """Prepare for a batch (e.g. connect)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """End a batch."""

    @abstractmethod
    def send(self, msg: OutgoingMessage) -> None:
        """Deliver one message or raise a NotifierError subclass."""

    def __enter__(self) -> Notifier:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


NOTIFIERS: dict[str, Callable[..., Notifier]] = {}


def register_notifier(channel: str) -> Callable[[type[Notifier]], type[Notifier]]:
    def deco(cls: type[Notifier]) -> type[Notifier]:
        cls.channel = channel
        NOTIFIERS[channel] = cls
        return cls

    return deco


def build_notifier(channel: str, settings: Settings, **kwargs: Any) -> Notifier:
    try:
        factory = NOTIFIERS[channel]
    except KeyError:
        raise KeyError(f"no notifier for channel {channel!r}; known: {sorted(NOTIFIERS)}") from None
    return factory(settings, **kwargs)

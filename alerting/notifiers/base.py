"""The notifier contract and its registry.

A notifier delivers one outbox message. It raises :class:`TemporaryDeliveryError` (the outbox retries with
backoff) or :class:`PermanentDeliveryError` (the message is marked dead, recorded, and the admins told).
``open()``/``close()`` let the outbox reuse one connection for a batch.

A notifier class also describes itself, so that nothing else names its channel:

- ``display_name``: what staff read for the channel (Simplified Chinese);
- ``audience``: ``"person"`` (the address is a field of a person or unit in the roster: ``address_field``,
  e.g. ``email`` or ``phone``; an optional ``routing.yaml`` section ``section`` holds the channel's own
  settings, validated by its ``Config`` model, e.g. an SMS gateway) or ``"group"`` (named targets under its
  own ``routing.yaml`` section ``section``, each validated by its ``Target`` model; levels and units list
  them by key under ``groups:``);
- ``personal_ack_link``: each recipient gets their own signed acknowledgement link (e-mail);
- :meth:`payload`: what is stored in the outbox row for one rendered alert message;
- :meth:`from_routing`: how it is built from settings and its section (group: key -> Target; person: Config);
- :meth:`config_warnings`: what ``laborwatch config check`` reports about its setup (a secret not set...).

Every module of this package is imported by ``alerting.notifiers`` and registers itself with
:func:`register_notifier`: adding a channel is one new file here plus its configuration.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from lwcore.settings import Settings

__all__ = [
    "AlertContent",
    "Notifier",
    "NotifierTarget",
    "OutgoingMessage",
    "NOTIFIERS",
    "register_notifier",
    "build_notifier",
    "notifier_class",
    "channel_label",
]


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    outbox_id: int
    recipient: str  # email address, phone number, or the key of a group target
    subject: str
    payload: dict[str, Any]  # what the channel's Notifier.payload() stored
    message_id: str


@dataclass(frozen=True, slots=True)
class AlertContent:
    """One alert message rendered once (``alerting.render``), as each channel's :meth:`Notifier.payload` reads it."""

    subject: str
    text: str
    html: str
    markdown: str
    alert_id: int
    level: str
    company: str | None
    town: str | None
    posts: int
    reply_to: str | None = None  # Message-ID of the first message this recipient got about the alert


class NotifierTarget(BaseModel):
    """Base of a group channel's target model (one entry under its routing.yaml section); unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Notifier(ABC):
    channel: ClassVar[str]
    display_name: ClassVar[str]
    audience: ClassVar[Literal["person", "group"]]
    address_field: ClassVar[str | None] = None  # person channels: Person / Unit field with the address
    address_label: ClassVar[str | None] = None  # person channels: that address as staff read it (手机号码)
    section: ClassVar[str | None] = None  # group channels: the routing.yaml section with the targets
    Target: ClassVar[type[NotifierTarget] | None] = None  # group channels: one entry of the section
    Config: ClassVar[type[NotifierTarget] | None] = None  # person channels with a section: the whole section
    personal_ack_link: ClassVar[bool] = False

    @classmethod
    def from_routing(cls, settings: Settings, section: Any) -> Notifier:
        """Build the notifier for the engine from its routing.yaml section (None when the file has none)."""
        return cls(settings)  # type: ignore[call-arg]

    @classmethod
    def payload(cls, content: AlertContent) -> dict[str, Any]:
        """The outbox payload of an alert message on this channel (default: plain text, markdown and figures)."""
        return {
            "text": content.text,
            "markdown": content.markdown,
            "data": {
                "alert_id": content.alert_id,
                "level": content.level,
                "company": content.company,
                "town": content.town,
                "posts": content.posts,
            },
        }

    @classmethod
    def config_warnings(cls, settings: Settings, section: Any) -> list[str]:
        """What ``laborwatch config check`` should say about this channel's setup (e.g. a secret not set)."""
        return []

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


NOTIFIERS: dict[str, type[Notifier]] = {}


def register_notifier(channel: str) -> Callable[[type[Notifier]], type[Notifier]]:
    """Register a notifier class under ``channel``; checks that it describes itself completely."""

    def deco(cls: type[Notifier]) -> type[Notifier]:
        if channel in NOTIFIERS and NOTIFIERS[channel] is not cls:
            raise ValueError(f"notifier channel {channel!r} registered twice")
        if not getattr(cls, "display_name", ""):
            raise TypeError(f"notifier {cls.__name__}: display_name (what staff read) is required")
        if getattr(cls, "audience", None) == "person" and not (cls.address_field and cls.address_label):
            raise TypeError(f"notifier {cls.__name__}: a person channel needs address_field and address_label")
        if getattr(cls, "audience", None) == "person" and bool(cls.section) != bool(cls.Config):
            raise TypeError(f"notifier {cls.__name__}: a person channel's section needs its Config model")
        if getattr(cls, "audience", None) == "group" and not (cls.section and cls.Target):
            raise TypeError(f"notifier {cls.__name__}: a group channel needs section and Target")
        if getattr(cls, "audience", None) not in ("person", "group"):
            raise TypeError(f"notifier {cls.__name__}: audience must be 'person' or 'group'")
        cls.channel = channel
        NOTIFIERS[channel] = cls
        return cls

    return deco


def notifier_class(channel: str) -> type[Notifier]:
    try:
        return NOTIFIERS[channel]
    except KeyError:
        raise KeyError(f"no notifier for channel {channel!r}; known: {sorted(NOTIFIERS)}") from None


def channel_label(channel: str) -> str:
    """What staff read for a channel (its notifier's display name; the code itself when unknown)."""
    cls = NOTIFIERS.get(channel)
    return cls.display_name if cls is not None else channel


_UNSET: Any = object()


def build_notifier(channel: str, settings: Settings, *, section: Any = _UNSET, **kwargs: Any) -> Notifier:
    """A notifier for ``channel``: from its routing.yaml ``section`` when given (None: the file has none), else
    ``cls(settings, **kwargs)``."""
    cls = notifier_class(channel)
    if section is not _UNSET:
        return cls.from_routing(settings, section)
    return cls(settings, **kwargs)  # type: ignore[call-arg]

"""Notifiers by channel: ``email`` (SMTP) and ``webhook`` (JSON POST)."""

from __future__ import annotations

from alerting.notifiers import mail, webhook  # noqa: F401  (register the channels)
from alerting.notifiers.base import NOTIFIERS, Notifier, OutgoingMessage, build_notifier, register_notifier

__all__ = ["NOTIFIERS", "Notifier", "OutgoingMessage", "build_notifier", "register_notifier"]

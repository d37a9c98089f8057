"""Notifiers by channel, one module each (``mail``: email, ``webhook``, ``wecom``, ``dingtalk``, ``sms``...).

Every module of this package is imported here, and registers its notifier class: adding a channel is one new
file in this package plus its configuration (see docs/DEVELOPING.md, "Adding a notifier").
"""

from __future__ import annotations

import importlib
import pkgutil

from alerting.notifiers.base import (
    NOTIFIERS,
    AlertContent,
    Notifier,
    NotifierTarget,
    OutgoingMessage,
    build_notifier,
    channel_label,
    notifier_class,
    register_notifier,
)

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _m.name != "base" and not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")

__all__ = [
    "NOTIFIERS",
    "AlertContent",
    "Notifier",
    "NotifierTarget",
    "OutgoingMessage",
    "build_notifier",
    "channel_label",
    "notifier_class",
    "register_notifier",
]

"""Helpers of the alerting integration tests: a real aiosmtpd server that can bounce and restart, settings."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from laborwatch.settings import DEFAULT_CONFIG_DIR, Settings, load_settings

BOUNCE = "bounce@qingpu.example.gov.cn"


class BouncingHandler:
    """Accepts mail like the shared fixture, but answers 550 to RCPT TO:<bounce@...> (a bounce)."""

    def __init__(self, capture) -> None:  # type: ignore[no-untyped-def]
        self.capture = capture

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == BOUNCE:
            return "550 5.1.1 mailbox unavailable (test bounce)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.capture.refuse:
            return "451 4.3.0 temporarily refusing mail (test)"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.capture.lock:
            self.capture.messages.append(msg)
            self.capture.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@dataclass
class Capture:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse: bool = False

    def wait_for(self, n: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """A real aiosmtpd server on loopback that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.capture = Capture("127.0.0.1", free_port())
        self._ctl = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._ctl = Controller(BouncingHandler(self.capture), hostname="127.0.0.1", port=self.capture.port)
        self._ctl.start()

    def stop(self) -> None:
        if self._ctl is not None:
            self._ctl.stop()
            self._ctl = None


def settings_for(tmp_path: Path, port: int, *, db_url: str | None = None, **alerting: object) -> Settings:
    cfg = tmp_path / "configs"
    if not cfg.exists():
        shutil.copytree(DEFAULT_CONFIG_DIR, cfg)
        (cfg / "settings.yaml").write_text("{}\n", encoding="utf-8")
    overrides: dict[str, object] = {
        "state_dir": str(tmp_path / "state"),
        "alerting": {
            "secret_key": "integration-secret",
            "admin_emails": ["admin@example.org"],
            "outbox_backoff_s": 5.0,
            "outbox_backoff_max_s": 60.0,
            **alerting,
        },
        "smtp": {"host": "127.0.0.1", "port": port, "sender": "yuqing@example.org", "timeout_s": 5},
    }
    if db_url:
        overrides["db"] = {"url": db_url}
    return load_settings(cfg / "settings.yaml", environ={}, overrides=overrides)

"""A real SMTP server on loopback that keeps what it accepts: for ``laborwatch demo``, the tests and the benches.

It is aiosmtpd (a real SMTP implementation), not a mock: the notifiers talk SMTP to it exactly as to the bureau's
server. It can refuse mail for a while (``refuse = True`` answers 451), bounce chosen recipients (550), and be
stopped and started again on the same port to imitate an outage.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

__all__ = ["MailSink", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class MailSink:
    """Loopback SMTP server recording accepted messages, their envelopes and the time each was accepted."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, *, bounce: Iterable[str] = ()) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.bounce = frozenset(bounce)
        self.refuse = False  # True: answer 451 to every DATA command
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.accepted_at: list[float] = []  # time.perf_counter() of each accepted message
        self.lock = threading.Lock()
        self._controller: Any = None

    # aiosmtpd handler hooks --------------------------------------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ANN001
        if address in self.bounce:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        if self.refuse:
            return "451 4.3.0 temporarily refusing mail"
        t = time.perf_counter()
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.accepted_at.append(t)
        return "250 OK"

    # life cycle ---------------------------------------------------------------------------------------------
    def start(self) -> MailSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def accepted(self, start: int = 0) -> list[tuple[float, EmailMessage]]:
        """``(accept time, message)`` pairs from the ``start``-th message on."""
        with self.lock:
            return list(zip(self.accepted_at[start:], self.messages[start:], strict=True))

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()
            self.accepted_at.clear()

    def wait_for(self, n: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The accepted messages once there are at least ``n`` of them, or whatever arrived by ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)

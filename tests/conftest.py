"""Shared fixtures. Room-specific fixtures live in the room's own test folder's conftest.py.

Real services: the SMTP server here is a real aiosmtpd server on loopback; PostgreSQL and Redis URLs come
from scripts/test.sh (LW_TEST_PG_URL, LW_TEST_REDIS_URL); Elasticsearch fixtures are in the section below.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from laborwatch.settings import Settings, load_settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip with a clear message where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-world data folder {SHARED_DATA} is absent; this tier needs ../shared/data")
    return SHARED_DATA


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings from the repo's configs with state and DB in a temporary folder (no environment layer)."""
    env = {k: v for k, v in os.environ.items() if k in ("LW_ES_URL",)}
    return load_settings(environ=env, overrides={"state_dir": str(tmp_path / "state")})


@dataclass
class SmtpCapture:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse: bool = False  # when True the server answers 451 to every DATA command

    def wait_for(self, n: int, timeout: float = 10.0) -> list[EmailMessage]:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)


class _Handler:
    def __init__(self, capture: SmtpCapture) -> None:
        self.capture = capture

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        if self.capture.refuse:
            return "451 4.3.0 temporarily refusing mail (test)"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.capture.lock:
            self.capture.messages.append(msg)  # type: ignore[arg-type]
            self.capture.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[SmtpCapture]:
    """A real SMTP server (aiosmtpd) on loopback that records what it accepts."""
    from aiosmtpd.controller import Controller

    port = free_port()
    capture = SmtpCapture("127.0.0.1", port)
    controller = Controller(_Handler(capture), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield capture
    finally:
        controller.stop()


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("LW_TEST_PG_URL")
    if not url:
        pytest.skip("LW_TEST_PG_URL unset: PostgreSQL is started by scripts/test.sh")
    return url


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("LW_TEST_REDIS_URL")
    if not url:
        pytest.skip("LW_TEST_REDIS_URL unset: Redis is started by scripts/test.sh")
    return url


# --- Elasticsearch fixtures (index room) -------------------------------------------------------------

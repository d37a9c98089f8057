"""Login throttling per user name and per client address, counted from the audit log's ``login.failed`` rows
(so every web process sees the same count and a restart forgives nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from laborwatch.web.models import AuditEntry
from lwcore.db import Database, utcnow

__all__ = ["LoginThrottle", "Lockout"]


@dataclass(frozen=True)
class Lockout:
    until: datetime
    by_address: bool


class LoginThrottle:
    """``max_user`` failed logins of one user name (since its last successful login) or ``max_address`` from
    one address within ``window`` lock further attempts until the window has passed."""

    def __init__(self, db: Database, *, max_user: int = 5, max_address: int = 20,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self.db = db
        self.max_user = max_user
        self.max_address = max_address
        self.window = window

    def check(self, username: str, ip: str | None, *, now: datetime | None = None) -> Lockout | None:
        now = now or utcnow()
        since = now - self.window
        with self.db.session() as s:
            last_ok = s.scalar(select(func.max(AuditEntry.at)).where(
                AuditEntry.action == "login", AuditEntry.username == username[:64], AuditEntry.at >= since))
            user_since = max(since, last_ok) if last_ok else since
            failed = s.scalar(select(func.count()).where(
                AuditEntry.action == "login.failed", AuditEntry.username == username[:64],
                AuditEntry.at > user_since)) or 0
            if failed >= self.max_user:
                until = self._until(s, "username", username[:64], user_since, self.max_user)
                return Lockout(until=until, by_address=False)
            if ip:
                n = s.scalar(select(func.count()).where(
                    AuditEntry.action == "login.failed", AuditEntry.ip == ip, AuditEntry.at > since)) or 0
                if n >= self.max_address:
                    return Lockout(until=self._until(s, "ip", ip, since, self.max_address), by_address=True)
        return None

    def _until(self, s, column: str, value: str, since: datetime, limit: int) -> datetime:  # type: ignore[no-untyped-def]
        """When the lock ends: once the oldest of the last ``limit`` failures leaves the window."""
        times = list(s.scalars(
            select(AuditEntry.at).where(AuditEntry.action == "login.failed", getattr(AuditEntry, column) == value,
                                        AuditEntry.at > since)
            .order_by(AuditEntry.at.desc()).limit(limit)))
        return (min(times) if times else utcnow()) + self.window

"""A named lease in the database: exactly one scheduler per deployment.

One row per lock name in ``service_locks``. Taking the lock is a single conditional UPDATE (``holder = me OR
expires_at <= now``) or, when no row exists, an INSERT that loses on the primary key; both are atomic on SQLite
(writes are serialised) and PostgreSQL (row lock / unique index). The holder renews ``expires_at`` by heartbeat;
a holder that dies is replaced once its lease has expired, or at once when it ran on this host and its process
is gone (``kill -9``, a crash): the row records host and pid, and a pid that no longer exists holds nothing. The
takeover is a compare-and-set on the holder seen, so two candidates never both win. Across hosts only the lease
decides (``service.lock_lease_s``, 60 s by default). Times are the hosts' clocks (keep them NTP-synced; the lease
is far longer than any sane skew).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from laborwatch.models import ServiceLock, ServiceRequest
from lwcore.db import Database, utcnow

__all__ = [
    "SchedulerLock",
    "LockInfo",
    "SCHEDULER_LOCK",
    "new_instance_id",
    "lock_info",
    "request_reload",
    "request_crawl",
    "pending_requests",
    "answer_request",
    "request_result",
    "dead_on_this_host",
]

logger = logging.getLogger(__name__)

#: the locks table, as a Core table for the conditional UPDATE/INSERT/DELETE statements below
_LOCKS = cast(Table, ServiceLock.__table__)

SCHEDULER_LOCK = "scheduler"


def new_instance_id() -> str:
    """A name for this service process, unique across hosts and restarts: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class LockInfo:
    name: str
    holder: str
    host: str | None
    pid: int | None
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime
    reload_requested_at: datetime | None
    reload_done_at: datetime | None
    reload_result: str | None

    def alive(self, now: datetime | None = None) -> bool:
        return self.expires_at > (now or utcnow())


def lock_info(db: Database, name: str = SCHEDULER_LOCK) -> LockInfo | None:
    """The lock row as it is now, or None when nobody holds or held it."""
    with db.sessions() as s:
        row = s.get(ServiceLock, name)
        if row is None:
            return None
        return LockInfo(
            name=row.name,
            holder=row.holder,
            host=row.host,
            pid=row.pid,
            acquired_at=row.acquired_at,
            heartbeat_at=row.heartbeat_at,
            expires_at=row.expires_at,
            reload_requested_at=row.reload_requested_at,
            reload_done_at=row.reload_done_at,
            reload_result=row.reload_result,
        )


def request_reload(db: Database, name: str = SCHEDULER_LOCK) -> datetime | None:
    """Ask the live holder to re-read its config; returns the request time, or None if no live holder."""
    now = utcnow()
    with db.engine.begin() as conn:
        t = _LOCKS
        res = conn.execute(
            update(t).where(t.c.name == name, t.c.expires_at > now).values(reload_requested_at=now)
        )
    return now if res.rowcount == 1 else None


def dead_on_this_host(host: str | None, pid: int | None) -> bool:
    """True when (host, pid) names a process of this machine that no longer exists."""
    if not host or pid is None or host != socket.gethostname() or pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class SchedulerLock:
    """The lease held by one service instance."""

    def __init__(
        self, db: Database, *, holder: str, lease_s: float, name: str = SCHEDULER_LOCK
    ) -> None:
        self.db = db
        self.holder = holder
        self.lease_s = lease_s
        self.name = name
        self._held_until: datetime | None = None

    @property
    def held(self) -> bool:
        """True while our last successful renewal is still within its lease (as we know it)."""
        return self._held_until is not None and self._held_until > utcnow()

    def try_acquire(self) -> bool:
        """Take the lock if it is free, expired or already ours. Never blocks."""
        t = _LOCKS
        now = utcnow()
        expires = now + timedelta(seconds=self.lease_s)
        claim = {"holder": self.holder, "host": socket.gethostname(), "pid": os.getpid(), "acquired_at": now,
                 "heartbeat_at": now, "expires_at": expires}
        with self.db.engine.begin() as conn:
            res = conn.execute(
                update(t)
                .where(t.c.name == self.name, or_(t.c.holder == self.holder, t.c.expires_at <= now))
                .values(**claim)
            )
            if res.rowcount == 1:
                self._held_until = expires
                return True
            row = conn.execute(select(t.c.holder, t.c.host, t.c.pid).where(t.c.name == self.name)).first()
            if row is not None and dead_on_this_host(row.host, row.pid):
                res = conn.execute(
                    update(t).where(t.c.name == self.name, t.c.holder == row.holder).values(**claim)
                )
                if res.rowcount == 1:
                    logger.warning("scheduler lock taken over from %s: its process %s is gone from this host",
                                   row.holder, row.pid)
                    self._held_until = expires
                    return True
        try:
            with self.db.engine.begin() as conn:
                conn.execute(insert(t).values(name=self.name, **claim))
        except IntegrityError:
            return False  # someone else holds a live lease (or won the race to insert)
        self._held_until = expires
        return True

    def renew(self) -> bool:
        """Extend our lease. False when the row is no longer ours (taken over after we stalled)."""
        t = _LOCKS
        now = utcnow()
        expires = now + timedelta(seconds=self.lease_s)
        with self.db.engine.begin() as conn:
            res = conn.execute(
                update(t)
                .where(t.c.name == self.name, t.c.holder == self.holder)
                .values(heartbeat_at=now, expires_at=expires)
            )
        if res.rowcount == 1:
            self._held_until = expires
            return True
        self._held_until = None
        return False

    def pending_reload(self) -> datetime | None:
        """The time of a reload request not yet answered, if any."""
        t = _LOCKS
        with self.db.engine.connect() as conn:
            row = conn.execute(
                select(t.c.reload_requested_at, t.c.reload_done_at).where(
                    t.c.name == self.name, t.c.holder == self.holder
                )
            ).first()
        if row is None or row.reload_requested_at is None:
            return None
        if row.reload_done_at is not None and row.reload_done_at >= row.reload_requested_at:
            return None
        return row.reload_requested_at  # type: ignore[no-any-return]

    def mark_reloaded(self, requested_at: datetime | None, result: str) -> None:
        t = _LOCKS
        with self.db.engine.begin() as conn:
            conn.execute(
                update(t)
                .where(t.c.name == self.name, t.c.holder == self.holder)
                .values(reload_done_at=max(requested_at or utcnow(), utcnow()), reload_result=result)
            )

    def release(self) -> None:
        """Give the lock up now (a standby takes over at its next attempt)."""
        t = _LOCKS
        with self.db.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.name == self.name, t.c.holder == self.holder))
        self._held_until = None


def request_crawl(db: Database, source_id: str, *, by: str | None = None) -> int:
    """Ask the scheduler to run ``source_id``'s crawl job now; returns the request id."""
    with db.session() as s:
        req = ServiceRequest(kind="crawl", arg=source_id, requested_at=utcnow(), requested_by=by)
        s.add(req)
        s.flush()
        return int(req.id)


def pending_requests(db: Database) -> list[tuple[int, str, str | None]]:
    with db.sessions() as s:
        rows = s.execute(
            select(ServiceRequest.id, ServiceRequest.kind, ServiceRequest.arg)
            .where(ServiceRequest.done_at.is_(None))
            .order_by(ServiceRequest.id)
        ).all()
    return [(int(r.id), str(r.kind), r.arg) for r in rows]


def answer_request(db: Database, request_id: int, result: str) -> None:
    with db.session() as s:
        req = s.get(ServiceRequest, request_id)
        if req is not None:
            req.done_at = utcnow()
            req.result = result


def request_result(db: Database, request_id: int) -> tuple[bool, str | None]:
    """(done, result) of a request."""
    with db.sessions() as s:
        req = s.get(ServiceRequest, request_id)
        if req is None:
            return False, None
        return req.done_at is not None, req.result

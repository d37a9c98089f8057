"""The durable outbox: messages are rows written in the alert's own transaction, before any send.

Life of a row: ``pending`` -> claimed (``sending``; a batch of rows is claimed by ONE compare-and-set
UPDATE whose WHERE re-checks that each row is still due, committed before any send) -> ``sent``. The rows of
a batch go out over one connection per channel; the ``sent`` marks are committed in groups (every
``mark_every`` messages or ``mark_interval_s`` seconds, and at the end of the batch), not one commit per
message. A temporary failure puts a row back to ``pending`` with exponential backoff; a permanent one
(bounce) or too many attempts makes it ``dead``, recorded on the alert and reported to the administrators.
Exactly once across crashes: a row is only re-sent if it is still ``pending`` (never sent), its claim is
older than the lease, or its claim belongs to a process of this host that no longer exists (the claim token
names the claimer's host and pid; ``kill -9`` mid-send is retried at the next dispatch, not after the lease)
(the process died mid-send, or after the server accepted it but before its ``sent`` mark
was committed: at most one group of marks, bounded by ``mark_interval_s``; the message keeps the same
Message-ID so the copy is recognisable). Each row has a unique ``dedup_key``: queuing it twice is a no-op.

That last window is closed on one host by the acceptance log: right after the server accepts a message, the
sender appends ``<row id> <claim token>`` to its own ``<state>/outbox/accepted-<pid>-<n>.log`` (an unbuffered
append: it survives ``kill -9`` of the process, which is all it must survive). Whoever reclaims a dead or stale
claim first marks the rows that log names as sent instead of sending them again. The owner removes its log once
the batch's marks are committed. What remains is the instant between the server's answer and the append: a
crash exactly there re-sends that one message (same Message-ID).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from alerting.errors import NotifierError, PermanentDeliveryError
from alerting.models import AlertEvent, OutboxMessage
from alerting.notifiers import Notifier, OutgoingMessage, build_notifier
from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = ["enqueue", "Outbox", "DispatchReport", "BackgroundDispatcher", "make_message_id"]

logger = logging.getLogger(__name__)


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def new_claim_token() -> str:
    """``<pid>@<host digest>.<random>`` (at most 40 characters): who claimed a batch of rows."""
    return f"{os.getpid()}@{_host_tag()}.{secrets.token_hex(8)}"


def claim_is_orphaned(token: str | None) -> bool:
    """True when ``token`` was made by a process of this host that no longer exists."""
    if not token or "@" not in token:
        return False
    pid_text, _, rest = token.partition("@")
    if not pid_text.isdigit() or rest.partition(".")[0] != _host_tag():
        return False
    pid = int(pid_text)
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def make_message_id(dedup_key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "laborwatch.local"
    import hashlib

    digest = hashlib.sha1(dedup_key.encode("utf-8")).hexdigest()[:32]
    return f"<lw.{digest}@{domain}>"


def enqueue(
    session: Session,
    *,
    dedup_key: str,
    channel: str,
    recipient: str,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    sender: str,
    now: datetime,
    alert_id: int | None = None,
) -> OutboxMessage | None:
    """Add one message to the outbox inside the caller's transaction; None when that key is already queued."""
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key))
    if exists is not None:
        return None
    row = OutboxMessage(
        dedup_key=dedup_key,
        channel=channel,
        recipient=recipient,
        kind=kind,
        alert_id=alert_id,
        subject=subject,
        payload=payload,
        message_id=make_message_id(dedup_key, sender),
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


@dataclass
class DispatchReport:
    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: DispatchReport) -> None:
        self.sent += other.sent
        self.retry += other.retry
        self.dead += other.dead
        self.errors += other.errors


#: Called with (session, dead row, reason) when a message is dead, inside the transaction that marks it;
#: returns the outbox rows it queued (e.g. a notice to the admins), which the same dispatch then sends.
DeadHook = Callable[[Session, OutboxMessage, str], list[OutboxMessage]]


class Outbox:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        notifier_factory: Callable[[str], Notifier] | None = None,
        on_dead: DeadHook | None = None,
        lease_s: float | None = None,
        batch_size: int = 500,
        mark_every: int = 50,
        mark_interval_s: float = 1.0,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.cfg = settings.alerting
        self._factory = notifier_factory or (lambda ch: build_notifier(ch, settings))
        self.on_dead = on_dead
        # a claim older than this belongs to a process that died mid-send
        self.lease = timedelta(seconds=lease_s if lease_s is not None else max(120.0, 4 * settings.smtp.timeout_s))
        self.batch_size = batch_size
        # the 'sent' marks of a batch are committed in groups: at most this many messages / seconds unmarked
        self.mark_every = max(1, mark_every)
        self.mark_interval_s = mark_interval_s
        self._followups: list[int] = []
        self._accepted_dir = settings.state_path / "outbox"
        self._accepted_fd: int | None = None

    def backoff(self, attempts: int) -> timedelta:
        s = self.cfg.outbox_backoff_s * (2 ** max(0, attempts - 1))
        return timedelta(seconds=min(s, self.cfg.outbox_backoff_max_s))

    # --- the acceptance log -------------------------------------------------------------------------------
    def _log_files(self, pid: int) -> list[Any]:
        if not self._accepted_dir.is_dir():
            return []
        return sorted(self._accepted_dir.glob(f"accepted-{pid}-*.log"))

    def _log_accepted(self, row_id: int, token: str) -> None:
        try:
            if self._accepted_fd is None:
                self._accepted_dir.mkdir(parents=True, exist_ok=True)
                path = self._accepted_dir / f"accepted-{os.getpid()}-{id(self):x}.log"  # one per Outbox object
                self._accepted_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.write(self._accepted_fd, f"{row_id} {token}\n".encode("ascii", "replace"))
        except OSError as exc:  # the log narrows a window; without it a crash may re-send one group
            logger.warning("outbox: cannot record the acceptance of message %d: %s", row_id, exc)

    def _clear_log(self) -> None:
        """Every acceptance logged so far is committed as sent: close and remove this object's log."""
        fd, self._accepted_fd = self._accepted_fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
            (self._accepted_dir / f"accepted-{os.getpid()}-{id(self):x}.log").unlink(missing_ok=True)

    def _accepted_by(self, tokens: set[str]) -> dict[int, str]:
        """Rows the (dead or stalled) claimers of ``tokens`` on this host had handed to the server."""
        found: dict[int, str] = {}
        pids = {int(t.partition("@")[0]) for t in tokens if t.partition("@")[0].isdigit()}
        for path in [p for pid in pids for p in self._log_files(pid)]:
            try:
                text = path.read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                oid, _, tok = line.partition(" ")
                if tok in tokens and oid.isdigit():
                    found[int(oid)] = tok
        return found

    def _settle_accepted(self, s: Session, tokens: set[str], now: datetime) -> None:
        """Mark as sent the rows of ``tokens`` whose acceptance was logged before their claimer died."""
        accepted = self._accepted_by(tokens)
        for oid, tok in accepted.items():
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == oid, OutboxMessage.claim_token == tok, OutboxMessage.status == "sending")
                .values(status="sent", sent_at=now, last_error=None)
                .execution_options(synchronize_session=False)
            )
        if accepted:
            logger.warning("outbox: %d message(s) accepted by the server before their sender died: marked sent, "
                           "not sent again", len(accepted))
        for token in tokens:
            if claim_is_orphaned(token):  # its process is gone: nobody appends to its logs any more
                for path in self._log_files(int(token.partition("@")[0])):
                    path.unlink(missing_ok=True)

    def _claim(self, ids: Iterable[int] | None, now: datetime) -> list[tuple[OutboxMessage, str]]:
        """Claim up to ``batch_size`` due rows with one compare-and-set UPDATE; returns (row, claim token)."""
        stale = now - self.lease
        due = or_(
            (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < stale),
        )
        token = new_claim_token()
        with self.db.session() as s:
            fresh = s.execute(
                select(OutboxMessage.claim_token).where(OutboxMessage.status == "sending").distinct()
            ).scalars()
            orphaned = {t for t in fresh if claim_is_orphaned(t)}
            if orphaned:  # claims of a sender killed mid-send on this host: due now, not after the lease
                due = or_(due, (OutboxMessage.status == "sending") & OutboxMessage.claim_token.in_(orphaned))
            stale_tokens = set(s.execute(
                select(OutboxMessage.claim_token)
                .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < stale)
            ).scalars())
            reclaimed = {t for t in orphaned | stale_tokens if t}
            if reclaimed:
                self._settle_accepted(s, reclaimed, now)
            q = select(OutboxMessage.id, OutboxMessage.status).where(due).order_by(OutboxMessage.id)
            q = q.limit(self.batch_size)
            if ids is not None:
                q = q.where(OutboxMessage.id.in_(list(ids)))
            candidates = s.execute(q).all()
            if not candidates:
                return []
            # the WHERE re-checks "still due" at write time: a row another process claimed (or sent) between
            # the SELECT and this UPDATE is left alone, so no row is ever claimed twice
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([c.id for c in candidates]), due)
                .values(status="sending", claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            rows = list(
                s.scalars(select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id))
            )
        was_sending = {c.id for c in candidates if c.status == "sending"}
        for row in rows:
            if row.id in was_sending:
                logger.warning("outbox %d: reclaiming a stale claim (previous sender died mid-send)", row.id)
        return [(row, token) for row in rows]

    def _mark_sent(self, done: list[tuple[OutboxMessage, str, datetime]]) -> None:
        """Commit the 'sent' marks of several rows in one transaction (only rows still under our claim).

        The messages are already with the server, so a busy database (SQLite's write lock held by a long
        alert transaction) is waited out, with backoff, for up to half the lease; only then does it raise, and
        the rows are re-sent after the lease (same Message-ID).
        """
        if not done:
            return
        params = [{"oid": row.id, "tok": token, "at": at} for row, token, at in done]
        deadline = time.monotonic() + self.lease.total_seconds() / 2
        delay = 0.1
        while True:
            try:
                self._mark_sent_once(params)
                break
            except OperationalError as exc:
                if time.monotonic() + delay > deadline:
                    raise
                logger.warning("outbox: recording %d sent message(s) failed, retrying: %s", len(params), exc.orig)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
        done.clear()

    def _mark_sent_once(self, params: list[dict[str, Any]]) -> None:
        table = OutboxMessage.__table__
        stmt = (
            update(table)  # type: ignore[arg-type]
            .where(table.c.id == bindparam("oid"), table.c.claim_token == bindparam("tok"))
            .values(status="sent", sent_at=bindparam("at"), last_error=None)
        )
        with self.db.session() as s:
            s.connection().execute(stmt, params)

    def _release(self, rows: list[tuple[OutboxMessage, str]]) -> None:
        """Give back claimed rows that were never handed to a notifier (the batch was cut short)."""
        if not rows:
            return
        try:
            with self.db.session() as s:
                for row, token in rows:
                    s.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id == row.id, OutboxMessage.claim_token == token)
                        .values(
                            status="pending", claim_token=None, claimed_at=None, attempts=OutboxMessage.attempts - 1
                        )
                        .execution_options(synchronize_session=False)
                    )
            logger.info("outbox: %d unsent message(s) of an interrupted batch released", len(rows))
        except Exception:  # noqa: BLE001 - the lease releases them instead
            logger.exception("outbox: releasing %d unsent claimed message(s) failed; the lease will", len(rows))

    def _finish(self, row: OutboxMessage, token: str, **values: Any) -> None:
        with self.db.session() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claim_token == token)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if values.get("status") == "dead":
                fresh = s.get(OutboxMessage, row.id)
                if fresh is not None:
                    if fresh.alert_id is not None:
                        s.add(
                            AlertEvent(
                                alert_id=fresh.alert_id,
                                at=self.clock(),
                                kind="delivery_failed",
                                actor="outbox",
                                detail={
                                    "outbox_id": fresh.id,
                                    "channel": fresh.channel,
                                    "recipient": fresh.recipient,
                                    "error": values.get("last_error"),
                                },
                            )
                        )
                    if self.on_dead is not None:
                        queued = self.on_dead(s, fresh, str(values.get("last_error")))
                        s.flush()
                        self._followups += [r.id for r in queued]

    def _fail(self, row: OutboxMessage, token: str, exc: NotifierError, now: datetime, report: DispatchReport) -> None:
        reason = str(exc)
        if isinstance(exc, PermanentDeliveryError) or row.attempts >= self.cfg.outbox_max_attempts:
            why = (
                reason
                if isinstance(exc, PermanentDeliveryError)
                else f"gave up after {row.attempts} attempts: {reason}"
            )
            logger.error("outbox %d (%s to %s) dead: %s", row.id, row.channel, row.recipient, why)
            self._finish(row, token, status="dead", last_error=why, claim_token=None)
            report.dead.append(row.id)
        else:
            delay = self.backoff(row.attempts)
            logger.warning(
                "outbox %d (%s to %s) attempt %d failed, retry in %.0fs: %s",
                row.id,
                row.channel,
                row.recipient,
                row.attempts,
                delay.total_seconds(),
                reason,
            )
            self._finish(row, token, status="pending", last_error=reason, next_attempt_at=now + delay, claim_token=None)
            report.retry.append(row.id)
        report.errors.append(f"outbox {row.id}: {reason}")

    def dispatch(self, ids: Iterable[int] | None = None, *, max_batches: int = 1000) -> DispatchReport:
        """Send every due message (or only ``ids``); returns what was sent, retried and given up."""
        total = DispatchReport()
        id_list = list(ids) if ids is not None else None
        for _ in range(max_batches):
            now = self.clock()
            claimed = self._claim(id_list, now)
            if not claimed:
                break
            total.merge(self._send_batch(claimed, now))
            if len(claimed) < self.batch_size:
                break
        if self._followups:
            follow, self._followups = self._followups, []
            total.merge(self.dispatch(follow, max_batches=max_batches))
        return total

    def _send_batch(self, claimed: list[tuple[OutboxMessage, str]], now: datetime) -> DispatchReport:
        report = DispatchReport()
        by_channel: dict[str, list[tuple[OutboxMessage, str]]] = {}
        for row, token in claimed:
            by_channel.setdefault(row.channel, []).append((row, token))
        for channel, rows in by_channel.items():
            try:
                notifier = self._factory(channel)
                notifier.open()
            except KeyError as exc:
                for row, token in rows:
                    self._fail(row, token, PermanentDeliveryError(str(exc)), now, report)
                continue
            except NotifierError as exc:
                for row, token in rows:
                    self._fail(row, token, exc, now, report)
                continue
            unmarked: list[tuple[OutboxMessage, str, datetime]] = []
            last_mark = time.monotonic()
            pos = -1
            try:
                for pos, (row, token) in enumerate(rows):  # noqa: B007 - read in the finally
                    msg = OutgoingMessage(row.id, row.recipient, row.subject, row.payload, row.message_id)
                    try:
                        notifier.send(msg)
                    except NotifierError as exc:
                        self._mark_sent(unmarked)
                        self._fail(row, token, exc, now, report)
                        continue
                    self._log_accepted(row.id, token)
                    unmarked.append((row, token, self.clock()))
                    report.sent.append(row.id)
                    if len(unmarked) >= self.mark_every or time.monotonic() - last_mark >= self.mark_interval_s:
                        self._mark_sent(unmarked)
                        last_mark = time.monotonic()
            finally:
                try:
                    self._mark_sent(unmarked)
                    self._clear_log()  # every acceptance of this batch is committed
                finally:
                    notifier.close()
                    # cut short (crash, database error): rows after the current one never reached the notifier
                    self._release(rows[pos + 1 :])
        return report

    def pending_count(self) -> int:
        from sqlalchemy import func

        with self.db.session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status.in_(("pending", "sending")))
                )
                or 0
            )


class BackgroundDispatcher:
    """A thread that sends the outbox when kicked, so the caller (``AlertEngine.process``) does not wait for SMTP.

    It owns its :class:`Outbox` (claims are compare-and-set, so it may run beside ``tick()``'s dispatch or
    another process). :meth:`kick` asks for a round; rounds asked for while one runs are merged into the next.
    :meth:`drain` waits until every round asked for so far has finished; :meth:`stop` drains, then ends the
    thread. A failed round is logged; its rows stay in the outbox for the next round or ``tick()``.
    """

    def __init__(self, outbox: Outbox, *, name: str = "lw-alert-dispatch") -> None:
        self.outbox = outbox
        self._cv = threading.Condition()
        self._requested = 0
        self._done = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        # at interpreter exit, finish the current round rather than dying mid-send (which would leave a
        # claimed row to be re-sent after the lease)
        atexit.register(self.stop, 30.0)

    def kick(self) -> int:
        with self._cv:
            if self._stopping:
                raise RuntimeError("dispatcher stopped")
            self._requested += 1
            self._cv.notify_all()
            return self._requested

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until the rounds asked for so far are done; False on timeout."""
        with self._cv:
            target = self._requested
            return self._cv.wait_for(lambda: self._done >= target or not self._thread.is_alive(), timeout)

    def stop(self, timeout: float | None = 30.0) -> None:
        atexit.unregister(self.stop)
        if not self._thread.is_alive():
            return
        done = self.drain(timeout)
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
        self._thread.join(timeout)
        if not done:
            logger.warning("outbox dispatcher stopped before its last round finished; rows stay for tick()")

    def _run(self) -> None:
        while True:
            with self._cv:
                self._cv.wait_for(lambda: self._requested > self._done or self._stopping)
                if self._stopping and self._requested <= self._done:
                    return
                target = self._requested
            try:
                self.outbox.dispatch()
            except Exception:  # isolation boundary: the rows stay in the outbox for the next round / tick()
                logger.exception("background outbox dispatch failed; messages stay queued")
            with self._cv:
                self._done = target
                self._cv.notify_all()

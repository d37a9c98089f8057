"""Outbox: batch claim by compare-and-set, lease for stuck claims, 'sent' marks committed in groups."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from alerting.errors import TemporaryDeliveryError
from alerting.models import OutboxMessage
from alerting.notifiers import Notifier, OutgoingMessage
from alerting.outbox import Outbox, enqueue
from alerting.testing import CapturingNotifier, FakeClock
from lwcore.db import Database
from lwcore.settings import Settings


def _queue(db: Database, clock: FakeClock, n: int) -> list[int]:
    with db.session() as s:
        rows = [
            enqueue(
                s,
                dedup_key=f"t:{i}",
                channel="email",
                recipient=f"r{i}@example.org",
                kind="alert",
                subject=f"主题{i}",
                payload={"text": "正文"},
                sender="yuqing@example.org",
                now=clock.now,
            )
            for i in range(n)
        ]
        s.flush()
        return [r.id for r in rows if r is not None]


def _status(db: Database) -> dict[int, str]:
    with db.session() as s:
        return {r.id: r.status for r in s.scalars(select(OutboxMessage))}


def test_a_claimed_batch_is_not_claimed_again_until_the_lease_expires(settings: Settings, db: Database, clock):
    ids = _queue(db, clock, 5)
    a = Outbox(settings, db, clock=clock, lease_s=120)
    b = Outbox(settings, db, clock=clock, lease_s=120)
    claimed = a._claim(None, clock.now)
    assert [r.id for r, _ in claimed] == ids and len({t for _, t in claimed}) == 1
    assert all(r.status == "sending" and r.attempts == 1 for r, _ in claimed)
    assert b._claim(None, clock.now) == []  # compare-and-set: nothing is due any more
    clock.advance(seconds=119)
    assert b._claim(None, clock.now) == []  # the claim is fresh: the first sender may still be sending
    clock.advance(seconds=2)
    again = b._claim(ids[:2], clock.now)  # only the ids asked for
    assert [r.id for r, _ in again] == ids[:2] and all(r.attempts == 2 for r, _ in again)
    # the first sender's late result no longer counts for the rows taken over
    a._mark_sent([(r, t, clock.now) for r, t in claimed])
    st = _status(db)
    assert [st[i] for i in ids] == ["sending", "sending", "sent", "sent", "sent"]


class _Watching(Notifier):
    """Sends everything; before each send records how many earlier sent messages are not yet marked sent."""

    channel = "email"

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sent: list[int] = []
        self.unmarked: list[int] = []
        self.opened = 0

    def open(self) -> None:
        self.opened += 1

    def send(self, msg: OutgoingMessage) -> None:
        st = _status(self.db)
        self.unmarked.append(sum(1 for i in self.sent if st[i] != "sent"))
        self.sent.append(msg.outbox_id)


def test_sent_marks_are_committed_in_groups_over_one_connection(settings: Settings, db: Database, clock):
    ids = _queue(db, clock, 23)
    watch = _Watching(db)
    box = Outbox(settings, db, clock=clock, notifier_factory=lambda ch: watch, mark_every=5, mark_interval_s=3600)
    rep = box.dispatch()
    assert rep.sent == ids and watch.sent == ids and watch.opened == 1
    assert max(watch.unmarked) == 4  # never more than mark_every - 1 sent-but-unmarked
    assert watch.unmarked[5] == 0 and watch.unmarked[4] == 4  # a group of 5 is committed together
    with db.session() as s:
        rows = list(s.scalars(select(OutboxMessage)))
    assert {r.status for r in rows} == {"sent"} and all(r.sent_at == clock.now for r in rows)
    assert all(r.claim_token for r in rows) and all(r.attempts == 1 for r in rows)
    assert box.dispatch().sent == []  # nothing sent twice


def test_a_failure_mid_batch_keeps_earlier_marks_and_retries_only_that_message(settings: Settings, db: Database, clock):
    ids = _queue(db, clock, 4)
    notifier = CapturingNotifier(fail_for={"r2@example.org": TemporaryDeliveryError("SMTP 451 busy")})
    box = Outbox(settings, db, clock=clock, notifier_factory=notifier.factory, mark_every=50)
    rep = box.dispatch()
    assert rep.sent == [ids[0], ids[1], ids[3]] and rep.retry == [ids[2]]
    st = _status(db)
    assert [st[i] for i in ids] == ["sent", "sent", "pending", "sent"]
    notifier.fail_for.clear()
    clock.advance(seconds=2)  # past the backoff (1 s in the unit-test settings)
    assert box.dispatch().sent == [ids[2]]
    assert [m.outbox_id for m in notifier.sent] == [ids[0], ids[1], ids[3], ids[2]]


def test_a_crash_before_the_marks_resends_after_the_lease_with_the_same_message_id(
    settings: Settings, db: Database, clock
):
    ids = _queue(db, clock, 3)

    class Crash(BaseException):
        pass

    class DiesAfterTwo(CapturingNotifier):
        def send(self, msg: OutgoingMessage) -> None:
            if len(self.sent) == 2:
                raise Crash  # the process dies (not a delivery error)
            super().send(msg)

    first = DiesAfterTwo()
    box = Outbox(settings, db, clock=clock, notifier_factory=first.factory, lease_s=120, mark_every=50)
    try:
        box.dispatch()
    except Crash:
        pass
    # the 'finally' committed the two accepted messages' marks; the third was never handed over
    st = _status(db)
    assert [st[i] for i in ids] == ["sent", "sent", "sending"]
    second = CapturingNotifier()
    later = Outbox(settings, db, clock=clock, notifier_factory=second.factory, lease_s=120)
    assert later.dispatch().sent == []
    clock.advance(minutes=3)
    assert later.dispatch().sent == [ids[2]]
    with db.session() as s:
        row = s.get(OutboxMessage, ids[2])
        assert row is not None and row.attempts == 2 and row.status == "sent"
        assert second.sent[0].message_id == row.message_id
    assert timedelta(0) < clock.now - row.created_at


def test_background_dispatch_process_returns_before_sending_and_sends_once(settings: Settings, db: Database, clock):
    import threading

    from alerting import AlertEngine
    from alerting.testing import make_item

    gate = threading.Event()

    class Gated(CapturingNotifier):
        def send(self, msg: OutgoingMessage) -> None:
            assert gate.wait(10), "never released"
            super().send(msg)

    notifier = Gated()
    eng = AlertEngine.from_settings(
        settings, db, clock=clock, notifier_factory=notifier.factory, background_dispatch=True
    )
    try:
        [a] = eng.process([make_item(event_id="bg")])  # returns while the send is held by the gate
        assert notifier.sent == []
        eng.process([make_item(event_id="bg2")])
        assert not eng.drain_dispatch(timeout=0.2)  # still waiting on the gate
        gate.set()
        assert eng.drain_dispatch(timeout=10)
        sent = [m.outbox_id for m in notifier.sent]
        assert sent and len(sent) == len(set(sent))  # each message once
        assert set(_status(db).values()) == {"sent"}
        assert eng.tick().dispatch.sent == []  # nothing left for the periodic dispatch
        assert any(m.payload["headers"]["X-Laborwatch-Alert"] == str(a.id) for m in notifier.sent)
    finally:
        gate.set()
        eng.close()
    assert eng.drain_dispatch(timeout=0)  # closed: nothing to wait for


def test_a_busy_database_when_recording_sends_is_waited_out(settings: Settings, db: Database, clock, monkeypatch):
    from sqlalchemy.exc import OperationalError

    ids = _queue(db, clock, 3)
    notifier = CapturingNotifier()
    box = Outbox(settings, db, clock=clock, notifier_factory=notifier.factory, lease_s=120)
    real = box._mark_sent_once
    fails = {"left": 2}

    def busy_then_ok(params):  # type: ignore[no-untyped-def]
        if fails["left"]:
            fails["left"] -= 1
            raise OperationalError("UPDATE alert_outbox", {}, Exception("database is locked"))
        real(params)

    monkeypatch.setattr(box, "_mark_sent_once", busy_then_ok)
    assert box.dispatch().sent == ids
    assert fails["left"] == 0 and set(_status(db).values()) == {"sent"}
    assert [m.outbox_id for m in notifier.sent] == ids


def test_an_interrupted_batch_releases_the_rows_it_never_handed_over(settings: Settings, db: Database, clock):
    ids = _queue(db, clock, 4)

    class Crash(BaseException):
        pass

    class DiesOnSecond(CapturingNotifier):
        def send(self, msg: OutgoingMessage) -> None:
            if len(self.sent) == 1:
                raise Crash
            super().send(msg)

    box = Outbox(settings, db, clock=clock, notifier_factory=DiesOnSecond().factory, lease_s=120)
    try:
        box.dispatch()
    except Crash:
        pass
    st = _status(db)
    # sent; maybe with the server (waits for the lease); never handed over (due again at once)
    assert [st[i] for i in ids] == ["sent", "sending", "pending", "pending"]
    again = CapturingNotifier()
    rep = Outbox(settings, db, clock=clock, notifier_factory=again.factory, lease_s=120).dispatch()
    assert rep.sent == ids[2:]
    with db.session() as s:
        assert [s.get(OutboxMessage, i).attempts for i in ids[2:]] == [1, 1]  # type: ignore[union-attr]

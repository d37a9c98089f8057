"""The alert stage of the pipeline: incident tracking -> rules -> one alert per incident -> routing -> outbox -> send.

:meth:`AlertEngine.process` puts each relevant post in its incident (``alerting.tracking``: the open incident it
most likely belongs to, whose profile is stored on the alert, or a new one; posts of a meeting, notice or job
advert that report no dispute raise nothing), evaluates the rules, keeps one alert per incident and updates it
as it grows, re-notifies when its level rises (升级) or, at the top level already, when it grows (续报), and writes
alerts, evidence, history and outbox rows in ONE transaction before anything is sent. After the commit it
opens incidents (through ``ledger``'s API) and, with ``alerting.dispatch_inline``, sends the new messages.
:meth:`AlertEngine.tick` escalates unacknowledged alerts, retries the outbox with backoff and queues due
digests. Re-processing the same posts changes nothing and sends nothing.

The engine is a facade over its parts, one module each:

- ``alerting.grouping``: which incident each post belongs to (the tracker glue);
- ``alerting.clustering``: the rules over an incident's posts, the alert created or updated, what to tell;
- ``alerting.queueing``: routing, rendering and each channel's payload into outbox rows; dead-letter notices;
- ``alerting.incident_bridge``: incidents opened through the ledger's API; ``alert_snapshot``;
- ``alerting.escalating``: escalation past the acknowledgement deadline or on request;
- ``alerting.digests``: the hourly and daily digests;
- ``alerting.merging``: folding one alert into another.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from alerting.batch import chunks, post_time
from alerting.clustering import ClusterEvaluator, ObservationCounts, observe
from alerting.digests import Digests
from alerting.escalating import EscalationStep, Escalator
from alerting.grouping import Decisions, IncidentGrouping, by_event_id, tracked_json
from alerting.incident_bridge import IncidentBridge, alert_snapshot
from alerting.merging import merge_alerts
from alerting.models import Alert, AlertPost, OutboxMessage
from alerting.notifiers import Notifier, build_notifier
from alerting.outbox import BackgroundDispatcher, DispatchReport, Outbox
from alerting.queueing import ACK_PLACEHOLDER, AlertMessages, queue_admin
from alerting.roster import Router, load_roster, load_routing
from alerting.rules import RuleSet, load_rules
from alerting.tracking import non_report_genre
from lwcore.db import Database, utcnow
from lwcore.domain import AnalyzedPost
from lwcore.settings import Settings

__all__ = [
    "AlertEngine",
    "EscalationStep",
    "TickReport",
    "alert_snapshot",
    "escalate_now",
    "merge_alerts",
    "tracked_json",
]

logger = logging.getLogger(__name__)

# the names other modules and tests imported from here before the split
_ACK_PLACEHOLDER = ACK_PLACEHOLDER
_queue_admin = queue_admin


@dataclass
class TickReport:
    escalated: list[int] = field(default_factory=list)
    exhausted: list[int] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    dispatch: DispatchReport = field(default_factory=DispatchReport)


class AlertEngine:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        rules: RuleSet,
        router: Router,
        clock: Callable[[], datetime] | None = None,
        notifier_factory: Callable[[str], Notifier] | None = None,
        incidents: Any | None = None,
        background_dispatch: bool | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.rules = rules
        self.router = router
        self.clock = clock or utcnow

        def factory(channel: str) -> Notifier:
            return build_notifier(channel, settings, section=router.config.section(channel))

        self.messages = AlertMessages(settings, router, clock=self.clock)
        self.outbox = Outbox(
            settings, db, clock=self.clock, notifier_factory=notifier_factory or factory, on_dead=self._on_dead
        )
        self.grouping = IncidentGrouping(settings)
        self.evaluator = ClusterEvaluator(settings, rules, self.messages)
        self.incidents = IncidentBridge(db, clock=self.clock, incidents=incidents)
        self.escalator = Escalator(db, router, self.messages, self.outbox, clock=self.clock)
        self.digests = Digests(settings, db, router, clock=self.clock)
        # with background dispatch, process() only kicks a thread that sends (see BackgroundDispatcher)
        self._background = settings.alerting.dispatch_background if background_dispatch is None else background_dispatch
        self._bg: BackgroundDispatcher | None = None
        self._lock = threading.Lock()
        # how far back the rules count observations (each rule declares its own look-back)
        self._lookback = max((r.lookback() for r in rules.rules), default=timedelta(0)) + timedelta(minutes=1)

    @classmethod
    def from_settings(
        cls, settings: Settings, db: Database, *, clock: Callable[[], datetime] | None = None, **kwargs: Any
    ) -> AlertEngine:
        rules = load_rules(settings)
        roster = load_roster(settings)
        router = load_routing(settings, roster)
        return cls(settings, db, rules=rules, router=router, clock=clock, **kwargs)

    def _on_dead(self, s: Any, row: OutboxMessage, reason: str) -> list[OutboxMessage]:
        return self.messages.on_dead(s, row, reason)

    # --- the pipeline stage ----------------------------------------------------------------------------

    def process(self, items: Sequence[AnalyzedPost]) -> list[Alert]:
        """Evaluate, store and queue (one transaction), then open incidents and send. Returns touched alerts."""
        uniq: dict[str, AnalyzedPost] = {}
        skipped: Counter[str] = Counter()
        for it in items:
            if it.analysis.labor_dispute:
                genre = non_report_genre(it.post.text) if self.grouping.enabled else None
                if genre is not None:
                    skipped[genre] += 1
                    continue
                uniq[it.post.id] = it
        if skipped:
            logger.info("no alert for %s post(s) that report no dispute (meeting, notice, advert)", dict(skipped))
        if not uniq:
            return []
        batch = list(uniq.values())
        for attempt in (1, 2, 3):
            now = self.clock()
            try:
                touched, outbox_ids = self._process_tx(batch, now)
                break
            except IntegrityError:
                # another process stored the same cluster or post at the same moment: re-read and redo
                if attempt == 3:
                    raise
                logger.info("concurrent update of the same alert(s); retrying the batch (attempt %d)", attempt)
        if outbox_ids and self.settings.alerting.dispatch_inline and self._background:
            self._dispatcher().kick()  # sent by the engine's thread while the caller goes on
        self.incidents.open_pending([a.id for a in touched if a.incident_state == "pending"])
        if outbox_ids and self.settings.alerting.dispatch_inline and not self._background:
            try:
                self.outbox.dispatch(outbox_ids)
            except Exception:  # isolation boundary: the rows stay pending and tick() retries them
                logger.exception("inline dispatch failed; %d message(s) stay in the outbox", len(outbox_ids))
        return touched

    def _dispatcher(self) -> BackgroundDispatcher:
        with self._lock:
            if self._bg is None:
                box = Outbox(
                    self.settings,
                    self.db,
                    clock=self.clock,
                    notifier_factory=self.outbox._factory,
                    on_dead=self._on_dead,
                )
                self._bg = BackgroundDispatcher(box)
            return self._bg

    def drain_dispatch(self, timeout: float | None = None) -> bool:
        """Wait until the background dispatcher has sent what was queued so far (True at once without one)."""
        return self._bg.drain(timeout) if self._bg is not None else True

    def close(self, timeout: float | None = 30.0) -> None:
        """Stop the background dispatcher, after its current work (rows left unsent stay for ``tick()``)."""
        bg, self._bg = self._bg, None
        if bg is not None:
            bg.stop(timeout)

    def _process_tx(self, batch: list[AnalyzedPost], now: datetime) -> tuple[list[Alert], list[int]]:
        try:
            return self._process_tx_once(batch, now)
        except Exception:
            self.grouping.reset()  # the tracker's memory ran ahead of what was rolled back
            raise

    def _process_tx_once(self, batch: list[AnalyzedPost], now: datetime) -> tuple[list[Alert], list[int]]:
        outbox_rows: list[OutboxMessage] = []
        touched: list[Alert] = []
        with self.db.session() as s:
            observe(s, batch, now)
            counter = ObservationCounts(s, min(post_time(it, now) for it in batch) - self._lookback)
            decisions: Decisions = {}
            if self.grouping.enabled:
                groups, decisions = self.grouping.track(s, batch, now)
                for grown, growth, merged_id in self.grouping.take_grown_by_merge():
                    # the incident it absorbed had grown (a gathering, more workers): its recipients get a 续报
                    self.messages.notify(s, grown, "grown", now, outbox_rows,
                                         dedup_extra=f"merge{merged_id}:" + ",".join(growth))
            else:
                groups = by_event_id(batch)
            existing: dict[str, Alert] = {}
            for chunk in chunks(list(groups)):
                for a in s.scalars(select(Alert).where(Alert.cluster_key.in_(chunk))):
                    existing[a.cluster_key] = a
            linked: set[tuple[int, str]] = set()
            ids = [a.id for a in existing.values()]
            for chunk in chunks(ids):
                linked |= {
                    (r[0], r[1])
                    for r in s.execute(
                        select(AlertPost.alert_id, AlertPost.post_id).where(AlertPost.alert_id.in_(chunk))
                    )
                }
            for key, group in groups.items():
                alert = existing.get(key)
                new = [it for it in group if alert is None or (alert.id, it.post.id) not in linked]
                if not new:
                    continue
                res = self.evaluator.evaluate(s, key, alert, new, counter, now, outbox_rows, decisions)
                if res is not None:
                    touched.append(res)
                    if decisions:
                        self.grouping.stored(key, res)
                elif decisions and alert is None:
                    self.grouping.discard(key)  # no rule fired: the tentative incident is not kept
            s.flush()
            ids_out = [r.id for r in outbox_rows]
        return touched, ids_out

    # --- periodic work ---------------------------------------------------------------------------------

    def dispatch_outbox(self) -> DispatchReport:
        return self.outbox.dispatch()

    def tick(self, now: datetime | None = None) -> TickReport:
        """Escalate overdue acknowledgements, retry incidents, queue due digests, dispatch the outbox."""
        now = now or self.clock()
        report = TickReport()
        report.escalated, report.exhausted = self.escalator.escalate_due(now)
        report.incidents = self.incidents.open_pending(self.incidents.pending())
        report.digests = self.queue_digests(now)
        report.dispatch = self.outbox.dispatch()
        return report

    def escalate_now(self, alert_id: int, *, by: str, reason: str = "") -> EscalationStep:
        """Escalate ``alert_id`` now on a person's request (see :meth:`alerting.escalating.Escalator.escalate_now`)."""
        return self.escalator.escalate_now(alert_id, by=by, reason=reason)

    def queue_digests(self, now: datetime | None = None) -> list[str]:
        """Queue the hourly and daily digests whose period has ended (each period once). Returns their keys."""
        return self.digests.queue_due(now)


def escalate_now(
    settings: Settings, db: Database, alert_id: int, *, by: str, reason: str = "", **engine_kwargs: Any
) -> EscalationStep:
    """Escalate an unacknowledged alert to the next level now (see :meth:`AlertEngine.escalate_now`).

    ``engine_kwargs`` go to :meth:`AlertEngine.from_settings` (``clock``, ``notifier_factory`` in tests).
    """
    return AlertEngine.from_settings(settings, db, **engine_kwargs).escalate_now(alert_id, by=by, reason=reason)

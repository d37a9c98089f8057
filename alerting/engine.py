"""The alert stage of the pipeline: incident tracking -> rules -> one alert per incident -> routing -> outbox -> send.

:meth:`AlertEngine.process` puts each relevant post in its incident (``alerting.tracking``: the open incident it
most likely belongs to, whose profile is stored on the alert, or a new one; posts of a meeting, notice or job
advert that report no dispute raise nothing), evaluates the rules, keeps one alert per incident and updates it
as it grows, re-notifies when its level rises (升级) or, at the top level already, when it grows (续报), and writes
alerts, evidence, history and outbox rows in ONE transaction before anything is sent. After the commit it
opens incidents (through ``ledger``'s API) and, with ``alerting.dispatch_inline``, sends the new messages.
:meth:`AlertEngine.tick` escalates unacknowledged alerts, retries the outbox with backoff and queues due
digests. Re-processing the same posts changes nothing and sends nothing.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from markupsafe import escape
from sqlalchemy import func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerting.ack import ack_url, verify_url
from alerting.errors import EscalationError
from alerting.models import Alert, AlertEvent, AlertPost, DigestRun, Observation, OutboxMessage, Silence
from alerting.notifiers import Notifier, build_notifier
from alerting.outbox import BackgroundDispatcher, DispatchReport, Outbox, enqueue
from alerting.render import AlertMail, company_display, fmt_time, render_alert, render_digest
from alerting.roster import Recipient, Route, Router, load_roster, load_routing
from alerting.rules import ClusterView, Hit, RuleContext, RuleSet, load_rules, observation_keys
from alerting.rules.escalation import raise_level
from alerting.texts import event_label, main_event
from alerting.tracking import (
    Decision,
    IncidentProfile,
    IncidentTracker,
    PostSignal,
    TrackerWeights,
    non_report_genre,
    signal_of,
)
from laborwatch.db import Database, utcnow
from laborwatch.domain import SHANGHAI, AnalyzedPost, Severity
from laborwatch.settings import Settings

__all__ = ["AlertEngine", "EscalationStep", "TickReport", "alert_snapshot", "escalate_now", "merge_alerts"]

logger = logging.getLogger(__name__)
_CHUNK = 500
_ACK_PLACEHOLDER = "LW-ACK-LINK-PLACEHOLDER-7f3c"  # replaced by each recipient's signed link after rendering


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> list[Sequence[Any]]:
    return [seq[i : i + n] for i in range(0, len(seq), n)]


@dataclass
class EscalationStep:
    """One escalation of an alert: which step, to whom, the outbox rows, and which of them were sent."""

    alert_id: int
    step: int
    role: str
    recipients: list[tuple[str, str]]  # (name, address)
    outbox_ids: list[int]
    next_deadline: datetime
    sent: list[int] = field(default_factory=list)


@dataclass
class TickReport:
    escalated: list[int] = field(default_factory=list)
    exhausted: list[int] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    dispatch: DispatchReport = field(default_factory=DispatchReport)


class _Counter:
    """Observation counts for the spike rule, inside the processing transaction.

    Each (kind, key) is loaded once per batch (times since ``earliest``) and counted in memory with bisect.
    """

    def __init__(self, session: Session, earliest: datetime) -> None:
        self.s = session
        self.earliest = earliest
        self._times: dict[tuple[str, str], list[datetime]] = {}

    def _load(self, key_kind: str, key: str) -> list[datetime]:
        k = (key_kind, key)
        if k not in self._times:
            with self.s.no_autoflush:  # observations are all flushed by _observe; skip flushing evidence rows
                rows = self.s.scalars(
                    select(Observation.at).where(
                        Observation.key_kind == key_kind, Observation.key == key, Observation.at > self.earliest
                    )
                )
                self._times[k] = sorted(rows)
        return self._times[k]

    def count(self, key_kind: str, key: str, since: datetime, until: datetime) -> int:
        if since < self.earliest:  # outside what was loaded: ask the database
            with self.s.no_autoflush:
                return int(
                    self.s.scalar(
                        select(func.count())
                        .select_from(Observation)
                        .where(
                            Observation.key_kind == key_kind,
                            Observation.key == key,
                            Observation.at > since,
                            Observation.at <= until,
                        )
                    )
                    or 0
                )
        times = self._load(key_kind, key)
        return bisect.bisect_right(times, until) - bisect.bisect_right(times, since)


@dataclass
class _Cluster:
    key: str
    notified_level: Severity | None = None
    notified_post_count: int = 0
    post_count: int = 0
    workers: int | None = None
    event_types: set[str] = field(default_factory=set)
    max_severity: Severity | None = None
    amount_yuan: float | None = None
    key_supervision: bool = False
    prev_workers: int | None = None
    prev_event_types: frozenset[str] = frozenset()
    prev_max_severity: Severity | None = None
    prev_amount_yuan: float | None = None
    prev_key_supervision: bool = False

    @classmethod
    def of(cls, key: str, alert: Alert | None) -> _Cluster:
        if alert is None:
            return cls(key)
        sev = Severity(alert.max_severity) if alert.max_severity else None
        return cls(
            key=key,
            notified_level=Severity(alert.notified_level) if alert.notified_level else None,
            notified_post_count=alert.notified_post_count,
            post_count=alert.post_count,
            workers=alert.workers,
            event_types=set(alert.event_types or ()),
            max_severity=sev,
            amount_yuan=alert.amount_yuan,
            key_supervision=bool(alert.key_supervision),
        )

    def add(self, item: AnalyzedPost) -> ClusterView:
        a = item.analysis
        self.prev_workers, self.prev_event_types, self.prev_max_severity = (
            self.workers,
            frozenset(self.event_types),
            self.max_severity,
        )
        self.prev_amount_yuan, self.prev_key_supervision = self.amount_yuan, self.key_supervision
        if a.amount_yuan is not None and (self.amount_yuan is None or a.amount_yuan > self.amount_yuan):
            self.amount_yuan = a.amount_yuan
        self.key_supervision = self.key_supervision or any(c.key_supervision for c in a.companies if c.company_id)
        self.post_count += 1
        if a.workers is not None and (self.workers is None or a.workers > self.workers):
            self.workers = a.workers
        self.event_types |= set(a.event_types)
        if a.severity is not None and a.severity.more_severe_than(self.max_severity):
            self.max_severity = a.severity
        return ClusterView(
            key=self.key,
            notified_level=self.notified_level,
            notified_post_count=self.notified_post_count,
            post_count=self.post_count,
            workers=self.workers,
            prev_workers=self.prev_workers,
            event_types=frozenset(self.event_types),
            prev_event_types=self.prev_event_types,
            max_severity=self.max_severity,
            prev_max_severity=self.prev_max_severity,
            amount_yuan=self.amount_yuan,
            prev_amount_yuan=self.prev_amount_yuan,
            key_supervision=self.key_supervision,
            prev_key_supervision=self.prev_key_supervision,
        )


def _post_time(item: AnalyzedPost, now: datetime) -> datetime:
    t = item.post.published_at or item.post.fetched_at
    return min(t, now)


def _cluster_key(item: AnalyzedPost) -> str:
    return item.analysis.event_id or f"post:{item.post.id}"


def tracked_json(d: Decision, sig: PostSignal) -> dict[str, Any]:
    """What an evidence row keeps of the tracker's reading of its post and of the decision."""
    out = sig.to_json()
    out["decision"] = d.as_dict()
    return out


def _tracking_detail(
    new: Sequence[AnalyzedPost], decisions: dict[str, tuple[Decision, PostSignal]] | None
) -> dict[str, Any]:
    if not decisions:
        return {}
    why = {it.post.id: decisions[it.post.id][0].as_dict() for it in new if it.post.id in decisions}
    return {"tracking": why} if why else {}


def merge_alerts(s: Session, *, into: Alert, other: Alert, now: datetime, actor: str, reason: str) -> list[str]:
    """Fold alert ``other`` into ``into`` inside the caller's transaction; returns the post ids moved.

    The evidence moves, the figures combine (types, workers, amount, severity, rules, reasons, company when
    ``into`` has none), the level and the notified level become the more severe of the two (the recipients of
    either were told that much), and ``other`` is closed pointing at ``into``. Both histories record it.
    """
    if into.id == other.id:
        raise ValueError("an alert cannot be merged into itself")
    have = set(s.scalars(select(AlertPost.post_id).where(AlertPost.alert_id == into.id)))
    moved: list[str] = []
    for ap in list(s.scalars(select(AlertPost).where(AlertPost.alert_id == other.id))):
        if ap.post_id in have:
            s.delete(ap)
        else:
            ap.alert_id = into.id
            moved.append(ap.post_id)
    into.post_count += len(moved)
    into.event_types = sorted(set(into.event_types or ()) | set(other.event_types or ()))
    into.rules = sorted(set(into.rules or ()) | set(other.rules or ()))
    into.reasons = list(dict.fromkeys([*(into.reasons or ()), *(other.reasons or ())]))[-20:]
    for attr in ("workers", "amount_yuan"):
        vals = [v for v in (getattr(into, attr), getattr(other, attr)) if v is not None]
        setattr(into, attr, max(vals) if vals else None)
    for attr in ("level", "max_severity", "notified_level"):
        vals = [Severity(v) for v in (getattr(into, attr), getattr(other, attr)) if v]
        if vals:
            setattr(into, attr, min(vals, key=lambda lv: lv.rank).value)
    if into.company_id is None and other.company_id is not None:
        for attr in ("company_id", "company_name", "company_registered", "town", "industry"):
            setattr(into, attr, getattr(other, attr))
    into.key_supervision = bool(into.key_supervision or other.key_supervision)
    into.first_seen = min(into.first_seen, other.first_seen)
    into.last_seen = max(into.last_seen, other.last_seen)
    if into.incident_state is None and other.incident_state is not None:
        into.incident_state, into.incident_ref = other.incident_state, other.incident_ref
    if into.profile and other.profile:
        a = IncidentProfile.from_json(into.cluster_key, into.profile)
        a.absorb_profile(IncidentProfile.from_json(other.cluster_key, other.profile))
        into.profile = a.to_json()
    into.title = f"{company_display(into)}{event_label(main_event(into.event_types))}"
    into.updated_at = now
    other.status = "closed"
    other.merged_into = into.id
    other.post_count = 0
    other.updated_at = now
    s.add(AlertEvent(alert_id=into.id, at=now, kind="merged", actor=actor,
                     detail={"from_alert": other.id, "posts": moved, "reason": reason}))
    s.add(AlertEvent(alert_id=other.id, at=now, kind="merged_into", actor=actor,
                     detail={"into_alert": into.id, "posts": moved, "reason": reason}))
    return moved


def alert_snapshot(alert: Alert, posts: Sequence[AlertPost] = ()) -> dict[str, Any]:
    """The alert as the ledger's ``create_from_alert`` / web pages read it (plain values only)."""
    return {
        "id": str(alert.id),
        "level": alert.level,
        "title": alert.title,
        "company_id": alert.company_id,
        "company_name": alert.company_name,
        "town": alert.town,
        "industry": alert.industry,
        "event_types": list(alert.event_types or ()),
        "workers": alert.workers,
        "amount_yuan": alert.amount_yuan,
        "event_id": alert.cluster_key,
        "summary": "；".join(alert.reasons or ())[:1000],
        "responsible_unit": alert.unit,
        "post_ids": [p.post_id for p in posts],
        "urls": {p.post_id: p.url for p in posts},
        "status": alert.status,
        "created_at": alert.created_at,
        "acked_at": alert.acked_at,
        "acked_by": alert.acked_by,
    }


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
        hooks = {k: (w.url, w.format) for k, w in router.config.webhooks.items()}

        def factory(channel: str) -> Notifier:
            if channel == "webhook":
                return build_notifier("webhook", settings, hooks=hooks)
            return build_notifier(channel, settings)

        self.outbox = Outbox(
            settings, db, clock=self.clock, notifier_factory=notifier_factory or factory, on_dead=self._on_dead
        )
        self._incidents = incidents
        # with background dispatch, process() only kicks a thread that sends (see BackgroundDispatcher)
        self._background = settings.alerting.dispatch_background if background_dispatch is None else background_dispatch
        self._bg: BackgroundDispatcher | None = None
        self._lock = threading.Lock()
        spans = [
            timedelta(minutes=getattr(r.options, "window_min", 0))
            + timedelta(days=getattr(r.options, "baseline_days", 0))
            for r in rules.rules
            if r.type_name == "spike"
        ]
        self._lookback = max(spans, default=timedelta(0)) + timedelta(minutes=1)
        self._tracking = settings.alerting.tracking
        self._tracker_reset()

    @classmethod
    def from_settings(
        cls, settings: Settings, db: Database, *, clock: Callable[[], datetime] | None = None, **kwargs: Any
    ) -> AlertEngine:
        rules = load_rules(settings)
        roster = load_roster(settings)
        router = load_routing(settings, roster)
        return cls(settings, db, rules=rules, router=router, clock=clock, **kwargs)

    # --- the pipeline stage ----------------------------------------------------------------------------

    def process(self, items: Sequence[AnalyzedPost]) -> list[Alert]:
        """Evaluate, store and queue (one transaction), then open incidents and send. Returns touched alerts."""
        uniq: dict[str, AnalyzedPost] = {}
        skipped: Counter[str] = Counter()
        for it in items:
            if it.analysis.labor_dispute:
                genre = non_report_genre(it.post.text) if self._tracking.mode == "tracker" else None
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
        self._open_incidents([a.id for a in touched if a.incident_state == "pending"])
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
            self._tracker_reset()  # the tracker's memory ran ahead of what was rolled back
            raise

    def _process_tx_once(self, batch: list[AnalyzedPost], now: datetime) -> tuple[list[Alert], list[int]]:
        outbox_rows: list[OutboxMessage] = []
        touched: list[Alert] = []
        with self.db.session() as s:
            self._observe(s, batch, now)
            counter = _Counter(s, min(_post_time(it, now) for it in batch) - self._lookback)
            decisions: dict[str, tuple[Decision, PostSignal]] = {}
            if self._tracking.mode == "tracker":
                groups, decisions = self._track(s, batch, now)
            else:
                groups = {}
                for it in batch:
                    groups.setdefault(_cluster_key(it), []).append(it)
            existing: dict[str, Alert] = {}
            for chunk in _chunks(list(groups)):
                for a in s.scalars(select(Alert).where(Alert.cluster_key.in_(chunk))):
                    existing[a.cluster_key] = a
            linked: set[tuple[int, str]] = set()
            ids = [a.id for a in existing.values()]
            for chunk in _chunks(ids):
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
                res = self._cluster(s, key, alert, new, counter, now, outbox_rows, decisions)
                if res is not None:
                    touched.append(res)
                    prof = self._tracker.incidents.get(key) if decisions else None
                    if prof is not None:
                        res.profile = prof.to_json()
                        self._tracker_versions[key] = res.updated_at
                elif decisions and alert is None:
                    self._tracker.drop(key)  # no rule fired: the tentative incident is not kept
            s.flush()
            ids_out = [r.id for r in outbox_rows]
        return touched, ids_out

    # --- incident tracking -----------------------------------------------------------------------------

    def _tracker_reset(self) -> None:
        o = self._tracking
        self._tracker = IncidentTracker(
            idle_days=o.idle_days,
            weights=TrackerWeights(join_threshold=o.join_threshold, merge_threshold=o.merge_threshold),
        )
        self._tracker_seen: datetime | None = None
        self._tracker_versions: dict[str, datetime] = {}  # alert key -> updated_at of the profile in memory

    def _tracker_refresh(self, s: Session, at: datetime) -> None:
        """Load the open incidents other processes (or earlier runs) stored since the last look.

        ``at`` is the time of the batch's earliest post: incidents idle for longer than the window before it are
        dropped from memory (their alerts stay; a later post cannot join them).
        """
        horizon = at - self._tracker.idle
        q = select(Alert.cluster_key, Alert.profile, Alert.merged_into, Alert.updated_at).where(
            Alert.profile.is_not(None), Alert.last_seen >= horizon
        )
        if self._tracker_seen is not None:
            q = q.where(Alert.updated_at >= self._tracker_seen)
        latest = self._tracker_seen
        for key, profile, merged_into, updated in s.execute(q):
            if merged_into is not None:
                self._tracker.drop(key)
            elif self._tracker_versions.get(key) == updated and key in self._tracker.incidents:
                pass  # this process wrote it: the profile in memory is the stored one
            else:
                try:
                    self._tracker.put(IncidentProfile.from_json(key, profile))
                    self._tracker_versions[key] = updated
                except (KeyError, TypeError, ValueError):
                    logger.warning("alert %s: unreadable incident profile ignored", key)
            if latest is None or updated > latest:
                latest = updated
        self._tracker_seen = latest
        self._tracker.expire(at)

    def _track(
        self, s: Session, batch: list[AnalyzedPost], now: datetime
    ) -> tuple[dict[str, list[AnalyzedPost]], dict[str, tuple[Decision, PostSignal]]]:
        """Assign each post (in time order) to an open incident or a new one; merge incidents a post joins."""
        done: set[str] = set()
        for chunk in _chunks([it.post.id for it in batch]):
            done |= set(s.scalars(select(AlertPost.post_id).where(AlertPost.post_id.in_(chunk))))
        self._tracker_refresh(s, min(_post_time(it, now) for it in batch))
        groups: dict[str, list[AnalyzedPost]] = {}
        decisions: dict[str, tuple[Decision, PostSignal]] = {}
        for it in sorted((it for it in batch if it.post.id not in done), key=lambda it: _post_time(it, now)):
            sig = signal_of(it)
            d = self._tracker.assign(sig)
            decisions[it.post.id] = (d, sig)
            groups.setdefault(d.key, []).append(it)
            for other in d.merge:
                why = (f"描述性信息所指企业即本帖涉事企业（{it.post.id}）" if other in d.described
                       else f"帖子同时提及两起事件的涉事企业（{it.post.id}）")
                self._merge_incident(s, d.key, other, groups, now, reason=why)
        return groups, decisions

    def _merge_incident(
        self, s: Session, a_key: str, b_key: str, groups: dict[str, list[AnalyzedPost]], now: datetime, *, reason: str
    ) -> None:
        """Fold two incidents into one: the tracker, this batch's groups and, where both have one, the alerts.

        The older alert survives (its recipients were told first); an incident with an alert outlives one without.
        """
        alerts = {a.cluster_key: a for a in s.scalars(select(Alert).where(Alert.cluster_key.in_([a_key, b_key])))}
        keep, drop = a_key, b_key
        if b_key in alerts and (a_key not in alerts or alerts[b_key].id < alerts[a_key].id):
            keep, drop = b_key, a_key
        self._tracker.merge(keep, drop)
        if drop in groups:
            groups.setdefault(keep, []).extend(groups.pop(drop))
        if keep in alerts and drop in alerts:
            merge_alerts(s, into=alerts[keep], other=alerts[drop], now=now, actor="system", reason=reason)
            prof = self._tracker.incidents.get(keep)
            if prof is not None:
                alerts[keep].profile = prof.to_json()

    def _observe(self, s: Session, batch: list[AnalyzedPost], now: datetime) -> None:
        wanted = {(k, v, it.post.id): _post_time(it, now) for it in batch for k, v in observation_keys(it)}
        if not wanted:
            return
        have: set[tuple[str, str, str]] = set()
        for chunk in _chunks(list({p for _, _, p in wanted})):
            have |= {
                (r[0], r[1], r[2])
                for r in s.execute(
                    select(Observation.key_kind, Observation.key, Observation.post_id).where(
                        Observation.post_id.in_(chunk)
                    )
                )
            }
        rows = [
            {"key_kind": k, "key": v, "post_id": p, "at": t} for (k, v, p), t in wanted.items() if (k, v, p) not in have
        ]
        if rows:  # one multi-row INSERT (Core): the ORM unit of work costs ~10x more for thousands of rows
            s.execute(insert(Observation), rows)

    def _cluster(
        self,
        s: Session,
        key: str,
        alert: Alert | None,
        new: list[AnalyzedPost],
        counter: _Counter,
        now: datetime,
        outbox_rows: list[OutboxMessage],
        decisions: dict[str, tuple[Decision, PostSignal]] | None = None,
    ) -> Alert | None:
        state = _Cluster.of(key, alert)
        hits: list[tuple[Hit, int]] = []  # (hit, level boost of the sensitive period)
        for it in new:
            view = state.add(it)
            at = _post_time(it, now)
            period = self.rules.period_at(at)
            ctx = RuleContext(item=it, cluster=view, at=at, period=period, counter=counter)
            for rule in self.rules.rules:
                h = rule.evaluate(ctx)
                if h is not None:
                    boost = period.level_boost if period else 0
                    hits.append((h, boost))
        if alert is None and not hits:
            return None
        created = alert is None
        if alert is None:
            alert = self._new_alert(s, key, new, now)
        self._attach(s, alert, new, now, decisions or {})
        alert.workers = state.workers
        alert.event_types = sorted(state.event_types)
        alert.max_severity = state.max_severity.value if state.max_severity else None
        alert.updated_at = now
        old_level = None if created else Severity(alert.level)
        if hits:
            levels = [raise_level(h.level, boost) for h, boost in hits]
            level = min(levels, key=lambda lv: lv.rank)
            alert.rules = sorted(set(alert.rules or ()) | {h.rule for h, _ in hits})
            reasons = list(alert.reasons or ())
            for (h, boost), lv in zip(hits, levels, strict=True):
                r = h.reason + (f"（敏感时期，等级上调为{lv.label_zh}）" if boost and lv != h.level else "")
                if r not in reasons:
                    reasons.append(r)
            alert.reasons = reasons[-20:]
            if created:
                alert.level = level.value
            elif level.more_severe_than(old_level):
                alert.level = level.value
                self._event(
                    s,
                    alert,
                    now,
                    "level_raised",
                    detail={
                        "from": old_level.value if old_level else None,
                        "to": level.value,
                        "rules": sorted({h.rule for h, _ in hits}),
                    },
                )
        alert.title = self._title(alert)
        if created:
            self._event(
                s,
                alert,
                now,
                "created",
                detail={
                    "level": alert.level,
                    "rules": alert.rules,
                    "posts": [it.post.id for it in new],
                    **_tracking_detail(new, decisions),
                },
            )
            if not alert.company_registered:
                self._event(
                    s,
                    alert,
                    now,
                    "company_unregistered",
                    detail={"mention": alert.company_name, "note": "企业未在名录中匹配，需人工核实主体"},
                )
        else:
            self._event(
                s,
                alert,
                now,
                "updated",
                detail={
                    "posts_added": [it.post.id for it in new],
                    "post_count": alert.post_count,
                    **_tracking_detail(new, decisions),
                },
            )
        level = Severity(alert.level)
        notified = Severity(alert.notified_level) if alert.notified_level else None
        grown = sorted({g for h, _ in hits for g in h.growth})
        if notified is not None and grown and not level.more_severe_than(notified) and not alert.silenced:
            # the incident grew but its level cannot rise (already there): the recipients get a 续报 on the
            # same alert, once per kind of growth
            self._notify(s, alert, "grown", now, outbox_rows, dedup_extra=",".join(grown))
        elif notified is None or level.more_severe_than(notified):
            silence = self._silence_for(s, alert, now)
            if silence is not None:
                if not alert.silenced:
                    self._event(
                        s,
                        alert,
                        now,
                        "silenced",
                        actor=silence.created_by,
                        detail={
                            "silence_id": silence.id,
                            "scope": silence.scope,
                            "value": silence.value,
                            "until": silence.until.isoformat(),
                            "reason": silence.reason,
                            "level": alert.level,
                        },
                    )
                alert.silenced = True
            else:
                alert.silenced = False
                self._notify(s, alert, "new" if notified is None else "raised", now, outbox_rows)
        return alert

    def _new_alert(self, s: Session, key: str, new: list[AnalyzedPost], now: datetime) -> Alert:
        company = None
        for it in new:
            linked = [c for c in it.analysis.companies if c.company_id]
            if linked:
                company = max(linked, key=lambda c: c.confidence)
                break
        mention = None
        if company is None:
            for it in new:
                if it.analysis.companies:
                    mention = it.analysis.companies[0]
                    break
                if it.analysis.employers:
                    mention = it.analysis.employers[0]
                    break
        town = company.town if company and company.town else next((t for it in new for t in it.analysis.towns), None)
        first = min(_post_time(it, now) for it in new)
        if company is not None:
            name, registered = company.name or company.mention, True
        elif mention is not None:
            name = mention if isinstance(mention, str) else (mention.name or mention.mention)
            registered = False
        else:
            name, registered = None, True  # no employer named at all: nothing to look up
        alert = Alert(
            cluster_key=key,
            level="IV",
            status="open",
            silenced=False,
            title="",
            company_id=company.company_id if company else None,
            company_name=name,
            company_registered=registered,
            key_supervision=bool(company and company.key_supervision),
            town=town,
            industry=company.industry if company else None,
            event_types=[],
            rules=[],
            reasons=[],
            post_count=0,
            first_seen=first,
            last_seen=first,
            created_at=now,
            updated_at=now,
            notified_post_count=0,
            escalation_step=0,
        )
        s.add(alert)
        s.flush()
        return alert

    def _attach(
        self,
        s: Session,
        alert: Alert,
        new: list[AnalyzedPost],
        now: datetime,
        decisions: dict[str, tuple[Decision, PostSignal]],
    ) -> None:
        n = self.settings.alerting.snippet_chars * 2
        for it in new:
            p, a = it.post, it.analysis
            tracked = decisions.get(p.id)
            s.add(
                AlertPost(
                    alert_id=alert.id,
                    post_id=p.id,
                    url=p.url,
                    title=p.title[:500],
                    snippet=(p.content or p.title)[:n],
                    source_id=p.source_id,
                    platform=p.platform,
                    published_at=p.published_at,
                    severity=a.severity.value if a.severity else None,
                    score=a.score,
                    event_types=list(a.event_types),
                    workers=a.workers,
                    amount_yuan=a.amount_yuan,
                    severity_factors=list(a.severity_factors),
                    added_at=now,
                    signal=tracked_json(*tracked) if tracked else None,
                )
            )
            if a.amount_yuan is not None and (alert.amount_yuan is None or a.amount_yuan > alert.amount_yuan):
                alert.amount_yuan = a.amount_yuan
            t = _post_time(it, now)
            alert.first_seen = min(alert.first_seen, t)
            alert.last_seen = max(alert.last_seen, t)
        alert.post_count += len(new)

    @staticmethod
    def _title(alert: Alert) -> str:
        return f"{company_display(alert)}{event_label(main_event(alert.event_types))}"

    def _event(
        self,
        s: Session,
        alert: Alert,
        at: datetime,
        kind: str,
        *,
        actor: str | None = "system",
        detail: dict[str, Any] | None = None,
    ) -> None:
        s.add(AlertEvent(alert_id=alert.id, at=at, kind=kind, actor=actor, detail=detail or {}))

    def _silence_for(self, s: Session, alert: Alert, now: datetime) -> Silence | None:
        with s.no_autoflush:  # no silence is written in this transaction
            active = list(s.scalars(select(Silence).where(Silence.until > now, Silence.lifted_at.is_(None))))
        for sil in active:
            if sil.scope == "alert" and sil.value == str(alert.id):
                return sil
            if sil.scope == "company" and sil.value in (alert.company_id, alert.company_name):
                return sil
        rule_sils = {sil.value: sil for sil in active if sil.scope == "rule"}
        if alert.rules and all(r in rule_sils for r in alert.rules):
            return rule_sils[alert.rules[0]]
        return None

    # --- notification ----------------------------------------------------------------------------------

    def _route(self, s: Session, alert: Alert, now: datetime) -> Route:
        route = self.router.route(Severity(alert.level), town=alert.town, industry=alert.industry, at=now)
        alert.unit = route.unit.name if route.unit else None
        for problem in route.problems:
            logger.warning("alert %d routing problem: %s", alert.id, problem)
            self._event(s, alert, now, "routing_problem", detail={"problem": problem, "level": alert.level})
        return route

    def _notify(
        self,
        s: Session,
        alert: Alert,
        kind: str,
        now: datetime,
        outbox_rows: list[OutboxMessage],
        *,
        dedup_extra: str = "",
    ) -> None:
        route = self._route(s, alert, now)
        level = Severity(alert.level)
        alert.notified_level = level.value
        alert.notified_at = now
        alert.notified_post_count = alert.post_count
        if kind == "raised" and alert.acked_at is not None:
            self._event(
                s, alert, now, "ack_reset", detail={"previous_ack_by": alert.acked_by, "reason": "等级上升，需重新确认"}
            )
            alert.acked_at = alert.acked_by = alert.acked_via = None
            alert.status = "open"
        if route.incident or "group_action" in (alert.event_types or ()):
            if alert.incident_state is None:
                alert.incident_state = "pending"
        if route.digest_only:
            self._event(s, alert, now, "digest_only", detail={"level": level.value})
            return
        if not (kind == "grown" and alert.acked_at is not None):  # a 续报 of an acknowledged alert needs no new ack
            alert.ack_deadline = now + timedelta(minutes=route.ack_minutes) if route.ack_minutes else None
            alert.escalation_step = 0
        rows = self._queue(
            s,
            alert,
            route.recipients,
            kind=kind,
            now=now,
            dedup=f"alert:{alert.id}:{kind}:{level.value}" + (f":{dedup_extra}" if dedup_extra else ""),
            unit_name=alert.unit,
            ack=route.ack_minutes is not None,
        )
        outbox_rows += rows
        self._event(
            s,
            alert,
            now,
            "notified",
            detail={
                "kind": kind,
                "level": level.value,
                "recipients": [f"{r.role}:{r.name}<{r.address}>({r.channel})" for r in route.recipients],
                "outbox": [r.id for r in rows],
                "ack_deadline": alert.ack_deadline.isoformat() if alert.ack_deadline else None,
            },
        )

    def _queue(
        self,
        s: Session,
        alert: Alert,
        recipients: list[Recipient],
        *,
        kind: str,
        now: datetime,
        dedup: str,
        unit_name: str | None,
        ack: bool,
        notice: str | None = None,
    ) -> list[OutboxMessage]:
        posts = list(
            s.scalars(select(AlertPost).where(AlertPost.alert_id == alert.id).order_by(AlertPost.id.desc()).limit(20))
        )
        rows: list[OutboxMessage] = []
        sender = self.settings.smtp.sender
        rendered: dict[bool, AlertMail] = {}

        def render(with_link: bool) -> AlertMail:
            # rendered once per alert (and once more without an ack link, for webhooks), not per recipient
            if with_link not in rendered:
                rendered[with_link] = render_alert(
                    self.settings,
                    alert,
                    posts,
                    kind=kind,
                    ack_link=_ACK_PLACEHOLDER if with_link else None,
                    verify_link=verify_url(self.settings, alert.id),
                    unit_name=unit_name,
                    notice=notice,
                )
            return rendered[with_link]

        keys = [f"{dedup}:{r.key}" for r in recipients]
        queued = set(s.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))))
        # later messages of an alert answer the first one each recipient got, so mail clients show one thread
        first: dict[str, str] = {}
        if kind != "new":
            with s.no_autoflush:
                for rcpt, mid in s.execute(
                    select(OutboxMessage.recipient, OutboxMessage.message_id)
                    .where(OutboxMessage.alert_id == alert.id, OutboxMessage.dedup_key.like(f"alert:{alert.id}:new:%"))
                    .order_by(OutboxMessage.id)
                ):
                    first.setdefault(rcpt, mid)
        for r in recipients:
            if f"{dedup}:{r.key}" in queued:
                continue
            link = ack_url(self.settings, alert.id, r.address, now=now) if (ack and r.channel == "email") else None
            mail = render(link is not None)
            if link is not None:  # the recipient's own signed link in place of the placeholder
                mail = AlertMail(
                    subject=mail.subject,
                    text=mail.text.replace(_ACK_PLACEHOLDER, link),
                    html=mail.html.replace(_ACK_PLACEHOLDER, str(escape(link))),
                    markdown=mail.markdown.replace(_ACK_PLACEHOLDER, link),
                )
            payload: dict[str, Any] = {
                "text": mail.text,
                "html": mail.html,
                "headers": {"X-Laborwatch-Alert": str(alert.id), "X-Laborwatch-Level": alert.level},
            }
            if r.address in first:
                payload["headers"] |= {"In-Reply-To": first[r.address], "References": first[r.address]}
            if r.channel == "webhook":
                payload = {
                    "text": mail.text,
                    "markdown": mail.markdown,
                    "data": {
                        "alert_id": alert.id,
                        "level": alert.level,
                        "company": alert.company_name,
                        "town": alert.town,
                        "posts": alert.post_count,
                    },
                }
            with s.no_autoflush:  # checked above in one query: no flush per recipient
                row = enqueue(
                    s,
                    dedup_key=f"{dedup}:{r.key}",
                    channel=r.channel,
                    recipient=r.address,
                    kind="escalation" if kind in ("escalation", "manual_escalation") else "alert",
                    subject=mail.subject,
                    payload=payload,
                    sender=sender,
                    now=now,
                    alert_id=alert.id,
                )
            if row is not None:
                rows.append(row)
        s.flush()
        return rows

    def _on_dead(self, s: Session, row: OutboxMessage, reason: str) -> list[OutboxMessage]:
        """A message can never be delivered (bounce, gave up): tell the admins (not for admin mail itself)."""
        if row.kind == "admin":
            logger.error("admin notification %d to %s undeliverable: %s", row.id, row.recipient, reason)
            return []
        subject = f"【系统告警】预警邮件投递失败：{row.recipient}"
        body = (
            f"以下消息无法投递，已停止重试，请核实收件地址或通道配置。\n\n"
            f"消息编号：{row.id}\n通道：{row.channel}\n收件人：{row.recipient}\n主题：{row.subject}\n"
            f"关联预警：#{row.alert_id}\n原因：{reason}\n"
        )
        return _queue_admin(
            self.settings,
            s,
            subject,
            body,
            dedup_key=f"admin:dead:{row.id}",
            now=self.clock(),
            fallback=self.router.config.fallback_emails,
        )

    # --- incidents (through the ledger's API) ----------------------------------------------------------

    def _incident_api(self) -> Any:
        if self._incidents is None:
            from ledger import Incidents  # the ledger room's public API

            self._incidents = Incidents(self.db, clock=self.clock)
        return self._incidents

    def _open_incidents(self, alert_ids: list[int]) -> list[int]:
        opened: list[int] = []
        for alert_id in alert_ids:
            with self.db.session() as s:
                alert = s.get(Alert, alert_id)
                if alert is None or alert.incident_state != "pending":
                    continue
                post_ids = list(s.scalars(select(AlertPost.post_id).where(AlertPost.alert_id == alert_id)))
                args = dict(
                    alert_id=str(alert.id),
                    title=alert.title,
                    level=alert.level,
                    town=alert.town,
                    company_id=alert.company_id,
                    company_name=alert.company_name,
                    post_ids=post_ids,
                    workers=alert.workers,
                    event_id=alert.cluster_key,
                    received_at=alert.created_at,
                )
            try:
                inc = self._incident_api().open_for_alert(**args)
            except Exception as exc:  # isolation boundary: the alert stands; tick() retries the incident
                logger.exception("alert %d: opening the incident failed", alert_id)
                with self.db.session() as s:
                    s.add(
                        AlertEvent(
                            alert_id=alert_id,
                            at=self.clock(),
                            kind="incident_failed",
                            actor="system",
                            detail={"error": f"{type(exc).__name__}: {exc}"},
                        )
                    )
                continue
            with self.db.session() as s:
                alert = s.get(Alert, alert_id)
                if alert is not None:
                    alert.incident_state = "opened"
                    alert.incident_ref = str(getattr(inc, "number", None) or getattr(inc, "id", ""))
                    s.add(
                        AlertEvent(
                            alert_id=alert_id,
                            at=self.clock(),
                            kind="incident_opened",
                            actor="system",
                            detail={"incident": alert.incident_ref},
                        )
                    )
            opened.append(alert_id)
        return opened

    # --- periodic work ---------------------------------------------------------------------------------

    def dispatch_outbox(self) -> DispatchReport:
        return self.outbox.dispatch()

    def tick(self, now: datetime | None = None) -> TickReport:
        """Escalate overdue acknowledgements, retry incidents, queue due digests, dispatch the outbox."""
        now = now or self.clock()
        report = TickReport()
        self._escalate(now, report)
        with self.db.session() as s:
            pending = list(s.scalars(select(Alert.id).where(Alert.incident_state == "pending")))
        report.incidents = self._open_incidents(pending)
        report.digests = self.queue_digests(now)
        report.dispatch = self.outbox.dispatch()
        return report

    def _escalate(self, now: datetime, report: TickReport) -> None:
        with self.db.session() as s:
            due = list(
                s.scalars(
                    select(Alert)
                    .where(Alert.ack_deadline <= now, Alert.acked_at.is_(None))
                    .order_by(Alert.ack_deadline)
                    .with_for_update()
                )
            )
            for alert in due:
                step = self._escalation_step(s, alert, now)
                if step is None:
                    report.exhausted.append(alert.id)
                else:
                    report.escalated.append(alert.id)

    def _escalation_step(
        self, s: Session, alert: Alert, now: datetime, *, by: str | None = None, reason: str | None = None
    ) -> EscalationStep | None:
        """Queue the next escalation step of ``alert`` in ``s``; None (recorded) when no step is left.

        ``by`` set: a person asked for it now (the web's escalate button), else the deadline passed.
        """
        step = alert.escalation_step + 1
        recipients, problems = self.router.escalation_recipients(step, at=now)
        for p in problems:
            self._event(s, alert, now, "routing_problem", detail={"problem": p, "step": step})
        if step > len(self.router.config.escalation) or not recipients:
            alert.ack_deadline = None
            self._event(
                s,
                alert,
                now,
                "escalation_exhausted",
                actor=by or "system",
                detail={"step": step, "note": "已逐级上报仍未确认"},
            )
            logger.error("alert %d still unacknowledged after the last escalation step", alert.id)
            return None
        lr = self.router.config.levels[alert.level]
        if by is None:
            notice = f"该预警已于{fmt_time(alert.ack_deadline)}超过确认时限仍未确认，按值班制度逐级上报。"
            kind = "escalation"
        else:
            notice = f"值班人员{by}于{fmt_time(now)}提请上报" + (f"，理由：{reason}" if reason else "") + "。"
            kind = "manual_escalation"
        rows = self._queue(
            s,
            alert,
            recipients,
            kind=kind,
            now=now,
            dedup=f"alert:{alert.id}:esc{step}:{alert.level}",
            unit_name=alert.unit,
            ack=True,
            notice=notice,
        )
        role = self.router.config.escalation[step - 1]
        alert.escalation_step = step
        alert.ack_deadline = now + timedelta(minutes=lr.ack_minutes or 15)
        detail: dict[str, Any] = {
            "step": step,
            "role": role,
            "recipients": [f"{r.name}<{r.address}>" for r in recipients],
            "outbox": [r.id for r in rows],
            "next_deadline": alert.ack_deadline.isoformat(),
        }
        if by is not None:
            detail.update(manual=True, reason=reason or "")
        self._event(s, alert, now, "escalated", actor=by or "system", detail=detail)
        return EscalationStep(
            alert_id=alert.id,
            step=step,
            role=role,
            recipients=[(r.name, r.address) for r in recipients],
            outbox_ids=[r.id for r in rows],
            next_deadline=alert.ack_deadline,
        )

    def escalate_now(self, alert_id: int, *, by: str, reason: str = "") -> EscalationStep:
        """Escalate ``alert_id`` to the next level of the duty roster now, on a person's request.

        Records the step on the alert (``escalated``, ``manual: true``, actor ``by``), queues the messages to
        that level's recipients in the same transaction and sends them at once (a failed send stays in the
        outbox and ``tick()`` retries it). Raises :class:`EscalationError` when the alert does not exist, is
        already acknowledged or closed, or every escalation level has already been notified.
        """
        by = (by or "").strip()
        if not by:
            raise EscalationError("escalate_now: 'by' (who asks for the escalation) is required")
        reason = (reason or "").strip()
        now = self.clock()
        try:
            with self.db.session() as s:
                alert = s.scalars(select(Alert).where(Alert.id == alert_id).with_for_update()).one_or_none()
                if alert is None:
                    raise EscalationError(f"预警 {alert_id} 不存在")
                if alert.acked_at is not None or alert.status != "open":
                    raise EscalationError(f"预警 {alert_id} 已签收或已关闭，无需升级")
                if alert.escalation_step >= len(self.router.config.escalation):
                    raise EscalationError(
                        f"预警 {alert_id} 已逐级上报至最高一级（{alert.escalation_step}级），无法再升级"
                    )
                step = self._escalation_step(s, alert, now, by=by, reason=reason)
                if step is None:  # nobody configured/on duty for the next level: recorded on the alert
                    s.commit()
                    raise EscalationError(f"预警 {alert_id} 无法升级：下一级没有可通知的人员（已记录，请检查值班表）")
        except IntegrityError:
            raise EscalationError(f"预警 {alert_id} 正在被同时升级，请刷新页面后查看") from None
        logger.info("alert %d escalated by %s to step %d (%s)", alert_id, by, step.step, step.role)
        if step.outbox_ids:
            try:
                rep = self.outbox.dispatch(step.outbox_ids)
                step.sent = list(rep.sent)
            except Exception:  # isolation boundary: the rows stay pending and tick() retries them
                logger.exception("alert %d: sending the escalation failed; it stays in the outbox", alert_id)
        return step

    def queue_digests(self, now: datetime | None = None) -> list[str]:
        """Queue the hourly and daily digests whose period has ended (each period once). Returns their keys."""
        now = now or self.clock()
        cfg = self.router.config.digest
        local = now.astimezone(SHANGHAI)
        due: list[tuple[str, datetime, datetime]] = []
        if cfg.hourly:
            end = local.replace(minute=0, second=0, microsecond=0)
            due.append(("hourly", end - timedelta(hours=1), end))
        if cfg.daily:
            hh, mm = (int(x) for x in self.settings.service.daily_digest_time.split(":"))
            end = datetime.combine(local.date(), time(hh, mm), tzinfo=SHANGHAI)
            if end > local:
                end -= timedelta(days=1)
            due.append(("daily", end - timedelta(days=1), end))
        done: list[str] = []
        for kind, start, end in due:
            try:
                if self._queue_digest(kind, start, end, now):
                    done.append(f"{kind}:{start.isoformat()}")
            except IntegrityError:
                logger.info("digest %s %s queued by another process", kind, start)
        return done

    def _queue_digest(self, kind: str, start: datetime, end: datetime, now: datetime) -> bool:
        with self.db.session() as s:
            if s.scalar(select(DigestRun.id).where(DigestRun.kind == kind, DigestRun.period_start == start)):
                return False
            in_period = (Alert.created_at >= start) & (Alert.created_at < end)
            low = list(
                s.scalars(
                    select(Alert).where(in_period, Alert.level == "IV", Alert.silenced.is_(False)).order_by(Alert.id)
                )
            )
            silenced = list(
                s.scalars(
                    select(Alert)
                    .where(
                        Alert.silenced.is_(True), or_(in_period, (Alert.updated_at >= start) & (Alert.updated_at < end))
                    )
                    .order_by(Alert.id)
                )
            )
            sections: list[tuple[str, list[dict[str, Any]]]] = [
                ("四级预警", [self._row(a) for a in low]),
                ("已静默预警", [self._row(a) for a in silenced]),
            ]
            if kind == "daily":
                others = list(
                    s.scalars(
                        select(Alert)
                        .where(in_period, Alert.level != "IV", Alert.silenced.is_(False))
                        .order_by(Alert.id)
                    )
                )
                open_ = list(
                    s.scalars(
                        select(Alert)
                        .where(
                            Alert.status == "open",
                            Alert.acked_at.is_(None),
                            Alert.notified_level.in_(("I", "II", "III")),
                            Alert.created_at < end,
                        )
                        .order_by(Alert.id)
                    )
                )
                sections = [
                    ("一至三级预警", [self._row(a) for a in others]),
                    *sections,
                    ("尚未确认的预警", [self._row(a) for a in open_]),
                ]
            items = sum(len(rows) for _, rows in sections)
            s.add(DigestRun(kind=kind, period_start=start, period_end=end, items=items, created_at=now))
            if items == 0:
                return True
            mail = render_digest(self.settings, kind=kind, start=start, end=end, sections=sections)
            for r in self.router.digest_recipients(at=now):
                if r.channel != "email":
                    continue
                enqueue(
                    s,
                    dedup_key=f"digest:{kind}:{start.isoformat()}:{r.key}",
                    channel="email",
                    recipient=r.address,
                    kind="digest",
                    subject=mail.subject,
                    payload={"text": mail.text, "html": mail.html},
                    sender=self.settings.smtp.sender,
                    now=now,
                )
            return True

    def _row(self, a: Alert) -> dict[str, Any]:
        note = "已静默" if a.silenced else ("已确认" if a.acked_at else "")
        return {
            "id": a.id,
            "level": a.level,
            "company": company_display(a),
            "event": event_label(main_event(a.event_types)),
            "town": a.town or "",
            "posts": a.post_count,
            "note": note,
            "link": verify_url(self.settings, a.id),
        }


def _queue_admin(
    settings: Settings,
    s: Session,
    subject: str,
    body: str,
    *,
    dedup_key: str,
    now: datetime,
    fallback: tuple[str, ...] = (),
) -> list[OutboxMessage]:
    admins = tuple(dict.fromkeys(settings.alerting.admin_emails or fallback))
    if not admins:
        logger.error("no alerting.admin_emails (nor routing fallback_emails): admin notice NOT sent: %s", subject)
        return []
    rows = []
    for addr in admins:
        row = enqueue(
            s,
            dedup_key=f"{dedup_key}:{addr}",
            channel="email",
            recipient=addr,
            kind="admin",
            subject=subject,
            payload={"text": body},
            sender=settings.smtp.sender,
            now=now,
        )
        if row is not None:
            rows.append(row)
    s.flush()
    return rows


def escalate_now(
    settings: Settings, db: Database, alert_id: int, *, by: str, reason: str = "", **engine_kwargs: Any
) -> EscalationStep:
    """Escalate an unacknowledged alert to the next level now (see :meth:`AlertEngine.escalate_now`).

    ``engine_kwargs`` go to :meth:`AlertEngine.from_settings` (``clock``, ``notifier_factory`` in tests).
    """
    return AlertEngine.from_settings(settings, db, **engine_kwargs).escalate_now(alert_id, by=by, reason=reason)

"""Which incident each post of a batch belongs to: the glue between the engine and ``alerting.tracking``.

:class:`IncidentGrouping` keeps one :class:`~alerting.tracking.IncidentTracker` per engine, refreshed from the
incident profiles stored on alerts (by this process, another one, or an earlier run), assigns each new post in
time order to an open incident or a new one, and merges two incidents when a post joins both. With
``alerting.tracking.mode: event_id`` posts are grouped by the NLP stage's event id instead (:func:`by_event_id`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerting.batch import chunks, cluster_key, post_time
from alerting.merging import merge_alerts
from alerting.models import Alert, AlertPost
from alerting.rules.escalation import GROUP_TYPES
from alerting.tracking import Decision, IncidentProfile, IncidentTracker, PostSignal, TrackerWeights, signal_of
from lwcore.domain import AnalyzedPost, Severity
from lwcore.settings import Settings

__all__ = ["IncidentGrouping", "Decisions", "by_event_id", "tracked_json", "tracking_detail"]

logger = logging.getLogger(__name__)

#: post id -> the tracker's decision and its reading of the post
Decisions = dict[str, tuple[Decision, PostSignal]]


def tracked_json(d: Decision, sig: PostSignal) -> dict[str, Any]:
    """What an evidence row keeps of the tracker's reading of its post and of the decision."""
    out = sig.to_json()
    out["decision"] = d.as_dict()
    return out


def tracking_detail(new: Sequence[AnalyzedPost], decisions: Decisions | None) -> dict[str, Any]:
    """The ``tracking`` part of a ``created``/``updated`` history row: why each new post joined."""
    if not decisions:
        return {}
    why = {it.post.id: decisions[it.post.id][0].as_dict() for it in new if it.post.id in decisions}
    return {"tracking": why} if why else {}


def merge_growth(into: Alert, other: Alert, *, factor: float = 2.0) -> tuple[str, ...]:
    """How folding ``other`` into ``into`` makes ``into``'s incident grow, in the escalation rule's terms: a group
    action or stoppage it lacked, at least ``factor`` times the workers or the sum, a more severe level."""
    grew: list[str] = []
    if (set(other.event_types or ()) & GROUP_TYPES) and not (set(into.event_types or ()) & GROUP_TYPES):
        grew.append("group")
    for name, attr in (("workers", "workers"), ("amount", "amount_yuan")):
        mine, theirs = getattr(into, attr), getattr(other, attr)
        if mine and theirs and theirs >= mine * factor:
            grew.append(name)
    if Severity(other.level).more_severe_than(Severity(into.level)):
        grew.append("severity")
    return tuple(grew)


def by_event_id(batch: Sequence[AnalyzedPost]) -> dict[str, list[AnalyzedPost]]:
    groups: dict[str, list[AnalyzedPost]] = {}
    for it in batch:
        groups.setdefault(cluster_key(it), []).append(it)
    return groups


class IncidentGrouping:
    """The engine's incident tracker, kept in step with the profiles stored on alerts."""

    def __init__(self, settings: Settings) -> None:
        self.options = settings.alerting.tracking
        self.reset()

    @property
    def enabled(self) -> bool:
        return self.options.mode == "tracker"

    def reset(self) -> None:
        """Forget everything (after a rolled-back batch: memory ran ahead of the database)."""
        o = self.options
        weights = TrackerWeights(join_threshold=o.join_threshold, merge_threshold=o.merge_threshold)
        if o.weights_file:
            from alerting.tracker_fit import load_weights

            weights = load_weights(o.weights_file, weights)
        self.tracker = IncidentTracker(idle_days=o.idle_days, weights=weights)
        self._seen: datetime | None = None
        self._versions: dict[str, datetime] = {}  # alert key -> updated_at of the profile in memory
        self.grown_by_merge: list[tuple[Alert, tuple[str, ...], int]] = []

    def refresh(self, s: Session, at: datetime) -> None:
        """Load the open incidents other processes (or earlier runs) stored since the last look.

        ``at`` is the time of the batch's earliest post: incidents idle for longer than the window before it are
        dropped from memory (their alerts stay; a later post cannot join them).
        """
        horizon = at - self.tracker.idle
        q = select(Alert.cluster_key, Alert.profile, Alert.merged_into, Alert.updated_at).where(
            Alert.profile.is_not(None), Alert.last_seen >= horizon
        )
        if self._seen is not None:
            q = q.where(Alert.updated_at >= self._seen)
        latest = self._seen
        for key, profile, merged_into, updated in s.execute(q):
            if merged_into is not None:
                self.tracker.drop(key)
            elif self._versions.get(key) == updated and key in self.tracker.incidents:
                pass  # this process wrote it: the profile in memory is the stored one
            else:
                try:
                    self.tracker.put(IncidentProfile.from_json(key, profile))
                    self._versions[key] = updated
                except (KeyError, TypeError, ValueError):
                    logger.warning("alert %s: unreadable incident profile ignored", key)
            if latest is None or updated > latest:
                latest = updated
        self._seen = latest
        self.tracker.expire(at)

    def track(
        self, s: Session, batch: list[AnalyzedPost], now: datetime
    ) -> tuple[dict[str, list[AnalyzedPost]], Decisions]:
        """Assign each post (in time order) to an open incident or a new one; merge incidents a post joins."""
        done: set[str] = set()
        for chunk in chunks([it.post.id for it in batch]):
            done |= set(s.scalars(select(AlertPost.post_id).where(AlertPost.post_id.in_(chunk))))
        self.refresh(s, min(post_time(it, now) for it in batch))
        groups: dict[str, list[AnalyzedPost]] = {}
        decisions: Decisions = {}
        for it in sorted((it for it in batch if it.post.id not in done), key=lambda it: post_time(it, now)):
            sig = signal_of(it)
            d = self.tracker.assign(sig)
            decisions[it.post.id] = (d, sig)
            groups.setdefault(d.key, []).append(it)
            for other in d.merge:
                why = (f"描述性信息所指企业即本帖涉事企业（{it.post.id}）" if other in d.described
                       else f"帖子同时提及两起事件的涉事企业（{it.post.id}）")
                self.merge_incident(s, d.key, other, groups, now, reason=why)
        return groups, decisions

    def merge_incident(
        self, s: Session, a_key: str, b_key: str, groups: dict[str, list[AnalyzedPost]], now: datetime, *, reason: str
    ) -> None:
        """Fold two incidents into one: the tracker, this batch's groups and, where both have one, the alerts.

        The older alert survives (its recipients were told first); an incident with an alert outlives one without.
        """
        alerts = {a.cluster_key: a for a in s.scalars(select(Alert).where(Alert.cluster_key.in_([a_key, b_key])))}
        keep, drop = a_key, b_key
        if b_key in alerts and (a_key not in alerts or alerts[b_key].id < alerts[a_key].id):
            keep, drop = b_key, a_key
        self.tracker.merge(keep, drop)
        if drop in groups:
            groups.setdefault(keep, []).extend(groups.pop(drop))
        if keep in alerts and drop in alerts:
            into, other = alerts[keep], alerts[drop]
            growth = merge_growth(into, other)
            merge_alerts(s, into=into, other=other, now=now, actor="system", reason=reason)
            if growth and other.notified_level and not into.silenced:
                self.grown_by_merge.append((into, growth, other.id))
            prof = self.tracker.incidents.get(keep)
            if prof is not None:
                alerts[keep].profile = prof.to_json()

    def take_grown_by_merge(self) -> list[tuple[Alert, tuple[str, ...], int]]:
        """Surviving alerts of this batch's merges that the other incident made grow: (alert, growth, merged id)."""
        out, self.grown_by_merge = self.grown_by_merge, []
        return out

    def stored(self, key: str, alert: Alert) -> None:
        """``alert`` (incident ``key``) was written in this batch: keep its profile on it and remember the version."""
        prof = self.tracker.incidents.get(key)
        if prof is not None:
            alert.profile = prof.to_json()
            self._versions[key] = alert.updated_at

    def discard(self, key: str) -> None:
        """No rule fired for a new incident: the tentative incident is not kept."""
        self.tracker.drop(key)

"""One alert per incident: the rules evaluated over an incident's posts, the alert row created or updated.

:func:`observe` stores the (kind, key) observations the spike rule counts; :class:`ObservationCounts` counts
them inside the processing transaction. :class:`ClusterEvaluator` runs the rules for each new post of an
incident (:class:`ClusterState` is what they see: the incident so far, with this post counted), then creates
or updates the alert, its evidence rows and history, and decides what the recipients are told: a first
message, a raised level (升级), a growth at the same level (续报), or nothing while a silence holds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from alerting.batch import chunks, post_time, record_event
from alerting.grouping import Decisions, tracked_json, tracking_detail
from alerting.models import Alert, AlertPost, Observation, OutboxMessage, Silence
from alerting.queueing import AlertMessages
from alerting.render import company_display
from alerting.rules import ClusterView, Hit, RuleContext, RuleSet, observation_keys
from alerting.rules.escalation import raise_level
from alerting.texts import event_label, main_event
from lwcore.domain import AnalyzedPost, CompanyLink, Severity
from lwcore.settings import Settings
from lwcore.standing import standing_of

__all__ = ["ClusterEvaluator", "ClusterState", "ObservationCounts", "observe", "alert_title"]


class ObservationCounts:
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
            with self.s.no_autoflush:  # observations are all flushed by observe(); skip flushing evidence rows
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


def observe(s: Session, batch: list[AnalyzedPost], now: datetime) -> None:
    """Store the observations of the batch's posts not stored yet (re-processing adds nothing)."""
    wanted = {(k, v, it.post.id): post_time(it, now) for it in batch for k, v in observation_keys(it)}
    if not wanted:
        return
    have: set[tuple[str, str, str]] = set()
    for chunk in chunks(list({p for _, _, p in wanted})):
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


@dataclass
class ClusterState:
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
    def of(cls, key: str, alert: Alert | None) -> ClusterState:
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


def alert_title(alert: Alert) -> str:
    return f"{company_display(alert)}{event_label(main_event(alert.event_types))}"


class ClusterEvaluator:
    def __init__(self, settings: Settings, rules: RuleSet, messages: AlertMessages) -> None:
        self.settings = settings
        self.rules = rules
        self.messages = messages

    def evaluate(
        self,
        s: Session,
        key: str,
        alert: Alert | None,
        new: list[AnalyzedPost],
        counter: ObservationCounts,
        now: datetime,
        outbox_rows: list[OutboxMessage],
        decisions: Decisions | None = None,
    ) -> Alert | None:
        """Run the rules over ``new`` posts of incident ``key``; the alert created/updated, None if none fired."""
        state = ClusterState.of(key, alert)
        hits: list[tuple[Hit, int]] = []  # (hit, level boost of the sensitive period)
        for it in new:
            view = state.add(it)
            at = post_time(it, now)
            period = self.rules.period_at(at)
            ctx = RuleContext(item=it, cluster=view, at=at, period=period, counter=counter)
            steps, note = standing_of(it.analysis)  # a linked firm on the bureau's lists (lwcore.standing)
            for rule in self.rules.rules:
                h = rule.evaluate(ctx)
                if h is not None:
                    if steps:
                        h = replace(h, level=raise_level(h.level, steps), reason=f"{h.reason}；{note}")
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
                record_event(
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
        alert.title = alert_title(alert)
        if created:
            record_event(
                s,
                alert,
                now,
                "created",
                detail={
                    "level": alert.level,
                    "rules": alert.rules,
                    "posts": [it.post.id for it in new],
                    **tracking_detail(new, decisions),
                },
            )
            if not alert.company_registered:
                record_event(
                    s,
                    alert,
                    now,
                    "company_unregistered",
                    detail={"mention": alert.company_name, "note": "企业未在名录中匹配，需人工核实主体"},
                )
        else:
            record_event(
                s,
                alert,
                now,
                "updated",
                detail={
                    "posts_added": [it.post.id for it in new],
                    "post_count": alert.post_count,
                    **tracking_detail(new, decisions),
                },
            )
        level = Severity(alert.level)
        notified = Severity(alert.notified_level) if alert.notified_level else None
        grown = sorted({g for h, _ in hits for g in h.growth})
        if notified is not None and grown and not level.more_severe_than(notified) and not alert.silenced:
            # the incident grew but its level cannot rise (already there): the recipients get a 续报 on the
            # same alert, once per kind of growth
            self.messages.notify(s, alert, "grown", now, outbox_rows, dedup_extra=",".join(grown))
        elif notified is None or level.more_severe_than(notified):
            silence = self._silence_for(s, alert, now)
            if silence is not None:
                if not alert.silenced:
                    record_event(
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
                self.messages.notify(s, alert, "new" if notified is None else "raised", now, outbox_rows)
        return alert

    def _new_alert(self, s: Session, key: str, new: list[AnalyzedPost], now: datetime) -> Alert:
        company = None
        for it in new:
            linked = [c for c in it.analysis.companies if c.company_id]
            if linked:
                company = max(linked, key=lambda c: c.confidence)
                break
        mention: CompanyLink | str | None = None
        if company is None:
            for it in new:
                if it.analysis.companies:
                    mention = it.analysis.companies[0]
                    break
                if it.analysis.employers:
                    mention = it.analysis.employers[0]
                    break
        town = company.town if company and company.town else next((t for it in new for t in it.analysis.towns), None)
        first = min(post_time(it, now) for it in new)
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
        decisions: Decisions,
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
            t = post_time(it, now)
            alert.first_seen = min(alert.first_seen, t)
            alert.last_seen = max(alert.last_seen, t)
        alert.post_count += len(new)

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

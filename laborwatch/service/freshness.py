"""The freshness gate between the scheduler's tick and a crawl (issue 21): the thin, stateful side of
:mod:`crawlers.schedule`.

Sources with an ``interval`` schedule are ticked every ``crawl.freshness.tick_s`` (``schedule.crawl_job_specs``);
each tick :meth:`FreshnessGate.check` builds the source's :class:`~crawlers.schedule.SourceState` from the
database (its recent ``crawl_runs``, the open hot alerts it found, its domain's runs of the last hour) and asks
:func:`crawlers.schedule.decide` whether to crawl now. Nothing is kept in memory between ticks: a restarted or
standby scheduler decides the same.

For a followed search source the gate writes the incidents' employer names and places to
``<state>/crawl/follow.json``; the crawl adds them as search terms (:func:`crawlers.follow.read_follow_queries`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from crawlers.follow import write_follow_queries, write_query_plan
from crawlers.schedule import (
    Bounds,
    Decision,
    DomainState,
    Policy,
    SensitivePeriod,
    SourceState,
    affordable_bounds,
    decide,
    follow_queries,
    plan_queries,
    source_domain,
)
from laborwatch.models import CrawlRun
from lwcore.db import Database, utcnow
from lwcore.settings import Settings

__all__ = ["FreshnessGate", "policy_from_settings", "alert_rule_periods", "run_yield", "domain_budget_used",
           "domain_budgets"]

logger = logging.getLogger(__name__)


def alert_rule_periods(settings: Settings) -> list[SensitivePeriod]:
    """The sensitive periods of ``alert_rules.yaml`` (the ones the alert rules and the 专报 use), with the
    crawl factor ``crawl.freshness.sensitive_factor``."""
    from lwcore.settings import load_yaml

    try:
        data = load_yaml(settings.config_file("alert_rules.yaml"))
    except Exception as exc:  # noqa: BLE001 - validated by `config check`; here only a tightening is lost
        logger.warning("freshness: cannot read the sensitive periods of alert_rules.yaml: %s", exc)
        return []
    out = []
    for p in (data or {}).get("sensitive_periods") or [] if isinstance(data, dict) else []:
        try:
            out.append(SensitivePeriod(str(p["name"]), date.fromisoformat(str(p["start"])),
                                       date.fromisoformat(str(p["end"])), settings.crawl.freshness.sensitive_factor))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def policy_from_settings(settings: Settings) -> Policy:
    f = settings.crawl.freshness
    periods = alert_rule_periods(settings) + [SensitivePeriod(p.name, p.start, p.end, p.factor)
                                              for p in f.sensitive_periods]
    return Policy(
        grow=f.grow, shrink=f.shrink, history_runs=f.history_runs, follow_interval_s=f.follow_interval_s,
        calm_after_s=f.calm_after_s, follow_levels=tuple(f.follow_levels),
        sensitive_periods=tuple(periods),
        domain_requests_per_hour=f.domain_requests_per_hour, domain_budgets=dict(f.domain_budgets),
        budget_share=f.budget_share,
    )


def run_yield(row: CrawlRun, signal: str = "relevant") -> int:
    """What a finished run yielded: its new posts (``signal="new"``), or its new relevant posts (``relevant``
    in its stats; new posts for records without it)."""
    if signal == "new":
        return int(row.new_items or 0)
    if row.stats_json:
        try:
            data = json.loads(row.stats_json)
        except ValueError:
            data = None
        if isinstance(data, dict):
            per = data.get("per_source")
            one = per.get(row.source_id) if isinstance(per, dict) else None
            for d in (one, data):
                if isinstance(d, dict) and isinstance(d.get("relevant"), int):
                    return int(d["relevant"])
    return int(row.new_items or 0)


def _run_terms(row: CrawlRun, signal: str = "relevant") -> dict[str, int] | None:
    """The terms a finished search run searched -> new (or relevant) posts each found (None: not recorded)."""
    if not row.stats_json:
        return None
    try:
        data = json.loads(row.stats_json)
    except ValueError:
        return None
    per = data.get("per_source") if isinstance(data, dict) else None
    one = per.get(row.source_id) if isinstance(per, dict) else data
    terms = one.get("queries_new" if signal == "new" else "queries") if isinstance(one, dict) else None
    if not isinstance(terms, dict) or not terms:
        return None
    return {str(k): int(v) if isinstance(v, int) else 0 for k, v in terms.items()}


def domain_budget_used(db: Database, source_ids: Sequence[str], since: datetime) -> tuple[int, int]:
    """(pages fetched by runs of ``source_ids`` started since ``since``, crawls of them running now)."""
    if not source_ids:
        return 0, 0
    with db.sessions() as s:
        pages = s.scalar(select(func.coalesce(func.sum(CrawlRun.pages), 0))
                         .where(CrawlRun.source_id.in_(source_ids), CrawlRun.started_at >= since))
        running = s.scalar(select(func.count()).select_from(CrawlRun)
                           .where(CrawlRun.source_id.in_(source_ids), CrawlRun.status == "running"))
    return int(pages or 0), int(running or 0)


class FreshnessGate:
    """Decides per tick whether a source is crawled now. ``sources``: loader of the current source configs."""

    def __init__(self, settings: Settings, db: Database, sources: Any) -> None:
        self.settings = settings
        self.db = db
        self._sources = sources
        self.policy = policy_from_settings(settings)
        self.signal = settings.crawl.freshness.signal

    def _configs(self) -> dict[str, Any]:
        return {s.id: s for s in self._sources() if getattr(s, "enabled", True)}

    @staticmethod
    def managed(src: Any) -> bool:
        return bool(getattr(src.schedule, "interval_s", None))

    @staticmethod
    def domain_of(src: Any) -> str:
        return source_domain(src.allowed_domains, [src.endpoint, *src.start_urls])

    def hot_alerts(self, now: datetime) -> list[Any]:
        """Open alerts of the follow levels with a post within ``calm_after_s``."""
        from alerting.models import Alert

        since = now - timedelta(seconds=self.policy.calm_after_s)
        with self.db.sessions() as s:
            return list(s.scalars(select(Alert).where(
                Alert.level.in_(self.policy.follow_levels), Alert.status != "closed",
                Alert.merged_into.is_(None), Alert.last_seen >= since)).all())

    def followed_sources(self, now: datetime) -> dict[str, list[Any]]:
        """Source id -> the hot alerts it contributed posts to."""
        from alerting.models import AlertPost

        alerts = self.hot_alerts(now)
        if not alerts:
            return {}
        by_id = {a.id: a for a in alerts}
        out: dict[str, list[Any]] = {}
        with self.db.sessions() as s:
            rows = s.execute(select(AlertPost.alert_id, AlertPost.source_id)
                             .where(AlertPost.alert_id.in_(list(by_id))).distinct()).all()
        for alert_id, source_id in rows:
            out.setdefault(source_id, []).append(by_id[alert_id])
        return out

    def state(self, src: Any, now: datetime, followed: dict[str, list[Any]]) -> SourceState:
        lo, hi = src.schedule.bounds_s
        n = max(1, self.policy.history_runs)
        with self.db.sessions() as s:
            last = s.scalar(select(func.max(CrawlRun.started_at)).where(CrawlRun.source_id == src.id))
            recent = list(s.scalars(select(CrawlRun).where(CrawlRun.source_id == src.id,
                                                           CrawlRun.status == "finished")
                                    .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(n)).all())
        recent.reverse()
        pages = [r.pages for r in recent if r.pages]
        return SourceState(
            source_id=src.id, domain=self.domain_of(src),
            bounds=Bounds(base_s=float(src.schedule.interval_s), min_s=float(lo), max_s=float(hi)),
            last_started=last, yields=tuple(run_yield(r, self.signal) for r in recent),
            expected_requests=(sum(pages) / len(pages)) if pages else 1.0,
            followed_by=tuple(str(a.id) for a in followed.get(src.id, ())),
        )

    def domain_state(self, domain: str, configs: dict[str, Any], now: datetime) -> DomainState:
        ids = [sid for sid, c in configs.items() if self.domain_of(c) == domain]
        pages, running = domain_budget_used(self.db, ids, now - timedelta(hours=1))
        return DomainState(requests_last_hour=pages, running=running)

    def check(self, source_id: str, now: datetime | None = None) -> Decision | None:
        """The decision for ``source_id`` (None: not managed by the policy, crawl as scheduled)."""
        now = now or utcnow()
        configs = self._configs()
        src = configs.get(source_id)
        if src is None or not self.managed(src):
            return None
        from lwcore.domain import SHANGHAI

        local_now = now.astimezone(SHANGHAI)
        followed = self.followed_sources(now)
        state = self.state(src, now, followed)
        domain = self.domain_state(state.domain, configs, now)
        alerts = followed.get(source_id, [])
        terms = follow_queries([a.company_name for a in alerts], [a.town for a in alerts],
                               limit=self.settings.crawl.freshness.follow_terms_max) if src.kind == "search" else []
        decision, plan = self.decision(src, state, domain, local_now, follow_terms=terms)
        if decision.start and plan is not None:
            write_query_plan(self.settings.state_path, source_id, None if set(plan) >= set(src.queries) else plan)
        if decision.held_by:
            logger.info("crawl of %s due (%s, every %.0fs) but held back: %s", source_id, decision.reason,
                        decision.interval_s, decision.held_by)
        if decision.start and src.kind == "search":
            self.write_follow_terms(source_id, terms)
        return decision

    def decision(self, src: Any, state: SourceState, domain: DomainState, now: datetime, *,
                 follow_terms: Sequence[str] = ()) -> tuple[Decision, list[str] | None]:
        """(decision, planned search terms or None for a source without terms)."""
        if self.plans_terms(src):
            return self.decide_terms(src, state, domain, now, follow_terms=follow_terms)
        return decide(state, domain, self.policy, now), None

    @staticmethod
    def plans_terms(src: Any) -> bool:
        """A search source whose endpoint takes a term: each term is scheduled on its own yield."""
        return src.kind == "search" and bool(src.queries) and bool(src.endpoint) and any(
            f"{{{k}}}" in src.endpoint for k in ("query", "keyword"))

    def term_states(self, src: Any, state: SourceState) -> dict[str, SourceState]:
        """Per search term: the starts and yields of the recent runs that searched it (runs recorded before
        terms were planned count for every term, with the run's yield)."""
        n = max(1, self.policy.history_runs) * 8
        with self.db.sessions() as s:
            rows = list(s.scalars(select(CrawlRun).where(CrawlRun.source_id == src.id, CrawlRun.status == "finished")
                                  .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(n)).all())
        rows.reverse()
        last: dict[str, datetime] = {}
        found: dict[str, datetime] = {}  # the last run in which the term found something
        yields: dict[str, list[int]] = {q: [] for q in src.queries}
        per_term_pages: list[float] = []
        for row in rows:
            terms = _run_terms(row, self.signal)
            if terms is None:
                terms = dict.fromkeys(src.queries, run_yield(row, self.signal))
            for q, y in terms.items():
                if q in yields:
                    yields[q].append(int(y))
                    last[q] = row.started_at
                    if y:
                        found[q] = row.started_at
            if terms and row.pages:
                per_term_pages.append(row.pages / len(terms))
        cost = sum(per_term_pages) / len(per_term_pages) if per_term_pages else 1.0
        k = int(getattr(src, "max_terms_per_request", 1) or 1)
        bounds = affordable_bounds(state.bounds, len(src.queries), k, self.policy, state.domain)
        out = {}
        calm = utcnow() - timedelta(seconds=self.policy.calm_after_s)
        for q in src.queries:
            # a followed incident's terms: those that found something while it was hot
            hot = state.followed_by if q in found and found[q] >= calm else ()
            out[q] = SourceState(source_id=f"{src.id}:{q}", domain=state.domain, bounds=bounds,
                                 last_started=last.get(q), yields=tuple(yields[q]), expected_requests=cost,
                                 followed_by=hot)
        return out

    def decide_terms(self, src: Any, state: SourceState, domain: DomainState, now: datetime, *,
                     follow_terms: Sequence[str] = ()) -> tuple[Decision, list[str]]:
        """The source's decision from its terms' plan; politeness on the due terms' expected requests."""
        terms = self.term_states(src, state)
        per_term = next(iter(terms.values())).expected_requests if terms else 1.0
        left = self.policy.budget_of(state.domain) - domain.requests_last_hour
        plan = plan_queries(terms, self.policy, now,
                            max_terms_per_request=int(getattr(src, "max_terms_per_request", 1) or 1),
                            max_requests=max(1, int(left // max(per_term, 1.0))))
        due = list(plan.terms)
        if not due:
            if state.followed_by and follow_terms:  # only the incident's own terms (employer ...) are due
                follow = decide(state, domain, self.policy, now)
                if follow.due:
                    return Decision(True, follow.interval_s, "follow", follow.held_by), []
            return Decision(False, plan.interval_s, plan.reason, None, plan.next_at), []
        cost = SourceState(source_id=src.id, domain=state.domain, bounds=state.bounds,
                           expected_requests=per_term * plan.requests)
        d = decide(cost, domain, self.policy, now)
        return Decision(True, plan.interval_s, plan.reason, d.held_by), due

    def write_follow_terms(self, source_id: str, terms: list[str]) -> None:
        write_follow_queries(self.settings.state_path, source_id, terms)

    def overview(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """Per managed source: interval in force, why, next due time, domain budget used (for the web pages)."""
        now = now or utcnow()
        from lwcore.domain import SHANGHAI

        configs = self._configs()
        followed = self.followed_sources(now)
        out = []
        for src in configs.values():
            if not self.managed(src):
                continue
            state = self.state(src, now, followed)
            dom = self.domain_state(state.domain, configs, now)
            d, _plan = self.decision(src, state, dom, now.astimezone(SHANGHAI))
            out.append({"source_id": src.id, "kind": src.kind, "domain": state.domain, "interval_s": d.interval_s,
                        "reason": d.reason, "held_by": d.held_by, "next_at": d.next_at,
                        "budget_used": dom.requests_last_hour, "budget": self.policy.budget_of(state.domain)})
        return out


def domain_budgets(settings: Settings, db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per domain of the enabled sources: requests (pages) of the last hour, the hourly budget, crawls running."""
    from crawlers.sources import load_sources, sources_path

    now = now or utcnow()
    policy = policy_from_settings(settings)
    by_domain: dict[str, list[str]] = {}
    for src in load_sources(sources_path(settings)):
        if src.enabled:
            by_domain.setdefault(FreshnessGate.domain_of(src), []).append(src.id)
    out = []
    for domain, ids in sorted(by_domain.items()):
        used, running = domain_budget_used(db, ids, now - timedelta(hours=1))
        budget = policy.budget_of(domain)
        out.append({"domain": domain, "used": used, "budget": budget, "running": running,
                    "share": min(1.0, used / budget) if budget else 0.0, "sources": ids})
    return out

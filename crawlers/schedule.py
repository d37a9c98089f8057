"""Freshness policy: when each source is crawled next (issue 21). Pure logic, no I/O.

The service used to crawl every source on a fixed interval (30 min to 3 h), so a post could wait hours before
anyone saw it. This module decides, each time the scheduler's tick asks, whether a source is due now:

- **adaptive interval**: between the source's ``schedule.min_interval`` and ``schedule.max_interval`` (both
  default to ``interval``: a fixed schedule). Replaying the source's recent runs oldest first from ``interval``,
  a run that yielded (new posts, or new relevant posts: ``crawl.freshness.signal``) shrinks the interval
  (``shrink``), a run that yielded none grows it (``grow``), always clamped to the bounds. In the long run a
  crawl finds something about ln(grow) / (ln(grow) + ln(1/shrink)) of the time (12 % with 1.1 and 0.5).
  Restart-proof: the state is the run history in ``crawl_runs``. Search sources plan each term the same way.
- **sensitive periods** (``crawl.freshness.sensitive_periods``, e.g. the Import Expo weeks): while one is on,
  every bound (and the base interval) is multiplied by its ``factor`` (< 1 tightens), never below 60 s.
- **follow the story**: a source that found an open level I/II incident (an alert, not closed, with a post
  within ``calm_after_s``) is crawled every ``follow_interval_s`` until the incident calms.
- **politeness always wins**: a due crawl is held back while another crawl of the same domain runs, or when its
  expected requests would push the domain over its hourly request budget (``domain_requests_per_hour``).
  Download delays inside a crawl stay Scrapy's (``politeness.download_delay_s``); they are never shortened here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

__all__ = [
    "MIN_INTERVAL_S",
    "SensitivePeriod",
    "Policy",
    "Bounds",
    "SourceState",
    "DomainState",
    "Decision",
    "source_domain",
    "adaptive_interval",
    "active_period",
    "effective_bounds",
    "decide",
    "follow_queries",
    "QueryPlan",
    "plan_queries",
    "term_score",
    "batch_terms",
    "affordable_bounds",
]

#: No schedule, however tightened, crawls a source more often than this (the sources file's own minimum).
MIN_INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class SensitivePeriod:
    """Dates (inclusive, the service's time zone) during which every bound is multiplied by ``factor``."""

    name: str
    start: date
    end: date
    factor: float = 0.5

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Policy:
    grow: float = 1.1  # interval *= grow after a run that yielded nothing
    shrink: float = 0.5  # interval *= shrink after a run that yielded (new posts, or new relevant posts)
    history_runs: int = 8  # recent runs replayed
    follow_interval_s: float = 180.0  # "follow the story": crawl this often while an incident is hot
    calm_after_s: float = 7200.0  # an incident with no new post for this long has calmed down
    follow_levels: tuple[str, ...] = ("I", "II")
    sensitive_periods: tuple[SensitivePeriod, ...] = ()
    domain_requests_per_hour: int = 240  # default budget per domain (all sources of the domain together)
    domain_budgets: dict[str, int] = field(default_factory=dict)  # domain -> requests per hour
    # a search source may search every term as often as this share of its domain's hourly budget pays for
    # (0: off); see :func:`affordable_bounds`
    budget_share: float = 0.2

    def budget_of(self, domain: str) -> int:
        """The hourly request budget of ``domain`` (a configured parent domain applies to its subdomains)."""
        d = domain.lower()
        while d:
            if d in self.domain_budgets:
                return int(self.domain_budgets[d])
            _, _, d = d.partition(".")
        return int(self.domain_requests_per_hour)


@dataclass(frozen=True, slots=True)
class Bounds:
    base_s: float
    min_s: float
    max_s: float

    def clamp(self, value: float) -> float:
        return min(self.max_s, max(self.min_s, value))


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the policy needs to know about one source (built from config and ``crawl_runs``)."""

    source_id: str
    domain: str
    bounds: Bounds
    last_started: datetime | None = None  # the last run's start (any outcome)
    yields: tuple[int, ...] = ()  # new relevant posts of the recent finished runs, OLDEST first
    expected_requests: float = 1.0  # requests a run costs (mean pages of recent runs)
    followed_by: tuple[str, ...] = ()  # open hot incidents (alert ids) this source found


@dataclass(frozen=True, slots=True)
class DomainState:
    requests_last_hour: int = 0  # pages fetched from the domain by runs started in the last hour
    running: int = 0  # crawls of the domain running now


@dataclass(frozen=True, slots=True)
class Decision:
    due: bool  # start a crawl now
    interval_s: float  # the interval in force
    reason: str  # adaptive | follow | sensitive:<name> (+ why held back)
    held_by: str | None = None  # None | domain_busy | budget: due, but politeness holds it back
    next_at: datetime | None = None  # when it is due (when not due now)

    @property
    def start(self) -> bool:
        return self.due and self.held_by is None


def source_domain(allowed_domains: Sequence[str], urls: Iterable[str | None]) -> str:
    """The domain whose politeness budget a source spends: its first allowed domain, else the host of its
    first URL (``www.`` dropped)."""
    if allowed_domains:
        return allowed_domains[0].lower()
    for url in urls:
        if url:
            host = (urlsplit(url.replace("{", "").replace("}", "")).hostname or "").lower()
            if host:
                return host.removeprefix("www.")
    return ""


def adaptive_interval(bounds: Bounds, yields: Sequence[int], policy: Policy) -> float:
    """The interval after replaying ``yields`` (oldest first) from the base interval."""
    interval = bounds.clamp(bounds.base_s)
    for n in yields[-policy.history_runs:] if policy.history_runs else ():
        interval = bounds.clamp(interval * (policy.shrink if n > 0 else policy.grow))
    return interval


def active_period(policy: Policy, day: date) -> SensitivePeriod | None:
    """The sensitive period on ``day`` (the tightest one when several overlap)."""
    on = [p for p in policy.sensitive_periods if p.contains(day)]
    return min(on, key=lambda p: p.factor) if on else None


def effective_bounds(bounds: Bounds, policy: Policy, day: date) -> tuple[Bounds, SensitivePeriod | None]:
    period = active_period(policy, day)
    if period is None:
        return bounds, None
    f = period.factor

    def tight(v: float) -> float:
        return max(MIN_INTERVAL_S, v * f)

    return Bounds(base_s=tight(bounds.base_s), min_s=tight(bounds.min_s), max_s=tight(bounds.max_s)), period


def decide(state: SourceState, domain: DomainState, policy: Policy, now: datetime) -> Decision:
    """Is ``state``'s source due at ``now``, and may it start (politeness)? ``now`` must be aware."""
    bounds, period = effective_bounds(state.bounds, policy, now.date())
    interval = adaptive_interval(bounds, state.yields, policy)
    reason = f"sensitive:{period.name}" if period is not None else "adaptive"
    if state.followed_by:
        follow = max(MIN_INTERVAL_S, policy.follow_interval_s)
        if follow < interval:
            interval, reason = follow, "follow"
    if state.last_started is not None:
        next_at = state.last_started + timedelta(seconds=interval)
        if now < next_at:
            return Decision(False, interval, reason, None, next_at)
    if domain.running > 0:
        return Decision(True, interval, reason, "domain_busy")
    budget = policy.budget_of(state.domain)
    if domain.requests_last_hour + max(1.0, state.expected_requests) > budget:
        return Decision(True, interval, reason, "budget")
    return Decision(True, interval, reason)


def follow_queries(employers: Iterable[str | None], places: Iterable[str | None], *, limit: int = 6) -> list[str]:
    """Extra search terms for search sources while incidents are followed: each employer alone and with its
    place (``青浦 某某公司``); deduplicated, at most ``limit``."""
    out: list[str] = []
    for employer, place in zip(employers, places, strict=False):
        name = (employer or "").strip()
        if not name:
            continue
        for q in (name, f"{(place or '').strip()} {name}".strip()):
            if q not in out:
                out.append(q)
    return out[:limit]


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """Which search terms of a search source are due (each term adapts on its own yield, like a source).

    ``due`` is ordered by :func:`term_score` (followed terms first); ``batches`` groups the terms searched into
    requests of at most ``max_terms_per_request`` terms (one term each by default). A batch with room left takes
    the best-scored terms not yet due along ("ride-alongs", they cost no extra request); they are in ``batches``
    and ``terms`` but not in ``due``."""

    due: tuple[str, ...]
    interval_s: float  # the shortest interval among the terms
    reason: str
    next_at: datetime | None  # when the first term is due (nothing due now)
    batches: tuple[tuple[str, ...], ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term searched: the due ones and the ride-alongs, in request order."""
        return tuple(t for b in self.batches for t in b) if self.batches else self.due

    @property
    def requests(self) -> int:
        """First-page requests the plan costs (one per batch)."""
        return len(self.batches) if self.batches else len(self.due)


def term_score(yields: Sequence[int], total_runs: int, *, c: float = 1.0) -> float:
    """UCB1 score of a search term on its recent runs (``yields`` oldest first): the share of its runs that
    found something plus an exploration bonus ``c * sqrt(ln N / n)`` (N: runs of all terms, n: its runs). A term
    never searched scores infinity (searched first). Bounded in [0, 1 + c * sqrt(ln N)] for any counts."""
    n = len(yields)
    if n == 0:
        return math.inf
    hit = sum(1 for y in yields if y > 0) / n
    return hit + c * math.sqrt(math.log(max(total_runs, 1)) / n)


def affordable_bounds(bounds: Bounds, n_terms: int, max_terms_per_request: int, policy: Policy,
                      domain: str) -> Bounds:
    """A search source's per-term bounds, tightened to what its budget share pays for: searching all ``n_terms``
    (``max_terms_per_request`` to a request) once costs ``ceil(n / k)`` requests, so ``budget_share`` x the
    domain's hourly budget pays for a full round every ``ceil(n / k) * 3600 / share`` seconds. The upper bound
    comes down to that (never below the lower bound): a term that finds nothing waits no longer than the budget
    requires, and requests saved by batching terms go into fresher searches. Off when ``budget_share`` is 0."""
    share = policy.budget_share * policy.budget_of(domain)
    if share <= 0 or n_terms <= 0:
        return bounds
    per_round = math.ceil(n_terms / max(1, max_terms_per_request))
    affordable = per_round * 3600.0 / share
    hi = max(bounds.min_s, min(bounds.max_s, affordable))
    return Bounds(base_s=min(bounds.base_s, hi), min_s=bounds.min_s, max_s=hi)


def batch_terms(due: Sequence[str], spare: Sequence[str], size: int) -> tuple[tuple[str, ...], ...]:
    """Group ``due`` (in order) into requests of at most ``size`` terms; the last request's free slots take the
    first terms of ``spare`` (best first)."""
    size = max(1, int(size))
    out = [tuple(due[i:i + size]) for i in range(0, len(due), size)]
    if out and len(out[-1]) < size:
        room = size - len(out[-1])
        out[-1] = out[-1] + tuple(t for t in spare if t not in due)[:room]
    return tuple(out)


def plan_queries(terms: dict[str, SourceState], policy: Policy, now: datetime, *,
                 max_terms_per_request: int = 1, max_requests: int | None = None) -> QueryPlan:
    """Per search term (``SourceState`` per term: its own last crawl and yields, the source's bounds; a term
    that found a followed incident carries ``followed_by``): the terms due at ``now``, best scored first
    (:func:`term_score`), grouped ``max_terms_per_request`` to a request. ``max_requests`` (what the domain's
    hourly budget still allows) keeps only the best-scored requests: the others stay due for the next tick
    instead of holding back the whole crawl. Politeness is decided for the source as a whole by :func:`decide`
    on the plan's expected requests."""
    due: list[str] = []
    intervals: list[float] = []
    reasons: list[str] = []
    waits: list[datetime] = []
    for term, st in terms.items():
        d = decide(st, DomainState(), policy, now)
        intervals.append(d.interval_s)
        if d.due:
            due.append(term)
            reasons.append(d.reason)
        elif d.next_at is not None:
            waits.append(d.next_at)
    reason = "follow" if "follow" in reasons else (reasons[0] if reasons else "adaptive")
    total = sum(len(st.yields) for st in terms.values())
    score = {t: (bool(st.followed_by), term_score(st.yields, total)) for t, st in terms.items()}
    due.sort(key=lambda t: score[t], reverse=True)  # stable: equal scores keep the configured order
    spare = sorted((t for t in terms if t not in due), key=lambda t: score[t], reverse=True)
    batches = batch_terms(due, spare, max_terms_per_request) if due else ()
    if max_requests is not None and len(batches) > max(0, max_requests):
        batches = batches[:max(0, max_requests)]
        due = [t for t in due if any(t in b for b in batches)]
    return QueryPlan(tuple(due), min(intervals) if intervals else 0.0, reason,
                     None if due or not waits else min(waits), batches)

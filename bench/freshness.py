"""Freshness bench (issue 21): a simulated day of publishing, crawled by today's fixed schedules and by the adaptive
policy side by side; the lag from publication to the alert e-mail and the requests each spends.

No network: time is simulated (a day runs in seconds). What is simulated, and how:

- **sources**: every source of ``configs/sources.yaml`` (disabled ones too, as if the bureau enabled them), with
  its kind, fixed schedule (interval + jitter, or cron), ``max_pages``, search terms and, for the adaptive run,
  its ``min_interval`` / ``max_interval``;
- **publishing**: per source (per search term for search sources, terms weighted 1/rank) a Poisson process whose
  rate follows the day (x1 from 08:00 to 22:00, x0.15 at night); ``POSTS_PER_DAY`` posts a day per kind, of which
  ``RELEVANT_SHARE`` are labour-dispute relevant (only those are alerted and their lag counted);
- **requests**: a crawl of a list (a list page, a feed, one search term) fetches pages of ``PAGE_SIZE`` entries.
  Fixed (before issue 21): page 1, and further pages until a page is all already collected (so a page with new
  entries costs a second page). Adaptive (issue 21): a list with nothing new costs one request (answered 304 or
  a page with nothing new); paging stops at the first already-collected entry. Every new post whose kind needs
  its article page (news, forum, board, feed, HTML search) costs one more request. Posts beyond ``max_pages``
  are missed (counted);
- **the adaptive policy** is the real one: ``crawlers.schedule.decide`` / ``plan_queries`` every 60 s tick,
  adapting on each crawl's relevant new posts (or on all new posts: ``--signal new``), with the domain budgets
  and the one-crawl-per-domain rule of ``crawl.freshness``;
- **e-mail**: a relevant post is e-mailed after its crawl's duration (requests x the source's download delay)
  plus the sender's period (``service.send_interval_s``, uniform wait) (the pipeline's 0.015 s is left out);
- **level I follow-up**: at 10:00 an incident starts on a search source's hottest term: 25 follow-up relevant
  posts over two hours (mean gap 5 min). Under the adaptive policy the source is followed (every
  ``follow_interval_s``) from the first alert e-mail until ``calm_after_s`` after its last post.

    python bench/freshness.py [--seed 7] [--days 3] [--signal relevant|new] [--grow G] [--enabled-only]
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crawlers.schedule import (
    Bounds,
    DomainState,
    Policy,
    SourceState,
    affordable_bounds,
    decide,
    plan_queries,
    source_domain,
)
from crawlers.sources import SourceConfig, load_sources
from laborwatch.service.freshness import policy_from_settings
from laborwatch.service.schedule import crontab_trigger
from lwcore.domain import SHANGHAI
from lwcore.settings import load_settings

POSTS_PER_DAY = {"news": 20, "feed": 30, "search": 60, "board": 15, "forum": 40}
RELEVANT_SHARE = {"news": 0.15, "feed": 0.25, "search": 0.35, "board": 0.5, "forum": 0.25}
PAGE_SIZE = {"news": 20, "feed": 20, "search": 10, "board": 15, "forum": 30}
DETAIL_REQUEST = {"news": True, "feed": True, "board": True, "forum": True}  # search: only for HTML results
FAST_KINDS = ("search", "forum")  # target: median <= 10 min ("social and search")
DAY_RATE, NIGHT_RATE = 1.0, 0.15
TICK_S = 60.0
FOLLOW_START_H = 10.0
FOLLOW_POSTS = 25
FOLLOW_GAP_S = 300.0


@dataclass
class Post:
    t: float  # publication, seconds from the simulated day's start
    relevant: bool
    follow: bool = False  # a follow-up post of the level I incident
    crawled: float | None = None
    mailed: float | None = None


@dataclass
class Listing:
    """One list the crawler reads: a source's list page / feed, or one search term of a search source."""

    source: SourceConfig
    term: str
    posts: list[Post] = field(default_factory=list)
    pos: int = 0  # posts before this index were collected
    last_crawl: float | None = None
    yields: list[int] = field(default_factory=list)
    yielded_at: float = -math.inf  # last crawl that found something


def _rate(t: float) -> float:
    hour = (t % 86400) / 3600
    return DAY_RATE if 8 <= hour < 22 else NIGHT_RATE


def _poisson(rng: random.Random, per_day: float, days: int) -> list[float]:
    """Publication times with the day profile (thinning a homogeneous process at the day rate)."""
    mean_rate = (14 * DAY_RATE + 10 * NIGHT_RATE) / 24
    peak = per_day / 86400 / mean_rate * DAY_RATE
    out, t = [], 0.0
    while True:
        t += rng.expovariate(peak)
        if t >= days * 86400:
            return out
        if rng.random() < _rate(t) / DAY_RATE:
            out.append(t)


def build_world(sources: Sequence[SourceConfig], days: int, seed: int) -> dict[str, list[Listing]]:
    rng = random.Random(seed)
    world: dict[str, list[Listing]] = {}
    for src in sources:
        terms = src.queries if src.kind == "search" and src.queries else [""]
        weights = [1 / (i + 1) for i in range(len(terms))]
        total = sum(weights)
        lists = []
        for term, w in zip(terms, weights, strict=True):
            times = _poisson(rng, POSTS_PER_DAY[src.kind] * w / total, days)
            lists.append(Listing(src, term, [Post(t, rng.random() < RELEVANT_SHARE[src.kind]) for t in times]))
        world[src.id] = lists
    return world


def add_follow_up(world: dict[str, list[Listing]], source_id: str, rng: random.Random) -> tuple[float, Listing]:
    """The level I incident: a first post at 10:00 and FOLLOW_POSTS follow-ups on the hottest term."""
    listing = world[source_id][0]
    t0 = FOLLOW_START_H * 3600
    times = [t0]
    for _ in range(FOLLOW_POSTS):
        times.append(times[-1] + rng.expovariate(1 / FOLLOW_GAP_S))
    listing.posts += [Post(t, True, follow=i > 0) for i, t in enumerate(times)]
    listing.posts.sort(key=lambda p: p.t)
    return t0, listing


SIGNAL = {"value": "relevant"}  # what a crawl's yield counts: relevant new posts, or every new post


def crawl_list(listing: Listing, now: float, *, adaptive: bool, detail: bool) -> tuple[int, int, int]:
    """Collect what the list shows at ``now``; returns (requests, new posts, new relevant posts)."""
    src = listing.source
    visible = listing.pos
    while visible < len(listing.posts) and listing.posts[visible].t <= now:
        visible += 1
    new = visible - listing.pos
    size = PAGE_SIZE[src.kind]
    if new == 0:
        pages = 1
    elif adaptive:
        pages = min(src.max_pages, new // size + 1)
    else:
        pages = min(src.max_pages, new // size + 2)
    reach = min(new, pages * size)  # posts beyond max_pages are missed
    got = listing.posts[visible - reach : visible]  # the newest ``reach`` (newest-first lists)
    for p in listing.posts[listing.pos : visible - reach]:
        p.crawled = math.inf  # missed: beyond the pages read
    for p in got:
        p.crawled = now
    listing.pos = visible
    listing.last_crawl = now
    relevant = sum(1 for p in got if p.relevant)
    listing.yields.append(relevant if SIGNAL["value"] == "relevant" else len(got))
    if listing.yields[-1]:
        listing.yielded_at = now
    return pages + (len(got) if detail else 0), len(got), relevant


def crawl_batch(batch: Sequence[Listing], now: float, *, detail: bool) -> int:
    """One request for several terms (``max_terms_per_request``): the site answers one list of the new posts of
    all of them (newest first, ``PAGE_SIZE`` a page); each term's yield is what it contributed. Returns requests."""
    if len(batch) == 1:
        return crawl_list(batch[0], now, adaptive=True, detail=detail)[0]
    src = batch[0].source
    size = PAGE_SIZE[src.kind]
    fresh: list[tuple[Post, Listing]] = []
    visible_of = {}
    for li in batch:
        v = li.pos
        while v < len(li.posts) and li.posts[v].t <= now:
            v += 1
        visible_of[id(li)] = v
        fresh += [(p, li) for p in li.posts[li.pos:v]]
    fresh.sort(key=lambda x: x[0].t)
    pages = min(src.max_pages, len(fresh) // size + 1)
    reach = min(len(fresh), pages * size)
    got = fresh[len(fresh) - reach:]
    for p, _ in fresh[:len(fresh) - reach]:
        p.crawled = math.inf
    found: dict[int, list[Post]] = defaultdict(list)
    for p, li in got:
        p.crawled = now
        found[id(li)].append(p)
    for li in batch:
        li.pos = visible_of[id(li)]
        li.last_crawl = now
        mine = found[id(li)]
        li.yields.append(sum(1 for p in mine if p.relevant) if SIGNAL["value"] == "relevant" else len(mine))
        if li.yields[-1]:
            li.yielded_at = now
    return pages + (len(got) if detail else 0)


def needs_detail(src: SourceConfig) -> bool:
    return DETAIL_REQUEST.get(src.kind, False) or (src.kind == "search" and src.response == "html")


def fixed_times(src: SourceConfig, days: int, rng: random.Random) -> list[float]:
    day0 = datetime(2026, 12, 7, tzinfo=SHANGHAI)
    if src.schedule.cron:
        trig = crontab_trigger(src.schedule.cron, timezone=SHANGHAI)
        out, prev = [], None
        nxt = trig.get_next_fire_time(None, day0)
        while nxt is not None and nxt < day0 + timedelta(days=days):
            out.append((nxt - day0).total_seconds() + rng.uniform(0, src.schedule.jitter_s))
            prev = nxt
            nxt = trig.get_next_fire_time(prev, prev + timedelta(seconds=1))
        return out
    interval = float(src.schedule.interval_s or 3600)
    t, out = rng.uniform(0, interval), []
    while t < days * 86400:
        out.append(t + rng.uniform(0, src.schedule.jitter_s))
        t += interval
    return out


def mail(posts: Sequence[Post], crawl_end: float, send_s: float, rng: random.Random) -> None:
    """The relevant posts collected by a crawl ending at ``crawl_end`` are e-mailed at the sender's next pass."""
    for p in posts:
        if p.relevant and p.mailed is None and p.crawled is not None and p.crawled <= crawl_end:
            p.mailed = crawl_end + rng.uniform(0, send_s)


def run_fixed(world: dict[str, list[Listing]], sources: Sequence[SourceConfig], days: int, send_s: float,
              rng: random.Random, delay_of: dict[str, float]) -> dict[str, int]:
    requests: dict[str, int] = defaultdict(int)
    events: list[tuple[float, str]] = []
    for src in sources:
        for t in fixed_times(src, days, rng):
            heapq.heappush(events, (t, src.id))
    by_id = {s.id: s for s in sources}
    while events:
        t, sid = heapq.heappop(events)
        src = by_id[sid]
        spent = 0
        for listing in world[sid]:
            r, _, _ = crawl_list(listing, t, adaptive=False, detail=needs_detail(src))
            spent += r
        requests[sid] += spent
        end = t + spent * delay_of[sid]
        for listing in world[sid]:
            mail(listing.posts, end, send_s, rng)
    return requests


def run_adaptive(world: dict[str, list[Listing]], sources: Sequence[SourceConfig], days: int, send_s: float,
                 rng: random.Random, policy: Policy, delay_of: dict[str, float],
                 follow: tuple[str, float] | None, *, batched: bool = False,
                 terms_per_request: int | None = None,
                 flush_s: float = 0.0) -> tuple[dict[str, int], dict[str, int]]:
    """Every TICK_S the policy decides per source (per term for search sources); returns requests per source
    and the ticks held back by politeness per source. ``batched`` (the policy after the first bench): due terms
    ranked by yield, grouped ``max_terms_per_request`` to a request (``terms_per_request`` overrides every search
    source's setting: a what-if for APIs that take several terms), and a plan trimmed to the domain budget left
    instead of held back; and posts delivered to the pipeline ``flush_s`` after they were found
    (``crawl.flush_after_s``) instead of at the crawl's end."""
    requests: dict[str, int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    day0 = datetime(2026, 12, 7, tzinfo=SHANGHAI)
    domain_of = {s.id: source_domain(s.allowed_domains, [s.endpoint, *s.start_urls]) for s in sources}
    spent_log: dict[str, list[tuple[float, int]]] = defaultdict(list)  # domain -> (start, requests)
    busy_until: dict[str, float] = defaultdict(float)
    last_start: dict[str, float] = {}
    interval_of: dict[str, float] = {}
    follow_sid, follow_t0 = follow if follow else ("", math.inf)
    followed_from = math.inf
    cron_times = {s.id: fixed_times(s, days, rng) for s in sources if s.schedule.cron}
    t = 0.0
    while t < days * 86400:
        now = day0 + timedelta(seconds=t)
        for src in sources:
            if src.schedule.cron:  # cron sources keep their cron (not managed by the policy)
                times = cron_times[src.id]
                if times and times[0] <= t:
                    while times and times[0] <= t:
                        times.pop(0)
                    spent = sum(crawl_list(li, t, adaptive=True, detail=needs_detail(src))[0]
                                for li in world[src.id])
                    requests[src.id] += spent
                    for li in world[src.id]:
                        mail(li.posts, t + spent * delay_of[src.id], send_s, rng)
                continue
            sid, dom = src.id, domain_of[src.id]
            lo, hi = src.schedule.bounds_s
            bounds = Bounds(float(src.schedule.interval_s or 3600), lo, hi)
            lists = world[sid]
            k = terms_per_request or src.max_terms_per_request
            if batched and lists[0].term:
                bounds = affordable_bounds(bounds, len(lists), k, policy, dom)
            hot = ()
            if sid == follow_sid and t >= followed_from:
                last_post = max((p.t for p in lists[0].posts if p.follow and p.crawled is not None
                                 and p.crawled <= t), default=follow_t0)
                if t - last_post < policy.calm_after_s:
                    hot = ("I",)
            recent = [(s0, n) for s0, n in spent_log[dom] if t - s0 < 3600]
            spent_log[dom] = recent
            dstate = DomainState(requests_last_hour=sum(n for _, n in recent), running=int(busy_until[dom] > t))
            per = 1.0  # expected requests per list: one page (a 304 when nothing is new)
            if len(lists) > 1 or lists[0].term:
                terms = {
                    li.term: SourceState(sid, dom, bounds,
                                         None if li.last_crawl is None else day0 + timedelta(seconds=li.last_crawl),
                                         tuple(li.yields), 1.0, hot if t - li.yielded_at < policy.calm_after_s else ())
                    for li in lists}
                if batched:
                    left = int(policy.budget_of(dom) - dstate.requests_last_hour)
                    plan = plan_queries(terms, policy, now, max_terms_per_request=k, max_requests=left)
                    by_term = {li.term: li for li in lists}
                    batches = [[by_term[q] for q in b] for b in plan.batches]
                else:
                    plan = plan_queries(terms, policy, now)
                    batches = [[li] for li in lists if li.term in plan.due]
                if not batches:
                    continue
                d = decide(SourceState(sid, dom, bounds, expected_requests=per * len(batches)), dstate, policy, now)
                interval_of[sid] = plan.interval_s
            else:
                last = last_start.get(sid)
                st = SourceState(sid, dom, bounds, None if last is None else day0 + timedelta(seconds=last),
                                 tuple(lists[0].yields), per, hot)
                d = decide(st, dstate, policy, now)
                if not d.due:
                    continue
                batches = [[li] for li in lists]
                interval_of[sid] = d.interval_s
            if not d.start:
                held[sid] += 1
                continue
            found_after: list[int] = []  # requests spent when each batch's results were in
            spent = 0
            for b in batches:
                spent += crawl_batch(b, t, detail=needs_detail(src))
                found_after.append(spent)
            requests[sid] += spent
            last_start[sid] = t
            spent_log[dom].append((t, spent))
            end = t + spent * delay_of[sid]
            busy_until[dom] = end
            for b, n in zip(batches, found_after, strict=True):
                # batched run: the pipeline gets a batch once its first post waited flush_after_s (the timer
                # checks every flush_after_s / 4), else at the crawl's end; earlier runs deliver at the end
                deliver = min(end, t + n * delay_of[sid] + 1.25 * flush_s) if batched and flush_s > 0 else end
                for listing in b:
                    mail(listing.posts, deliver, send_s, rng)
            if sid == follow_sid and followed_from == math.inf:
                first = lists[0].posts
                if any(p.t == follow_t0 and p.mailed is not None for p in first):
                    followed_from = min(p.mailed for p in first if p.t == follow_t0 and p.mailed is not None)
        t += TICK_S
    return requests, held


def lag_stats(values: Sequence[float]) -> str:
    vals = sorted(v for v in values if v != math.inf)
    missed = len(values) - len(vals)
    if not vals:
        return f"n=0 missed={missed}"
    p90 = vals[max(0, math.ceil(0.9 * len(vals)) - 1)]
    return (f"n={len(vals):4d}  median {statistics.median(vals) / 60:6.1f} min  p90 {p90 / 60:6.1f} min  "
            f"max {vals[-1] / 60:6.1f} min" + (f"  missed {missed}" if missed else ""))


def lags(world: dict[str, list[Listing]], kinds: Sequence[str], *, follow: bool | None = None,
         until: float) -> list[float]:
    out = []
    for lists in world.values():
        for li in lists:
            if li.source.kind not in kinds:
                continue
            for p in li.posts:
                if not p.relevant or p.t > until - 6 * 3600:  # posts of the last 6 h may be uncrawled at the end
                    continue
                if follow is not None and p.follow != follow:
                    continue
                out.append(math.inf if p.mailed is None else p.mailed - p.t)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--sources", default=str(Path(__file__).resolve().parent.parent / "configs" / "sources.yaml"))
    ap.add_argument("--enabled-only", action="store_true", help="only the sources enabled in the file")
    ap.add_argument("--signal", choices=("relevant", "new"),
                    help="what the adaptive interval follows (default: crawl.freshness.signal)")
    ap.add_argument("--grow", type=float, help="override crawl.freshness.grow")
    ap.add_argument("--shrink", type=float, help="override crawl.freshness.shrink")
    ap.add_argument("--budget-share", type=float, help="override crawl.freshness.budget_share")
    ap.add_argument("--flush-after-s", type=float, help="override crawl.flush_after_s (batched run; 0: at the end)")
    ap.add_argument("--terms-per-request", type=int,
                    help="what-if: every search source takes this many terms a request (default: each source's "
                         "max_terms_per_request)")
    args = ap.parse_args(argv)

    settings = load_settings(environ={})
    args.signal = args.signal or settings.crawl.freshness.signal
    SIGNAL["value"] = args.signal
    policy = policy_from_settings(settings)
    over: dict[str, Any] = {"sensitive_periods": ()}  # an ordinary day (a sensitive period only tightens)
    if args.grow:
        over["grow"] = args.grow
    if args.shrink:
        over["shrink"] = args.shrink
    if args.budget_share is not None:
        over["budget_share"] = args.budget_share
    policy = Policy(**{**{f: getattr(policy, f) for f in policy.__slots__}, **over})
    sources = [s for s in load_sources(args.sources) if s.enabled or not args.enabled_only]
    send_s = settings.service.send_interval_s
    delay_of = {s.id: float(s.politeness.download_delay_s if s.politeness.download_delay_s is not None
                            else settings.crawl.download_delay_s) for s in sources}
    follow_src = next((s.id for s in sources if s.kind == "search" and s.queries), None)

    results: dict[str, dict[str, Any]] = {}
    runs = ("fixed", "adaptive", "batched")
    for name in runs:
        rng = random.Random(args.seed)
        world = build_world(sources, args.days, args.seed)
        follow = None
        if follow_src:
            t0, _ = add_follow_up(world, follow_src, random.Random(args.seed + 1))
            follow = (follow_src, t0)
        if name == "fixed":
            req = run_fixed(world, sources, args.days, send_s, rng, delay_of)
            held: dict[str, int] = {}
        else:
            req, held = run_adaptive(world, sources, args.days, send_s, rng, policy, delay_of, follow,
                                     batched=name == "batched", terms_per_request=args.terms_per_request,
                                     flush_s=settings.crawl.flush_after_s if args.flush_after_s is None
                                     else args.flush_after_s)
        results[name] = {"world": world, "requests": req, "held": held}

    until = args.days * 86400
    print(f"freshness bench: {len(sources)} source(s) from {args.sources}, {args.days} simulated day(s), "
          f"seed {args.seed}, signal {args.signal}, grow {policy.grow:g}, shrink {policy.shrink:g}, "
          f"sender every {send_s:g} s, tick {TICK_S:g} s, follow every "
          f"{policy.follow_interval_s:g} s, domain budget {policy.domain_requests_per_hour}/h; terms a request: "
          + ", ".join(f"{s.id} {args.terms_per_request or s.max_terms_per_request}" for s in sources
                      if s.kind == "search" and s.queries))
    print("lag from publication to the alert e-mail (relevant posts published before the last 6 h):")
    for kind in ("search", "forum", "news", "feed", "board"):
        for name in runs:
            vals = lags(results[name]["world"], [kind], follow=False, until=until)
            if vals:
                print(f"  {kind:7s} {name:9s} {lag_stats(vals)}")
    for src in sources:  # per search source: where the search median comes from
        if src.kind == "search" and src.queries:
            for name in runs:
                vals = lags({src.id: results[name]["world"][src.id]}, ["search"], follow=False, until=until)
                print(f"  {src.id[:14]:14s} {name:9s} {lag_stats(vals)}  ({len(src.queries)} terms)")
    for group, kinds in (("social+search", FAST_KINDS), ("news+boards", ("news", "feed", "board"))):
        for name in runs:
            vals = lags(results[name]["world"], kinds, follow=False, until=until)
            print(f"  {group:14s} {name:9s} {lag_stats(vals)}")
    if follow_src:
        for name in runs:
            incident = [p for p in results[name]["world"][follow_src][0].posts if p.follow or p.t == t0]
            first = incident[0]
            told = first.mailed if first.mailed is not None else math.inf
            after = [math.inf if p.mailed is None else p.mailed - p.t for p in incident if p.follow and p.t >= told]
            print(f"  level I incident on {follow_src}: first post e-mailed after {(told - first.t) / 60:.1f} min; "
                  f"the {len(after)} follow-ups published after that e-mail, {name:9s} {lag_stats(after)}")
    print("requests per day:")
    for name in runs:
        req = results[name]["requests"]
        per_kind: dict[str, int] = defaultdict(int)
        for s in sources:
            per_kind[s.kind] += req.get(s.id, 0)
        total = sum(req.values()) / args.days
        kinds_txt = ", ".join(f"{k} {n / args.days:.0f}" for k, n in sorted(per_kind.items()))
        print(f"  {name:9s} {total:8.0f}  ({kinds_txt})")
    for name in runs[1:]:
        held = results[name]["held"]
        if held:
            print(f"  {name} ticks held back by politeness: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(held.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

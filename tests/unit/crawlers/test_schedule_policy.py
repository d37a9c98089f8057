"""The freshness policy (crawlers/schedule.py): adaptive bounds, sensitive periods, follow the story, politeness."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from crawlers.schedule import (
    Bounds,
    DomainState,
    Policy,
    SensitivePeriod,
    SourceState,
    adaptive_interval,
    decide,
    effective_bounds,
    follow_queries,
    plan_queries,
    source_domain,
)
from crawlers.sources import parse_sources
from lwcore.domain import SHANGHAI
from lwcore.errors import ConfigError

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=SHANGHAI)
B = Bounds(base_s=3600, min_s=600, max_s=7200)


def _state(**kw):
    base = {"source_id": "s", "domain": "example.cn", "bounds": B}
    return SourceState(**{**base, **kw})


def test_yielding_runs_shrink_the_interval_to_the_lower_bound_and_quiet_ones_grow_it_to_the_upper():
    p = Policy(grow=1.5)
    assert adaptive_interval(B, [], p) == 3600
    assert adaptive_interval(B, [2], p) == 1800
    assert adaptive_interval(B, [1, 3, 1, 1, 1], p) == 600  # clamped at min
    assert adaptive_interval(B, [0], p) == 5400
    assert adaptive_interval(B, [0, 0, 0], p) == 7200  # clamped at max
    assert adaptive_interval(B, [0, 0, 0, 5], p) == 3600  # one yield after quiet runs halves it again
    fixed = Bounds(3600, 3600, 3600)
    assert adaptive_interval(fixed, [5, 0, 5], p) == 3600  # no bounds given: the schedule stays fixed


def test_only_the_last_history_runs_count():
    p = Policy(history_runs=2)
    assert adaptive_interval(B, [5, 5, 5, 0, 0], p) == adaptive_interval(B, [0, 0], p)


def test_sensitive_period_tightens_every_bound_but_never_below_60s():
    p = Policy(sensitive_periods=(SensitivePeriod("进博会", date(2026, 11, 5), date(2026, 11, 10), 0.25),))
    tight, period = effective_bounds(B, p, date(2026, 11, 5))
    assert period is not None and period.name == "进博会"
    assert (tight.base_s, tight.min_s, tight.max_s) == (900, 150, 1800)
    same, none = effective_bounds(B, p, date(2026, 11, 11))
    assert same == B and none is None
    small = Bounds(120, 60, 120)
    assert effective_bounds(small, p, date(2026, 11, 6))[0].min_s == 60
    d = decide(_state(last_started=datetime(2026, 11, 6, 9, 50, tzinfo=SHANGHAI)), DomainState(), p,
               datetime(2026, 11, 6, 10, 5, tzinfo=SHANGHAI))
    assert d.start and d.interval_s == 900 and d.reason == "sensitive:进博会"


def test_due_only_after_the_interval_since_the_last_start():
    p = Policy()
    d = decide(_state(last_started=NOW - timedelta(minutes=30)), DomainState(), p, NOW)
    assert not d.due and d.next_at == NOW + timedelta(minutes=30) and d.interval_s == 3600
    d = decide(_state(last_started=NOW - timedelta(minutes=61)), DomainState(), p, NOW)
    assert d.start and d.reason == "adaptive"
    assert decide(_state(), DomainState(), p, NOW).start  # never crawled: due at once


def test_follow_the_story_crawls_every_few_minutes_even_below_the_lower_bound():
    p = Policy(follow_interval_s=180)
    st = _state(last_started=NOW - timedelta(minutes=4), followed_by=("17",))
    d = decide(st, DomainState(), p, NOW)
    assert d.start and d.interval_s == 180 and d.reason == "follow"
    calm = decide(_state(last_started=NOW - timedelta(minutes=4)), DomainState(), p, NOW)
    assert not calm.due


def test_politeness_wins_over_follow_and_adaptive():
    p = Policy(follow_interval_s=180, domain_requests_per_hour=100, domain_budgets={"weibo.cn": 30})
    st = _state(followed_by=("1",), expected_requests=12)
    busy = decide(st, DomainState(running=1), p, NOW)
    assert busy.due and not busy.start and busy.held_by == "domain_busy"
    over = decide(st, DomainState(requests_last_hour=90), p, NOW)
    assert over.held_by == "budget" and not over.start
    assert decide(st, DomainState(requests_last_hour=88), p, NOW).start  # 88 + 12 = 100 fits exactly
    weibo = _state(domain="m.weibo.cn", expected_requests=5)
    assert p.budget_of("m.weibo.cn") == 30  # a parent domain's budget covers its subdomains
    assert decide(weibo, DomainState(requests_last_hour=26), p, NOW).held_by == "budget"


def test_source_domain_and_follow_queries():
    assert source_domain(["shqp.gov.cn"], ["https://www.shqp.gov.cn/x"]) == "shqp.gov.cn"
    assert source_domain([], [None, "https://www.thepaper.cn/searchResult?id={keyword}"]) == "thepaper.cn"
    assert follow_queries(["上海某某电子有限公司", None, "上海某某电子有限公司"], ["华新镇", "青浦", None]) == [
        "上海某某电子有限公司", "华新镇 上海某某电子有限公司"]
    assert len(follow_queries([f"公司{i}" for i in range(10)], ["青浦"] * 10, limit=4)) == 4


def _one(schedule):
    return parse_sources({"sources": [{"id": "aa", "name": "A", "kind": "news", "platform": "p",
                                       "start_urls": ["https://a.cn/"], "schedule": schedule}]}, "sources.yaml")[0]


def test_schedule_bounds_are_validated_with_file_and_key():
    s = _one({"interval": "1h", "min_interval": "10m", "max_interval": "3h"}).schedule
    assert s.bounds_s == (600, 10800)
    assert _one({"interval": "1h"}).schedule.bounds_s == (3600, 3600)
    with pytest.raises(ConfigError, match=r"sources\[0\]\.schedule.*min_interval <= interval <= max_interval"):
        _one({"interval": "1h", "min_interval": "2h"})
    with pytest.raises(ConfigError, match=r"sources\.yaml.*below the 60 s minimum"):
        _one({"interval": "1h", "min_interval": "30s"})
    with pytest.raises(ConfigError, match="cron schedule has none"):
        _one({"cron": "0 * * * *", "max_interval": "2h"})


def test_each_search_term_adapts_on_its_own_yield():
    from crawlers.schedule import plan_queries

    p = Policy(grow=1.5)
    hot = _state(source_id="s:青浦 欠薪", last_started=NOW - timedelta(minutes=20), yields=(1, 2))  # 15 min
    cold = _state(source_id="s:青浦 罢工", last_started=NOW - timedelta(minutes=20), yields=(0, 0))  # 2 h
    new = _state(source_id="s:青浦 跑路")  # never searched: due at once
    plan = plan_queries({"青浦 欠薪": hot, "青浦 罢工": cold, "青浦 跑路": new}, p, NOW)
    # due terms come best-scored first: the never-searched term before the one that keeps finding posts
    assert plan.due == ("青浦 跑路", "青浦 欠薪") and plan.interval_s == 900
    later = plan_queries({"青浦 罢工": cold}, p, NOW)
    assert later.due == () and later.next_at == NOW + timedelta(minutes=100)
    followed = plan_queries({"青浦 罢工": _state(last_started=NOW - timedelta(minutes=4), yields=(0, 3, 0),
                                                 followed_by=("9",))}, p, NOW)
    assert followed.due == ("青浦 罢工",) and followed.reason == "follow"


def test_term_score_prefers_terms_that_find_posts_and_explores_rarely_searched_ones():
    from crawlers.schedule import term_score

    assert term_score((), 10) == float("inf")  # never searched: first
    finds, quiet = term_score((1, 0, 2, 1), 40), term_score((0, 0, 0, 0), 40)
    assert finds > quiet
    # the same record over fewer runs earns a larger exploration bonus
    assert term_score((0, 0), 40) > quiet


def test_batch_terms_groups_due_terms_and_fills_the_last_request_with_the_best_spare_ones():
    from crawlers.schedule import batch_terms

    assert batch_terms(["a", "b", "c"], ["x", "y", "z"], 1) == (("a",), ("b",), ("c",))
    assert batch_terms(["a", "b", "c"], ["x", "y", "z"], 2) == (("a", "b"), ("c", "x"))
    assert batch_terms(["a"], ["a", "x", "y"], 3) == (("a", "x", "y"),)  # a due term is not repeated
    assert batch_terms([], ["x"], 3) == ()


def test_plan_queries_batches_terms_per_request_and_keeps_the_best_within_the_budget():
    p = Policy(grow=2.0)
    late = NOW - timedelta(hours=3)
    terms = {
        "cold": _state(last_started=late, yields=(0, 0, 0, 0)),
        "hot": _state(last_started=late, yields=(1, 0, 1, 1)),
        "warm": _state(last_started=late, yields=(0, 0, 1, 0)),
        "resting": _state(last_started=NOW - timedelta(minutes=1), yields=(1, 1, 1, 1)),
    }
    plan = plan_queries(terms, p, NOW)
    assert plan.due == ("hot", "warm", "cold") and plan.requests == 3
    two = plan_queries(terms, p, NOW, max_terms_per_request=2)
    # 3 due terms in 2 requests; the free slot takes the term not yet due (it costs nothing more)
    assert two.batches == (("hot", "warm"), ("cold", "resting")) and two.requests == 2
    assert two.due == ("hot", "warm", "cold") and two.terms == ("hot", "warm", "cold", "resting")
    # the domain budget allows one request: the best-scored terms go now, the rest stay due (not the whole crawl held)
    one = plan_queries(terms, p, NOW, max_requests=1)
    assert one.due == ("hot",) and one.requests == 1
    assert plan_queries(terms, p, NOW, max_requests=0).due == ()


def test_a_followed_term_is_searched_before_better_scored_ones():
    p = Policy()
    late = NOW - timedelta(hours=3)
    terms = {"hot": _state(last_started=late, yields=(1, 1, 1, 1)),
             "story": _state(last_started=late, yields=(0, 0, 0, 1), followed_by=("a1",))}
    assert plan_queries(terms, p, NOW, max_requests=1).due == ("story",)


def test_search_spider_combines_terms_per_request_and_credits_each_result_to_its_term():
    from crawlers.spiders.search import group_terms, term_of

    assert group_terms(["青浦 欠薪", "青浦 讨薪", "徐泾 裁员"], 2, " OR ") == [
        ("青浦 欠薪 OR 青浦 讨薪", ["青浦 欠薪", "青浦 讨薪"]), ("徐泾 裁员", ["徐泾 裁员"])]
    assert group_terms(["a", "b"], 1, " OR ") == [("a", ["a"]), ("b", ["b"])]
    assert term_of("青浦某厂工人讨薪", ["青浦 欠薪", "青浦 讨薪"]) == "青浦 讨薪"
    assert term_of("无关内容", ["青浦 欠薪", "青浦 讨薪"]) == "青浦 欠薪"


def test_max_terms_per_request_needs_a_search_endpoint_that_takes_a_term():
    base = {"id": "bb", "name": "b", "kind": "board", "platform": "x",
            "endpoint": "https://x.cn/list?page={page}", "max_terms_per_request": 3}
    with pytest.raises(ConfigError, match="max_terms_per_request"):
        parse_sources({"sources": [base]}, "sources.yaml")
    ok = {**base, "kind": "search", "endpoint": "https://x.cn/s?q={query}&page={page}", "keywords": ["欠薪"]}
    assert parse_sources({"sources": [ok]}, "sources.yaml")[0].max_terms_per_request == 3

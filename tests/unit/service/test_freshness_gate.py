"""The freshness gate with a real SQLite database: decisions from crawl history, hot alerts and domain budgets,
and the crawl job skipping a tick when the source is not due."""

from __future__ import annotations

import json
from datetime import timedelta

import yaml

from crawlers.follow import read_follow_queries
from laborwatch.models import CrawlRun
from laborwatch.service import jobs
from laborwatch.service.crawl import CrawlRunner
from laborwatch.service.freshness import FreshnessGate, domain_budgets
from lwcore.db import utcnow


def _write_sources(settings) -> None:
    srcs = [
        {"id": "gov-news", "name": "政府新闻", "kind": "news", "platform": "gov", "start_urls": ["https://www.gov.example.cn/a/"],
         "schedule": {"interval": "1h", "min_interval": "10m", "max_interval": "4h"}},
        {"id": "gov-board", "name": "政府留言", "kind": "news", "platform": "gov", "start_urls": ["https://gov.example.cn/b/"],
         "schedule": {"interval": "1h"}},
        {"id": "weibo-s", "name": "微博", "kind": "search", "platform": "weibo",
         "endpoint": "https://m.weibo.example.cn/api?q={query}&page={page}", "keywords": ["欠薪"], "places": ["青浦"],
         "schedule": {"interval": "2h", "min_interval": "10m"}},
        {"id": "cron-src", "name": "定时", "kind": "news", "platform": "x", "start_urls": ["https://x.example.cn/"],
         "schedule": {"cron": "0 * * * *"}},
    ]
    path = settings.config_file("sources.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"sources": srcs}, allow_unicode=True), encoding="utf-8")


def _run(db, sid, minutes_ago, *, relevant=0, pages=3, status="finished"):
    started = utcnow() - timedelta(minutes=minutes_ago)
    with db.session() as s:
        s.add(CrawlRun(source_id=sid, trigger="schedule", status=status, started_at=started, ended_at=started,
                       pages=pages, items=relevant, new_items=relevant, errors=0, alerted=False,
                       stats_json=json.dumps({"per_source": {sid: {"relevant": relevant}}})))


def _gate(settings, db, **over):
    """The gate adapting on relevant posts with grow 1.5 (the figures below are worked out for these), no budget
    share (per-term bounds as configured)."""
    from crawlers.sources import load_sources

    f = settings.crawl.freshness.model_copy(update={"grow": 1.5, "signal": "relevant", "budget_share": 0.0,
                                                    **over})
    settings = settings.model_copy(update={"crawl": settings.crawl.model_copy(update={"freshness": f})})

    return FreshnessGate(settings, db, lambda: load_sources(settings.config_file("sources.yaml")))


def test_interval_adapts_to_relevant_yield(svc_settings, db):
    _write_sources(svc_settings)
    gate = _gate(svc_settings, db)
    assert gate.check("gov-news").start  # never crawled: due at once
    assert gate.check("cron-src") is None  # cron sources are not managed
    for m, n in ((100, 2), (80, 1), (30, 0)):  # yields 2, 1 -> 15 min; then 0 -> 22.5 min
        _run(db, "gov-news", m, relevant=n)
    d = gate.check("gov-news")
    assert d.interval_s == 1350 and d.start  # 30 min since the last start > 22.5 min
    _run(db, "gov-news", 5, relevant=4)  # a yielding run 5 minutes ago: 11.25 min, not due yet
    d = gate.check("gov-news")
    assert not d.due and d.interval_s == 675 and d.reason == "adaptive"
    fixed = gate.check("gov-board")  # no bounds: a fixed 1 h interval, due at once without history
    assert fixed.start and fixed.interval_s == 3600


def test_domain_budget_and_busy_domain_hold_a_due_crawl(svc_settings, db):
    _write_sources(svc_settings)
    gate = _gate(svc_settings, db)
    _run(db, "gov-board", 61 * 2, pages=3)
    _run(db, "gov-news", 50, pages=239)  # same domain gov.example.cn: 239 of 240 requests used this hour
    d = gate.check("gov-board")
    assert d.due and d.held_by == "budget" and not d.start
    budgets = {b["domain"]: b for b in domain_budgets(svc_settings, db)}
    assert budgets["gov.example.cn"]["used"] == 239 and budgets["gov.example.cn"]["budget"] == 240
    _run(db, "gov-news", 1, pages=0, status="running")
    assert gate.check("gov-board").held_by == "domain_busy"


def test_open_level_one_alert_is_followed_with_its_employer_as_search_terms(svc_settings, db):
    from tests.unit.web.webui_support import seed_alert

    _write_sources(svc_settings)
    gate = _gate(svc_settings, db)
    _run(db, "weibo-s", 5, relevant=0)
    assert not gate.check("weibo-s").due  # 2 h interval, crawled 5 minutes ago
    aid = seed_alert(db, level="I", title="某电子厂百余名工人聚集讨薪", town="华新镇")
    from sqlalchemy import update

    from alerting.models import AlertPost

    with db.session() as s:
        s.execute(update(AlertPost).where(AlertPost.alert_id == aid).values(source_id="weibo-s"))
    d = gate.check("weibo-s")
    assert d.start and d.reason == "follow" and d.interval_s == 180
    assert read_follow_queries(svc_settings.state_path, "weibo-s") == ["上海青浦某物流有限公司",
                                                                      "华新镇 上海青浦某物流有限公司"]
    # the incident calms (no post for longer than calm_after_s): back to its own interval, terms cleared
    from alerting.models import Alert

    with db.session() as s:
        s.execute(update(Alert).where(Alert.id == aid).values(last_seen=utcnow() - timedelta(hours=3)))
    assert not gate.check("weibo-s").due  # its last crawl (moments ago) is within its own interval
    with db.session() as s:
        s.execute(update(CrawlRun).where(CrawlRun.source_id == "weibo-s")
                  .values(started_at=utcnow() - timedelta(hours=3)))
    d = gate.check("weibo-s")
    assert d.start and d.reason == "adaptive"
    assert read_follow_queries(svc_settings.state_path, "weibo-s") == []


def test_crawl_job_skips_a_tick_when_not_due(svc_settings, db):
    _write_sources(svc_settings)
    rt = jobs.Runtime(svc_settings, db, CrawlRunner(svc_settings, db, holder="t", notify=lambda *a: None))
    jobs.set_runtime(rt)
    try:
        _run(db, "gov-board", 10)
        assert jobs.crawl_source("gov-board") is None  # 1 h interval, crawled 10 min ago
        with db.sessions() as s:
            assert s.query(CrawlRun).filter(CrawlRun.source_id == "gov-board").count() == 1
    finally:
        jobs.set_runtime(None)


def test_search_terms_are_planned_on_their_own_yield(svc_settings, db):
    from crawlers.follow import read_query_plan

    _write_sources(svc_settings)
    path = svc_settings.config_file("sources.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"][2]["keywords"] = ["欠薪", "罢工"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gate = _gate(svc_settings, db)
    for minutes, found in ((100, {"青浦 欠薪": 2, "青浦 罢工": 0}), (40, {"青浦 欠薪": 1, "青浦 罢工": 0})):
        started = utcnow() - timedelta(minutes=minutes)
        with db.session() as s:
            s.add(CrawlRun(source_id="weibo-s", trigger="schedule", status="finished", started_at=started,
                           ended_at=started, pages=4, items=3, new_items=3, errors=0, alerted=False,
                           stats_json=json.dumps({"per_source": {"weibo-s": {"relevant": 3, "queries": found}}})))
    d = gate.check("weibo-s")
    # 欠薪 yielded twice: 2 h -> 1 h -> 30 min, due 40 min after its last search; 罢工 stays at 2 h (its max)
    assert d.start and d.interval_s == 1800
    assert read_query_plan(svc_settings.state_path, "weibo-s") == ["青浦 欠薪"]


def test_budget_share_searches_every_term_as_often_as_the_domain_budget_pays_for(svc_settings, db):
    """Two terms, one request each, 240 requests/h x 0.25 = 60/h: a full round every 2 min pays, so the quiet
    term's bound comes down to the source's lower bound and both terms are searched."""
    from crawlers.follow import read_query_plan

    _write_sources(svc_settings)
    path = svc_settings.config_file("sources.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"][2]["keywords"] = ["欠薪", "罢工"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gate = _gate(svc_settings, db, budget_share=0.25)
    for minutes, found in ((100, {"青浦 欠薪": 2, "青浦 罢工": 0}), (40, {"青浦 欠薪": 1, "青浦 罢工": 0})):
        started = utcnow() - timedelta(minutes=minutes)
        with db.session() as s:
            s.add(CrawlRun(source_id="weibo-s", trigger="schedule", status="finished", started_at=started,
                           ended_at=started, pages=4, items=3, new_items=3, errors=0, alerted=False,
                           stats_json=json.dumps({"per_source": {"weibo-s": {"relevant": 3, "queries": found}}})))
    d = gate.check("weibo-s")
    lo, _hi = gate._configs()["weibo-s"].schedule.bounds_s
    assert d.start and d.interval_s == lo
    # every term planned: no plan file entry (the crawl searches all terms); without the share only 欠薪 was
    assert read_query_plan(svc_settings.state_path, "weibo-s") is None


def test_terms_share_a_request_up_to_max_terms_per_request(svc_settings, db):
    """Three terms, two a request: the one due term goes with the best not-yet-due term (no extra request)."""
    from crawlers.follow import read_query_plan

    _write_sources(svc_settings)
    path = svc_settings.config_file("sources.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"][2].update(keywords=["欠薪", "罢工", "跑路"], max_terms_per_request=2)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gate = _gate(svc_settings, db)
    found_runs = ((100, {"青浦 欠薪": 2, "青浦 罢工": 0, "青浦 跑路": 0}),
                  (40, {"青浦 欠薪": 1, "青浦 罢工": 0, "青浦 跑路": 1}))
    for minutes, found in found_runs:
        started = utcnow() - timedelta(minutes=minutes)
        with db.session() as s:
            s.add(CrawlRun(source_id="weibo-s", trigger="schedule", status="finished", started_at=started,
                           ended_at=started, pages=3, items=3, new_items=3, errors=0, alerted=False,
                           stats_json=json.dumps({"per_source": {"weibo-s": {"relevant": 3, "queries": found}}})))
    d = gate.check("weibo-s")
    assert d.start and d.interval_s == 1800  # 欠薪: 2 h -> 1 h -> 30 min, due; 跑路 (2 h -> 1 h, searched 40 min ago) is not
    # 跑路 found a post once in two runs, 罢工 never: 跑路 scores higher and rides along in the free slot
    assert read_query_plan(svc_settings.state_path, "weibo-s") == ["青浦 欠薪", "青浦 跑路"]

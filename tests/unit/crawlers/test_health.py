"""crawlers.health: a source's run against its own history."""

from __future__ import annotations

import json

from crawlers.health import HealthRules, assess, stats_of_run
from crawlers.stats import CrawlStats

YIELDED = {"items": 5, "new_items": 5, "skipped_seen": 0, "missing": {}}
RESEEN = {"items": 0, "new_items": 0, "skipped_seen": 5, "missing": {}}


def test_quiet_source_after_runs_that_yielded() -> None:
    now = CrawlStats(pages=1)
    assert assess(now, [YIELDED, RESEEN, YIELDED]) == {"quiet_source": 3}
    assert assess(now, [YIELDED, YIELDED]) == {}  # too little history to judge
    assert assess(now, [YIELDED, {"items": 0, "skipped_seen": 0}, YIELDED]) == {}  # it was quiet before
    assert assess(CrawlStats(pages=1, skipped_seen=5), [YIELDED] * 3) == {}  # nothing new is not quiet
    assert CrawlStats(pages=1, problems={"quiet_source": 3}).failure() == "collected nothing: 3 quiet_source"


def test_field_that_goes_missing() -> None:
    now = CrawlStats(pages=6, items=6, new_items=6, missing={"published_at": 5, "author": 1})
    assert assess(now, [YIELDED] * 3) == {"field_missing:published_at": 5}
    always = {**YIELDED, "missing": {"published_at": 5}}
    assert assess(now, [always] * 3) == {}  # the source never had dates: not a change
    assert assess(now, [YIELDED] * 3, HealthRules(missing_ratio=0.9)) == {}


def test_stats_of_run_reads_single_and_multi_source_json() -> None:
    one = json.dumps({"items": 3, "per_source": {"a": {"items": 2}, "b": {"items": 1}}})
    assert stats_of_run(one, "a") == {"items": 2}
    assert stats_of_run(json.dumps({"items": 3}), "a") == {"items": 3}
    assert stats_of_run(None, "a") is None and stats_of_run("not json", "a") is None


def test_unchanged_pages_and_planned_terms_are_not_quiet() -> None:
    """Issue 21: a run answered 304 learnt the source is unchanged; a run of a few planned (cold) search terms
    may find nothing at all. Neither is a source gone quiet."""
    assert assess(CrawlStats(pages=1, not_modified=1), [YIELDED] * 3) == {}
    assert assess(CrawlStats(pages=2, partial_terms=True, queries={"青浦 罢工": 0}), [YIELDED] * 3) == {}
    assert assess(CrawlStats(pages=1), [{"not_modified": 1}] * 3) == {"quiet_source": 3}  # 304s earlier count

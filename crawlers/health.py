"""Source health: one source's crawl compared with its own history (issue 15).

A run's own problems (a selector that matches nothing, an API error body, a repeated page) are found by the
spiders. What only history shows is found here, from the stats of the source's earlier runs (``crawl_runs``):

- ``quiet_source``: the source yielded in each of its last runs (items, or links skipped as already collected)
  and now yields nothing at all (the list is empty, the search finds nothing, the feed is gone);
- ``field_missing:<field>``: more than half of this run's posts lack a field (published_at, author, content)
  that at most a fifth of the posts of earlier runs lacked (a date or author selector broke).

A quiet source collected nothing, so its run fails (``CrawlStats.failure``): the service counts the failed run
and, after ``service.source_failure_alert_after`` of them, e-mails the administrators (采集源异常).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crawlers.stats import CrawlStats

__all__ = ["HealthRules", "PROBLEM_LABELS", "assess", "problem_label", "stats_of_run"]

#: problem codes of the crawl stats -> what bureau staff read (web page, administrators' notice)
PROBLEM_LABELS = {
    "api_error": "接口返回错误",
    "page_repeated": "翻页后内容重复（网站忽略了翻页参数）",
    "quiet_source": "以往有产出，本次一无所获",
    "selector_no_match": "选择器未匹配（网站可能改版）",
    "field_missing": "字段大量缺失",
}


def problem_label(code: str) -> str:
    """``selector_no_match:item_links`` -> ``选择器未匹配（网站可能改版）：item_links``."""
    name, _, detail = code.partition(":")
    text = PROBLEM_LABELS.get(name, name)
    return f"{text}：{detail}" if detail else text


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthRules:
    history_runs: int = 5  # earlier runs read
    min_history: int = 3  # runs needed before "quiet" can be said
    missing_ratio: float = 0.5  # share of this run's posts without a field that is a problem ...
    missing_was_below: float = 0.2  # ... when earlier runs lacked it at most this often
    min_posts: int = 4  # posts needed in this run (and in the history) to judge a field


def stats_of_run(stats_json: str | None, source_id: str) -> dict[str, Any] | None:
    """One source's stats from a recorded run's ``stats_json`` (the crawl's JSON line, possibly multi-source)."""
    if not stats_json:
        return None
    try:
        data = json.loads(stats_json)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    per = data.get("per_source")
    if isinstance(per, dict) and isinstance(per.get(source_id), dict):
        return per[source_id]  # type: ignore[no-any-return]
    return data


def _int(d: dict[str, Any], key: str) -> int:
    try:
        return int(d.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def assess(current: CrawlStats, history: Sequence[dict[str, Any]], rules: HealthRules | None = None) -> dict[str, int]:
    """Problems of ``current`` (one source's run) against ``history`` (its earlier runs' stats, newest first)."""
    rules = rules or HealthRules()
    recent = [h for h in history[: rules.history_runs] if isinstance(h, dict)]
    problems: dict[str, int] = {}
    # yield = items produced + items skipped as already collected + pages unchanged since the last run (304):
    # a re-crawl of an unchanged list yields too
    if (len(recent) >= rules.min_history
            and all(_int(h, "items") + _int(h, "skipped_seen") + _int(h, "not_modified") > 0 for h in recent)
            and current.collected_nothing and not current.partial_terms):  # a few cold terms may find nothing
        problems["quiet_source"] = len(recent)
    if current.new_items >= rules.min_posts:
        past_posts = sum(_int(h, "new_items") for h in recent)
        for field, n in current.missing.items():
            if n / current.new_items <= rules.missing_ratio:
                continue
            past_missing = sum(_int(h.get("missing") or {}, field) for h in recent)
            if past_posts >= rules.min_posts and past_missing / past_posts <= rules.missing_was_below:
                problems[f"field_missing:{field}"] = n
    return problems

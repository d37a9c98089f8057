"""End to end on real services: sample site -> Scrapy crawl -> NLP -> Elasticsearch -> alert e-mail -> search.

Uses the real local Elasticsearch node (isolated index prefix) and a real SMTP server on loopback that the demo
starts itself; nothing is mocked.
"""

from __future__ import annotations

import pytest

from laborwatch.demo import run_demo

pytestmark = pytest.mark.integration


def test_demo_finds_labour_disputes_indexes_alerts_and_searches(settings_es_isolated) -> None:
    result = run_demo(settings_es_isolated)

    assert result.crawled >= 20
    assert result.indexed == result.crawled
    titles = " ".join(str(r["title"]) for r in result.relevant)
    # the sample site's clear disputes are found...
    assert "聚集讨薪" in titles
    assert "社保" in titles
    # ...and its ordinary news is not
    assert "音乐节" not in titles and "茭白" not in titles and "养护施工" not in titles
    group = [r for r in result.relevant if r["title"] == "赵巷镇一建筑工地数十名农民工聚集讨薪"]
    assert group[0]["severity"] in ("I", "II") and "group_action" in group[0]["event_types"]

    assert result.alerts >= 1
    assert result.emails, "no alert e-mail was accepted by the loopback SMTP server"
    assert any(s.startswith("【") and "预警" in s for s in result.emails)

    assert result.search_total >= 1
    assert any("<em>欠薪</em>" in " ".join(f for v in h["highlights"].values() for f in v) for h in result.search_hits)

"""The engine's hook for firm standing: rules that fire for a post about a listed firm rise, and the reason says so."""

from __future__ import annotations

import dataclasses

from alerting import AlertEngine
from alerting.testing import make_item
from lwcore.domain import AnalyzedPost

NOTE = "涉事企业上海某某物流有限公司已列入拖欠农民工工资失信联合惩戒名单（X号），预警等级上调1级"


def _listed(item: AnalyzedPost, steps: int) -> AnalyzedPost:
    explanation = {"standing": {"steps": steps, "note": NOTE}}
    return AnalyzedPost(item.post, dataclasses.replace(item.analysis, explanation=explanation))


def test_listed_firm_raises_the_alert_and_the_reason_explains(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    listed = eng.process([_listed(make_item(event_id="listed"), 1)])[0]
    assert listed.level == "II"  # relevant_by_severity takes the NLP level III, raised one step
    assert any(r.endswith(NOTE) for r in listed.reasons)
    assert notifier.sent  # level II goes to more people than III (graded response): each mail says why
    for mail in notifier.sent:
        assert mail.subject.startswith("【二级预警】")
        assert NOTE in mail.payload["text"] and NOTE in mail.payload["html"]


def test_a_listed_post_raises_an_alert_already_sent(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    plain = eng.process([make_item(event_id="e1")])[0]
    assert plain.level == "III" and not any(NOTE in r for r in plain.reasons)
    clock.advance(minutes=5)
    again = eng.process([_listed(make_item(event_id="e1"), 1)])[0]
    assert again.id == plain.id and again.level == "II"
    assert notifier.sent[-1].subject.startswith("【升级为二级预警】") and NOTE in notifier.sent[-1].payload["text"]


def test_raise_stops_at_level_one(settings, db, clock, notifier):
    eng = AlertEngine.from_settings(settings, db, clock=clock, notifier_factory=notifier.factory)
    alert = eng.process([_listed(make_item(event_id="top", severity="II"), 3)])[0]
    assert alert.level == "I"

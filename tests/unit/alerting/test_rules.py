"""Rule file validation (file, rule, reason) and each rule type's behaviour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerting.rules import RULE_TYPES, ClusterView, RuleContext, load_rules, parse_rules
from alerting.rules.base import SensitivePeriod
from alerting.testing import T0, company, make_item
from lwcore.domain import Severity
from lwcore.errors import ConfigError


def test_repository_rule_file_is_valid(settings):
    rs = load_rules(settings)
    assert {r.type_name for r in rs.rules} == {"match", "watchlist", "spike", "escalation"}
    assert set(RULE_TYPES) >= {"match", "watchlist", "spike", "escalation"}
    assert rs.period_at(T0.replace(month=11, day=5)) is not None
    assert rs.period_at(T0) is None


@pytest.mark.parametrize(
    ("doc", "key", "reason"),
    [
        ({"rules": [{"name": "a", "type": "nosuch"}]}, "rules[0] (a).type", "unknown rule type 'nosuch'"),
        ({"rules": [{"name": "a", "type": "match", "min_scor": 0.5}]}, "rules[0] (a).min_scor", "unknown key"),
        ({"rules": [{"name": "a", "type": "match", "min_score": 2}]}, "rules[0] (a).min_score", "less than or equal"),
        (
            {"rules": [{"name": "a", "type": "match", "event_types": ["wages"]}]},
            "rules[0] (a).event_types",
            "unknown event type",
        ),
        ({"rules": [{"name": "a", "type": "spike", "key": "city"}]}, "rules[0] (a).key", "Input should be"),
        ({"rules": [{"name": "a", "type": "match"}, {"name": "a", "type": "match"}]}, "rules[1] (a).name", "duplicate"),
        ({"rules": [{"type": "match"}]}, "rules[0].name", "Field required"),
        ({"rule": []}, "rule", "unknown key"),
        (
            {"rules": [], "sensitive_periods": [{"name": "x", "start": "2025-11-01"}]},
            "sensitive_periods[0].end",
            "required",
        ),
        (
            {"rules": [], "sensitive_periods": [{"name": "x", "start": "2025-11-05", "end": "2025-11-01"}]},
            "sensitive_periods[0]",
            "end must be after start",
        ),
    ],
)
def test_bad_rule_files_name_file_rule_and_reason(doc, key, reason):
    with pytest.raises(ConfigError) as ei:
        parse_rules(doc, file="alert_rules.yaml")
    assert ei.value.file == "alert_rules.yaml"
    assert ei.value.key == key
    assert reason in ei.value.reason


def test_malformed_yaml_reports_line(tmp_path, settings):
    bad = tmp_path / "alert_rules.yaml"
    bad.write_text("rules:\n  - name: a\n    type: [match\n", encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_rules(settings, bad)
    assert "line" in ei.value.key and "invalid YAML" in ei.value.reason


class _Counter:
    def __init__(self, n: int, base: int = 0) -> None:
        self.n, self.base = n, base
        self.calls: list[tuple[str, str]] = []

    def count(self, key_kind, key, since, until):
        self.calls.append((key_kind, key))
        return self.n if until - since <= timedelta(hours=3) else self.base


def _view(**kw) -> ClusterView:
    base = dict(
        key="k",
        notified_level=None,
        notified_post_count=0,
        post_count=1,
        workers=None,
        prev_workers=None,
        event_types=frozenset(),
        prev_event_types=frozenset(),
        max_severity=None,
        prev_max_severity=None,
    )
    base.update(kw)
    return ClusterView(**base)


def _ctx(item, *, view=None, counter=None, period=None) -> RuleContext:
    return RuleContext(item=item, cluster=view or _view(), at=T0, period=period, counter=counter or _Counter(0))


def _rule(**opts):
    return parse_rules({"rules": [opts]}).rules[0]


def test_match_conditions():
    r = _rule(name="m", type="match", event_types=["wage_arrears"], min_workers=30, level="II", towns=["华新镇"])
    assert r.evaluate(_ctx(make_item(workers=10))) is None
    hit = r.evaluate(_ctx(make_item(workers=40)))
    assert hit is not None and hit.level is Severity.II and "涉及40人" in hit.reason
    assert r.evaluate(_ctx(make_item(workers=40, event_types=("dismissal_layoff",)))) is None
    assert r.evaluate(_ctx(make_item(workers=40, towns=(), companies=(company(town="赵巷镇"),)))) is None
    assert r.evaluate(_ctx(make_item(workers=40, relevant=False))) is None


def test_match_from_analysis_uses_severity_then_default():
    r = _rule(name="m", type="match", default_level="IV")
    assert r.evaluate(_ctx(make_item(severity="II"))).level is Severity.II
    assert r.evaluate(_ctx(make_item(severity=None))).level is Severity.IV


def test_sensitive_period_lowers_min_score():
    r = _rule(name="m", type="match", min_score=0.7)
    p = SensitivePeriod("expo", T0, T0 + timedelta(days=1), score_delta=0.1)
    assert r.evaluate(_ctx(make_item(score=0.65))) is None
    assert r.evaluate(_ctx(make_item(score=0.65), period=p)) is not None


def test_watchlist_uses_registry_flag_and_extra_ids():
    r = _rule(name="w", type="watchlist", level="II", companies=["TEST-X"])
    assert r.evaluate(_ctx(make_item())) is None
    assert r.evaluate(_ctx(make_item(companies=(company(key_supervision=True),)))).level is Severity.II
    assert r.evaluate(_ctx(make_item(companies=(company("某厂", "TEST-X"),)))) is not None
    weak = company(key_supervision=True, confidence=0.5)
    assert r.evaluate(_ctx(make_item(companies=(weak,)))) is None


def test_spike_against_baseline_and_period_factor():
    r = _rule(name="s", type="spike", key="company", window_min=60, min_count=4, baseline_days=7, factor=3, level="II")
    assert r.evaluate(_ctx(make_item(), counter=_Counter(3))) is None
    hit = r.evaluate(_ctx(make_item(), counter=_Counter(4)))
    assert hit is not None and "60分钟内相关信息4条" in hit.reason
    # a company that is always talked about: 168 posts a week = 1/hour baseline; 4 >= 3 x 1 still fires,
    # 1680/week = 10/hour: 4 is no spike
    assert r.evaluate(_ctx(make_item(), counter=_Counter(4, base=1680))) is None
    p = SensitivePeriod("expo", T0, T0 + timedelta(days=1), count_factor=0.5)
    assert r.evaluate(_ctx(make_item(), counter=_Counter(2), period=p)) is not None


def test_escalation_only_for_notified_clusters_and_raises_one_step():
    r = _rule(name="e", type="escalation", more_posts=5, workers_at_least=50)
    item = make_item()
    assert r.evaluate(_ctx(item, view=_view(post_count=20))) is None  # never alerted
    v = _view(notified_level=Severity.III, notified_post_count=2, post_count=7)
    hit = r.evaluate(_ctx(item, view=v))
    assert hit is not None and hit.level is Severity.II and "新增相关信息5条" in hit.reason
    v = _view(notified_level=Severity.III, notified_post_count=2, post_count=3, event_types=frozenset({"group_action"}))
    assert "群体性" in r.evaluate(_ctx(item, view=v)).reason
    v = _view(notified_level=Severity.II, notified_post_count=2, post_count=3, workers=60, prev_workers=20)
    assert r.evaluate(_ctx(item, view=v)).level is Severity.I
    v = _view(notified_level=Severity.II, notified_post_count=2, post_count=3, workers=60, prev_workers=60)
    assert r.evaluate(_ctx(item, view=v)) is None


def test_reasons_name_the_rule_by_its_description():
    r = _rule(name="big_arrears", type="match", description="欠薪涉及30人以上", event_types=["wage_arrears"],
              min_workers=30, level="II")
    hit = r.evaluate(_ctx(make_item(workers=40)))
    assert hit is not None and hit.rule == "big_arrears" and "规则「欠薪涉及30人以上」" in hit.reason
    plain = _rule(name="m", type="match", level="II")
    assert plain.display_name == "m"  # no description: the name is all there is

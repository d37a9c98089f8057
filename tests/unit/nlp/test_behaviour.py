"""The behavioural suite (nlp/behaviour_suite.yaml) as tests: the issue's targets on the committed bundle, and
the frame layer's own guarantees (invariance, direction) whatever members run."""

from __future__ import annotations

import pytest

from nlp.behaviour import REWRITES, load_suite, run_suite


@pytest.fixture(scope="module")
def summary(analyzer):  # noqa: ANN001, ANN201
    from nlp.analyzer import TextInput

    suite = load_suite()
    outcomes, summ = run_suite(
        suite, lambda texts: analyzer.analyze_inputs([TextInput(str(i), t) for i, t in enumerate(texts)]))
    return outcomes, summ


def _failures(outcomes, capability: str) -> list[str]:  # noqa: ANN001
    return [f"{o.case.group}: {o.case.text} ({o.score:.2f}, {o.types})" for o in outcomes
            if o.case.capability == capability and not o.passed]


def test_suite_covers_every_capability_and_type() -> None:
    suite = load_suite()
    caps = {c.capability for c in suite.cases}
    assert caps == {"mft", "contrast", "robustness", "invariance", "direction", "types"}
    from lwcore.domain import EVENT_TYPES

    assert {c.group for c in suite.cases if c.capability == "mft"} == set(EVENT_TYPES)
    assert {c.group for c in suite.cases if c.capability == "contrast"} >= {
        "advert", "policy", "statistics", "consumer", "housing", "fear", "government"}
    assert {c.group.split(":")[0] for c in suite.cases if c.capability == "robustness"} == set(REWRITES)


def test_rewrites_keep_the_text_readable() -> None:
    t = "厂里拖欠我们工资，老板跑了！"
    assert REWRITES["traditional"](t) != t and "廠" in REWRITES["traditional"](t)
    assert "，" not in REWRITES["no_punct"](t) and "拖欠我们工资" in REWRITES["no_punct"](t)
    assert REWRITES["repost"](t).endswith(t) and "//@" in REWRITES["repost"](t)


def test_explicit_positives_are_caught(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["mft"]["rate"] >= 0.97, _failures(outcomes, "mft")


def test_look_alikes_are_cleared(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["contrast"]["rate"] >= 0.95, _failures(outcomes, "contrast")


def test_rewrites_keep_the_decision(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["robustness"]["rate"] >= 0.95, _failures(outcomes, "robustness")[:20]


def test_no_decision_flips_on_firm_town_or_number_swaps(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["invariance"]["flips"] == 0, _failures(outcomes, "invariance")


def test_resolution_and_negation_lower_the_score(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["direction"]["rate"] == 1.0, _failures(outcomes, "direction")


def test_event_types_only_with_evidence(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["types"]["rate"] == 1.0, _failures(outcomes, "types")

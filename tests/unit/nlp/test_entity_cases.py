"""The invented local-site cases of ``entity_cases.yaml`` (issue 14, deliverable 4): employers, workers and amount
of each case as the shipped extractor returns them on the normalised text (as in ``Analyzer``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

CASES_FILE = Path(__file__).with_name("entity_cases.yaml")
_CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def ex(nlp_settings):  # noqa: ANN001, ANN201
    from nlp.entities import EntityExtractor

    return EntityExtractor.from_settings(nlp_settings)


def test_the_case_file_covers_every_failure_kind_of_the_issue() -> None:
    kinds = {c["kind"] for c in _CASES}
    assert {"place", "place_bare_head", "description", "description_vs_full", "cut_name", "town_glued", "registry",
            "alias", "branch", "dispatch", "individual_business", "quotes", "brackets", "english"} <= kinds
    assert all(isinstance(c["employers"], list) for c in _CASES)


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["known_failure"])) if c.get("known_failure") else c
    for c in _CASES
], ids=[f"{i:02d}-{c['kind']}" for i, c in enumerate(_CASES)])
def test_case(ex, case: dict[str, Any]) -> None:  # noqa: ANN001
    from nlp.normalize import normalize

    got = ex.extract(normalize(case["text"]))
    assert list(got.employers) == case["employers"]
    if "workers" in case:
        assert got.workers == case["workers"]
    if "amount" in case:
        assert got.amount_yuan == (None if case["amount"] is None else pytest.approx(case["amount"]))

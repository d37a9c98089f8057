"""The list-standing rule: which analyses it raises, by how many steps, and what it says (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerting.testing import company, make_item
from companies.config import SeverityRaise, load_supervision_config
from companies.standing import FirmStanding, StandingAnalyzer, StandingSnapshot, StandingSource, apply_standing
from lwcore.domain import Analysis, Severity
from lwcore.errors import ConfigError
from lwcore.standing import standing_of

ZTO = "TEST91310118000002"
YTO = "TEST91310118000001"
SNAP = StandingSnapshot({
    ZTO: FirmStanding(ZTO, "中通快递股份有限公司", blacklist_decisions=("青人社失信〔2026〕1号",)),
    YTO: FirmStanding(YTO, "圆通速递有限公司", supervision_level="II"),
    "BOTH": FirmStanding("BOTH", "某建筑公司", blacklist_decisions=("A号", "B号"), supervision_level="I"),
})
RULE = SeverityRaise()


def _analysis(*codes: str | None, relevant: bool = True) -> Analysis:
    links = tuple(company(f"企业{i}", code) for i, code in enumerate(codes))
    return make_item(companies=links, relevant=relevant).analysis


def test_blacklisted_firm_raises_one_step_and_says_why() -> None:
    out = apply_standing(_analysis(ZTO), SNAP, RULE)
    steps, note = standing_of(out)
    assert steps == 1
    assert note == "涉事企业中通快递股份有限公司已列入拖欠农民工工资失信联合惩戒名单（青人社失信〔2026〕1号），预警等级上调1级"
    assert out.severity == Severity.III  # the NLP severity is kept; the alert level rises in the engine
    assert out.severity_factors[-1] == f"standing:blacklist:{ZTO}(level+1)"


def test_supervised_firm_names_its_risk_level() -> None:
    steps, note = standing_of(apply_standing(_analysis(YTO), SNAP, RULE))
    assert steps == 1 and "重点监管服务名单（风险等级二级）" in note


def test_both_lists_add_their_steps_and_the_most_affected_firm_counts() -> None:
    out = apply_standing(_analysis(YTO, "BOTH", ZTO), SNAP, RULE)
    steps, note = standing_of(out)
    assert steps == 2
    assert note.startswith("涉事企业某建筑公司已列入拖欠农民工工资失信联合惩戒名单（A号、B号）和重点监管服务名单（风险等级一级）")
    assert out.severity_factors[-1] == "standing:blacklist+key_supervision:BOTH(level+2)"


@pytest.mark.parametrize("analysis", [
    _analysis("TEST91310118000099"),  # linked, on no list
    _analysis(None),  # unlinked mention
    _analysis(ZTO, relevant=False),  # not a labour dispute
], ids=["not-listed", "unlinked", "not-relevant"])
def test_unlisted_unlinked_or_irrelevant_posts_are_unchanged(analysis: Analysis) -> None:
    assert apply_standing(analysis, SNAP, RULE) is analysis
    assert standing_of(analysis) == (0, "")


def test_configured_zero_steps_turn_a_list_off() -> None:
    rule = SeverityRaise(blacklist=0, key_supervision=2)
    assert standing_of(apply_standing(_analysis(ZTO), SNAP, rule)) == (0, "")
    assert standing_of(apply_standing(_analysis("BOTH"), SNAP, rule))[0] == 2


def test_reapplying_replaces_the_factor_instead_of_stacking() -> None:
    once = apply_standing(_analysis(ZTO), SNAP, RULE)
    twice = apply_standing(once, SNAP, RULE)
    assert [f for f in twice.severity_factors if f.startswith("standing:")] == [f"standing:blacklist:{ZTO}(level+1)"]
    assert standing_of(twice)[0] == 1


def test_standing_survives_the_spool_round_trip() -> None:
    out = apply_standing(_analysis(ZTO), SNAP, RULE)
    assert standing_of(Analysis.from_dict(out.to_dict())) == standing_of(out)


def test_malformed_payload_reads_as_no_standing() -> None:
    import dataclasses

    a = dataclasses.replace(_analysis(ZTO), explanation={"standing": {"steps": "many"}})
    assert standing_of(a) == (0, "")


class _FlakyDb:
    """Stands in for the database in the cache test: counts reads, fails when told to."""

    def __init__(self) -> None:
        self.reads = 0
        self.fail = False


def test_source_caches_for_its_ttl_and_keeps_the_last_snapshot_when_the_db_fails(monkeypatch) -> None:
    import companies.standing as mod

    db = _FlakyDb()
    now = [0.0]

    def load(d: _FlakyDb) -> StandingSnapshot:
        d.reads += 1
        if d.fail:
            raise RuntimeError("database is locked")
        return SNAP

    monkeypatch.setattr(mod, "load_snapshot", load)
    src = StandingSource(db, ttl_s=60, clock=lambda: now[0])  # type: ignore[arg-type]
    assert src.snapshot() is SNAP and src.snapshot() is SNAP and db.reads == 1
    now[0] = 61
    db.fail = True
    assert src.snapshot() is SNAP and db.reads == 2  # kept, logged


def test_analyzer_wrapper_applies_the_snapshot_and_delegates() -> None:
    class Inner:
        model_version = "m1"

        def analyze(self, posts):  # noqa: ANN001, ANN202
            return [_analysis(ZTO), _analysis(None)]

    class Src:
        def snapshot(self) -> StandingSnapshot:
            return SNAP

    wrapped = StandingAnalyzer(Inner(), Src(), RULE)  # type: ignore[arg-type]
    first, second = wrapped.analyze([])
    assert standing_of(first)[0] == 1 and standing_of(second)[0] == 0
    assert wrapped.model_version == "m1"


def test_severity_raise_config(tmp_path: Path) -> None:
    f = tmp_path / "supervision.yaml"
    f.write_text("severity_raise:\n  blacklist: 2\n", encoding="utf-8")
    assert load_supervision_config(f).severity_raise == SeverityRaise(blacklist=2, key_supervision=1)
    f.write_text("severity_raise:\n  blacklist: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"severity_raise\.blacklist"):
        load_supervision_config(f)
    f.write_text("severity_raise:\n  supervised: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"severity_raise\.supervised"):
        load_supervision_config(f)

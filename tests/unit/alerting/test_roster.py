"""Duty roster lookups, gaps reported by config check, routing validation."""

from __future__ import annotations

from datetime import datetime

import pytest
from tests_alerting_support import config_copy  # type: ignore[import-not-found]

from alerting import roster as roster_mod
from alerting.roster import check_config, load_roster, load_routing
from lwcore.domain import SHANGHAI, Severity
from lwcore.errors import ConfigError
from lwcore.settings import load_settings


def _sh(*a: int) -> datetime:
    return datetime(*a, tzinfo=SHANGHAI)


def test_weekly_shifts_overnight_and_overrides(settings):
    r = load_roster(settings)
    assert r.on_duty(_sh(2025, 6, 2, 10, 0)).officer.name == "张伟"  # Monday day shift
    night = r.on_duty(_sh(2025, 6, 3, 3, 0))  # Tuesday 03:00 belongs to Monday's night shift
    assert night.officer.name == "陈杰" and night.leader.name == "王军"
    assert r.on_duty(_sh(2025, 6, 7, 12, 0)).officer.name == "李娜"  # Saturday
    assert r.on_duty(_sh(2025, 6, 9, 8, 0)).officer.name == "李娜"  # Monday 08:00: Sunday's 24h shift
    assert r.on_duty(_sh(2025, 11, 6, 3, 0)).shift == "进博会期间加强值守"
    assert r.gaps(_sh(2025, 6, 1), _sh(2025, 6, 22)) == []


def _settings_with(tmp_path, roster_text: str | None = None, routing_sub: tuple[str, str] | None = None):
    cfg = config_copy(tmp_path)
    if roster_text is not None:
        (cfg / "duty_roster.yaml").write_text(roster_text, encoding="utf-8")
    if routing_sub is not None:
        p = cfg / "routing.yaml"
        p.write_text(p.read_text(encoding="utf-8").replace(*routing_sub), encoding="utf-8")
    return load_settings(cfg / "settings.yaml", environ={}, overrides={"state_dir": str(tmp_path / "s")})


def test_gaps_are_reported_by_config_check(tmp_path):
    s = _settings_with(
        tmp_path,
        "people:\n  a: {name: 甲, email: a@x.org}\n"
        "shifts:\n  - {days: [mon, tue, wed, thu, fri], start: '08:30', end: '17:30', officer: a}\n",
    )
    warnings = check_config(s, now=_sh(2025, 6, 2, 9, 0))
    gaps = [w for w in warnings if "roster gap" in w]
    assert gaps and "2025-06-02 17:30 -> 2025-06-03 08:30" in gaps[0]
    assert load_roster(s).on_duty(_sh(2025, 6, 2, 20, 0)) is None


def test_roster_errors_name_file_key_reason(tmp_path):
    s = _settings_with(tmp_path, "people:\n  a: {name: 甲}\nshifts:\n  - {start: '08:30', end: '17:30', officer: b}\n")
    with pytest.raises(ConfigError) as ei:
        load_roster(s)
    assert ei.value.key == "shifts[0].officer" and "unknown person 'b'" in ei.value.reason
    s = _settings_with(tmp_path / "2", "people: {}\nshifts:\n  - {start: '8:30', end: '17:30', officer: a}\n")
    with pytest.raises(ConfigError) as ei:
        load_roster(s)
    assert ei.value.key == "shifts.0.start"
    s = _settings_with(tmp_path / "3", "people: {}\nshift: []\n")
    with pytest.raises(ConfigError) as ei:
        load_roster(s)
    assert ei.value.key == "shift" and ei.value.reason == "unknown key"


def test_routing_errors(tmp_path):
    s = _settings_with(tmp_path, routing_sub=("  construction: construction\n", "  construction: nosuch\n"))
    with pytest.raises(ConfigError) as ei:
        load_routing(s)
    assert ei.value.key == "industries.construction" and "unknown unit 'nosuch'" in ei.value.reason


def test_route_level_I_and_unit_mapping(settings):
    router = load_routing(settings)
    route = router.route(Severity.I, town="赵巷镇", industry="construction", at=_sh(2025, 6, 2, 10, 0))
    roles = {(r.role, r.address) for r in route.recipients}
    assert ("duty_officer", "zhangwei@qingpu.example.gov.cn") in roles
    assert ("duty_leader", "zhaomin@qingpu.example.gov.cn") in roles
    assert ("unit", "jianguan@qingpu.example.gov.cn") in roles  # industry before town
    assert route.ack_minutes == 15 and route.incident
    assert router.unit_for(town="赵巷镇", industry="logistics")[0] == "town_zhaoxiang"
    assert router.unit_for(town=None, industry=None)[0] == "labour_inspection"
    assert router.route(Severity.IV, town=None, industry=None, at=_sh(2025, 6, 2, 10)).recipients == []
    assert roster_mod.ROSTER_FILE == "duty_roster.yaml"

"""supervision.yaml loading and the weeks a listed firm needs a visit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from companies import VisitPeriod, load_supervision_config
from companies.supervision import weeks_due
from lwcore.errors import ConfigError
from lwcore.settings import REPO_ROOT


def test_shipped_config_loads() -> None:
    cfg = load_supervision_config(REPO_ROOT / "configs" / "supervision.yaml")
    assert cfg.periods and cfg.periods[0].start < cfg.periods[0].end
    assert cfg.proposal.min_alerts >= 1


def test_missing_file_means_no_periods(tmp_path: Path) -> None:
    cfg = load_supervision_config(tmp_path / "none.yaml")
    assert cfg.periods == () and cfg.proposal.window_days == 90


@pytest.mark.parametrize(("text", "key"), [
    ("visit_periods:\n  - name: x\n    start: 2026-11-10\n    end: 2026-11-01\n", "visit_periods[0].end"),
    ("visit_periods:\n  - name: x\n    start: soon\n    end: 2026-11-01\n", "visit_periods[0].start"),
    ("proposal:\n  min_alerts: 0\n", "proposal.min_alerts"),
    ("periods: []\n", "periods"),
])
def test_bad_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    f = tmp_path / "supervision.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_supervision_config(f)
    assert key in str(err.value) and str(f) in str(err.value)


def test_weeks_due_clip_to_period_listing_and_today() -> None:
    period = VisitPeriod("进博会", date(2026, 10, 14), date(2026, 11, 8))  # Wed .. Sun
    # listed before the period, asked on Thu 29 Oct: weeks of 12 Oct, 19 Oct, 26 Oct (the running one)
    weeks = weeks_due(period, date(2026, 9, 1), None, date(2026, 10, 29))
    assert weeks == [(date(2026, 10, 12), date(2026, 10, 18)), (date(2026, 10, 19), date(2026, 10, 25)),
                     (date(2026, 10, 26), date(2026, 11, 1))]
    # delisted on 20 Oct: only the weeks up to then
    assert weeks_due(period, date(2026, 9, 1), date(2026, 10, 20), date(2026, 11, 30))[-1][0] == date(2026, 10, 19)
    # listed after the period: nothing
    assert weeks_due(period, date(2026, 12, 1), None, date(2026, 12, 5)) == []


class _Settings:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def config_file(self, name: str) -> Path:
        return self.folder / name


def test_config_check_warns_on_missing_empty_and_ended_periods(tmp_path: Path) -> None:
    from companies.config import check_config

    settings = _Settings(tmp_path)
    assert "missing" in check_config(settings)[0]
    (tmp_path / "supervision.yaml").write_text("proposal:\n  min_alerts: 3\n", encoding="utf-8")
    assert check_config(settings) == [f"{tmp_path / 'supervision.yaml'}: no visit_periods: no weekly "
                                      "guidance-visit requirement"]
    (tmp_path / "supervision.yaml").write_text(
        "visit_periods:\n  - {name: 旧, start: 2020-01-01, end: 2020-01-31}\n"
        "  - {name: 新, start: 2020-01-01, end: 2999-01-31}\n", encoding="utf-8")
    assert [w.split(": ", 1)[1] for w in check_config(settings)] == ["visit period 旧 ended on 2020-01-31"]

"""``configs/supervision.yaml``: the periods with a weekly visit requirement and the thresholds of proposals.

Loaded once by the entry point into a frozen :class:`SupervisionConfig`; a missing file means no visit periods
and the default thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lwcore.errors import ConfigError

__all__ = ["VisitPeriod", "ProposalRules", "SeverityRaise", "SupervisionConfig", "load_supervision_config",
           "check_config", "FILE_NAME"]

FILE_NAME = "supervision.yaml"


@dataclass(frozen=True)
class VisitPeriod:
    """A period (e.g. the Import Expo preparation and weeks) when each key-area listed firm needs a weekly visit."""

    name: str
    start: date
    end: date


@dataclass(frozen=True)
class ProposalRules:
    """Evidence that proposes a firm for the list: within ``window_days``, at least ``min_alerts`` alerts or at
    least ``min_cases`` ledger cases."""

    window_days: int = 90
    min_alerts: int = 2
    min_cases: int = 1


@dataclass(frozen=True)
class SeverityRaise:
    """Steps an alert's level rises (IV -> III ...) when a linked firm is on a list: the steps of each list the firm
    is on are added (``companies.standing``)."""

    blacklist: int = 1
    key_supervision: int = 1


@dataclass(frozen=True)
class SupervisionConfig:
    periods: tuple[VisitPeriod, ...] = ()
    proposal: ProposalRules = ProposalRules()
    severity_raise: SeverityRaise = SeverityRaise()


def _date(file: str, key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(file, key, f"{value!r} is not a date YYYY-MM-DD") from exc


def load_supervision_config(path: Path) -> SupervisionConfig:
    file = str(path)
    if not path.exists():
        return SupervisionConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(file, "", f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(file, "", "must be a mapping")
    unknown = set(data) - {"visit_periods", "proposal", "severity_raise"}
    if unknown:
        raise ConfigError(file, sorted(unknown)[0], "unknown key (allowed: visit_periods, proposal, severity_raise)")
    periods = []
    for i, p in enumerate(data.get("visit_periods") or []):
        key = f"visit_periods[{i}]"
        if not isinstance(p, dict) or not p.get("name"):
            raise ConfigError(file, key, "needs name, start and end")
        start, end = _date(file, f"{key}.start", p.get("start")), _date(file, f"{key}.end", p.get("end"))
        if end < start:
            raise ConfigError(file, f"{key}.end", f"{end} is before start {start}")
        periods.append(VisitPeriod(str(p["name"]), start, end))
    raw = data.get("proposal") or {}
    if not isinstance(raw, dict):
        raise ConfigError(file, "proposal", "must be a mapping")
    values: dict[str, int] = {}
    for key in ("window_days", "min_alerts", "min_cases"):
        if key in raw:
            v = raw[key]
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ConfigError(file, f"proposal.{key}", f"{v!r} must be a whole number >= 1")
            values[key] = v
    extra = set(raw) - {"window_days", "min_alerts", "min_cases"}
    if extra:
        raise ConfigError(file, f"proposal.{sorted(extra)[0]}", "unknown key")
    return SupervisionConfig(tuple(periods), ProposalRules(**values), _severity_raise(file, data.get("severity_raise")))


def _severity_raise(file: str, raw: Any) -> SeverityRaise:
    if raw is None:
        return SeverityRaise()
    if not isinstance(raw, dict):
        raise ConfigError(file, "severity_raise", "must be a mapping (blacklist, key_supervision)")
    extra = set(raw) - {"blacklist", "key_supervision"}
    if extra:
        raise ConfigError(file, f"severity_raise.{sorted(extra)[0]}",
                          "unknown key (allowed: blacklist, key_supervision)")
    values: dict[str, int] = {}
    for key, v in raw.items():
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 3:
            raise ConfigError(file, f"severity_raise.{key}", f"{v!r} must be a whole number of level steps 0..3")
        values[key] = v
    return SeverityRaise(**values)


def check_config(settings: Any) -> list[str]:
    """``laborwatch config check``: validate supervision.yaml; warn where no visit period is configured or one has
    already ended (the weekly visit requirement then checks nothing new)."""
    from datetime import datetime

    from lwcore.domain import SHANGHAI

    path = settings.config_file(FILE_NAME)
    config = load_supervision_config(path)
    if not path.exists():
        return [f"{path}: missing: no weekly visit periods, default proposal thresholds"]
    today = datetime.now(SHANGHAI).date()
    warnings = [] if config.periods else [f"{path}: no visit_periods: no weekly guidance-visit requirement"]
    warnings += [f"{path}: visit period {p.name} ended on {p.end}" for p in config.periods if p.end < today]
    return warnings

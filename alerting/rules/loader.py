"""Load and validate ``configs/alert_rules.yaml`` into a :class:`RuleSet`.

Every problem is a :class:`ConfigError` naming the file, the rule (``rules[2] (name)``) and the reason:
unknown keys, unknown rule types, bad values, duplicate names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from alerting.rules.base import RULE_TYPES, Rule, SensitivePeriod
from lwcore.domain import SHANGHAI
from lwcore.errors import ConfigError
from lwcore.settings import Settings, load_yaml

__all__ = ["RuleSet", "load_rules", "parse_rules", "RULES_FILE"]

RULES_FILE = "alert_rules.yaml"
_TOP_KEYS = {"version", "rules", "sensitive_periods"}
_PERIOD_KEYS = {"name", "start", "end", "score_delta", "count_factor", "level_boost"}


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    periods: tuple[SensitivePeriod, ...] = ()
    source: str = ""
    warnings: tuple[str, ...] = field(default=())

    def period_at(self, t: datetime) -> SensitivePeriod | None:
        for p in self.periods:
            if p.covers(t):
                return p
        return None

    def by_name(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


def _when(value: Any, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        t = datetime.combine(value, time(0), tzinfo=SHANGHAI)
        return t + timedelta(days=1) if end else t  # a date end is inclusive
    if isinstance(value, str):
        try:
            return _when(datetime.fromisoformat(value), end=end)
        except ValueError:
            pass
    raise ValueError(f"expected a date (2025-11-05) or a datetime, got {value!r}")


def _period(file: str, i: int, raw: Any) -> SensitivePeriod:
    where = f"sensitive_periods[{i}]"
    if not isinstance(raw, dict):
        raise ConfigError(file, where, "must be a mapping with name, start, end")
    unknown = sorted(set(raw) - _PERIOD_KEYS)
    if unknown:
        raise ConfigError(file, f"{where}.{unknown[0]}", f"unknown key (allowed: {sorted(_PERIOD_KEYS)})")
    for k in ("name", "start", "end"):
        if k not in raw:
            raise ConfigError(file, f"{where}.{k}", "required")
    try:
        start, end = _when(raw["start"], end=False), _when(raw["end"], end=True)
    except ValueError as exc:
        raise ConfigError(file, where, str(exc)) from None
    if end <= start:
        raise ConfigError(file, where, "end must be after start")
    score_delta = raw.get("score_delta", 0.1)
    count_factor = raw.get("count_factor", 0.5)
    level_boost = raw.get("level_boost", 0)
    if not isinstance(score_delta, int | float) or not 0 <= score_delta <= 0.5:
        raise ConfigError(file, f"{where}.score_delta", f"must be a number in [0, 0.5], got {score_delta!r}")
    if not isinstance(count_factor, int | float) or not 0 < count_factor <= 1:
        raise ConfigError(file, f"{where}.count_factor", f"must be in (0, 1], got {count_factor!r}")
    if not isinstance(level_boost, int) or not 0 <= level_boost <= 2:
        raise ConfigError(file, f"{where}.level_boost", f"must be 0, 1 or 2, got {level_boost!r}")
    return SensitivePeriod(
        name=str(raw["name"]),
        start=start,
        end=end,
        score_delta=float(score_delta),
        count_factor=float(count_factor),
        level_boost=level_boost,
    )


def parse_rules(data: Any, *, file: str = RULES_FILE) -> RuleSet:
    """Validate an already-parsed YAML document."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(file, "", "top level must be a mapping with 'rules' (and optional 'sensitive_periods')")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ConfigError(file, unknown[0], f"unknown key (allowed: {sorted(_TOP_KEYS)})")
    if data.get("version", 1) != 1:
        raise ConfigError(file, "version", f"unsupported version {data.get('version')!r} (expected 1)")
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise ConfigError(file, "rules", "must be a list of rules")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(file, where, "each rule must be a mapping with name and type")
        name = raw.get("name")
        if name:
            where = f"rules[{i}] ({name})"
        rtype = raw.get("type")
        if not rtype:
            raise ConfigError(file, f"{where}.type", f"required; one of {sorted(RULE_TYPES)}")
        cls = RULE_TYPES.get(str(rtype))
        if cls is None:
            raise ConfigError(file, f"{where}.type", f"unknown rule type {rtype!r}; known: {sorted(RULE_TYPES)}")
        try:
            opts = cls.Options.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            reason = "unknown key" if err["type"] == "extra_forbidden" else f"{err['msg']} (got {err.get('input')!r})"
            raise ConfigError(file, f"{where}.{key}", reason) from None
        if opts.name in seen:
            raise ConfigError(file, f"{where}.name", f"duplicate rule name {opts.name!r}")
        seen.add(opts.name)
        if opts.enabled:
            rules.append(cls(opts))
    raw_periods = data.get("sensitive_periods") or []
    if not isinstance(raw_periods, list):
        raise ConfigError(file, "sensitive_periods", "must be a list")
    periods = tuple(_period(file, i, p) for i, p in enumerate(raw_periods))
    warnings: list[str] = []
    if not rules:
        warnings.append(f"{file}: no enabled rule: nothing will ever be alerted")
    return RuleSet(rules=tuple(rules), periods=periods, source=file, warnings=tuple(warnings))


def load_rules(settings: Settings, path: Path | None = None) -> RuleSet:
    p = path or settings.config_file(RULES_FILE)
    return parse_rules(load_yaml(p), file=str(p))

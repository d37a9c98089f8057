"""Alert rules: a registry of rule types with typed options, loaded from ``configs/alert_rules.yaml``.

Rule types: ``match``, ``watchlist``, ``spike``, ``escalation`` (one module each). ``check_config`` is what
``laborwatch config check`` calls.
"""

from __future__ import annotations

from alerting.rules import escalation, match, spike, watchlist  # noqa: F401  (register the rule types)
from alerting.rules.base import (
    RULE_TYPES,
    ClusterView,
    Hit,
    Rule,
    RuleContext,
    RuleOptions,
    SensitivePeriod,
    register_rule_type,
)
from alerting.rules.loader import RULES_FILE, RuleSet, load_rules, parse_rules
from alerting.rules.spike import observation_keys
from laborwatch.settings import Settings

__all__ = [
    "RULE_TYPES",
    "ClusterView",
    "Hit",
    "Rule",
    "RuleContext",
    "RuleOptions",
    "RuleSet",
    "SensitivePeriod",
    "register_rule_type",
    "load_rules",
    "parse_rules",
    "observation_keys",
    "check_config",
    "RULES_FILE",
]


def check_config(settings: Settings) -> list[str]:
    """Validate the rule file; return warnings, raise ConfigError when invalid."""
    rs = load_rules(settings)
    warnings = list(rs.warnings)
    for p in rs.periods:
        if p.score_delta == 0 and p.count_factor == 1 and p.level_boost == 0:
            warnings.append(f"sensitive period {p.name!r} changes no threshold")
    return warnings

"""Alert rules: a registry of rule types with typed options, loaded from ``configs/alert_rules.yaml``.

Rule types: ``match``, ``watchlist``, ``spike``, ``escalation`` (one module each). Every module of this package
is imported here and registers its type with ``register_rule_type``: adding a rule type is one new file plus its
entry in alert_rules.yaml. ``check_config`` is what ``laborwatch config check`` calls.
"""

from __future__ import annotations

import importlib
import pkgutil

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
from lwcore.settings import Settings

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):  # register the rule types
    if not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")

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

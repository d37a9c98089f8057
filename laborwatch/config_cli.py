"""``laborwatch config check``: validate every config file and report each problem with file, key and reason."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from laborwatch.errors import ConfigError
from laborwatch.settings import Settings

__all__ = ["register", "CONFIG_CHECKS", "run_checks"]

#: (label, "module:function"). Each function takes the Settings, loads/validates one config file and
#: returns a list of warnings (strings); it raises ConfigError for an invalid file.
CONFIG_CHECKS: tuple[tuple[str, str], ...] = (
    ("sources.yaml", "crawlers.sources:check_config"),
    ("regions.yaml / lexicon / companies.csv", "nlp.resources:check_config"),
    ("alert_rules.yaml", "alerting.rules:check_config"),
    ("duty_roster.yaml / routing.yaml", "alerting.roster:check_config"),
)


def _resolve(ref: str) -> Callable[[Settings], list[str]]:
    module, func = ref.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def run_checks(settings: Settings) -> tuple[list[str], list[str]]:
    """Run every check; return (errors, warnings) as printable lines."""
    errors: list[str] = []
    warnings: list[str] = []
    for label, ref in CONFIG_CHECKS:
        try:
            check = _resolve(ref)
        except (ImportError, AttributeError) as exc:
            errors.append(f"{label}: checker {ref} unavailable: {exc}")
            continue
        try:
            warnings.extend(f"{label}: {w}" for w in check(settings))
        except ConfigError as exc:
            errors.append(str(exc))
    return errors, warnings


def _cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    errors, warnings = run_checks(settings)
    for w in warnings:
        print(f"警告 WARNING {w}")
    for e in errors:
        print(f"错误 ERROR {e}", file=sys.stderr)
    if errors:
        print(f"laborwatch: error: {len(errors)} invalid config file(s)", file=sys.stderr)
        return 1
    print(f"配置检查通过 config OK ({settings.config_path}); {len(warnings)} warning(s)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", help="configuration commands")
    csub = p.add_subparsers(dest="config_command", metavar="SUBCOMMAND", required=True)
    c = csub.add_parser("check", help="validate all config files")
    c.set_defaults(handler=_cmd_check)

"""``laborwatch config check``: validate every config file and report each problem with file, key and reason."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from lwcore.errors import ConfigError
from lwcore.settings import Settings

__all__ = ["register", "CONFIG_CHECKS", "run_checks"]

#: (label, "module:function"). Each function takes the Settings, loads/validates one config file and
#: returns a list of warnings (strings); it raises ConfigError for an invalid file.
CONFIG_CHECKS: tuple[tuple[str, str], ...] = (
    ("sources.yaml", "crawlers.sources:check_config"),
    ("regions.yaml / lexicon / companies.csv", "nlp.resources:check_config"),
    ("alert_rules.yaml", "alerting.rules:check_config"),
    ("duty_roster.yaml / routing.yaml", "alerting.roster:check_config"),
    ("supervision.yaml", "companies.config:check_config"),
)


#: The config files the rooms read through ``Settings.config_file`` (``crawl`` and ``run`` read these same paths).
CONFIG_FILES: tuple[str, ...] = (
    "sources.yaml", "regions.yaml", "companies.csv", "lexicon/labour_terms.yaml", "lexicon/severity.yaml",
    "alert_rules.yaml", "duty_roster.yaml", "routing.yaml", "supervision.yaml",
)


def config_locations(settings: Settings) -> list[str]:
    """One line per config file: where it is read from (and whether it exists)."""
    lines = [f"设置文件 settings: {settings.settings_file or '（无，使用默认值 none: defaults）'}"]
    for name in CONFIG_FILES:
        path = settings.config_file(name)
        state = "" if path.exists() else "  ← 不存在 missing"
        lines.append(f"  {name:<26} {path}{state}")
    return lines


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
    for line in config_locations(settings):
        print(line)
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

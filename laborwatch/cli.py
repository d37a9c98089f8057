"""The ``laborwatch`` command line: parse, load settings, configure logging, call the library.

Each room contributes its own sub-commands through ``register(subparsers)`` in its ``cli`` module; handlers
have the signature ``handler(args, settings) -> int``. Exit code 0 on success; otherwise non-zero with a
one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from laborwatch.errors import LaborwatchError
from laborwatch.settings import Settings, load_settings

__all__ = ["main", "build_parser"]

logger = logging.getLogger(__name__)

#: Modules that add sub-commands, in help order. Each exposes ``register(subparsers) -> None``.
COMMAND_MODULES: tuple[str, ...] = (
    "laborwatch.config_cli",
    "index.cli",
    "crawlers.cli",
    "nlp.cli",
    "alerting.cli",
    "ledger.cli",
    "companies.cli",
    "laborwatch.demo",
    "laborwatch.service_cli",
    "laborwatch.spool_cli",
    "laborwatch.web.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laborwatch",
        description="Labour-dispute public-opinion monitoring (劳动争议舆情监测).",
    )
    parser.add_argument("--config", help="settings file (default: $LW_CONFIG or configs/settings.yaml)")
    parser.add_argument("--log-level", default="WARNING", help="DEBUG, INFO, WARNING (default), ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    _configure_logging(args.log_level)
    try:
        settings: Settings = load_settings(args.config)
        rc = args.handler(args, settings)
    except LaborwatchError as exc:
        print(f"laborwatch: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("laborwatch: interrupted", file=sys.stderr)
        return 130
    return int(rc or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

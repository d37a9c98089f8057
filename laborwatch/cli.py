"""The ``laborwatch`` command line: parse, load settings, configure logging, call the library.

Each room contributes its own sub-commands through ``register(subparsers, **hooks)`` in its ``cli`` module;
``hooks`` are what the shell injects where a room's command needs another room or the app's wiring
(:data:`laborwatch.cli_hooks.ROOM_HOOKS`). Handlers have the signature ``handler(args, settings) -> int``.
Exit code 0 on success; otherwise non-zero with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from lwcore.errors import LaborwatchError
from lwcore.settings import Settings, load_settings

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
    "laborwatch.fieldreports",
    "laborwatch.demo",
    "laborwatch.service_cli",
    "laborwatch.spool_cli",
    "laborwatch.backup_cli",
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
    from laborwatch.cli_hooks import ROOM_HOOKS

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, **ROOM_HOOKS.get(name, {}))
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
    settings: Settings | None = None
    try:
        settings = load_settings(args.config)
        rc = args.handler(args, settings)
        sys.stdout.flush()
    except LaborwatchError as exc:
        print(f"laborwatch: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("laborwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `laborwatch crawl-runs | head`: the reader went away; say nothing more, like other Unix tools
        _silence_stdout()
        return 141
    except Exception as exc:
        line = environment_error_line(exc, settings)
        if line is None:
            raise
        logger.debug("environment error", exc_info=True)
        print(f"laborwatch: error: {line}", file=sys.stderr)
        return 1
    return int(rc or 0)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def environment_error_line(exc: BaseException, settings: Settings | None) -> str | None:
    """One line naming the path and the reason for an error of the machine, not of the program: a full,
    read-only or missing state folder, a locked or unwritable database. None for anything else (a bug keeps
    its traceback)."""
    if isinstance(exc, OSError) and exc.strerror and not isinstance(exc, ConnectionError | TimeoutError):
        import errno

        where = exc.filename
        if where is None and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT):
            where = settings.state_path if settings else None  # a write into the state folder
        if where is None:
            return None  # not clearly the machine's state: keep the traceback
        return f"{where}: {exc.strerror}"
    dbapi = sys.modules.get("sqlalchemy.exc")
    if dbapi is not None and isinstance(exc, dbapi.OperationalError):
        orig = getattr(exc, "orig", None)
        reason = str(orig if orig is not None else exc).splitlines()[0]
        where = "the database"
        if settings is not None:
            try:
                from sqlalchemy.engine import make_url

                where = f"database {make_url(settings.db_url).render_as_string(hide_password=True)}"
            except Exception:  # noqa: BLE001 - only for the message
                pass
        hint = ""
        low = reason.lower()
        if "locked" in low:
            hint = " (another process holds a write lock; retry when it has finished)"
        elif "readonly" in low or "read-only" in low or "unable to open" in low or "disk" in low:
            hint = f" (check that the state folder {settings.state_path if settings else ''} is writable and " \
                   "has free space)"
        return f"{where}: {reason}{hint}"
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

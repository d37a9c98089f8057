"""Turning pydantic validation errors of an operator-edited YAML file into ConfigError(file, key, reason)."""

from __future__ import annotations

from pydantic import ValidationError

from lwcore.errors import ConfigError

__all__ = ["config_error"]


def config_error(file: str, exc: ValidationError, prefix: str = "") -> ConfigError:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"])
    if prefix:
        key = f"{prefix}.{key}" if key else prefix
    if err["type"] == "extra_forbidden":
        reason = "unknown key"
    else:
        reason = f"{err['msg']} (got {err.get('input')!r})"
    more = f" (+{len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return ConfigError(file, key, reason + more)

"""Errors of the scheduler service."""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = ["ServiceError"]


class ServiceError(LaborwatchError):
    """The service cannot do what was asked (bad schedule, unreachable database, ...)."""

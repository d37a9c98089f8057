"""Errors of the web room."""

from __future__ import annotations

from laborwatch.errors import LaborwatchError

__all__ = ["WebError", "AccountError"]


class WebError(LaborwatchError):
    """Root of what the web room raises on purpose."""


class AccountError(WebError):
    """A user account operation is invalid (unknown user, duplicate name, weak password, bad role)."""

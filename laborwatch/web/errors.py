"""Errors of the web room."""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = ["WebError", "AccountError"]


class WebError(LaborwatchError):
    """Root of what the web room raises on purpose."""


class AccountError(WebError):
    """A user account operation is invalid (unknown user, duplicate name, weak password, bad role).

    ``zh`` is the same reason in Chinese, shown on the web pages (the CLI prints the English message)."""

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message

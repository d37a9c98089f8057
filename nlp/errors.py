"""Errors of the nlp room."""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = ["NlpError", "InputError"]


class NlpError(LaborwatchError):
    """Something in the analysis stage failed on purpose (bad input file, missing model bundle...)."""


class InputError(NlpError):
    """An input file of an nlp command is unreadable: which file, which line, why."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        super().__init__(f"{file}: line {line}: {reason}")

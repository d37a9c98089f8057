"""Errors of the companies room.

LaborwatchError
└── CompaniesError                 anything the companies room refuses on purpose
    ├── NotFound                   no company / list entry / visit with that key
    ├── ValidationError            a field value is invalid (field, reason)
    ├── RegistryFileError          a registry file cannot be read or has rows in error (file, problems)
    └── InvalidTransition          a list entry change the workflow does not allow (entry, from, to)
"""

from __future__ import annotations

from dataclasses import dataclass

from lwcore.errors import LaborwatchError

__all__ = [
    "CompaniesError",
    "NotFound",
    "ValidationError",
    "RowProblem",
    "RegistryFileError",
    "InvalidTransition",
]


class CompaniesError(LaborwatchError):
    """Root of the companies room's errors."""


class NotFound(CompaniesError):
    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!s} not found")


class ValidationError(CompaniesError):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True)
class RowProblem:
    """One refused row of a registry file: 1-based row number as a spreadsheet shows it (header = row 1)."""

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, field {self.field}: {self.reason}"


class RegistryFileError(CompaniesError):
    def __init__(self, file: str, problems: list[RowProblem] | str) -> None:
        self.file = file
        self.problems = [] if isinstance(problems, str) else list(problems)
        if isinstance(problems, str):
            message = f"{file}: {problems}"
        else:
            shown = "; ".join(str(p) for p in self.problems[:5])
            more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
            message = f"{file}: {len(self.problems)} row problem(s): {shown}{more}"
        super().__init__(message)


class InvalidTransition(CompaniesError):
    def __init__(self, entry: object, from_status: str, to_status: str, *, kind: str = "list entry") -> None:
        self.entry = entry
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(f"{kind} {entry}: {from_status} -> {to_status} not allowed")

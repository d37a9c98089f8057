"""Errors of the ledger room.

LaborwatchError
└── LedgerError                    anything the ledger refuses on purpose
    ├── NotFound                   no case / incident with that id or number
    ├── ValidationError            a field value is invalid (field, reason)
    ├── InvalidTransition          a status change the workflow does not allow (from, to, reason)
    ├── InvalidStep                an incident timeline step out of order or after 平息
    ├── StaleVersion               the record changed since the caller read it (optimistic locking)
    └── AlertAlreadyLinked         the alert already belongs to another case
"""

from __future__ import annotations

from lwcore.errors import LaborwatchError

__all__ = [
    "LedgerError",
    "NotFound",
    "ValidationError",
    "InvalidTransition",
    "InvalidStep",
    "StaleVersion",
    "AlertAlreadyLinked",
]


class LedgerError(LaborwatchError):
    """Root of the ledger room's errors."""


class NotFound(LedgerError):
    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!s} not found")


class ValidationError(LedgerError):
    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class InvalidTransition(LedgerError):
    def __init__(self, case: str, from_status: str, to_status: str, reason: str) -> None:
        self.case = case
        self.from_status = from_status
        self.to_status = to_status
        self.reason = reason
        super().__init__(f"case {case}: {from_status} -> {to_status} not allowed: {reason}")


class InvalidStep(LedgerError):
    def __init__(self, incident: str, stage: str, reason: str) -> None:
        self.incident = incident
        self.stage = stage
        self.reason = reason
        super().__init__(f"incident {incident}: step {stage}: {reason}")


class StaleVersion(LedgerError):
    def __init__(self, kind: str, key: object, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{kind} {key!s} was changed by someone else (version {actual}, you edited version {expected});"
            " reload and retry"
        )


class AlertAlreadyLinked(LedgerError):
    def __init__(self, alert_id: str, case_number: str) -> None:
        self.alert_id = alert_id
        self.case_number = case_number
        super().__init__(f"alert {alert_id} is already linked to case {case_number}")

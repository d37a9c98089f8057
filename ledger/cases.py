"""The dispute ledger (台账): cases, their workflow, links to alerts and posts, full history.

:class:`Ledger` is a thin facade joining the three parts of the ledger, each in its own module:

- :mod:`ledger.intake` (:class:`~ledger.intake.CaseIntake`): register cases by hand or from alerts, attach alerts and
  posts, import an Excel ledger;
- :mod:`ledger.workflow` (:class:`~ledger.workflow.CaseWorkflow`): edit fields, move cases through the statuses;
- :mod:`ledger.queries` (:class:`~ledger.queries.CaseQueries`): read cases, lists, overdue cases, history, exports.

All three stand on :class:`ledger.case_store.CaseStore` (database, clock, row-level writes, rows to values).
"""

from __future__ import annotations

from .case_store import DEFAULT_DEADLINE_DAYS, RACE_ATTEMPTS, alert_value, shanghai_today
from .intake import CaseIntake
from .queries import CaseQueries
from .workflow import CaseWorkflow

__all__ = ["Ledger", "DEFAULT_DEADLINE_DAYS", "RACE_ATTEMPTS", "alert_value", "shanghai_today"]


class Ledger(CaseIntake, CaseWorkflow, CaseQueries):
    """The dispute ledger.

    ``clock`` returns the current aware time (tests pass a fixed one). All methods open their own transaction;
    they return frozen :class:`~ledger.records.Case` values, never live ORM rows.
    """

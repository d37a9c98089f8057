"""The ledger room: dispute cases (台账) and group incidents (突发事件).

Public API (the alerting room and the web app use only these names)::

    from ledger import Ledger, Incidents, CaseStatus, IncidentStage

    ledger = Ledger(db)                                   # db: lwcore.db.Database, schema upgraded
    case = ledger.create_from_alert(alert_snapshot, by="张三")   # idempotent per alert / event cluster
    ledger.update(case.id, by="张三", responsible_person="李四", plan="...", deadline="2025-06-30")
    ledger.transition(case.id, CaseStatus.VERIFYING, by="张三", note="已电话联系企业")
    rows, total = ledger.list_cases(status="化解中", town="华新镇", overdue=True, q="物流", page=1, size=50)
    ledger.export_xlsx("台账.xlsx", {"status": ["待核实", "核实中", "化解中"]})
    report = ledger.import_xlsx("旧台账.xlsx", by="张三")    # ImportReport: created/updated/unchanged/errors

    incidents = Incidents(db)
    inc = incidents.open_for_alert(alert_id="a1", title="...", level="I", town="华新镇", company_id=None,
                                   company_name="某物流公司", post_ids=["p1"], workers=40, event_id="e1")
    incidents.add_step(inc.id, IncidentStage.ON_SCENE, by="王五", note="劳动监察大队到场")
    incidents.late()                                      # missed the within-the-hour response

Values returned are frozen dataclasses (:class:`Case`, :class:`Incident`, :class:`HistoryEntry`...), never
live database rows. Every change is recorded in the history (who, when, field, old -> new).

Errors (all :class:`LedgerError`, itself a ``lwcore.errors.LaborwatchError``)::

    LedgerError
    ├── NotFound              no case / incident with that id or number
    ├── ValidationError       a field value is invalid (.field, .reason)
    ├── InvalidTransition     a status change the workflow forbids (.from_status, .to_status, .reason)
    ├── InvalidStep           an incident step out of order, before the previous step, or after 平息
    ├── StaleVersion          someone else changed the record since it was read
    └── AlertAlreadyLinked    the alert already belongs to another case
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lwcore.lazy import lazy_exports

from .errors import (
    AlertAlreadyLinked,
    InvalidStep,
    InvalidTransition,
    LedgerError,
    NotFound,
    StaleVersion,
    ValidationError,
)
from .vocab import (
    DISPUTE_TYPE_LABELS,
    OPEN_STATUSES,
    TRANSITIONS,
    CaseSource,
    CaseStatus,
    IncidentStage,
    IncidentStatus,
    RiskLevel,
)

if TYPE_CHECKING:
    from .cases import DEFAULT_DEADLINE_DAYS, Ledger
    from .excel import EXPORT_COLUMNS
    from .fields import FIELD_LABELS
    from .incidents import RESPONSE_LIMIT, Incidents, incident_required
    from .records import (
        Case,
        Dispatch,
        HistoryEntry,
        ImportIssue,
        ImportReport,
        Incident,
        IncidentReport,
        IncidentStep,
        ResponseTimes,
    )

__all__ = [
    "Ledger",
    "Incidents",
    "incident_required",
    "Case",
    "HistoryEntry",
    "Incident",
    "IncidentStep",
    "IncidentReport",
    "Dispatch",
    "ResponseTimes",
    "ImportIssue",
    "ImportReport",
    "CaseStatus",
    "CaseSource",
    "IncidentStage",
    "IncidentStatus",
    "RiskLevel",
    "DISPUTE_TYPE_LABELS",
    "FIELD_LABELS",
    "EXPORT_COLUMNS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "DEFAULT_DEADLINE_DAYS",
    "RESPONSE_LIMIT",
    "LedgerError",
    "NotFound",
    "ValidationError",
    "InvalidTransition",
    "InvalidStep",
    "StaleVersion",
    "AlertAlreadyLinked",
]

# The database-backed parts (SQLAlchemy ORM) load on first use, so ``laborwatch --help`` stays fast.
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "Ledger": ".cases",
        "DEFAULT_DEADLINE_DAYS": ".cases",
        "EXPORT_COLUMNS": ".excel",
        "FIELD_LABELS": ".fields",
        "Incidents": ".incidents",
        "RESPONSE_LIMIT": ".incidents",
        "incident_required": ".incidents",
        **dict.fromkeys(
            (
                "Case",
                "Dispatch",
                "HistoryEntry",
                "ImportIssue",
                "ImportReport",
                "Incident",
                "IncidentReport",
                "IncidentStep",
                "ResponseTimes",
            ),
            ".records",
        ),
    },
)

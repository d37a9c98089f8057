"""Guidance-visit reminders for the inbox and 今日态势: the weeks of a visit period in which a key-area firm of the
key supervision list had no visit (overdue) and the running week's firms still to visit (due).

The rule itself is the companies room's (``SupervisionList.visits_due`` with ``configs/supervision.yaml``); this
module only reads it for the pages and never fails a page: an unreadable list is logged and shown as unavailable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lwcore.db import Database
from lwcore.errors import LaborwatchError
from lwcore.settings import Settings

__all__ = ["VisitReminders", "visit_reminders"]

logger = logging.getLogger(__name__)


@dataclass
class VisitReminders:
    overdue: list[Any] = field(default_factory=list)  # companies.VisitDue, past weeks, oldest first
    due: list[Any] = field(default_factory=list)  # the running week
    available: bool = True

    @property
    def firms_overdue(self) -> int:
        return len({v.credit_code for v in self.overdue})


def visit_reminders(settings: Settings, db: Database, today: date) -> VisitReminders:
    from sqlalchemy.exc import SQLAlchemyError

    from companies import SupervisionList, load_supervision_config
    from companies.config import FILE_NAME

    try:
        periods = load_supervision_config(settings.config_file(FILE_NAME)).periods
        weeks = SupervisionList(db).visits_due(periods, today=today)
    except (LaborwatchError, SQLAlchemyError) as exc:
        logger.warning("visit reminders unavailable: %s", exc)
        return VisitReminders(available=False)
    return VisitReminders(overdue=[v for v in weeks if v.overdue], due=[v for v in weeks if not v.overdue])

"""The companies room's own change trail (``companies_history``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from lwcore.db import utcnow

from .models import HistoryEntry

__all__ = ["add_history"]


def add_history(s: Session, *, actor: str, action: str, target_type: str, target_id: object,
                detail: dict[str, Any] | None = None, now: datetime | None = None) -> HistoryEntry:
    """Add one entry to the session's transaction (committed with the change it records)."""
    entry = HistoryEntry(at=now or utcnow(), actor=actor, action=action, target_type=target_type,
                         target_id=str(target_id), detail=detail or {})
    s.add(entry)
    return entry

"""Writing the history table (one helper so every change is recorded the same way)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .models import HistoryRow

__all__ = ["record"]


def record(
    s: Session,
    entity: str,
    entity_id: int,
    at: datetime,
    actor: str,
    action: str,
    *,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    note: str | None = None,
) -> None:
    s.add(
        HistoryRow(
            entity=entity,
            entity_id=entity_id,
            at=at,
            actor=actor,
            action=action,
            field=field,
            old_value=old,
            new_value=new,
            note=note,
        )
    )

"""The history table: one writer and one reader so every change is recorded and shown the same way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import HistoryRow
from .records import HistoryEntry

__all__ = ["record", "entries"]


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


def entries(s: Session, entity: str, entity_id: int) -> list[HistoryEntry]:
    """Every history row of one case or incident, oldest first."""
    rows = s.scalars(
        select(HistoryRow)
        .where(HistoryRow.entity == entity, HistoryRow.entity_id == entity_id)
        .order_by(HistoryRow.id)
    ).all()
    return [
        HistoryEntry(
            at=h.at, actor=h.actor, action=h.action, field=h.field, old=h.old_value, new=h.new_value, note=h.note
        )
        for h in rows
    ]

"""The case workflow of the dispute ledger: field updates with optimistic locking and the status transitions the
一人一案一策 rules allow, each change written to the history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from .case_store import CaseStore, _actor, _check_version
from .errors import InvalidTransition, StaleVersion
from .fields import coerce_fields
from .history import record
from .records import Case
from .vocab import OPEN_STATUSES, TRANSITIONS, CaseStatus, parse_status

__all__ = ["CaseWorkflow"]

#: Fields required before a case may go to 化解中 (一人一案一策: one owner, one plan, one deadline).
_RESOLVING_REQUIRES = ("responsible_person", "plan", "deadline")


class CaseWorkflow(CaseStore):
    """Changing cases: edits and status transitions."""

    def update(
        self,
        case_id: int | str,
        *,
        by: str,
        note: str | None = None,
        expected_version: int | None = None,
        **fields: Any,
    ) -> Case:
        """Change case fields; every changed field is written to the history (old -> new).

        ``expected_version`` (the ``version`` the caller read) makes a concurrent edit fail with
        :class:`StaleVersion` instead of silently overwriting it.
        """
        by = _actor(by)
        values = coerce_fields(fields)
        try:
            with self.db.session() as s:
                row = self._load(s, case_id)
                _check_version(row, expected_version)
                if row.status in {st.value for st in OPEN_STATUSES} and values.get("event_id"):
                    self._refuse_second_open(s, row, str(values["event_id"]), field="event_id")
                if self._apply(s, row, values, by=by, note=note):
                    row.updated_at = self.clock()
                    row.updated_by = by
                s.flush()
                return self._to_case(row)
        except StaleDataError:
            raise StaleVersion("case", case_id, expected_version or 0, -1) from None

    def transition(
        self,
        case_id: int | str,
        to_status: CaseStatus | str,
        *,
        by: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Case:
        """Move a case along the workflow 待核实 -> 核实中 -> 化解中 -> 已化解 / 不属实.

        Raises :class:`InvalidTransition` for a change the workflow does not allow, for 化解中 without a
        responsible person, a plan and a deadline (一人一案一策), and for closing or reopening without a note.
        The note of a closing change is kept as the case's ``resolution``.
        """
        by = _actor(by)
        target = parse_status(to_status)
        note = (note or "").strip() or None
        with self.db.session() as s:
            row = self._load(s, case_id)
            _check_version(row, expected_version)
            current = CaseStatus(row.status)
            if target is current:
                raise InvalidTransition(row.number, current.label_zh, target.label_zh, "already in that status")
            if target not in TRANSITIONS[current]:
                allowed = "、".join(t.label_zh for t in TRANSITIONS[current]) or "无"
                raise InvalidTransition(row.number, current.label_zh, target.label_zh, f"allowed next: {allowed}")
            if target is CaseStatus.RESOLVING:
                missing = [f for f in _RESOLVING_REQUIRES if getattr(row, f) in (None, "")]
                if missing:
                    raise InvalidTransition(
                        row.number,
                        current.label_zh,
                        target.label_zh,
                        "一人一案一策: set " + ", ".join(missing) + " first",
                    )
            closing = not target.is_open
            reopening = not current.is_open
            if (closing or reopening) and not note:
                raise InvalidTransition(
                    row.number, current.label_zh, target.label_zh, "a note (reason / result) is required"
                )
            if reopening and row.event_id:
                other = self._other_open(s, row, row.event_id)
                if other is not None:
                    raise InvalidTransition(
                        row.number, current.label_zh, target.label_zh,
                        f"case {other.number} is already open for the same event ({row.event_id}): work there",
                    )
            now = self.clock()
            row.status = target.value
            row.status_changed_at = now
            row.status_changed_by = by
            row.closed_at = now if closing else None
            if closing:
                row.resolution = note
            row.updated_at = now
            row.updated_by = by
            record(
                s,
                "case",
                row.id,
                now,
                by,
                "transition",
                field="status",
                old=current.label_zh,
                new=target.label_zh,
                note=note,
            )
            s.flush()
            return self._to_case(row)

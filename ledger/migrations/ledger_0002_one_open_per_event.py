"""ledger: at most one open case and one open incident per event cluster (partial unique indexes on event_id)

Two alerts of one new event arriving at the same instant from two writers could open two cases; the index makes
the second insert fail, and the ledger then attaches that alert to the first case. A database that already holds
two open cases (or incidents) of one event cannot take the index: the upgrade stops and names them, to be closed
or merged by an officer first (nothing is changed automatically).

Revision ID: ledger_0002
Revises: ledger_0001
Create Date: 2026-11-28 05:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ledger_0002"
down_revision = "ledger_0001"
branch_labels = None
depends_on = None

# the same text as ledger.models (a migration keeps its own copy: later model changes must not rewrite history)
OPEN_CASE = "event_id IS NOT NULL AND status IN ('pending', 'verifying', 'resolving')"
OPEN_INCIDENT = "event_id IS NOT NULL AND status = 'open'"


def _refuse_duplicates(table: str, predicate: str, what: str) -> None:
    rows = op.get_bind().execute(sa.text(
        f"SELECT event_id, COUNT(*) AS n, MIN(number) AS a, MAX(number) AS b FROM {table} "  # noqa: S608 - constants
        f"WHERE {predicate} GROUP BY event_id HAVING COUNT(*) > 1"
    )).fetchall()
    if rows:
        listed = "; ".join(f"event {r.event_id}: {r.n} open {what} ({r.a} ... {r.b})" for r in rows[:10])
        raise RuntimeError(f"{table}: several open {what} share one event cluster; close or merge them, then "
                           f"upgrade again: {listed}")


def upgrade() -> None:
    _refuse_duplicates("ledger_cases", OPEN_CASE, "cases")
    _refuse_duplicates("ledger_incidents", OPEN_INCIDENT, "incidents")
    op.create_index("uq_ledger_cases_open_event", "ledger_cases", ["event_id"], unique=True,
                    sqlite_where=sa.text(OPEN_CASE), postgresql_where=sa.text(OPEN_CASE))
    op.create_index("uq_ledger_incidents_open_event", "ledger_incidents", ["event_id"], unique=True,
                    sqlite_where=sa.text(OPEN_INCIDENT), postgresql_where=sa.text(OPEN_INCIDENT))


def downgrade() -> None:
    op.drop_index("uq_ledger_incidents_open_event", table_name="ledger_incidents")
    op.drop_index("uq_ledger_cases_open_event", table_name="ledger_cases")

"""web: sessions record whose they are (user_stamp), so a stale cookie never opens another user's session

Revision ID: i16_web_session_stamp
Revises: w001_web_tables
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i16_web_session_stamp"
down_revision = "w001_web_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("user_stamp", sa.String(64), nullable=True))
    # sessions from before this revision carry no stamp: they end, and their users log in again
    op.execute("DELETE FROM web_sessions")


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("user_stamp")

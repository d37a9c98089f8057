"""web: saved searches (optionally subscribed: what is new since last opened)

Revision ID: i17_saved_searches
Revises: i16_web_session_stamp
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "i17_saved_searches"
down_revision = "i16_web_session_stamp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_saved_searches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("seen_at", UtcDateTime(), nullable=False),
        sa.Column("notified_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("user_id", "name", name="uq_web_saved_searches_user_name"),
    )
    op.create_index("ix_web_saved_searches_user_id", "web_saved_searches", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_web_saved_searches_user_id", table_name="web_saved_searches")
    op.drop_table("web_saved_searches")

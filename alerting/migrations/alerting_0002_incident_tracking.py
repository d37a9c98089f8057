"""alerting: incident tracking (alert profile, merged_into; the tracker's reading of each evidence post)

Revision ID: alerting_0002
Revises: alerting_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "alerting_0002"
down_revision = "alerting_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as b:
        b.add_column(sa.Column("profile", sa.JSON(), nullable=True))
        b.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        b.create_index(b.f("ix_alerts_merged_into"), ["merged_into"], unique=False)
    with op.batch_alter_table("alert_posts") as b:
        b.add_column(sa.Column("signal", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_posts") as b:
        b.drop_column("signal")
    with op.batch_alter_table("alerts") as b:
        b.drop_index(b.f("ix_alerts_merged_into"))
        b.drop_column("merged_into")
        b.drop_column("profile")

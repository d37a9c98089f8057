"""companies: operating status of a registry firm (在营 / 停业 / 注销 / 迁出), for the negative-coverage follow-up

Revision ID: companies_0003
Revises: companies_0002
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "companies_0003"
down_revision = "companies_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("operating_status", sa.String(length=12), server_default="operating",
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_column("operating_status")

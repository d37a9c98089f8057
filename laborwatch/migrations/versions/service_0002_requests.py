"""service: requests to the running scheduler (crawl now)

Revision ID: service_0002
Revises: service_0001
Create Date: 2025-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "service_0002"
down_revision = "service_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("arg", sa.String(255), nullable=True),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("requested_by", sa.String(255), nullable=True),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    op.create_index("ix_service_requests_pending", "service_requests", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_service_requests_pending", table_name="service_requests")
    op.drop_table("service_requests")

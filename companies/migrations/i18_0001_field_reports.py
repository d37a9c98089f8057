"""companies: field reports (网格上报, 12345 热线工单) that enter the pipeline as posts

Revision ID: i18_0001
Revises: companies_0003
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "i18_0001"
down_revision = "companies_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("ticket_no", sa.String(length=60), nullable=True),
        sa.Column("reported_at", UtcDateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("credit_code", sa.String(length=40), nullable=True),
        sa.Column("town", sa.String(length=60), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("reporter", sa.String(length=60), nullable=True),
        sa.Column("source_file", sa.String(length=255), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("post_id", sa.String(length=64), nullable=False),
        sa.Column("labor_dispute", sa.Boolean(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("processed_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("origin", "ticket_no", name="uq_field_reports_origin_ticket"),
        sa.UniqueConstraint("post_id", name="uq_field_reports_post_id"),
    )
    op.create_index("ix_field_reports_status", "field_reports", ["status"])
    op.create_index("ix_field_reports_credit_code", "field_reports", ["credit_code"])
    op.create_index("ix_field_reports_company_name", "field_reports", ["company_name"])


def downgrade() -> None:
    op.drop_index("ix_field_reports_company_name", table_name="field_reports")
    op.drop_index("ix_field_reports_credit_code", table_name="field_reports")
    op.drop_index("ix_field_reports_status", table_name="field_reports")
    op.drop_table("field_reports")

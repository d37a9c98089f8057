"""companies: the wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒名单) with credit repair

Revision ID: companies_0002
Revises: companies_0001
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "companies_0002"
down_revision = "companies_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arrears_blacklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=40), nullable=False),
        sa.Column("decision_no", sa.String(length=80), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("arrears_from", sa.Date(), nullable=True),
        sa.Column("arrears_to", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("pushed_on", sa.Date(), nullable=True),
        sa.Column("pushed_to", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("repair_applied_on", sa.Date(), nullable=True),
        sa.Column("repair_outcome", sa.String(length=12), nullable=True),
        sa.Column("repair_decided_on", sa.Date(), nullable=True),
        sa.Column("repair_note", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["credit_code"], ["companies.credit_code"],
                                name=op.f("fk_arrears_blacklist_credit_code_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrears_blacklist")),
        sa.UniqueConstraint("decision_no", name=op.f("uq_arrears_blacklist_decision_no")),
    )
    op.create_index(op.f("ix_arrears_blacklist_credit_code"), "arrears_blacklist", ["credit_code"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_arrears_blacklist_credit_code"), table_name="arrears_blacklist")
    op.drop_table("arrears_blacklist")

"""ledger: referrals of cases to other departments (交办/移送, 区区联动, 市区联动) and the wage guarantee fund
(欠薪保障金) on cases

Revision ID: ledger_0003
Revises: ledger_0002
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "ledger_0003"
down_revision = "ledger_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("other_district", sa.String(length=60), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["ledger_cases.id"], ondelete="CASCADE",
                                name=op.f("fk_ledger_referrals_case_id_ledger_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_referrals")),
    )
    op.create_index(op.f("ix_ledger_referrals_case_id"), "ledger_referrals", ["case_id"], unique=False)
    op.create_table(
        "ledger_wage_fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposal_reason", sa.Text(), nullable=True),
        sa.Column("requested_fen", sa.BigInteger(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("approved_fen", sa.BigInteger(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("paid_fen", sa.BigInteger(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["ledger_cases.id"], ondelete="CASCADE",
                                name=op.f("fk_ledger_wage_fund_case_id_ledger_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_wage_fund")),
        sa.UniqueConstraint("case_id", name=op.f("uq_ledger_wage_fund_case_id")),
    )


def downgrade() -> None:
    op.drop_table("ledger_wage_fund")
    op.drop_index(op.f("ix_ledger_referrals_case_id"), table_name="ledger_referrals")
    op.drop_table("ledger_referrals")

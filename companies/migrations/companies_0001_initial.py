"""companies: registry, aliases, key supervision list, guidance visits, history

Revision ID: companies_0001
Revises:
Create Date: 2026-12-06 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "companies_0001"
down_revision = None
branch_labels = ("companies",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("credit_code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("town", sa.String(length=60), nullable=True),
        sa.Column("industry", sa.String(length=60), nullable=True),
        sa.Column("key_supervision", sa.Boolean(), nullable=False),
        sa.Column("is_test", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_companies")),
    )
    op.create_index(op.f("ix_companies_name"), "companies", ["name"], unique=False)
    op.create_table(
        "company_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=40), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["credit_code"], ["companies.credit_code"], ondelete="CASCADE",
                                name=op.f("fk_company_aliases_credit_code_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_aliases")),
        sa.UniqueConstraint("credit_code", "alias", name="uq_company_aliases_code_alias"),
    )
    op.create_index(op.f("ix_company_aliases_credit_code"), "company_aliases", ["credit_code"], unique=False)
    op.create_index(op.f("ix_company_aliases_alias"), "company_aliases", ["alias"], unique=False)
    op.create_table(
        "supervision_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("ground", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("risk_level", sa.String(length=4), nullable=False),
        sa.Column("person_in_charge", sa.String(length=60), nullable=True),
        sa.Column("key_area", sa.Boolean(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("delisted_on", sa.Date(), nullable=True),
        sa.Column("delist_reason", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("proposed_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=60), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["credit_code"], ["companies.credit_code"],
                                name=op.f("fk_supervision_entries_credit_code_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_entries")),
    )
    op.create_index(op.f("ix_supervision_entries_credit_code"), "supervision_entries", ["credit_code"],
                    unique=False)
    op.create_index("ix_supervision_entries_status", "supervision_entries", ["status"], unique=False)
    # at most one proposed or active entry per firm (the same text as companies.models.OPEN_ENTRY_PREDICATE)
    open_entry = sa.text("status IN ('proposed', 'active')")
    op.create_index("uq_supervision_entries_open", "supervision_entries", ["credit_code"], unique=True,
                    sqlite_where=open_entry, postgresql_where=open_entry)
    op.create_table(
        "guidance_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=40), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=120), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["credit_code"], ["companies.credit_code"],
                                name=op.f("fk_guidance_visits_credit_code_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_visits")),
    )
    op.create_index("ix_guidance_visits_code_date", "guidance_visits", ["credit_code", "visited_on"], unique=False)
    op.create_table(
        "companies_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies_history")),
    )
    op.create_index("ix_companies_history_target", "companies_history", ["target_type", "target_id"], unique=False)


def downgrade() -> None:
    op.drop_table("companies_history")
    op.drop_table("guidance_visits")
    op.drop_table("supervision_entries")
    op.drop_table("company_aliases")
    op.drop_table("companies")

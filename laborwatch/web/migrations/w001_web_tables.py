"""web: accounts, sessions, audit log, feedback labels

Revision ID: w001_web_tables
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "w001_web_tables"
down_revision = None
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_login_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_web_users"),
        sa.UniqueConstraint("username", name="uq_web_users_username"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("ip", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_web_sessions_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["web_users.id"], name="fk_web_sessions_user_id_web_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "web_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_web_audit_log"),
    )
    op.create_index("ix_web_audit_log_at", "web_audit_log", ["at"])
    op.create_index("ix_web_audit_log_target", "web_audit_log", ["target_type", "target_id"])
    op.create_table(
        "web_feedback_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(128), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("labor_dispute", sa.Boolean(), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("employers", sa.JSON(), nullable=False),
        sa.Column("company_id", sa.String(64)),
        sa.Column("workers", sa.Integer()),
        sa.Column("amount_yuan", sa.Float()),
        sa.Column("confidence", sa.String(8), nullable=False),
        sa.Column("model_labor_dispute", sa.Boolean()),
        sa.Column("model_event_types", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(64)),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("alert_id", sa.String(64)),
        sa.Column("user_id", sa.Integer()),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_web_feedback_labels"),
    )
    op.create_index("ix_web_feedback_labels_post", "web_feedback_labels", ["post_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_web_feedback_labels_post", table_name="web_feedback_labels")
    op.drop_table("web_feedback_labels")
    op.drop_index("ix_web_audit_log_target", table_name="web_audit_log")
    op.drop_index("ix_web_audit_log_at", table_name="web_audit_log")
    op.drop_table("web_audit_log")
    op.drop_table("web_sessions")
    op.drop_table("web_users")

"""alerting: initial tables (alerts, evidence, history, outbox, silences, observations, digests)

Revision ID: alerting_0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "alerting_0001"
down_revision = None
branch_labels = ("alerting",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", UtcDateTime(), nullable=False),
        sa.Column("period_end", UtcDateTime(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_digests")),
        sa.UniqueConstraint("kind", "period_start", name="uq_alert_digests_kind_period"),
    )
    op.create_table(
        "alert_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_observations")),
        sa.UniqueConstraint("key_kind", "key", "post_id", name="uq_alert_observations_key_post"),
    )
    op.create_index("ix_alert_observations_key_at", "alert_observations", ["key_kind", "key", "at"], unique=False)
    op.create_table(
        "alert_silences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("until", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_silences")),
    )
    op.create_index(op.f("ix_alert_silences_until"), "alert_silences", ["until"], unique=False)
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_key", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("silenced", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("company_id", sa.String(length=64), nullable=True),
        sa.Column("company_name", sa.String(length=300), nullable=True),
        sa.Column("company_registered", sa.Boolean(), nullable=False),
        sa.Column("key_supervision", sa.Boolean(), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("post_count", sa.Integer(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("amount_yuan", sa.Float(), nullable=True),
        sa.Column("max_severity", sa.String(length=4), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("notified_level", sa.String(length=4), nullable=True),
        sa.Column("notified_at", UtcDateTime(), nullable=True),
        sa.Column("notified_post_count", sa.Integer(), nullable=False),
        sa.Column("ack_deadline", UtcDateTime(), nullable=True),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        sa.Column("acked_at", UtcDateTime(), nullable=True),
        sa.Column("acked_by", sa.String(length=100), nullable=True),
        sa.Column("acked_via", sa.String(length=20), nullable=True),
        sa.Column("incident_state", sa.String(length=20), nullable=True),
        sa.Column("incident_ref", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("cluster_key", name=op.f("uq_alerts_cluster_key")),
    )
    op.create_index(op.f("ix_alerts_ack_deadline"), "alerts", ["ack_deadline"], unique=False)
    op.create_index(op.f("ix_alerts_company_id"), "alerts", ["company_id"], unique=False)
    op.create_index(op.f("ix_alerts_created_at"), "alerts", ["created_at"], unique=False)
    op.create_index(op.f("ix_alerts_town"), "alerts", ["town"], unique=False)
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_events_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    op.create_index(op.f("ix_alert_events_alert_id"), "alert_events", ["alert_id"], unique=False)
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_outbox_alert_id_alerts"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_alert_outbox_dedup_key")),
    )
    op.create_index(op.f("ix_alert_outbox_alert_id"), "alert_outbox", ["alert_id"], unique=False)
    op.create_index("ix_alert_outbox_status_next", "alert_outbox", ["status", "next_attempt_at"], unique=False)
    op.create_table(
        "alert_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("severity", sa.String(length=4), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("amount_yuan", sa.Float(), nullable=True),
        sa.Column("severity_factors", sa.JSON(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_posts_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_posts")),
        sa.UniqueConstraint("alert_id", "post_id", name="uq_alert_posts_alert_post"),
    )
    op.create_index(op.f("ix_alert_posts_alert_id"), "alert_posts", ["alert_id"], unique=False)
    op.create_index(op.f("ix_alert_posts_post_id"), "alert_posts", ["post_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_posts_post_id"), table_name="alert_posts")
    op.drop_index(op.f("ix_alert_posts_alert_id"), table_name="alert_posts")
    op.drop_table("alert_posts")
    op.drop_index("ix_alert_outbox_status_next", table_name="alert_outbox")
    op.drop_index(op.f("ix_alert_outbox_alert_id"), table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_index(op.f("ix_alert_events_alert_id"), table_name="alert_events")
    op.drop_table("alert_events")
    op.drop_index(op.f("ix_alerts_town"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_created_at"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_company_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_ack_deadline"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_alert_silences_until"), table_name="alert_silences")
    op.drop_table("alert_silences")
    op.drop_index("ix_alert_observations_key_at", table_name="alert_observations")
    op.drop_table("alert_observations")
    op.drop_table("alert_digests")

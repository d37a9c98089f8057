"""ledger: cases (台账), case links to alerts and posts, history, incidents (突发事件) and their timeline

Revision ID: ledger_0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lwcore.db import UtcDateTime

revision = "ledger_0001"
down_revision = None
branch_labels = ("ledger",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("company_id", sa.String(length=40), nullable=True),
        sa.Column("town", sa.String(length=60), nullable=True),
        sa.Column("industry", sa.String(length=60), nullable=True),
        sa.Column("dispute_types", sa.String(length=300), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("risk_level", sa.String(length=4), nullable=True),
        sa.Column("responsible_unit", sa.String(length=120), nullable=True),
        sa.Column("responsible_person", sa.String(length=60), nullable=True),
        sa.Column("lead_official", sa.String(length=60), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", UtcDateTime(), nullable=False),
        sa.Column("status_changed_by", sa.String(length=60), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=80), nullable=True),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_cases")),
        sa.UniqueConstraint("import_key", name=op.f("uq_ledger_cases_import_key")),
        sa.UniqueConstraint("number", name=op.f("uq_ledger_cases_number")),
    )
    op.create_index(op.f("ix_ledger_cases_company_id"), "ledger_cases", ["company_id"], unique=False)
    op.create_index(op.f("ix_ledger_cases_created_at"), "ledger_cases", ["created_at"], unique=False)
    op.create_index(op.f("ix_ledger_cases_deadline"), "ledger_cases", ["deadline"], unique=False)
    op.create_index(op.f("ix_ledger_cases_event_id"), "ledger_cases", ["event_id"], unique=False)
    op.create_index(op.f("ix_ledger_cases_risk_level"), "ledger_cases", ["risk_level"], unique=False)
    op.create_index(op.f("ix_ledger_cases_status"), "ledger_cases", ["status"], unique=False)
    op.create_index("ix_ledger_cases_status_deadline", "ledger_cases", ["status", "deadline"], unique=False)
    op.create_index(op.f("ix_ledger_cases_town"), "ledger_cases", ["town"], unique=False)
    op.create_table(
        "ledger_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_history")),
    )
    op.create_index("ix_ledger_history_entity", "ledger_history", ["entity", "entity_id", "id"], unique=False)
    op.create_table(
        "ledger_case_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=True),
        sa.Column("linked_at", UtcDateTime(), nullable=False),
        sa.Column("linked_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["ledger_cases.id"],
            name=op.f("fk_ledger_case_alerts_case_id_ledger_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_case_alerts")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_ledger_case_alerts_alert_id")),
    )
    op.create_index(op.f("ix_ledger_case_alerts_case_id"), "ledger_case_alerts", ["case_id"], unique=False)
    op.create_table(
        "ledger_case_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("alert_id", sa.String(length=80), nullable=True),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["ledger_cases.id"], name=op.f("fk_ledger_case_posts_case_id_ledger_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_case_posts")),
        sa.UniqueConstraint("case_id", "post_id", name="uq_ledger_case_posts_case_post"),
    )
    op.create_table(
        "ledger_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("town", sa.String(length=60), nullable=True),
        sa.Column("company_id", sa.String(length=40), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("event_id", sa.String(length=80), nullable=True),
        sa.Column("post_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("settled_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["ledger_cases.id"], name=op.f("fk_ledger_incidents_case_id_ledger_cases"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_incidents")),
        sa.UniqueConstraint("number", name=op.f("uq_ledger_incidents_number")),
    )
    op.create_index(op.f("ix_ledger_incidents_event_id"), "ledger_incidents", ["event_id"], unique=False)
    op.create_index(op.f("ix_ledger_incidents_level"), "ledger_incidents", ["level"], unique=False)
    op.create_index(op.f("ix_ledger_incidents_received_at"), "ledger_incidents", ["received_at"], unique=False)
    op.create_index(op.f("ix_ledger_incidents_status"), "ledger_incidents", ["status"], unique=False)
    op.create_index(op.f("ix_ledger_incidents_town"), "ledger_incidents", ["town"], unique=False)
    op.create_table(
        "ledger_incident_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=True),
        sa.Column("linked_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["ledger_incidents.id"],
            name=op.f("fk_ledger_incident_alerts_incident_id_ledger_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_incident_alerts")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_ledger_incident_alerts_alert_id")),
    )
    op.create_index(
        op.f("ix_ledger_incident_alerts_incident_id"), "ledger_incident_alerts", ["incident_id"], unique=False
    )
    op.create_table(
        "ledger_incident_dispatches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("unit", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["ledger_incidents.id"],
            name=op.f("fk_ledger_incident_dispatches_incident_id_ledger_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_incident_dispatches")),
    )
    op.create_index(
        op.f("ix_ledger_incident_dispatches_incident_id"), "ledger_incident_dispatches", ["incident_id"], unique=False
    )
    op.create_table(
        "ledger_incident_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["ledger_incidents.id"],
            name=op.f("fk_ledger_incident_reports_incident_id_ledger_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_incident_reports")),
    )
    op.create_index(
        op.f("ix_ledger_incident_reports_incident_id"), "ledger_incident_reports", ["incident_id"], unique=False
    )
    op.create_table(
        "ledger_incident_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("by", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["ledger_incidents.id"],
            name=op.f("fk_ledger_incident_steps_incident_id_ledger_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_incident_steps")),
    )
    op.create_index(
        op.f("ix_ledger_incident_steps_incident_id"), "ledger_incident_steps", ["incident_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_incident_steps_incident_id"), table_name="ledger_incident_steps")
    op.drop_table("ledger_incident_steps")
    op.drop_index(op.f("ix_ledger_incident_reports_incident_id"), table_name="ledger_incident_reports")
    op.drop_table("ledger_incident_reports")
    op.drop_index(op.f("ix_ledger_incident_dispatches_incident_id"), table_name="ledger_incident_dispatches")
    op.drop_table("ledger_incident_dispatches")
    op.drop_index(op.f("ix_ledger_incident_alerts_incident_id"), table_name="ledger_incident_alerts")
    op.drop_table("ledger_incident_alerts")
    op.drop_index(op.f("ix_ledger_incidents_town"), table_name="ledger_incidents")
    op.drop_index(op.f("ix_ledger_incidents_status"), table_name="ledger_incidents")
    op.drop_index(op.f("ix_ledger_incidents_received_at"), table_name="ledger_incidents")
    op.drop_index(op.f("ix_ledger_incidents_level"), table_name="ledger_incidents")
    op.drop_index(op.f("ix_ledger_incidents_event_id"), table_name="ledger_incidents")
    op.drop_table("ledger_incidents")
    op.drop_table("ledger_case_posts")
    op.drop_index(op.f("ix_ledger_case_alerts_case_id"), table_name="ledger_case_alerts")
    op.drop_table("ledger_case_alerts")
    op.drop_index("ix_ledger_history_entity", table_name="ledger_history")
    op.drop_table("ledger_history")
    op.drop_index(op.f("ix_ledger_cases_town"), table_name="ledger_cases")
    op.drop_index("ix_ledger_cases_status_deadline", table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_status"), table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_risk_level"), table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_event_id"), table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_deadline"), table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_created_at"), table_name="ledger_cases")
    op.drop_index(op.f("ix_ledger_cases_company_id"), table_name="ledger_cases")
    op.drop_table("ledger_cases")

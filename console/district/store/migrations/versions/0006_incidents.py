"""Incidents, their checklists, links and timelines; shift handover reports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", S(32), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("type", S(32), nullable=False),
        sa.Column("severity", sa.SmallInteger, nullable=False),
        sa.Column("title", S(200), nullable=False),
        sa.Column("ward", S(64), nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("status", S(16), nullable=False),
        sa.Column("list_rank", sa.SmallInteger, nullable=False),
        sa.Column("owner", S(64), nullable=False),
        sa.Column("owner_name", S(128), nullable=False),
        sa.Column("opened_ms", B, nullable=False),
        sa.Column("opened_by", S(64), nullable=False),
        sa.Column("updated_ms", B, nullable=False),
        sa.Column("resolved_ms", B, nullable=False),
        sa.Column("closed_ms", B, nullable=False),
        sa.Column("sop_version", S(32), nullable=False),
        sa.Column("steps_open", sa.Integer, nullable=False),
        sa.Column("next_due_ms", B, nullable=False),
        sa.Column("search", sa.Text, nullable=False),
    )
    op.create_index("ux_incidents_year_number", "incidents", ["year", "number"], unique=True)
    op.create_index(
        "ix_incidents_list",
        "incidents",
        ["list_rank", sa.text("severity DESC"), sa.text("opened_ms DESC")],
    )
    op.create_index(
        "ix_incidents_status",
        "incidents",
        ["status", sa.text("severity DESC"), sa.text("opened_ms DESC")],
    )
    op.create_index("ix_incidents_closed", "incidents", ["closed_ms"])
    for col in ("type", "ward"):
        op.create_index(
            f"ix_incidents_{col}",
            "incidents",
            [col, "list_rank", sa.text("severity DESC"), sa.text("opened_ms DESC")],
        )
    op.create_table(
        "incident_steps",
        sa.Column("incident_id", S(32), sa.ForeignKey("incidents.id"), primary_key=True),
        sa.Column("step_id", S(40), primary_key=True),
        sa.Column("ord", sa.Integer, nullable=False),
        sa.Column("text_vi", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("required", sa.Boolean, nullable=False),
        sa.Column("role", S(16), nullable=False),
        sa.Column("due_ms", B, nullable=False),
        sa.Column("state", S(8), nullable=False),
        sa.Column("by_user", S(64), nullable=False),
        sa.Column("by_name", S(128), nullable=False),
        sa.Column("at_ms", B, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("overdue_ms", B, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_incident_steps_due", "incident_steps", ["state", "due_ms"])
    op.create_table(
        "incident_links",
        sa.Column("incident_id", S(32), sa.ForeignKey("incidents.id"), primary_key=True),
        sa.Column("kind", S(8), primary_key=True),
        sa.Column("ref", S(100), primary_key=True),
        sa.Column("linked_ms", B, nullable=False),
        sa.Column("linked_by", S(64), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_incident_links_ref", "incident_links", ["kind", "ref"])
    op.create_table(
        "incident_timeline",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", S(32), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("kind", S(16), nullable=False),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("user_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("ref", S(100), nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("handover", sa.Boolean, nullable=False),
    )
    op.create_index("ix_incident_timeline", "incident_timeline", ["incident_id", "id"])
    op.create_index(
        "ix_incident_timeline_handover",
        "incident_timeline",
        ["ts_ms"],
        sqlite_where=sa.text("handover = 1"),
    )
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("since_ms", B, nullable=False),
        sa.Column("by_user", S(64), nullable=False),
        sa.Column("by_name", S(128), nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("digest", S(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("acked_by", S(64), nullable=False),
        sa.Column("acked_name", S(128), nullable=False),
        sa.Column("acked_ms", B, nullable=False),
        sa.Column("acked_note", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("handovers")
    op.drop_index("ix_incident_timeline_handover", "incident_timeline")
    op.drop_index("ix_incident_timeline", "incident_timeline")
    op.drop_table("incident_timeline")
    op.drop_index("ix_incident_links_ref", "incident_links")
    op.drop_table("incident_links")
    op.drop_index("ix_incident_steps_due", "incident_steps")
    op.drop_table("incident_steps")
    op.drop_index("ix_incidents_ward", "incidents")
    op.drop_index("ix_incidents_type", "incidents")
    op.drop_index("ix_incidents_closed", "incidents")
    op.drop_index("ix_incidents_status", "incidents")
    op.drop_index("ix_incidents_list", "incidents")
    op.drop_index("ux_incidents_year_number", "incidents")
    op.drop_table("incidents")

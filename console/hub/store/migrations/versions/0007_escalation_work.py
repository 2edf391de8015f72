"""How the IOC handles escalations: who took each, its acknowledgement (sent down on the
``esc_ack`` stream), the agency it was assigned to, and who did what.

Revision ID: h0007
Revises: h0006
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0007"
down_revision = "h0006"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "escalation_handling",
        sa.Column("sender", S(200), primary_key=True),
        sa.Column("identifier", S(200), primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("handler", S(64), nullable=False),
        sa.Column("handler_name", S(128), nullable=False),
        sa.Column("taken_ms", B, nullable=False),
        sa.Column("agency", S(64), nullable=False),
        sa.Column("agency_by", S(64), nullable=False),
        sa.Column("agency_ms", B, nullable=False),
        sa.Column("acked_by", S(64), nullable=False),
        sa.Column("acked_name", S(128), nullable=False),
        sa.Column("acked_ms", B, nullable=False),
        sa.Column("ack_note", S(1000), nullable=False),
        sa.Column("ack_seq", B, nullable=False),
    )
    op.create_table(
        "escalation_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender", S(200), nullable=False),
        sa.Column("identifier", S(200), nullable=False),
        sa.Column("action", S(16), nullable=False),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("user_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("authenticated", sa.Boolean, nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("detail", S(1000), nullable=False),
    )
    op.create_index(
        "ix_escalation_events_item", "escalation_events", ["sender", "identifier", "id"]
    )
    op.create_index("ix_escalations_identifier", "escalations", ["sender", "identifier"])


def downgrade() -> None:
    op.drop_index("ix_escalations_identifier", "escalations")
    op.drop_index("ix_escalation_events_item", "escalation_events")
    op.drop_table("escalation_events")
    op.drop_table("escalation_handling")

"""Escalations to the city IOC: the CAP messages sent and their acknowledgements.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("identifier", S(128), primary_key=True),
        sa.Column("number", sa.Integer, nullable=False, unique=True),
        sa.Column("incident_id", S(32), nullable=False),
        sa.Column("msg_type", S(8), nullable=False),
        sa.Column("status", S(16), nullable=False),
        sa.Column("sent_ms", B, nullable=False),
        sa.Column("severity", S(16), nullable=False),
        sa.Column("urgency", S(16), nullable=False),
        sa.Column("certainty", S(16), nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("refs", sa.Text, nullable=False),
        sa.Column("by_user", S(64), nullable=False),
        sa.Column("by_name", S(128), nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("out_seq", B, nullable=False),
        sa.Column("delivered_ms", B, nullable=False),
        sa.Column("ack_by", S(64), nullable=False),
        sa.Column("ack_name", S(128), nullable=False),
        sa.Column("ack_ms", B, nullable=False),
        sa.Column("ack_note", sa.Text, nullable=False),
        sa.Column("ack_received_ms", B, nullable=False),
        sa.Column("overdue_ms", B, nullable=False),
    )
    op.create_index("ix_escalations_incident", "escalations", ["incident_id", "number"])


def downgrade() -> None:
    op.drop_index("ix_escalations_incident", "escalations")
    op.drop_table("escalations")

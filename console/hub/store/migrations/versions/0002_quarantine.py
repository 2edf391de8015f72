"""Hub quarantine: records acknowledged but not stored as intended, with the reason.

Revision ID: h0002
Revises: h0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0002"
down_revision = "h0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_quarantine",
        sa.Column("console_id", sa.String(64), primary_key=True),
        sa.Column("db_id", sa.String(64), primary_key=True),
        sa.Column("stream", sa.String(32), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("site_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("received_ms", sa.BigInteger, nullable=False),
        sa.Column("record", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_hub_quarantine_reason", "hub_quarantine", ["console_id", "reason"])


def downgrade() -> None:
    op.drop_index("ix_hub_quarantine_reason", "hub_quarantine")
    op.drop_table("hub_quarantine")

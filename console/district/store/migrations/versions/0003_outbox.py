"""Uplink outbox, its streams, and the (feed, minute) pairs awaiting a summary.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_streams",
        sa.Column("stream", sa.String(32), primary_key=True),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("acked_seq", sa.BigInteger, nullable=False),
        sa.Column("acked_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("stream", sa.String(32), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "summary_pending",
        sa.Column("feed_id", sa.Integer, primary_key=True),
        sa.Column("minute", sa.Integer, primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("summary_pending")
    op.drop_table("outbox")
    op.drop_table("outbox_streams")

"""Action-log entries forwarded by the consoles, and each chain's head.

Revision ID: h0003
Revises: h0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0003"
down_revision = "h0002"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("chain", S(64), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("console_id", S(64), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("user_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("authenticated", sa.Boolean, nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("action", S(32), nullable=False),
        sa.Column("object_id", S(128), nullable=False),
        sa.Column("before_value", S(1000), nullable=False),
        sa.Column("after_value", S(1000), nullable=False),
        sa.Column("note", S(1000), nullable=False),
        sa.Column("prev_hash", S(64), nullable=False),
        sa.Column("hash", S(64), nullable=False),
        sa.Column("hash_ok", sa.Boolean, nullable=False),
        sa.Column("received_ms", B, nullable=False),
    )
    op.create_table(
        "audit_heads",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("chain", S(64), primary_key=True),
        sa.Column("console_id", S(64), nullable=False),
        sa.Column("seq", B, nullable=False),
        sa.Column("hash", S(64), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("entries", B, nullable=False),
        sa.Column("first_bad_seq", B, nullable=False),
        sa.Column("bad_reason", S(200), nullable=False),
        sa.Column("received_ms", B, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_heads")
    op.drop_table("audit_entries")

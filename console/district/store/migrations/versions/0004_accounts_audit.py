"""Accounts of the people on duty, and the hash-chained action log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

B = sa.BigInteger


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("full_name", sa.String(128), nullable=False),
        sa.Column("roles", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("disabled_ms", B, nullable=False),
        sa.Column("password_changed_ms", B, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("wait_until_ms", B, nullable=False),
        sa.Column("last_login_ms", B, nullable=False),
    )
    op.create_table(
        "action_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("roles", sa.String(64), nullable=False),
        sa.Column("authenticated", sa.Boolean, nullable=False),
        sa.Column("workstation", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(128), nullable=False),
        sa.Column("before_value", sa.Text, nullable=False),
        sa.Column("after_value", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_action_log_ts", "action_log", ["ts_ms"])


def downgrade() -> None:
    op.drop_index("ix_action_log_ts", "action_log")
    op.drop_table("action_log")
    op.drop_table("users")

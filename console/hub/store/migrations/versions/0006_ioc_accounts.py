"""The city IOC's people: accounts (``ioc_users``) and the IOC's hash-chained action log
(``ioc_action_log``), with its chain id in ``hub_meta`` (``ioc_chain``).

Revision ID: h0006
Revises: h0005
Create Date: 2026-12-08
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "h0006"
down_revision = "h0005"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "ioc_users",
        sa.Column("user_id", S(64), primary_key=True),
        sa.Column("full_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("created_by", S(64), nullable=False),
        sa.Column("disabled_ms", B, nullable=False),
        sa.Column("password_changed_ms", B, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("wait_until_ms", B, nullable=False),
        sa.Column("last_login_ms", B, nullable=False),
    )
    op.create_table(
        "ioc_action_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("user_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("authenticated", sa.Boolean, nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("action", S(32), nullable=False),
        sa.Column("object_id", S(128), nullable=False),
        sa.Column("before_value", sa.Text, nullable=False),
        sa.Column("after_value", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("prev_hash", S(64), nullable=False),
        sa.Column("hash", S(64), nullable=False),
    )
    op.create_index("ix_ioc_action_log_ts", "ioc_action_log", ["ts_ms"])
    # The chain's id, hashed into every entry (a restored or new database starts a new chain).
    meta = sa.table("hub_meta", sa.column("key", S(64)), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "ioc_chain", "value": f"ioc-{uuid.uuid4()}"}])


def downgrade() -> None:
    op.execute("DELETE FROM hub_meta WHERE key = 'ioc_chain'")
    op.drop_index("ix_ioc_action_log_ts", "ioc_action_log")
    op.drop_table("ioc_action_log")
    op.drop_table("ioc_users")

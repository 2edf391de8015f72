"""Alarms: current state per alarm and the journal of every transition.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alarm_state",
        sa.Column("alarm_id", sa.String(100), primary_key=True),
        sa.Column("feed_key", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("severity", sa.SmallInteger, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("since_ms", sa.BigInteger, nullable=False),
        sa.Column("activated_ms", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("acked_by", sa.String(64), nullable=False),
        sa.Column("acked_ms", sa.BigInteger, nullable=False),
        sa.Column("shelved_until_ms", sa.BigInteger, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "alarm_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ts_ms", sa.BigInteger, nullable=False),
        sa.Column("alarm_id", sa.String(100), nullable=False),
        sa.Column("feed_key", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("severity", sa.SmallInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_alarm_events_ts", "alarm_events", ["ts_ms"])
    op.create_index("ix_alarm_events_feed_ts", "alarm_events", ["feed_key", "ts_ms"])


def downgrade() -> None:
    op.drop_index("ix_alarm_events_feed_ts", "alarm_events")
    op.drop_index("ix_alarm_events_ts", "alarm_events")
    op.drop_table("alarm_events")
    op.drop_table("alarm_state")

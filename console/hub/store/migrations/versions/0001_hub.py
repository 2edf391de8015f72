"""Hub baseline: streams (dedupe), records, site status, feed minutes, counters.

Revision ID: h0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0001"
down_revision = None
branch_labels = None
depends_on = None

B = sa.BigInteger
I = sa.Integer  # noqa: E741
S = sa.String


def upgrade() -> None:
    op.create_table(
        "hub_meta",
        sa.Column("key", S(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "hub_streams",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("db_id", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("last_seq", B, nullable=False),
        sa.Column("records", B, nullable=False),
        sa.Column("duplicates", B, nullable=False),
        sa.Column("updated_ms", B, nullable=False),
    )
    op.create_table(
        "hub_records",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("db_id", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("kind", S(16), nullable=False),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("received_ms", B, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "site_status",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("console_id", S(64), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("seq", B, nullable=False),
        *[
            sa.Column(c, I, nullable=False)
            for c in (
                "feeds_total",
                "feeds_good",
                "feeds_uncertain",
                "feeds_bad",
                "feeds_stale",
                "feeds_nodata",
                "alarms_sev1",
                "alarms_sev2",
                "alarms_sev3",
                "alarms_unack",
            )
        ],
        sa.Column("received_ms", B, nullable=False),
    )
    op.create_table(
        "feed_minutes",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("feed_key", S(64), primary_key=True),
        sa.Column("minute_ms", B, primary_key=True),
        sa.Column("kind", S(32), nullable=False),
        sa.Column("unit", S(16), nullable=False),
        sa.Column("n", I, nullable=False),
        sa.Column("vmin", sa.Float, nullable=False),
        sa.Column("vmax", sa.Float, nullable=False),
        sa.Column("mean", sa.Float, nullable=False),
        sa.Column("last", sa.Float, nullable=False),
        sa.Column("q_good", I, nullable=False),
        sa.Column("q_uncertain", I, nullable=False),
        sa.Column("q_bad", I, nullable=False),
        sa.Column("seq", B, nullable=False),
    )
    op.create_index("ix_feed_minutes_minute", "feed_minutes", ["minute_ms"])
    op.create_table(
        "hub_counters",
        sa.Column("name", S(64), primary_key=True),
        sa.Column("value", B, nullable=False),
    )


def downgrade() -> None:
    for t in (
        "hub_counters",
        "feed_minutes",
        "site_status",
        "hub_records",
        "hub_streams",
        "hub_meta",
    ):
        op.drop_table(t)

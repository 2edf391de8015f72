"""The minute tier: per feed and minute, count, min, max, mean, last and quality counts.

Filled from the existing raw readings, so that every committed reading is
either summarized here or still marked in ``summary_pending`` from this
revision on (retention may then prune raw readings without losing history).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readings_minute",
        sa.Column("feed_id", sa.Integer, primary_key=True),
        sa.Column("minute", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("vmin", sa.Float, nullable=False),
        sa.Column("vmax", sa.Float, nullable=False),
        sa.Column("mean", sa.Float, nullable=False),
        sa.Column("last", sa.Float, nullable=False),
        sa.Column("q_good", sa.Integer, nullable=False),
        sa.Column("q_uncertain", sa.Integer, nullable=False),
        sa.Column("q_bad", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(
        """
        INSERT INTO readings_minute
        SELECT a.feed_id, a.minute, a.n, a.vmin, a.vmax, a.mean, r.value, a.q0, a.q1, a.q2
        FROM (
            SELECT feed_id, ts_ms / 60000 AS minute, count(*) AS n, min(value) AS vmin,
                   max(value) AS vmax, avg(value) AS mean, sum(quality = 0) AS q0,
                   sum(quality = 1) AS q1, sum(quality = 2) AS q2, max(ts_ms) AS last_ts
            FROM readings GROUP BY feed_id, ts_ms / 60000
        ) AS a
        JOIN readings AS r ON r.feed_id = a.feed_id AND r.ts_ms = a.last_ts
        """
    )


def downgrade() -> None:
    op.drop_table("readings_minute")

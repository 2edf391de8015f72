"""What the IOC window reads: status history, feed catalog, hourly per-kind peaks, change counter.

``site_status`` gains the two optional status fields (``backlog``, ``period_ms``;
NULL = not reported). ``site_status_history`` keeps every status for a bounded
time; ``hub_feeds`` lists each site's feeds (kind, unit);
``kind_hours`` holds per kind, site and hour the extremes of the site's feeds;
``hub_changes`` is the counter IOC windows poll (row ``city``).

Revision ID: h0004
Revises: h0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0004"
down_revision = "h0003"
branch_labels = None
depends_on = None

B = sa.BigInteger
I = sa.Integer  # noqa: E741
S = sa.String
F = sa.Float


def upgrade() -> None:
    with op.batch_alter_table("site_status") as t:
        t.add_column(sa.Column("backlog", B, nullable=True))
        t.add_column(sa.Column("period_ms", I, nullable=True))
    op.create_table(
        "site_status_history",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("ts_ms", B, primary_key=True),
        sa.Column("console_id", S(64), nullable=False),
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
        sa.Column("backlog", B, nullable=True),
        sa.Column("period_ms", I, nullable=True),
    )
    op.create_index("ix_site_status_history_received", "site_status_history", ["received_ms"])
    op.create_table(
        "hub_feeds",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("feed_key", S(64), primary_key=True),
        sa.Column("kind", S(32), nullable=False),
        sa.Column("unit", S(16), nullable=False),
    )
    op.create_table(
        "kind_hours",
        sa.Column("kind", S(32), primary_key=True),
        sa.Column("unit", S(16), primary_key=True),
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("hour_ms", B, primary_key=True),
        sa.Column("vmin", F, nullable=False),
        sa.Column("vmax", F, nullable=False),
    )
    changes = op.create_table(
        "hub_changes",
        sa.Column("name", S(32), primary_key=True),
        sa.Column("value", B, nullable=False),
    )
    op.bulk_insert(changes, [{"name": "city", "value": 0}])
    # Databases that already hold minutes: fill the catalog and the hourly peaks from them,
    # so the IOC's views are complete from the first start (a hub's own data, one pass).
    op.execute(
        "INSERT INTO hub_feeds (site_id, feed_key, kind, unit) "
        "SELECT m.site_id, m.feed_key, m.kind, m.unit FROM feed_minutes m "
        "JOIN (SELECT site_id, feed_key, MAX(minute_ms) AS newest FROM feed_minutes "
        "GROUP BY site_id, feed_key) x ON x.site_id = m.site_id AND x.feed_key = m.feed_key "
        "AND x.newest = m.minute_ms"
    )
    op.execute(
        "INSERT INTO kind_hours (kind, site_id, hour_ms, unit, vmin, vmax) "
        "SELECT kind, site_id, (minute_ms / 3600000) * 3600000, unit, MIN(vmin), MAX(vmax) "
        "FROM feed_minutes GROUP BY kind, unit, site_id, (minute_ms / 3600000) * 3600000"
    )


def downgrade() -> None:
    for name in ("hub_changes", "kind_hours", "hub_feeds", "site_status_history"):
        op.drop_table(name)
    with op.batch_alter_table("site_status") as t:
        t.drop_column("period_ms")
        t.drop_column("backlog")

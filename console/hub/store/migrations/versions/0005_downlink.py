"""The downlink (hub → consoles) and what the sites send back about it: numbered downlink
records per site and stream, directives and their targets, city warnings, the sites'
directive steps and alarm transitions, escalations; the downlink's database id.

Revision ID: h0005
Revises: h0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "h0005"
down_revision = "h0004"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "down_streams",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("last_seq", B, nullable=False),
    )
    op.create_table(
        "down_records",
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("kind", S(16), nullable=False),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("delivered_ms", B, nullable=False),
    )
    op.create_table(
        "down_acks",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("acked_seq", B, nullable=False),
        sa.Column("acked_ms", B, nullable=False),
    )
    op.create_table(
        "directives",
        sa.Column("directive_id", S(64), primary_key=True),
        sa.Column("text", S(2000), nullable=False),
        sa.Column("priority", S(16), nullable=False),
        sa.Column("due_ms", B, nullable=True),
        sa.Column("ref", S(128), nullable=False),
        sa.Column("sites", sa.Text, nullable=False),
        sa.Column("issued_by", S(64), nullable=False),
        sa.Column("issued_name", S(128), nullable=False),
        sa.Column("issued_ms", B, nullable=False),
    )
    op.create_table(
        "directive_targets",
        sa.Column("directive_id", S(64), primary_key=True),
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("down_seq", B, nullable=False),
    )
    op.create_table(
        "directive_events",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("db_id", S(64), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("directive_id", S(64), nullable=False),
        sa.Column("step", S(16), nullable=False),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("user_name", S(128), nullable=False),
        sa.Column("roles", S(64), nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("note", S(1000), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("received_ms", B, nullable=False),
    )
    op.create_index(
        "ix_directive_events_directive", "directive_events", ["directive_id", "site_id"]
    )
    op.create_table(
        "city_warnings",
        sa.Column("sender", S(200), primary_key=True),
        sa.Column("identifier", S(200), primary_key=True),
        sa.Column("sent_ms", B, nullable=False),
        sa.Column("status", S(16), nullable=False),
        sa.Column("msg_type", S(16), nullable=False),
        sa.Column("event", S(200), nullable=False),
        sa.Column("severity", S(16), nullable=False),
        sa.Column("expires_ms", B, nullable=True),
        sa.Column("sites", sa.Text, nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("issued_by", S(64), nullable=False),
        sa.Column("issued_name", S(128), nullable=False),
        sa.Column("issued_ms", B, nullable=False),
    )
    op.create_table(
        "warning_targets",
        sa.Column("sender", S(200), primary_key=True),
        sa.Column("identifier", S(200), primary_key=True),
        sa.Column("site_id", S(64), primary_key=True),
        sa.Column("down_seq", B, nullable=False),
    )
    op.create_table(
        "alarm_events",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("db_id", S(64), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("ts_ms", B, nullable=False),
        sa.Column("alarm_id", S(100), nullable=False),
        sa.Column("feed_key", S(64), nullable=False),
        sa.Column("rule", S(16), nullable=False),
        sa.Column("event", S(16), nullable=False),
        sa.Column("state", S(16), nullable=False),
        sa.Column("prior_state", S(16), nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("user_id", S(64), nullable=False),
        sa.Column("workstation", S(64), nullable=False),
        sa.Column("note", S(1000), nullable=False),
        sa.Column("received_ms", B, nullable=False),
    )
    op.create_index("ix_alarm_events_site_ts", "alarm_events", ["site_id", "ts_ms"])
    op.create_table(
        "escalations",
        sa.Column("console_id", S(64), primary_key=True),
        sa.Column("db_id", S(64), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("site_id", S(64), nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("sent_ms", B, nullable=False),
        sa.Column("msg_type", S(16), nullable=False),
        sa.Column("status", S(16), nullable=False),
        sa.Column("incident", S(64), nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("received_ms", B, nullable=False),
    )
    # The id consoles key their downlink marks by (a restored hub database gets a new one:
    # opsconsole hub new-downlink-id).
    meta = sa.table("hub_meta", sa.column("key", S(64)), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "downlink_db", "value": str(uuid.uuid4())}])


def downgrade() -> None:
    op.execute("DELETE FROM hub_meta WHERE key = 'downlink_db'")
    op.drop_table("escalations")
    op.drop_index("ix_alarm_events_site_ts", "alarm_events")
    op.drop_table("alarm_events")
    op.drop_table("warning_targets")
    op.drop_table("city_warnings")
    op.drop_index("ix_directive_events_directive", "directive_events")
    op.drop_table("directive_events")
    op.drop_table("directive_targets")
    op.drop_table("directives")
    op.drop_table("down_acks")
    op.drop_table("down_records")
    op.drop_table("down_streams")

"""The console's inbox of the city hub's downlink: raw records with their marks, directives
(with who read and did them), city warnings (from the hub or imported from files).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

B = sa.BigInteger
S = sa.String


def upgrade() -> None:
    op.create_table(
        "inbox_marks",
        sa.Column("source_db", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("last_seq", B, nullable=False),
        sa.Column("updated_ms", B, nullable=False),
    )
    op.create_table(
        "inbox",
        sa.Column("source_db", S(64), primary_key=True),
        sa.Column("stream", S(32), primary_key=True),
        sa.Column("seq", B, primary_key=True),
        sa.Column("kind", S(16), nullable=False),
        sa.Column("created_ms", B, nullable=False),
        sa.Column("received_ms", B, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
    )
    op.create_table(
        "directives",
        sa.Column("directive_id", S(64), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("priority", S(16), nullable=False),
        sa.Column("due_ms", B, nullable=True),
        sa.Column("ref", S(128), nullable=False),
        sa.Column("sites", sa.Text, nullable=False),
        sa.Column("issued_by", S(64), nullable=False),
        sa.Column("issued_name", S(128), nullable=False),
        sa.Column("issued_ms", B, nullable=False),
        sa.Column("received_ms", B, nullable=False),
        sa.Column("read_by", S(64), nullable=False),
        sa.Column("read_name", S(128), nullable=False),
        sa.Column("read_ms", B, nullable=False),
        sa.Column("done_by", S(64), nullable=False),
        sa.Column("done_name", S(128), nullable=False),
        sa.Column("done_ms", B, nullable=False),
        sa.Column("done_note", sa.Text, nullable=False),
    )
    op.create_table(
        "city_warnings",
        sa.Column("sender", S(200), primary_key=True),
        sa.Column("identifier", S(200), primary_key=True),
        sa.Column("source", S(16), nullable=False),
        sa.Column("cap_version", S(8), nullable=False),
        sa.Column("status", S(16), nullable=False),
        sa.Column("msg_type", S(16), nullable=False),
        sa.Column("sent_ms", B, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("event_en", sa.Text, nullable=False),
        sa.Column("severity", S(16), nullable=False),
        sa.Column("urgency", S(16), nullable=False),
        sa.Column("certainty", S(16), nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("headline_en", sa.Text, nullable=False),
        sa.Column("area", sa.Text, nullable=False),
        sa.Column("area_en", sa.Text, nullable=False),
        sa.Column("expires_ms", B, nullable=False),
        sa.Column("received_ms", B, nullable=False),
        sa.Column("cancelled_ms", B, nullable=False),
        sa.Column("superseded_by", sa.Text, nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_city_warnings_expires", "city_warnings", ["expires_ms"])


def downgrade() -> None:
    op.drop_index("ix_city_warnings_expires", "city_warnings")
    op.drop_table("city_warnings")
    op.drop_table("directives")
    op.drop_table("inbox")
    op.drop_table("inbox_marks")

"""Tables of the site log. Alembic migrations (console/store/migrations) create them.

The ``readings`` table is the hot path: integer feed ids, integer UTC
milliseconds, and one secondary index that serves both history queries and
the per-feed "last timestamp" look-up at start-up.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

from console.shared.accounts import accounts_table
from console.shared.action_chain import action_log_table

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Identity of the database: site id, stream id (UUID made at creation), created time."""

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_key", String(64), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("first_seen_ms", Integer, nullable=False),
)
"""Every feed the site has ever configured; rows stay when a feed leaves the config."""

readings = Table(
    "readings",
    metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id"), primary_key=True),
    Column("ts_ms", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("quality", SmallInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""Raw readings, clustered by (feed, time) in one B-tree (WITHOUT ROWID).

The key makes a replayed reading impossible to store twice, serves history
queries by feed and time range directly, and costs one B-tree per insert
instead of table + index (measured: +18 % insert rate, half the file size).
"""

alarm_state = Table(
    "alarm_state",
    metadata,
    Column("alarm_id", String(100), primary_key=True),
    Column("feed_key", String(64), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("severity", SmallInteger, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("since_ms", BigInteger, nullable=False),
    Column("activated_ms", BigInteger, nullable=False),
    Column("value", Float, nullable=True),
    Column("acked_by", String(64), nullable=False),
    Column("acked_ms", BigInteger, nullable=False),
    Column("shelved_until_ms", BigInteger, nullable=False),
    Column("note", Text, nullable=False),
)
"""One row per alarm that ever left normal: what the engine is rebuilt from after a restart."""

alarm_events = Table(
    "alarm_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ts_ms", BigInteger, nullable=False, index=False),
    Column("alarm_id", String(100), nullable=False),
    Column("feed_key", String(64), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("event", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("severity", SmallInteger, nullable=False),
    Column("value", Float, nullable=True),
    Column("user", String(64), nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("note", Text, nullable=False),
)
"""The alarm journal: every transition with time, user, workstation and note."""

outbox_streams = Table(
    "outbox_streams",
    metadata,
    Column("stream", String(32), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("acked_seq", BigInteger, nullable=False),
    Column("acked_ms", BigInteger, nullable=False),
)
"""Per uplink stream: last seq written and last seq the hub acknowledged."""

outbox = Table(
    "outbox",
    metadata,
    Column("stream", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    sqlite_with_rowid=False,
)
"""Everything forwarded to the hub, in order, with its per-stream seq. Never pruned
before the hub has acknowledged it; kept after, for audit (docs/PROTOCOL.md)."""

summary_pending = Table(
    "summary_pending",
    metadata,
    Column("feed_id", Integer, primary_key=True),
    Column("minute", Integer, primary_key=True),
    sqlite_with_rowid=False,
)
"""(feed, minute) that received readings and are not yet summarized: written in the
readings' transaction, deleted in the transaction that writes their summaries."""

users = accounts_table(metadata, "users")
"""Accounts of the people who work this console (docs/ROLES.md; columns shared with the
city IOC's accounts, console.shared.accounts)."""

action_log = action_log_table(metadata, "action_log")
"""Who did what: one hash-chained entry per state-changing action, written in the
transaction of the change (console.district.store.action_log). ``seq`` runs 1, 2, 3…
with no gap; the chain's id is the database's ``stream_id`` (table ``meta``). Index
``ix_action_log_ts`` on the time (console.shared.action_chain)."""

# -- the inbox of the city hub's downlink (migration 0005) ---------------------------------
inbox_marks = Table(
    "inbox_marks",
    metadata,
    Column("source_db", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)
"""Per hub database and downlink stream, the last seq held: written in the transaction of the
records (docs/PROTOCOL.md §2.10). The newest ``updated_ms`` names the hub HELLO speaks of."""

inbox = Table(
    "inbox",
    metadata,
    Column("source_db", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("problem", Text, nullable=False),
)
"""Every downlink record as the hub sent it: the console's record of what the city told it.
``problem`` is "" when it was applied, else why not (``invalid: …``): kept, acknowledged."""

directives = Table(
    "directives",
    metadata,
    Column("directive_id", String(64), primary_key=True),
    Column("text", Text, nullable=False),
    Column("priority", String(16), nullable=False),
    Column("due_ms", BigInteger, nullable=True),
    Column("ref", String(128), nullable=False),
    Column("sites", Text, nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_name", String(128), nullable=False),
    Column("issued_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("read_by", String(64), nullable=False),
    Column("read_name", String(128), nullable=False),
    Column("read_ms", BigInteger, nullable=False),
    Column("done_by", String(64), nullable=False),
    Column("done_name", String(128), nullable=False),
    Column("done_ms", BigInteger, nullable=False),
    Column("done_note", Text, nullable=False),
)
"""The IOC's directives to this site, once each (by id), and who read and did them."""

city_warnings = Table(
    "city_warnings",
    metadata,
    Column("sender", String(200), primary_key=True),
    Column("identifier", String(200), primary_key=True),
    Column("source", String(16), nullable=False),
    Column("cap_version", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("msg_type", String(16), nullable=False),
    Column("sent_ms", BigInteger, nullable=False),
    Column("event", Text, nullable=False),
    Column("event_en", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("urgency", String(16), nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("headline", Text, nullable=False),
    Column("headline_en", Text, nullable=False),
    Column("area", Text, nullable=False),
    Column("area_en", Text, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("cancelled_ms", BigInteger, nullable=False),
    Column("superseded_by", Text, nullable=False),
    Column("xml", LargeBinary, nullable=False),
)
"""City warnings (CAP), from the hub or imported from a file, once per (sender, identifier).
An Update supersedes, a Cancel cancels the messages it references."""

Index("ix_city_warnings_expires", city_warnings.c.expires_ms)

readings_minute = Table(
    "readings_minute",
    metadata,
    Column("feed_id", Integer, primary_key=True),
    Column("minute", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("vmin", Float, nullable=False),
    Column("vmax", Float, nullable=False),
    Column("mean", Float, nullable=False),
    Column("last", Float, nullable=False),
    Column("q_good", Integer, nullable=False),
    Column("q_uncertain", Integer, nullable=False),
    Column("q_bad", Integer, nullable=False),
    sqlite_with_rowid=False,
)
"""The minute tier, kept for years: per feed and UTC minute (``ts_ms // 60000``) the
readings' count, min, max, mean, last value and quality counts (good, uncertain, bad).

Written by the summarize job in the transaction that deletes the minute's
``summary_pending`` mark (and appends the uplink's summary record, when a
hub is configured): every committed reading is summarized here or still
marked. A reading that arrives after its minute was summarized marks it
again and the row is rewritten. History over long spans reads this table;
raw readings older than the retention are pruned once summarized.
"""
incidents = Table(
    "incidents",
    metadata,
    Column("id", String(32), primary_key=True),  # HC-2026-0042
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("type", String(32), nullable=False),
    Column("severity", SmallInteger, nullable=False),
    Column("title", String(200), nullable=False),
    Column("ward", String(64), nullable=False),
    Column("location", Text, nullable=False),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("status", String(16), nullable=False),
    Column("list_rank", SmallInteger, nullable=False),  # 0 open, 1 resolved, 2 closed
    Column("owner", String(64), nullable=False),
    Column("owner_name", String(128), nullable=False),
    Column("opened_ms", BigInteger, nullable=False),
    Column("opened_by", String(64), nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    Column("resolved_ms", BigInteger, nullable=False),
    Column("closed_ms", BigInteger, nullable=False),
    Column("sop_version", String(32), nullable=False),
    Column("steps_open", Integer, nullable=False),  # required steps pending
    Column("next_due_ms", BigInteger, nullable=False),  # earliest pending time limit, 0: none
    Column("search", Text, nullable=False),  # folded id, title, ward, location, type
)
"""Incidents (docs/INCIDENTS.md). ``list_rank``, ``steps_open`` and ``next_due_ms`` are
kept with every change so that the panel lists 100,000 incidents from an index."""

Index("ux_incidents_year_number", incidents.c.year, incidents.c.number, unique=True)
Index(
    "ix_incidents_list",
    incidents.c.list_rank,
    incidents.c.severity.desc(),
    incidents.c.opened_ms.desc(),
)
Index(
    "ix_incidents_status",
    incidents.c.status,
    incidents.c.severity.desc(),
    incidents.c.opened_ms.desc(),
)
Index("ix_incidents_closed", incidents.c.closed_ms)
Index(
    "ix_incidents_type",
    incidents.c.type,
    incidents.c.list_rank,
    incidents.c.severity.desc(),
    incidents.c.opened_ms.desc(),
)
Index(
    "ix_incidents_ward",
    incidents.c.ward,
    incidents.c.list_rank,
    incidents.c.severity.desc(),
    incidents.c.opened_ms.desc(),
)

incident_steps = Table(
    "incident_steps",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id"), primary_key=True),
    Column("step_id", String(40), primary_key=True),
    Column("ord", Integer, nullable=False),
    Column("text_vi", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("required", Boolean, nullable=False),
    Column("role", String(16), nullable=False),
    Column("due_ms", BigInteger, nullable=False),  # 0: no time limit
    Column("state", String(8), nullable=False),  # pending, done, skipped
    Column("by_user", String(64), nullable=False),
    Column("by_name", String(128), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("note", Text, nullable=False),  # done: note; skipped: the reason
    Column("overdue_ms", BigInteger, nullable=False),  # its overdue alarm raised at; 0: never
    sqlite_with_rowid=False,
)
"""Each incident's checklist: the procedure's steps copied when it opened (a procedure
file changed later does not rewrite a running incident)."""

Index("ix_incident_steps_due", incident_steps.c.state, incident_steps.c.due_ms)

incident_links = Table(
    "incident_links",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # alarm, feed
    Column("ref", String(100), primary_key=True),
    Column("linked_ms", BigInteger, nullable=False),
    Column("linked_by", String(64), nullable=False),
    sqlite_with_rowid=False,
)
"""Alarms and feeds linked to an incident."""

Index("ix_incident_links_ref", incident_links.c.kind, incident_links.c.ref)

incident_timeline = Table(
    "incident_timeline",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", String(32), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("roles", String(64), nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("ref", String(100), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("handover", Boolean, nullable=False),
)
"""Everything that happened to each incident, with time, person and role."""

Index("ix_incident_timeline", incident_timeline.c.incident_id, incident_timeline.c.id)
Index(
    "ix_incident_timeline_handover",
    incident_timeline.c.ts_ms,
    sqlite_where=incident_timeline.c.handover.is_(True),
)

handovers = Table(
    "handovers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("since_ms", BigInteger, nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("by_name", String(128), nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of body
    Column("body", Text, nullable=False),  # the report as JSON
    Column("acked_by", String(64), nullable=False),
    Column("acked_name", String(128), nullable=False),
    Column("acked_ms", BigInteger, nullable=False),
    Column("acked_note", Text, nullable=False),
)
"""Shift handover reports as prepared, and who took each over (docs/INCIDENTS.md)."""

# -- escalations to the city IOC (migration 0008) ---------------------------------------------
escalations = Table(
    "escalations",
    metadata,
    Column("identifier", String(128), primary_key=True),  # CAP identifier
    Column("number", Integer, nullable=False, unique=True),  # the console's escalation counter
    Column("incident_id", String(32), nullable=False),
    Column("msg_type", String(8), nullable=False),  # Alert, Update, Cancel
    Column("status", String(16), nullable=False),  # Actual, Exercise
    Column("sent_ms", BigInteger, nullable=False),
    Column("severity", String(16), nullable=False),  # CAP severity, urgency, certainty
    Column("urgency", String(16), nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("area", Text, nullable=False),  # areaDesc of the vi block
    Column("reason", Text, nullable=False),  # as the supervisor wrote it
    Column("refs", Text, nullable=False),  # identifiers referenced, space-separated
    Column("by_user", String(64), nullable=False),
    Column("by_name", String(128), nullable=False),
    Column("xml", LargeBinary, nullable=False),  # the CAP document as built and validated
    Column("out_seq", BigInteger, nullable=False),  # its seq on the uplink's escalation stream
    Column("delivered_ms", BigInteger, nullable=False),  # the hub acknowledged it (0: not yet)
    Column("ack_by", String(64), nullable=False),  # the IOC's acknowledgement (esc_ack)
    Column("ack_name", String(128), nullable=False),
    Column("ack_ms", BigInteger, nullable=False),  # when the IOC acknowledged (0: not yet)
    Column("ack_note", Text, nullable=False),
    Column("ack_received_ms", BigInteger, nullable=False),
    Column("overdue_ms", BigInteger, nullable=False),  # its no-acknowledgement alarm raised at
)
"""Every CAP message this console escalated (docs/CAP.md) and what became of it: queued in the
outbox (``out_seq`` above the stream's acked seq), delivered to the hub, acknowledged by the
IOC."""

Index("ix_escalations_incident", escalations.c.incident_id, escalations.c.number)

"""Tables of the hub database (SQLite or PostgreSQL, same code).

``hub_streams`` is the dedupe state: per console database and stream, the
last stored seq. It is updated in the transaction that inserts the records,
so a crash between the two cannot exist.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from console.shared.accounts import accounts_table
from console.shared.action_chain import action_log_table

metadata = MetaData()

hub_meta = Table(
    "hub_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

hub_streams = Table(
    "hub_streams",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("records", BigInteger, nullable=False),
    Column("duplicates", BigInteger, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

hub_records = Table(
    "hub_records",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("payload", LargeBinary, nullable=False),
)
"""Every record as the console sent it: the audit trail and the source of replays."""

site_status = Table(
    "site_status",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("console_id", String(64), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("feeds_total", Integer, nullable=False),
    Column("feeds_good", Integer, nullable=False),
    Column("feeds_uncertain", Integer, nullable=False),
    Column("feeds_bad", Integer, nullable=False),
    Column("feeds_stale", Integer, nullable=False),
    Column("feeds_nodata", Integer, nullable=False),
    Column("alarms_sev1", Integer, nullable=False),
    Column("alarms_sev2", Integer, nullable=False),
    Column("alarms_sev3", Integer, nullable=False),
    Column("alarms_unack", Integer, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("backlog", BigInteger, nullable=True),
    Column("period_ms", Integer, nullable=True),
)
"""Latest status per site (newest ``ts_ms`` wins). ``backlog``/``period_ms`` are NULL when
the console did not report them (consoles before they existed)."""

feed_minutes = Table(
    "feed_minutes",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("feed_key", String(64), primary_key=True),
    Column("minute_ms", BigInteger, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("n", Integer, nullable=False),
    Column("vmin", Float, nullable=False),
    Column("vmax", Float, nullable=False),
    Column("mean", Float, nullable=False),
    Column("last", Float, nullable=False),
    Column("q_good", Integer, nullable=False),
    Column("q_uncertain", Integer, nullable=False),
    Column("q_bad", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
)
"""Per-minute summaries of every site's feeds; a revision (higher seq) replaces."""

Index("ix_feed_minutes_minute", feed_minutes.c.minute_ms)

hub_counters = Table(
    "hub_counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
"""Rejected connections/messages by reason, saved by the running hub for `hub stats`."""

hub_quarantine = Table(
    "hub_quarantine",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("record", LargeBinary, nullable=False),
)
"""Records the hub acknowledged but could not store as intended, kept raw with the reason.

``record`` is the whole record as the console sent it, ``[seq, kind, created_ms,
payload]`` packed as one MessagePack array (any value fits: an out-of-range
``created_ms``, a kind with control characters). A seq of a stream is either
here or in ``hub_records``, never in both.
"""

Index("ix_hub_quarantine_reason", hub_quarantine.c.console_id, hub_quarantine.c.reason)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("chain", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("console_id", String(64), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("roles", String(64), nullable=False),
    Column("authenticated", Boolean, nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("object_id", String(128), nullable=False),
    Column("before_value", String(1000), nullable=False),
    Column("after_value", String(1000), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("hash_ok", Boolean, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
"""Every action-log entry of every site as it arrived (the first copy of a seq is kept)."""

audit_heads = Table(
    "audit_heads",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("chain", String(64), primary_key=True),
    Column("console_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("entries", BigInteger, nullable=False),
    Column("first_bad_seq", BigInteger, nullable=False),
    Column("bad_reason", String(200), nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
"""The head of each site's action-log chain (one chain per console database), and the
first entry that did not continue it (0: none)."""

# -- what the IOC window reads (migration 0004) -----------------------------------------
site_status_history = Table(
    "site_status_history",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("ts_ms", BigInteger, primary_key=True),
    Column("console_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("feeds_total", Integer, nullable=False),
    Column("feeds_good", Integer, nullable=False),
    Column("feeds_uncertain", Integer, nullable=False),
    Column("feeds_bad", Integer, nullable=False),
    Column("feeds_stale", Integer, nullable=False),
    Column("feeds_nodata", Integer, nullable=False),
    Column("alarms_sev1", Integer, nullable=False),
    Column("alarms_sev2", Integer, nullable=False),
    Column("alarms_sev3", Integer, nullable=False),
    Column("alarms_unack", Integer, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    Column("backlog", BigInteger, nullable=True),
    Column("period_ms", Integer, nullable=True),
)
"""Every status a site sent (one per ``ts``; a resend of the same ``ts`` is the same
snapshot), kept for a bounded time by the hub's receive time (``HubStore``)."""

Index("ix_site_status_history_received", site_status_history.c.received_ms)

hub_feeds = Table(
    "hub_feeds",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("feed_key", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("unit", String(16), nullable=False),
)
"""Each site's feeds (the drill-down's feed list: finding them in ``feed_minutes`` would scan
weeks of a site's rows). Written when a feed is new or changes kind or unit; its newest
minute is read from ``feed_minutes`` by primary key."""

kind_hours = Table(
    "kind_hours",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("unit", String(16), primary_key=True),
    Column("site_id", String(64), primary_key=True),
    Column("hour_ms", BigInteger, primary_key=True),
    Column("vmin", Float, nullable=False),
    Column("vmax", Float, nullable=False),
)
"""Per kind (in one unit), site and UTC hour: the lowest and highest value any of the site's feeds of
that kind reported (the city-wide views; a revised minute only adds readings, so taking
the extremes over revisions stays exact)."""

hub_changes = Table(
    "hub_changes",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
"""Change counters: ``city`` is bumped by every transaction that changes what the IOC
window shows; windows poll it (one tiny SELECT) and, on PostgreSQL, are woken by a
NOTIFY on channel ``hub_changes`` sent in the same transaction."""

# -- the downlink (hub → consoles) and what comes back (revision h0005) --------------------
down_streams = Table(
    "down_streams",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)
"""Per site and downlink stream, the last seq written: moved in the transaction that
inserts the records (console.hub.store.downlink.append), by whichever process writes."""

down_records = Table(
    "down_records",
    metadata,
    Column("site_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("delivered_ms", BigInteger, nullable=False),
)
"""Every downlink record, numbered per (site, stream); ``delivered_ms`` is when a console of
the site first acknowledged it (0: not yet): it then was committed in that console's inbox."""

down_acks = Table(
    "down_acks",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("stream", String(32), primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("acked_seq", BigInteger, nullable=False),
    Column("acked_ms", BigInteger, nullable=False),
)
"""Per console and downlink stream, its last cumulative ACK (for ``hub stats``)."""

directives = Table(
    "directives",
    metadata,
    Column("directive_id", String(64), primary_key=True),
    Column("text", String(2000), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("due_ms", BigInteger, nullable=True),
    Column("ref", String(128), nullable=False),
    Column("sites", Text, nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_name", String(128), nullable=False),
    Column("issued_ms", BigInteger, nullable=False),
)
"""Directives the IOC issued (the ``directive`` record, as sent)."""

directive_targets = Table(
    "directive_targets",
    metadata,
    Column("directive_id", String(64), primary_key=True),
    Column("site_id", String(64), primary_key=True),
    Column("down_seq", BigInteger, nullable=False),
)
"""Each site a directive went to, and its seq on that site's ``directive`` stream."""

directive_events = Table(
    "directive_events",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("directive_id", String(64), nullable=False),
    Column("step", String(16), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("roles", String(64), nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
"""What people at the sites did with directives (read, done), from the ``dir_status`` stream."""

Index("ix_directive_events_directive", directive_events.c.directive_id, directive_events.c.site_id)

city_warnings = Table(
    "city_warnings",
    metadata,
    Column("sender", String(200), primary_key=True),
    Column("identifier", String(200), primary_key=True),
    Column("sent_ms", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("msg_type", String(16), nullable=False),
    Column("event", String(200), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("expires_ms", BigInteger, nullable=True),
    Column("sites", Text, nullable=False),
    Column("xml", LargeBinary, nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_name", String(128), nullable=False),
    Column("issued_ms", BigInteger, nullable=False),
)
"""City warnings the IOC sent down (CAP XML, as validated and sent)."""

warning_targets = Table(
    "warning_targets",
    metadata,
    Column("sender", String(200), primary_key=True),
    Column("identifier", String(200), primary_key=True),
    Column("site_id", String(64), primary_key=True),
    Column("down_seq", BigInteger, nullable=False),
)

alarm_events = Table(
    "alarm_events",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("alarm_id", String(100), nullable=False),
    Column("feed_key", String(64), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("event", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("prior_state", String(16), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("value", Float, nullable=True),
    Column("user_id", String(64), nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
"""Every alarm transition of every site (the ``alarm`` stream)."""

Index("ix_alarm_events_site_ts", alarm_events.c.site_id, alarm_events.c.ts_ms)

escalations = Table(
    "escalations",
    metadata,
    Column("console_id", String(64), primary_key=True),
    Column("db_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("identifier", Text, nullable=False),
    Column("sender", Text, nullable=False),
    Column("sent_ms", BigInteger, nullable=False),
    Column("msg_type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("incident", String(64), nullable=False),
    Column("xml", LargeBinary, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
)
"""Escalations (CAP 1.2 alerts) as received, once each (the ``escalation`` stream): the store
the escalation work builds on."""

Index("ix_escalations_identifier", escalations.c.sender, escalations.c.identifier)

# -- how the IOC handles escalations (revision h0007) ---------------------------------------
escalation_handling = Table(
    "escalation_handling",
    metadata,
    Column("sender", String(200), primary_key=True),
    Column("identifier", String(200), primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("handler", String(64), nullable=False),  # who is handling it ("" : nobody yet)
    Column("handler_name", String(128), nullable=False),
    Column("taken_ms", BigInteger, nullable=False),
    Column("agency", String(64), nullable=False),  # an id of the hub file's [agencies]
    Column("agency_by", String(64), nullable=False),
    Column("agency_ms", BigInteger, nullable=False),
    Column("acked_by", String(64), nullable=False),
    Column("acked_name", String(128), nullable=False),
    Column("acked_ms", BigInteger, nullable=False),  # 0: not acknowledged
    Column("ack_note", String(1000), nullable=False),
    Column("ack_seq", BigInteger, nullable=False),  # its esc_ack record's downlink seq
)
"""The IOC's handling of each escalation message (by its CAP sender and identifier): written
by the escalation service (console.hub.services.escalations), one row once anyone acts."""

escalation_events = Table(
    "escalation_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender", String(200), nullable=False),
    Column("identifier", String(200), nullable=False),
    Column("action", String(16), nullable=False),  # take, acknowledge, assign
    Column("user_id", String(64), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("roles", String(64), nullable=False),
    Column("authenticated", Boolean, nullable=False),
    Column("workstation", String(64), nullable=False),
    Column("ts_ms", BigInteger, nullable=False),
    Column("detail", String(1000), nullable=False),  # the note, or the agency
)
"""Who at the IOC did what with an escalation, in the transaction that did it."""

Index(
    "ix_escalation_events_item",
    escalation_events.c.sender,
    escalation_events.c.identifier,
    escalation_events.c.id,
)

# -- the city IOC's people (migration h0006) ---------------------------------------------------
ioc_users = accounts_table(metadata, "ioc_users")
"""IOC accounts: the same columns as a district console's ``users`` (docs/ROLES.md)."""
ioc_action_log = action_log_table(metadata, "ioc_action_log")
"""The IOC's own action log, hash-chained like a district's; its chain id is ``hub_meta``
key ``ioc_chain``."""

"""Hub storage through SQLAlchemy: the same code on SQLite and PostgreSQL.

``commit`` is the heart of exactly-once: for each batch it drops what the
stream already has (seq ≤ last), refuses a batch that would leave a gap
(``transport.streams.intake``), and inserts the new records, the city-picture
upserts (``console.hub.city``) and the new high-water mark in ONE
transaction. The in-memory copy of the marks moves only after the
commit, so a failed commit leaves nothing half-applied.

Isolation: every record is validated before any SQL runs; what cannot be
stored as intended is kept raw in ``hub_quarantine`` with its reason (and
acknowledged like any record). Should a transaction still fail while the
database answers, the batches are retried per console and bisected down to
the record at fault, so one console's data never holds up another's.

One hub process per database (``console.hub.store.lock``): the marks are
cached in memory.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

import msgpack
from sqlalchemy import Connection, Engine, Table, case, create_engine, func, select, text
from sqlalchemy.engine import make_url

from console.hub import city
from console.hub.store import audit
from console.hub.store.schema import (
    alarm_events,
    audit_entries,
    audit_heads,
    directive_events,
    down_acks,
    down_streams,
    escalations,
    feed_minutes,
    hub_counters,
    hub_feeds,
    hub_meta,
    hub_quarantine,
    hub_records,
    hub_streams,
    kind_hours,
    site_status,
    site_status_history,
)
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.instance import AlreadyRunningError, InstanceLock, describe_self
from console.shared.records import INT64_MAX, RecordError
from console.shared.sql import sqlite_durable, upgrade_or_refuse
from transport.streams import Batch, BatchResult, Record, intake

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

_Key = tuple[str, str, str]

INT64_MIN = -INT64_MAX - 1
ADVISORY_KEY = 0x6F707368_75620001
"""The PostgreSQL advisory lock a hub holds on its database ("opshub" + 1)."""

PAYLOAD_REASONS = frozenset({"malformed", "unsupported_version", "invalid"})
"""Quarantine reasons that are the payload's (console.shared.records.ERROR_CODES)."""
QUARANTINE_REASONS = {
    "malformed": "the payload is not one MessagePack object (with string keys, for a kind "
    "this hub has no schema for)",
    "unsupported_version": "the payload's `v` is not a version this hub reads",
    "invalid": "a payload field is missing, of the wrong type or outside its bounds",
    "bad_created_ms": "the record's created_ms is outside signed 64-bit",
    "bad_kind": "the record's kind has control or format characters",
    "storage_error": "the record passed every check but the database refused it",
}
"""Why a record is in ``hub_quarantine`` (docs/PROTOCOL.md §2.6)."""

CHANGES_CHANNEL = "hub_changes"
"""PostgreSQL NOTIFY channel: the payload is the new value of the ``city`` counter."""
STATUS_HISTORY_DAYS = 35
"""How long ``site_status_history`` keeps a status (by the hub's receive time)."""
_PRUNE_EVERY_MS = 3_600_000


def touch_city(conn: Connection) -> None:
    """Bump the ``city`` change counter inside the caller's transaction (and, on PostgreSQL,
    NOTIFY the IOC windows, delivered when that transaction commits). Every writer of
    what the IOC shows calls this in the transaction that writes it."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "WITH u AS (UPDATE hub_changes SET value = value + 1 WHERE name = 'city' "
            f"RETURNING value) SELECT pg_notify('{CHANGES_CHANNEL}', value::text) FROM u"
        )
    else:
        conn.exec_driver_sql("UPDATE hub_changes SET value = value + 1 WHERE name = 'city'")


class HubStoreError(RuntimeError):
    """The hub database cannot be used (unreachable, newer schema, bad URL)."""


@dataclass
class _Mark:
    site: str
    last: int
    records: int
    duplicates: int


@dataclass
class _Plan:
    """What one transaction writes: rows, quarantined rows, city changes, new marks."""

    now_ms: int
    marks: dict[_Key, _Mark]
    results: list[BatchResult] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    changes: city.CityChanges = field(default_factory=city.CityChanges)
    bad_payloads: int = 0
    catalog: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """Feed catalog entries written (the cache takes them once the transaction commits)."""


class _Unstorable(Exception):  # noqa: N818 (a state, reported per batch)
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _part(b: Batch, records: list[Record]) -> Batch:
    return Batch(b.peer, b.scope, b.db, b.stream, records)


def _combine(b: Batch, parts: list[BatchResult], failed: str, mark: _Mark | None) -> BatchResult:
    """The result of a batch stored in parts (bisected), as if stored at once."""
    through = parts[-1].through if parts else (mark.last if mark else 0)
    return BatchResult(
        through,
        sum(p.stored for p in parts),
        sum(p.duplicates for p in parts),
        bool(parts) and parts[0].gap,
        sum(p.quarantined for p in parts),
        failed,
    )


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split())[:300]


def _printable(text: str, limit: int = 500) -> str:
    """A detail any database stores: control characters (NUL included) escaped, bounded."""
    out = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return out[:limit]


def make_hub_engine(url: str) -> Engine:
    try:
        u = make_url(url)
    except Exception as exc:
        raise HubStoreError(f"database URL {url!r}: {exc}") from exc
    if u.get_backend_name() == "sqlite":
        return sqlite_durable(create_engine(u), foreign_keys=False)
    if u.get_backend_name() == "postgresql":
        return create_engine(u, pool_pre_ping=True)
    raise HubStoreError(f"database URL {url!r}: use sqlite:///… or postgresql+psycopg://…")


def migrate(engine: Engine) -> None:
    def refuse(current: str, head: str | None) -> HubStoreError:
        return HubStoreError(
            f"the hub database has schema revision {current!r}, written by a newer opsconsole; "
            f"this build knows up to {head!r}"
        )

    upgrade_or_refuse(engine, MIGRATIONS, refuse)


@dataclass(frozen=True)
class _Prepared:
    """A write statement compiled once; rows go to the driver as plain parameters.

    SQLAlchemy's per-row parameter processing was half of the hub's commit
    time (docs/PERFORMANCE.md); compiling once and passing tuples removes it.
    """

    sql: str
    get: Any
    """Row dict → parameters: an itemgetter in positional order, or None (named style)."""

    @classmethod
    def of(cls, engine: Engine, stmt: Any, table: Table) -> _Prepared:
        compiled = stmt.compile(dialect=engine.dialect, column_keys=[c.name for c in table.columns])
        order = compiled.positiontup
        return cls(str(compiled), None if order is None else itemgetter(*order))

    def run(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        params = rows if self.get is None else [self.get(r) for r in rows]
        conn.exec_driver_sql(self.sql, params)


def _insert_fn(engine: Engine) -> Any:
    """The dialect's INSERT with ON CONFLICT (same API on SQLite and PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


class HubStore:
    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        status_history_days: float = STATUS_HISTORY_DAYS,
    ) -> None:
        self.url = url
        self._clock = clock or SystemClock()
        self._history_keep_ms = int(status_history_days * 86_400_000)
        self._pruned_ms: int | None = None
        self.engine = make_hub_engine(url)
        try:
            migrate(self.engine)
        except HubStoreError:
            self.engine.dispose()
            raise
        except Exception as exc:
            self.engine.dispose()
            raise HubStoreError(f"cannot open the hub database {_redact(url)}: {exc}") from exc
        self._marks: dict[_Key, _Mark] = {}
        dialect_insert = _insert_fn(self.engine)

        def upsert(table: Table, keys: list[str], newer: str | None) -> _Prepared:
            stmt = dialect_insert(table)
            update = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
            where = None if newer is None else table.c[newer] <= stmt.excluded[newer]
            return _Prepared.of(
                self.engine,
                stmt.on_conflict_do_update(index_elements=keys, set_=update, where=where),
                table,
            )

        self._insert_records = _Prepared.of(self.engine, hub_records.insert(), hub_records)
        self._insert_quarantine = _Prepared.of(self.engine, hub_quarantine.insert(), hub_quarantine)
        # "Newest" (docs/PROTOCOL.md §2.6): a status by its own ts; a minute by storage
        # order — the hub stores a stream in seq order, and never compares the seqs of
        # two databases or two consoles.
        self._upsert_status = upsert(site_status, ["site_id"], "ts_ms")
        self._upsert_minutes = upsert(feed_minutes, ["site_id", "feed_key", "minute_ms"], None)
        self._upsert_streams = upsert(hub_streams, ["console_id", "db_id", "stream"], None)
        self._upsert_counters = upsert(hub_counters, ["name"], None)
        self._file_lock: InstanceLock | None = None
        self._pg_lock: Connection | None = None
        keep_first = dialect_insert(audit_entries).on_conflict_do_nothing(
            index_elements=["site_id", "chain", "seq"]
        )
        self._insert_audit = _Prepared.of(self.engine, keep_first, audit_entries)
        self._upsert_audit_heads = upsert(audit_heads, ["site_id", "chain"], None)
        self._insert_history = _Prepared.of(
            self.engine,
            dialect_insert(site_status_history).on_conflict_do_nothing(
                index_elements=["site_id", "ts_ms"]
            ),
            site_status_history,
        )
        self._upsert_feeds = upsert(hub_feeds, ["site_id", "feed_key"], None)
        self._feeds_known: dict[tuple[str, str], tuple[str, str]] = {}
        """(site, feed) → (kind, unit) as hub_feeds has it (after commit; loaded lazily)."""
        peaks = dialect_insert(kind_hours)
        t, ex = kind_hours.c, peaks.excluded
        self._upsert_peaks = _Prepared.of(
            self.engine,
            peaks.on_conflict_do_update(
                index_elements=["kind", "unit", "site_id", "hour_ms"],
                set_={
                    "vmin": case((t.vmin < ex.vmin, t.vmin), else_=ex.vmin),
                    "vmax": case((t.vmax > ex.vmax, t.vmax), else_=ex.vmax),
                },
            ),
            kind_hours,
        )

        def first_copy(table: Table) -> _Prepared:
            stmt = dialect_insert(table).on_conflict_do_nothing(
                index_elements=["console_id", "db_id", "seq"]
            )
            return _Prepared.of(self.engine, stmt, table)

        self._insert_alarm_events = first_copy(alarm_events)
        self._insert_directive_events = first_copy(directive_events)
        self._insert_escalations = first_copy(escalations)
        self.bad_payloads = 0
        """Records quarantined for their payload since this store opened."""
        self.quarantined = 0
        """Records quarantined for any reason since this store opened."""

    def lock(self, what: str = "opsconsole hub") -> None:
        """Hold this database for this process, or raise AlreadyRunningError naming the hub
        that does: the marks are cached in memory, two hubs on one database would corrupt
        each other's view. SQLite: an OS lock on ``<database>.lock``; PostgreSQL: a
        session advisory lock, held on a connection kept open until ``close``."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                path = Path(url.database)
                self._file_lock = InstanceLock(
                    path.with_name(path.name + ".lock"), what, target=path
                )
                self._file_lock.acquire("stop it first, or give this hub another database")
            return
        conn = self.engine.connect()
        try:
            me = json.dumps(describe_self(what))[:60]  # application_name holds 63 bytes
            conn.exec_driver_sql("SELECT set_config('application_name', %(n)s, false)", {"n": me})
            got = conn.exec_driver_sql("SELECT pg_try_advisory_lock(%(k)s)", {"k": ADVISORY_KEY})
            if not got.scalar():
                holder = conn.exec_driver_sql(
                    "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                    "AND l.granted AND l.objid = %(lo)s AND l.classid = %(hi)s",
                    {"lo": ADVISORY_KEY & 0xFFFFFFFF, "hi": ADVISORY_KEY >> 32},
                ).first()
                name = "another hub" if holder is None else f"{holder[0] or 'another hub'} "
                if holder is not None:
                    name += f"(connected from {holder[1] or 'a local socket'} since {holder[2]:%Y-%m-%d %H:%M:%S})"
                raise AlreadyRunningError(
                    f"{_redact(self.url)} is in use by {name}; stop it first, or give this hub "
                    "another database"
                )
        except BaseException:
            conn.close()
            raise
        conn.commit()
        self._pg_lock = conn

    def close(self) -> None:
        if self._pg_lock is not None:
            with contextlib.suppress(Exception):
                self._pg_lock.close()
            self._pg_lock = None
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None
        self.engine.dispose()

    # -- HubStorage ----------------------------------------------------------
    def positions(self, console_id: str, db: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(hub_streams.c.stream, hub_streams.c.last_seq).where(
                    hub_streams.c.console_id == console_id, hub_streams.c.db_id == db
                )
            ).all()
        return {s: int(last) for s, last in rows}

    def healthy(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        """Store the batches of one drain: one transaction for all, isolated on failure.

        Every record is validated first (``_plan``): a record whose values the columns
        cannot hold, or whose payload is not a valid record of its kind, goes to
        ``hub_quarantine`` with the reason instead of ``hub_records`` — acknowledged,
        counted, never failing the transaction. Should the shared transaction still
        fail while the database answers, each console's batches are retried on their
        own and a failing batch is bisected down to the record that fails, which is
        quarantined as ``storage_error``: one console's data never stops another's.
        Raises only when the database itself cannot commit.
        """
        now_ms = time_ms(self._clock)
        try:
            return self._transaction(batches, now_ms)
        except Exception as exc:
            if not self._answers():
                raise
            log.warning(
                "hub commit of %d batches failed while the database answers; "
                "retrying each console's batches on their own: %s",
                len(batches),
                _one_line(exc),
            )
        results: list[BatchResult | None] = [None] * len(batches)
        by_peer: dict[str, list[int]] = {}
        for i, b in enumerate(batches):
            by_peer.setdefault(b.peer, []).append(i)
        for idx in by_peer.values():
            group = [batches[i] for i in idx]
            try:
                done = self._transaction(group, now_ms)
            except Exception:
                done = self._isolate(group, now_ms)
            for i, r in zip(idx, done, strict=True):
                results[i] = r
        return [r for r in results if r is not None]

    def _transaction(
        self, batches: list[Batch], now_ms: int, forced: dict[int, str] | None = None
    ) -> list[BatchResult]:
        """Plan and write ``batches`` in one transaction; marks move only after the commit.

        ``forced``: seq → database error, for the one record of a single batch that
        failed to store on its own (it is quarantined as ``storage_error``)."""
        with self.engine.begin() as conn:
            plan = _Plan(now_ms, self._load_marks(conn, batches))
            plan.changes.stored_audit_head = partial(audit.stored_head, conn)
            for b in batches:
                self._plan(plan, b, forced)
            self._write(conn, plan)
        self._marks.update(plan.marks)
        self._feeds_known.update(plan.catalog)
        self.bad_payloads += plan.bad_payloads
        self.quarantined += sum(r.quarantined for r in plan.results)
        return plan.results

    def _isolate(self, group: list[Batch], now_ms: int) -> list[BatchResult]:
        """One console's batches, each on its own, bisected down to the failing record."""
        out: list[BatchResult] = []
        failed = ""
        for b in group:
            if failed:
                last = self._marks.get((b.peer, b.db, b.stream))
                out.append(BatchResult(last.last if last else 0, 0, 0, False, failed=failed))
                continue
            parts: list[BatchResult] = []
            try:
                self._bisect(b, b.records, now_ms, parts)
            except _Unstorable as exc:
                failed = exc.detail
            out.append(_combine(b, parts, failed, self._marks.get((b.peer, b.db, b.stream))))
        return out

    def _bisect(
        self, b: Batch, records: list[Record], now_ms: int, parts: list[BatchResult]
    ) -> None:
        try:
            parts += self._transaction([_part(b, records)], now_ms)
            return
        except Exception as exc:
            if len(records) > 1:
                mid = len(records) // 2
                self._bisect(b, records[:mid], now_ms, parts)
                self._bisect(b, records[mid:], now_ms, parts)
                return
            error = _one_line(exc)
        seq = records[0][0]
        log.error(
            "%s/%s seq %d: the database refused this record (%s); quarantined",
            b.peer,
            b.stream,
            seq,
            error,
        )
        try:
            parts += self._transaction([_part(b, records)], now_ms, forced={seq: error})
        except Exception as exc:
            raise _Unstorable(f"cannot store or quarantine seq {seq}: {_one_line(exc)}") from exc

    def _answers(self) -> bool:
        try:
            return self.healthy()
        except Exception:
            return False

    def _plan(self, plan: _Plan, b: Batch, forced: dict[int, str] | None) -> None:
        key = (b.peer, b.db, b.stream)
        m = plan.marks[key]
        got = intake(m.last, b.records)
        m.duplicates += got.duplicates
        quarantined = 0
        for seq, kind, created, payload in got.fresh:
            origin = city.Origin(b.peer, b.scope, b.stream, seq, plan.now_ms, b.db)
            why = (
                ("storage_error", forced[seq])
                if forced and seq in forced
                else self._why_not(plan.changes, origin, kind, created, payload)
            )
            if why is None:
                plan.records.append(
                    {
                        "console_id": b.peer,
                        "db_id": b.db,
                        "stream": b.stream,
                        "seq": seq,
                        "kind": kind,
                        "created_ms": created,
                        "received_ms": plan.now_ms,
                        "payload": payload,
                    }
                )
                continue
            reason, detail = why
            quarantined += 1
            if reason in PAYLOAD_REASONS:
                plan.bad_payloads += 1
            plan.quarantine.append(
                {
                    "console_id": b.peer,
                    "db_id": b.db,
                    "stream": b.stream,
                    "seq": seq,
                    "site_id": b.scope,
                    "reason": reason,
                    "detail": _printable(detail),
                    "received_ms": plan.now_ms,
                    "record": msgpack.packb([seq, kind, created, payload], use_bin_type=True),
                }
            )
        plan.results.append(got.result(m.last, quarantined))
        if got.fresh:
            m.last = got.fresh[-1][0]
            m.records += len(got.fresh)
        if not got.gap:
            m.site = b.scope

    def _why_not(
        self,
        changes: city.CityChanges,
        origin: city.Origin,
        kind: str,
        created: int,
        payload: bytes,
    ) -> tuple[str, str] | None:
        """Why a record cannot be stored as intended (then it is quarantined), or None.

        Checked before any SQL runs: the record's own values (what the columns of
        ``hub_records`` hold), then its payload against the typed schema of its kind."""
        if not INT64_MIN <= created <= INT64_MAX:
            return "bad_created_ms", f"created_ms {created} is outside signed 64-bit"
        if not kind.isprintable():
            return "bad_kind", f"kind {kind!r} has control or format characters"
        try:
            city.fold(changes, origin, kind, payload)
        except RecordError as exc:
            log.warning(
                "%s/%s seq %d: payload quarantined: %s",
                origin.console_id,
                origin.stream,
                origin.seq,
                exc,
            )
            return exc.code, exc.detail
        return None

    def _write(self, conn: Connection, plan: _Plan) -> None:
        self._insert_records.run(conn, plan.records)
        self._insert_quarantine.run(conn, plan.quarantine)
        self._upsert_status.run(conn, list(plan.changes.site_status.values()))
        self._upsert_minutes.run(conn, list(plan.changes.feed_minutes.values()))
        self._insert_audit.run(conn, list(plan.changes.audit_entries.values()))
        self._upsert_audit_heads.run(conn, list(plan.changes.audit_heads.values()))
        self._insert_alarm_events.run(conn, plan.changes.alarm_events)
        self._insert_directive_events.run(conn, plan.changes.directive_events)
        self._insert_escalations.run(conn, plan.changes.escalations)
        if plan.records:
            plan.catalog = self._write_views(conn, plan.changes, plan.now_ms)
        self._upsert_streams.run(
            conn,
            [
                {
                    "console_id": k[0],
                    "db_id": k[1],
                    "stream": k[2],
                    "site_id": m.site,
                    "last_seq": m.last,
                    "records": m.records,
                    "duplicates": m.duplicates,
                    "updated_ms": plan.now_ms,
                }
                for k, m in plan.marks.items()
            ],
        )

    # -- what the IOC window reads ------------------------------------------------
    def _write_views(
        self, conn: Connection, changes: city.CityChanges, now_ms: int
    ) -> dict[tuple[str, str], tuple[str, str]]:
        """The IOC's views of this transaction's records, and the change counter. Returns
        the feed catalog entries written, for the cache once the transaction commits."""
        self._insert_history.run(conn, list(changes.status_history.values()))
        if not self._feeds_known and changes.feeds:
            self._feeds_known = {
                (site, feed): (kind, unit)
                for site, feed, kind, unit in conn.execute(select(hub_feeds))
            }
        new = {
            key: (kind, unit)
            for key, (_, kind, unit) in changes.feeds.items()
            if self._feeds_known.get(key) != (kind, unit)
        }
        self._upsert_feeds.run(
            conn,
            [
                {"site_id": k[0], "feed_key": k[1], "kind": v[0], "unit": v[1]}
                for k, v in new.items()
            ],
        )
        self._upsert_peaks.run(conn, list(changes.kind_hours.values()))
        if self._pruned_ms is None or now_ms - self._pruned_ms >= _PRUNE_EVERY_MS:
            conn.execute(
                site_status_history.delete().where(
                    site_status_history.c.received_ms < now_ms - self._history_keep_ms
                )
            )
            self._pruned_ms = now_ms
        touch_city(conn)
        return new

    # -- helpers -------------------------------------------------------------
    def _load_marks(self, conn: Connection, batches: list[Batch]) -> dict[_Key, _Mark]:
        """Copies of the marks of the batches' streams (from memory, else the database)."""
        out: dict[_Key, _Mark] = {}
        for b in batches:
            key = (b.peer, b.db, b.stream)
            if key in out:
                continue
            m = self._marks.get(key)
            if m is None:
                row = conn.execute(
                    select(
                        hub_streams.c.site_id,
                        hub_streams.c.last_seq,
                        hub_streams.c.records,
                        hub_streams.c.duplicates,
                    ).where(
                        hub_streams.c.console_id == key[0],
                        hub_streams.c.db_id == key[1],
                        hub_streams.c.stream == key[2],
                    )
                ).first()
                m = (
                    _Mark(b.scope, 0, 0, 0)
                    if row is None
                    else _Mark(row[0], int(row[1]), int(row[2]), int(row[3]))
                )
            out[key] = _Mark(**m.__dict__)
        return out

    # -- counters and reports ----------------------------------------------------
    def load_counters(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                n: int(v)
                for n, v in conn.execute(select(hub_counters.c.name, hub_counters.c.value))
            }

    def save_counters(self, values: dict[str, int]) -> None:
        if not values:
            return
        with self.engine.begin() as conn:
            self._upsert_counters.run(conn, [{"name": k, "value": v} for k, v in values.items()])

    def stats(self) -> dict[str, Any]:
        consoles: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    hub_streams.c.console_id,
                    hub_streams.c.db_id,
                    hub_streams.c.stream,
                    hub_streams.c.site_id,
                    hub_streams.c.last_seq,
                    hub_streams.c.records,
                    hub_streams.c.duplicates,
                    hub_streams.c.updated_ms,
                ).order_by(hub_streams.c.console_id, hub_streams.c.stream)
            ).all()
            held = conn.execute(
                select(hub_quarantine.c.console_id, hub_quarantine.c.reason, func.count())
                .group_by(hub_quarantine.c.console_id, hub_quarantine.c.reason)
                .order_by(hub_quarantine.c.console_id, hub_quarantine.c.reason)
            ).all()
        # A console whose database was replaced has older streams too: those are
        # listed as "<stream>@<db>", the current database's as "<stream>".
        current: dict[str, tuple[int, str]] = {}
        for cid, db, *_, upd in rows:
            current[cid] = max(current.get(cid, (-1, "")), (int(upd), str(db)))
        quarantine: dict[str, dict[str, int]] = {}
        for cid, reason, n in held:
            quarantine.setdefault(cid, {})[reason] = int(n)
        for cid, db, stream, site, last, records, dups, upd in rows:
            c = consoles.setdefault(
                cid, {"site": site, "streams": {}, "quarantined": quarantine.get(cid, {})}
            )
            c["streams"][stream if db == current[cid][1] else f"{stream}@{db}"] = {
                "db": db,
                "last_seq": int(last),
                "records_stored": int(records),
                "duplicates_dropped": int(dups),
                "updated_ms": int(upd),
            }
        counters = self.load_counters()
        rej_conn = {
            k.split(".", 1)[1]: v
            for k, v in counters.items()
            if k.startswith("rejected_connections.")
        }
        rej_msg = {
            k.split(".", 1)[1]: v for k, v in counters.items() if k.startswith("rejected_messages.")
        }
        by_reason: dict[str, int] = {}
        for per in quarantine.values():
            for reason, n in per.items():
                by_reason[reason] = by_reason.get(reason, 0) + n
        return {
            "consoles": consoles,
            "downlink": self.downlink_stats(),
            "rejected_connections": rej_conn,
            "rejected_messages": rej_msg,
            "storage_errors": counters.get("storage_errors", 0),
            "quarantined": by_reason,
            "bad_payloads": sum(n for r, n in by_reason.items() if r in PAYLOAD_REASONS),
        }

    def downlink_stats(self) -> dict[str, Any]:
        """The downlink per site and stream: the last seq written and each console's last ACK
        (docs/PROTOCOL.md §2.10)."""
        with self.engine.connect() as conn:
            db = conn.execute(
                select(hub_meta.c.value).where(hub_meta.c.key == "downlink_db")
            ).scalar()
            written = conn.execute(
                select(down_streams.c.site_id, down_streams.c.stream, down_streams.c.last_seq)
            ).all()
            acks = conn.execute(select(down_acks)).all()
        sites: dict[str, dict[str, Any]] = {}
        for site, stream, last in written:
            sites.setdefault(site, {})[stream] = {"last_seq": int(last), "consoles": {}}
        for a in acks:
            entry = sites.setdefault(a.site_id, {}).setdefault(
                a.stream, {"last_seq": 0, "consoles": {}}
            )
            entry["consoles"][a.console_id] = {
                "acked_seq": int(a.acked_seq),
                "acked_ms": int(a.acked_ms),
            }
        return {"db": db, "sites": sites}

    def quarantine(self, console_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest quarantined records (of one console), with reason and detail."""
        q = select(
            hub_quarantine.c.console_id,
            hub_quarantine.c.db_id,
            hub_quarantine.c.stream,
            hub_quarantine.c.seq,
            hub_quarantine.c.site_id,
            hub_quarantine.c.reason,
            hub_quarantine.c.detail,
            hub_quarantine.c.received_ms,
            func.length(hub_quarantine.c.record),
        )
        if console_id is not None:
            q = q.where(hub_quarantine.c.console_id == console_id)
        q = q.order_by(hub_quarantine.c.received_ms.desc(), hub_quarantine.c.seq.desc())
        with self.engine.connect() as conn:
            rows = conn.execute(q.limit(limit)).all()
        keys = ("console_id", "db", "stream", "seq", "site", "reason", "detail", "received_ms")
        return [{**dict(zip(keys, r[:8], strict=True)), "record_bytes": int(r[8])} for r in rows]

    def city(self) -> dict[str, Any]:
        """Latest status per site and, per kind, the city summary of its latest minute."""
        with self.engine.connect() as conn:
            sites = [
                dict(r._mapping)
                for r in conn.execute(select(site_status).order_by(site_status.c.site_id))
            ]
            kinds = {}
            latest = conn.execute(
                select(feed_minutes.c.kind, func.max(feed_minutes.c.minute_ms)).group_by(
                    feed_minutes.c.kind
                )
            ).all()
            for kind, minute in latest:
                r = conn.execute(
                    select(
                        func.count(func.distinct(feed_minutes.c.site_id)),
                        func.count(),
                        func.min(feed_minutes.c.vmin),
                        func.max(feed_minutes.c.vmax),
                        func.avg(feed_minutes.c.mean),
                        func.sum(feed_minutes.c.n),
                        func.min(feed_minutes.c.unit),
                    ).where(feed_minutes.c.kind == kind, feed_minutes.c.minute_ms == minute)
                ).one()
                kinds[kind] = {
                    "minute_ms": int(minute),
                    "sites": int(r[0]),
                    "feeds": int(r[1]),
                    "min": r[2],
                    "max": r[3],
                    "mean": None if r[4] is None else float(r[4]),
                    "readings": int(r[5] or 0),
                    "unit": r[6],
                }
            chains = audit.heads(conn)
        return {"sites": sites, "kinds": kinds, "audit": chains}

    def seqs(self, console_id: str, stream: str, *, quarantined: bool = True) -> list[int]:
        """Every seq the hub holds of a console's stream (all its databases), ascending, in
        ``hub_records`` and (unless ``quarantined`` is False) ``hub_quarantine``: for tests."""
        tables = (hub_records, hub_quarantine) if quarantined else (hub_records,)
        out: list[int] = []
        with self.engine.connect() as conn:
            for t in tables:
                out += [
                    int(s)
                    for (s,) in conn.execute(
                        select(t.c.seq).where(t.c.console_id == console_id, t.c.stream == stream)
                    )
                ]
        return sorted(out)


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<bad url>"

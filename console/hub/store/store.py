"""Hub storage through SQLAlchemy: the same code on SQLite and PostgreSQL.

``commit`` is the heart of exactly-once: for each batch it drops what the
stream already has (seq ≤ last), refuses a batch that would leave a gap
(``transport.streams.intake``), and inserts the new records, the city-picture
upserts (``console.hub.city``) and the new high-water mark in ONE
transaction. The in-memory copy of the marks moves only after the
commit, so a failed commit leaves nothing half-applied.

One hub process per database: the marks are cached in memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, case, create_engine, func, select, text
from sqlalchemy.engine import make_url

from console.hub import city
from console.hub.store.schema import (
    feed_minutes,
    hub_counters,
    hub_feeds,
    hub_records,
    hub_streams,
    kind_hours,
    site_status,
    site_status_history,
)
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.records import RecordError
from console.shared.sql import sqlite_durable, upgrade_or_refuse
from transport.streams import Batch, BatchResult, intake

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

_Key = tuple[str, str, str]

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
        self._upsert_status = upsert(site_status, ["site_id"], "ts_ms")
        self._upsert_minutes = upsert(feed_minutes, ["site_id", "feed_key", "minute_ms"], "seq")
        self._upsert_streams = upsert(hub_streams, ["console_id", "db_id", "stream"], None)
        self._upsert_counters = upsert(hub_counters, ["name"], None)
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
        self.bad_payloads = 0

    def close(self) -> None:
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
        now_ms = time_ms(self._clock)
        with self.engine.begin() as conn:
            marks = {k: _Mark(**m.__dict__) for k, m in self._load_marks(conn, batches).items()}
            results: list[BatchResult] = []
            rows: list[dict[str, Any]] = []
            changes = city.CityChanges()
            for b in batches:
                m = marks[(b.peer, b.db, b.stream)]
                got = intake(m.last, b.records)
                m.duplicates += got.duplicates
                results.append(got.result(m.last))
                for seq, kind, created, payload in got.fresh:
                    rows.append(
                        {
                            "console_id": b.peer,
                            "db_id": b.db,
                            "stream": b.stream,
                            "seq": seq,
                            "kind": kind,
                            "created_ms": created,
                            "received_ms": now_ms,
                            "payload": payload,
                        }
                    )
                    self._fold(
                        changes, city.Origin(b.peer, b.scope, b.stream, seq, now_ms), kind, payload
                    )
                if got.fresh:
                    m.last = got.fresh[-1][0]
                    m.records += len(got.fresh)
                if not got.gap:
                    m.site = b.scope
            self._insert_records.run(conn, rows)
            self._upsert_status.run(conn, list(changes.site_status.values()))
            self._upsert_minutes.run(conn, list(changes.feed_minutes.values()))
            catalog = self._write_views(conn, changes, now_ms) if rows else {}
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
                        "updated_ms": now_ms,
                    }
                    for k, m in marks.items()
                ],
            )
        self._marks.update(marks)
        self._feeds_known.update(catalog)
        return results

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
            out[key] = m
        return out

    def _fold(
        self, changes: city.CityChanges, origin: city.Origin, kind: str, payload: bytes
    ) -> None:
        """Fold one record into the city picture. A bad payload is kept raw and counted.

        The seam for a quarantine: ``exc.code`` says why the record was not applied.
        """
        try:
            city.fold(changes, origin, kind, payload)
        except RecordError as exc:
            self.bad_payloads += 1
            log.warning(
                "%s/%s seq %d: payload not applied to the city picture: %s",
                origin.console_id,
                origin.stream,
                origin.seq,
                exc,
            )

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
        # A console whose database was replaced has older streams too: those are
        # listed as "<stream>@<db>", the current database's as "<stream>".
        current: dict[str, tuple[int, str]] = {}
        for cid, db, *_, upd in rows:
            current[cid] = max(current.get(cid, (-1, "")), (int(upd), str(db)))
        for cid, db, stream, site, last, records, dups, upd in rows:
            c = consoles.setdefault(cid, {"site": site, "streams": {}})
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
        return {
            "consoles": consoles,
            "rejected_connections": rej_conn,
            "rejected_messages": rej_msg,
            "storage_errors": counters.get("storage_errors", 0),
        }

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
        return {"sites": sites, "kinds": kinds}

    def seqs(self, console_id: str, stream: str) -> list[int]:
        """Every stored seq of a console's stream (all its databases), ascending: for tests."""
        with self.engine.connect() as conn:
            return [
                int(s)
                for (s,) in conn.execute(
                    select(hub_records.c.seq)
                    .where(hub_records.c.console_id == console_id, hub_records.c.stream == stream)
                    .order_by(hub_records.c.seq)
                )
            ]


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<bad url>"

"""What the site log and the hub database share: SQLite pragmas, Alembic upgrade-or-refuse."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import alembic.command
import alembic.config
from alembic import context
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, MetaData, engine_from_config, event, pool
from sqlalchemy.exc import OperationalError

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRY_S = 0.001


def sqlite_durable(engine: Engine, *, foreign_keys: bool = True) -> Engine:
    """WAL (readers never block the writer), synchronous=FULL (survives power loss)."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        if foreign_keys:
            cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    return engine


def _busy(exc: OperationalError) -> bool:
    """SQLITE_BUSY: another connection holds the lock (worth asking again)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


@contextmanager
def prompt_write(engine: Engine) -> Iterator[Connection]:
    """A transaction for a person's write (an IOC acknowledgement, a directive) that must
    not wait behind a busy writer longer than it holds the lock.

    On SQLite it takes the write lock at its start (``BEGIN IMMEDIATE``), asking again
    every millisecond while another connection holds it. SQLite's own busy handler backs
    off to sleeps of 10–100 ms, so against the hub's back-to-back summary transactions
    it misses gap after gap (tens of ms, at times over 100); asking each millisecond
    takes the first one. Taking the lock first also makes the transaction's reads and
    writes one atomic step. Gives up (``OperationalError``) after the busy timeout, as
    a plain transaction would. Other databases: ``engine.begin()``.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        conn.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                    break
                except OperationalError as exc:
                    if not _busy(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(WRITE_RETRY_S)
        finally:
            try:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            except BaseException:
                conn.invalidate()  # never back in the pool without its busy timeout
                raise
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def alembic_config(script_location: Path) -> alembic.config.Config:
    cfg = alembic.config.Config()
    cfg.set_main_option("script_location", str(script_location))
    return cfg


def upgrade_or_refuse(engine: Engine, script_location: Path, refuse: Any) -> None:
    """Upgrade an older schema to head; ``refuse(current, head)`` for one this build does not know."""
    cfg = alembic_config(script_location)
    script = ScriptDirectory.from_config(cfg)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError as exc:
            raise refuse(current, script.get_current_head()) from exc
    if current == script.get_current_head():
        return
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        alembic.command.upgrade(cfg, "head")


def run_alembic_env(metadata: MetaData) -> None:
    """Body of a migrations/env.py: the app passes its connection in ``config.attributes``."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(  # the alembic command line
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()

"""Noticing, cheaply and often, that another process wrote to the hub's database.

The hub's loop must send an IOC person's acknowledgement or directive within
moments of its commit, but it cannot afford to read its downlink positions
fifty times a second on a busy database. ``WriteProbe.changed`` is the cheap
question asked instead:

- **SQLite**: ``PRAGMA data_version`` on a connection of the probe's own; SQLite
  changes it whenever *another* connection commits (any writer: the hub's own
  store, the IOC window, the command line), so a True may be someone else's
  write — the caller then reads what it needs, one small query;
- **PostgreSQL**: a connection that LISTENs on a channel the writers NOTIFY in
  their transaction (delivered at commit), read without blocking.

Whenever the probe cannot tell (no connection yet, the connection failed, an
in-memory database) it answers True: a wrong True costs one query, a wrong False
a late directive. Used from one thread; ``close`` after that thread ended.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

DOWNLINK_CHANNEL = "opsconsole_downlink"
"""PostgreSQL NOTIFY channel of the downlink's writers (``console.hub.store.downlink``)."""
RECONNECT_S = 5.0
"""After a failed probe connection, answer True (unsure) for this long before trying again."""


def dbapi_connect(engine: Engine, **extra: Any) -> Any:
    """A DBAPI connection of its own to ``engine``'s database (outside its pool)."""
    dialect = engine.dialect
    cargs, cparams = dialect.create_connect_args(engine.url)
    return dialect.loaded_dbapi.connect(*cargs, **{**cparams, **extra})


def listen(engine: Engine, channel: str) -> Any:
    """A PostgreSQL connection of its own, in autocommit, LISTENing on ``channel``."""
    conn = dbapi_connect(engine, autocommit=True)
    try:
        conn.execute(f"LISTEN {channel}")
    except BaseException:
        conn.close()
        raise
    return conn


class WriteProbe:
    """Has anybody committed to the database (SQLite) / NOTIFYed ``channel`` (PostgreSQL)
    since the last call?"""

    def __init__(self, engine: Engine, channel: str) -> None:
        self._engine = engine
        self._channel = channel
        self._pg = engine.dialect.name == "postgresql"
        self._memory = not self._pg and engine.url.database in (None, "", ":memory:")
        self._conn: Any = None
        self._version: int | None = None
        self._failed_at = -1e18

    def changed(self) -> bool:
        if self._memory:
            return True  # another connection would see another database
        if self._conn is None:
            self._open()
            return True  # what was written before it listened is unknown
        try:
            return self._notified() if self._pg else self._data_version_moved()
        except Exception as exc:
            log.warning("write probe lost (%s); reading positions until it is back", exc)
            self.close()
            self._failed_at = time.monotonic()
            return True

    def close(self) -> None:
        conn, self._conn, self._version = self._conn, None, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # already broken: nothing more to release
                log.debug("closing the write probe: %s", exc)

    # -- internals -------------------------------------------------------------------
    def _open(self) -> None:
        if time.monotonic() - self._failed_at < RECONNECT_S:
            return
        try:
            if self._pg:
                self._conn = listen(self._engine, self._channel)
            else:
                self._conn = dbapi_connect(self._engine)
                self._data_version_moved()  # the mark later calls compare with
        except Exception as exc:
            log.warning("cannot open the write probe (%s); reading positions every turn", exc)
            self._failed_at = time.monotonic()

    def _data_version_moved(self) -> bool:
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        moved = version != self._version
        self._version = version
        return moved

    def _notified(self) -> bool:
        n = 0
        for _ in self._conn.notifies(timeout=0):
            n += 1
        return n > 0

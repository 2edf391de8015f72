"""Cheap wake-ups for IOC windows: the hub's change counter, polled, and NOTIFY on PostgreSQL.

Every hub transaction that changes what the IOC shows bumps ``hub_changes``
(row ``city``) — ``console.hub.store.store.touch_city``. A window asks "has it
moved since N?" with one tiny SELECT every ``poll_s``; on PostgreSQL a
dedicated connection also LISTENs on the channel the same transaction
NOTIFYs, so the window wakes as soon as the hub commits (the poll stays as
the safety net: a dropped listener connection degrades to polling and is
re-opened, it never stops the window's updates).

Used from ONE worker thread (``wait``, ``release``); another thread stops a
waiting ``wait`` through its ``stop`` event.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import Engine, select

from console.hub.store.schema import hub_changes
from console.hub.store.store import CHANGES_CHANNEL
from console.hub.store.wakeup import listen

log = logging.getLogger(__name__)

POLL_S = 0.25
"""A SELECT of one row four times a second: nothing for SQLite or PostgreSQL, and with
the fetch and the frame it keeps a change within a second of its commit."""
RELISTEN_S = 5.0


class ChangeFeed:
    def __init__(self, engine: Engine, *, poll_s: float = POLL_S, listen: bool = True) -> None:
        self._engine = engine
        self.poll_s = poll_s
        self._listen = listen and engine.dialect.name == "postgresql"
        self._listener: Any = None
        self._listen_failed_at = -1e18
        self.notifications = 0
        """NOTIFYs received (tests and the bench check the fast path is in use)."""

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def value(self) -> int:
        """The counter now (0 on a database no hub has written to yet)."""
        with self._engine.connect() as conn:
            v = conn.execute(select(hub_changes.c.value).where(hub_changes.c.name == "city"))
            return int(v.scalar() or 0)

    def wait(self, after: int, timeout: float, stop: threading.Event | None = None) -> int:
        """Block until the counter differs from ``after`` (return it), ``timeout`` passes
        or ``stop`` is set (return the value then, possibly ``after``). ``stop`` is seen
        at once while polling, within ``poll_s`` while listening."""
        stop = stop or threading.Event()
        deadline = time.monotonic() + timeout
        while True:
            v = self.value()
            if v != after or stop.is_set():
                return v
            left = deadline - time.monotonic()
            if left <= 0:
                return v
            self._sleep(min(left, self.poll_s), stop)

    def release(self) -> None:
        """Close the LISTEN connection (from the thread that waits, when it is done)."""
        conn, self._listener = self._listener, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # already broken: nothing more to release
                log.debug("closing the LISTEN connection: %s", exc)

    # -- internals -------------------------------------------------------------------
    def _sleep(self, seconds: float, stop: threading.Event) -> None:
        listener = self._listener_or_none()
        if listener is None:
            stop.wait(seconds)
            return
        try:
            for _ in listener.notifies(timeout=seconds, stop_after=1):
                self.notifications += 1
        except Exception as exc:
            log.warning(
                "LISTEN %s lost (%s): polling every %.2f s", CHANGES_CHANNEL, exc, self.poll_s
            )
            self.release()
            self._listen_failed_at = time.monotonic()

    def _listener_or_none(self) -> Any:
        if not self._listen:
            return None
        if self._listener is None and time.monotonic() - self._listen_failed_at >= RELISTEN_S:
            try:
                self._listener = listen(self._engine, CHANGES_CHANNEL)
            except Exception as exc:
                log.warning("cannot LISTEN %s (%s): polling", CHANGES_CHANNEL, exc)
                self._listen_failed_at = time.monotonic()
        return self._listener

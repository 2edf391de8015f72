"""Run a write in one transaction and get its result: directly, or queued to one thread.

Account changes and log-ins must know whether they happened (and what the
database said, e.g. the new failure count) before they answer: ``run``
waits. A lock or a log-out is decided in memory and only recorded: ``submit``
does not wait, so a window may call it on its GUI thread. Implementations:

* ``DirectCommit`` — the caller's thread, its own transaction (the CLI);
* ``QueuedCommit`` — one writer thread of its own, in order (the IOC window:
  its GUI thread never waits for the database);
* the district console's ``WriterCommit`` — its store writer's group commit.

A function may raise ``ActionRefusedError`` only before it has written
anything: the refusal then reaches the caller and the transaction carries
nothing of it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine

from console.shared.errors import ActionRefusedError

T = TypeVar("T")
log = logging.getLogger(__name__)


class Commit(Protocol):
    def run(self, fn: Callable[[Connection], T], timeout: float = 30.0) -> T:
        """Run ``fn`` in a transaction, wait for the commit, return its result."""
        ...

    def submit(self, fn: Callable[[Connection], Any]) -> None:
        """Run ``fn`` in a transaction; do not wait (safe on the GUI thread)."""
        ...


class DirectCommit:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def run(self, fn: Callable[[Connection], T], timeout: float = 30.0) -> T:
        with self.engine.begin() as conn:
            return fn(conn)

    def submit(self, fn: Callable[[Connection], Any]) -> None:
        self.run(fn)


class QueuedCommit:
    """Transactions run one after another on a thread of their own, in the order given.

    ``run`` waits for its own; ``submit`` returns at once (a failure is logged). The
    thread starts with the first job; ``close`` runs what is queued and joins it.
    """

    def __init__(self, engine: Engine, *, name: str = "commit") -> None:
        self.engine = engine
        self._name = name
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    def _put(self, job: Callable[[], None]) -> None:
        with self._start_lock:
            if self._closed:
                raise RuntimeError(f"{self._name}: closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._jobs.put(job)

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def run(self, fn: Callable[[Connection], T], timeout: float = 30.0) -> T:
        done = threading.Event()
        box: dict[str, Any] = {}

        def job() -> None:
            try:
                with self.engine.begin() as conn:
                    box["result"] = fn(conn)
            except BaseException as exc:  # handed to the caller, who raises it
                box["error"] = exc
            finally:
                done.set()

        self._put(job)
        if not done.wait(timeout):
            raise TimeoutError(f"the database did not commit within {timeout:.0f} s")
        if "error" in box:
            raise box["error"]
        return box["result"]  # type: ignore[no-any-return]

    def submit(self, fn: Callable[[Connection], Any]) -> None:
        def job() -> None:
            try:
                with self.engine.begin() as conn:
                    fn(conn)
            except ActionRefusedError as exc:  # refused before writing: nothing to undo
                log.warning("%s", exc)
            except Exception as exc:
                log.error("%s: a transaction failed: %s", self._name, exc)

        self._put(job)

    def close(self, timeout: float = 30.0) -> None:
        """Run what is queued, then stop the thread (idempotent)."""
        with self._start_lock:
            self._closed = True
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout)

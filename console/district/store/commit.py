"""Run a write in one transaction and get its result: through the store writer or directly.

Account changes and log-ins must know whether they happened (and what the
database said, e.g. the new failure count) before they answer. In a running
console every write goes through the single writer thread (``WriterCommit``:
the job runs inside the writer's group transaction and the caller waits for
the commit); the CLI, with no console running, writes in its own transaction
(``DirectCommit``). Both run the same functions.

A function may raise ``ActionRefusedError`` only before it has written
anything: the refusal then reaches the caller and the transaction carries
nothing of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine

from console.district.store.writer import StoreWriter
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


class WriterCommit:
    def __init__(self, writer: StoreWriter) -> None:
        self.writer = writer

    def run(self, fn: Callable[[Connection], T], timeout: float = 30.0) -> T:
        done = threading.Event()
        box: dict[str, Any] = {}

        def job(conn: Connection) -> Callable[[], None]:
            try:
                box["result"] = fn(conn)
            except ActionRefusedError as exc:
                box["error"] = exc
            return done.set

        self.writer.submit_job(job)
        waited = 0.0
        while not done.wait(0.05):
            waited += 0.05
            if self.writer.failed is not None:
                raise RuntimeError(f"the store writer has stopped: {self.writer.failed}")
            if waited >= timeout:
                raise TimeoutError(f"the site log did not commit within {timeout:.0f} s")
        if "error" in box:
            raise box["error"]
        return box["result"]  # type: ignore[no-any-return]

    def submit(self, fn: Callable[[Connection], Any]) -> None:
        def job(conn: Connection) -> None:
            try:
                fn(conn)
            except ActionRefusedError as exc:  # refused before writing: nothing to undo
                log.warning("%s", exc)

        self.writer.submit_job(job)

"""Run a write in one transaction and get its result: through the store writer or directly.

``Commit`` and ``DirectCommit`` (the CLI's own transaction) are the shared ones
(console.shared.commit); in a running console every write goes through the
single writer thread: ``WriterCommit`` runs the job inside the writer's group
transaction and the caller waits for the commit. Both run the same functions.

A function may raise ``ActionRefusedError`` only before it has written
anything: the refusal then reaches the caller and the transaction carries
nothing of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection

from console.district.store.writer import StoreWriter
from console.shared.commit import Commit, DirectCommit
from console.shared.errors import ActionRefusedError

T = TypeVar("T")
log = logging.getLogger(__name__)


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


__all__ = ["Commit", "DirectCommit", "WriterCommit"]

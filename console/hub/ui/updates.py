"""The window's feed of city snapshots: ``CityService.watch`` in a superqt worker.

The worker waits on the hub's change counter (a tiny SELECT per poll, NOTIFY
on PostgreSQL) and reads a snapshot only when it moved; the GUI thread gets
each snapshot through the worker's ``yielded`` signal and does no I/O. If
the database cannot be read the worker ends with an error; it is started
again after ``RETRY_S`` (the last snapshot stays on screen, and its sites go
silent as time passes, which is the truth: the IOC hears nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from superqt.utils import create_worker

from console.hub.services.ioc import CityService, CitySnapshot

RETRY_S = 5.0


class WatchError(Exception):
    """Reading the hub database failed (superqt reports a RuntimeError from a worker as a
    deleted Qt object and drops it, so the service's errors travel as this)."""


def _watch(city: CityService, stop: threading.Event) -> Iterator[CitySnapshot]:
    try:
        yield from city.watch(stop)
    except RuntimeError as exc:
        raise WatchError(str(exc)) from exc


class CityUpdates(QObject):
    snapshot = Signal(object)
    """A CitySnapshot, on the GUI thread."""
    failed = Signal(str)
    """The database could not be read (empty string: it can again)."""

    def __init__(self, city: CityService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._city = city
        self._stop = threading.Event()
        self._worker: Any = None
        self._failing = False
        self._retry = QTimer(self, singleShot=True, interval=int(RETRY_S * 1000))
        self._retry.timeout.connect(self.start)

    def start(self) -> None:
        if self._worker is not None or self._stop.is_set():
            return
        worker = create_worker(
            _watch, self._city, self._stop, _start_thread=False, _ignore_errors=True
        )
        worker.yielded.connect(self._got)
        worker.errored.connect(self._error)
        worker.finished.connect(self._finished)
        self._worker = worker
        worker.start()

    def running(self) -> bool:
        return self._worker is not None

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop watching and wait (at most ``timeout_s``) for the worker to end."""
        self._stop.set()
        self._retry.stop()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.quit()
        return QThreadPool.globalInstance().waitForDone(int(timeout_s * 1000))

    def _got(self, snap: CitySnapshot) -> None:
        if self._failing:
            self._failing = False
            self.failed.emit("")
        self.snapshot.emit(snap)

    def _error(self, exc: BaseException) -> None:
        self._failing = True
        cause = exc.__cause__ if isinstance(exc, WatchError) and exc.__cause__ else exc
        self.failed.emit(f"{type(cause).__name__}: {cause}")

    def _finished(self, _: object = None) -> None:
        self._worker = None
        if not self._stop.is_set():
            self._retry.start()

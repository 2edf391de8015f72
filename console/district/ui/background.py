"""Run service calls off the GUI thread, one at a time per purpose, latest request wins.

Incident commands wait for the store writer's commit and reads run SQL: the
window calls both through ``Background`` (superqt workers on the global thread
pool, which the window waits for when it closes). A second request for a key
that is still running is kept and run when the first finishes, replacing any
request that was waiting before it (a reload asked for five times during one
slow query runs once more, not five times).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from superqt.utils import create_worker

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Background(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[str, Any] = {}
        self._waiting: dict[str, tuple[Callable[..., Any], tuple[Any, ...], Done, Failed]] = {}

    def busy(self, key: str | None = None) -> bool:
        return bool(self._running) if key is None else key in self._running

    def run(self, key: str, fn: Callable[..., Any], *args: Any, done: Done, failed: Failed) -> None:
        if key in self._running:
            self._waiting[key] = (fn, args, done, failed)
            return

        def finished() -> None:
            self._finished(key)

        worker = create_worker(
            fn,
            *args,
            _start_thread=False,
            _connect={"returned": done, "errored": failed, "finished": finished},
        )
        self._running[key] = worker
        worker.start()

    def _finished(self, key: str) -> None:
        self._running.pop(key, None)
        nxt = self._waiting.pop(key, None)
        if nxt is not None:
            fn, args, done, failed = nxt
            self.run(key, fn, *args, done=done, failed=failed)

"""One read of the hub database at a time, in a worker, for a page of the IOC window.

The pages reload when the hub's data moves; a reload asked while a read runs
reads once more after it (never two reads at once, never a change missed).
``job`` runs on the GUI thread at each start and returns the call the worker
makes, so it can take what the page shows now (e.g. the chosen escalation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from superqt.utils import create_worker


class OneRead:
    def __init__(
        self,
        job: Callable[[], Callable[[], Any]],
        returned: Callable[[Any], None],
        errored: Callable[[BaseException], None],
    ) -> None:
        self._job = job
        self._returned = returned
        self._errored = errored
        self._worker: Any = None
        self._again = False

    @property
    def reading(self) -> bool:
        return self._worker is not None

    def reload(self) -> None:
        if self._worker is not None:
            self._again = True
            return
        self._again = False
        worker = create_worker(
            self._job(),
            _start_thread=False,
            _connect={"returned": self._returned, "errored": self._errored},
        )
        worker.finished.connect(self._done)
        self._worker = worker
        worker.start()

    def _done(self, _: object = None) -> None:
        self._worker = None
        if self._again:
            self.reload()

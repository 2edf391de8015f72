"""Live values for the window: what changed since the last tick, latest values, trend windows.

Reads the ring buffers the receiver fills (a short lock, no I/O): the GUI
timer pulls from here instead of being sent a signal per reading. The one
exception is ``prime_from_log``, run once off the GUI thread after a start: it
puts the last minutes from the log into the buffers, so a restarted console
shows the truth at once instead of "no data yet".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from console.district.config import FeedConfig
from console.district.domain.feedstate import feed_states, stale_after
from console.district.domain.ringbuffer import Latest, RingBuffers
from console.district.store.history import load_recent
from console.shared.clock import Clock, SystemClock

PRIME_WINDOW_S = 4 * 3600.0
"""How far back a restart reads the log: the longest trend span (the ring buffers bound
the rows per feed)."""


@dataclass(frozen=True)
class PrimeReport:
    feeds: int
    """Feeds that got readings from the log."""
    readings: int


class LiveService:
    def __init__(
        self,
        buffers: RingBuffers,
        feeds: Sequence[FeedConfig],
        time_scale: float = 1.0,
        *,
        log: Engine | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._buffers = buffers
        self._keys = [f.id for f in feeds]
        self._log = log
        self._clock = clock or SystemClock()
        self.stale_after_s = stale_after(feeds) / time_scale
        """Per feed: seconds of silence after which it is shown as stale (demo time compressed)."""

    def changed_since(self, seq: int) -> tuple[int, npt.NDArray[np.int64]]:
        return self._buffers.changed_since(seq)

    def latest(self) -> Latest:
        return self._buffers.latest()

    def window(
        self, feed: int, since_ts: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int8]]:
        return self._buffers.window(feed, since_ts=since_ts)

    def states(
        self, now: float, latest: Latest | None = None
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
        """(state per feed, age in seconds per feed) as the operator should believe them."""
        return feed_states(latest if latest is not None else self.latest(), self.stale_after_s, now)

    def prime_from_log(self, window_s: float = PRIME_WINDOW_S) -> PrimeReport:
        """Fill the buffers from the log: each feed's readings of the last ``window_s``
        (at most a buffer's worth), or its last reading if it has none that recent.

        SQL: call it off the GUI thread. Safe while readings arrive: only readings
        older than what a feed already buffers are put in front of them."""
        if self._log is None:
            return PrimeReport(0, 0)
        since_ms = int((self._clock.time() - window_s) * 1000)
        recent = load_recent(self._log, self._keys, since_ms, self._buffers.capacity)
        index = {k: i for i, k in enumerate(self._keys)}
        feeds = readings = 0
        for key, (ts, value, quality) in recent.items():
            n = self._buffers.backfill(index[key], ts, value, quality)
            if n:
                feeds += 1
                readings += n
        return PrimeReport(feeds, readings)

"""Live values for the window: what changed since the last tick, latest values, trend windows.

Reads the ring buffers the receiver fills (a short lock, no I/O): the GUI
timer pulls from here instead of being sent a signal per reading.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from console.district.config import FeedConfig
from console.district.domain.feedstate import feed_states, stale_after
from console.district.domain.ringbuffer import Latest, RingBuffers


class LiveService:
    def __init__(
        self, buffers: RingBuffers, feeds: Sequence[FeedConfig], time_scale: float = 1.0
    ) -> None:
        self._buffers = buffers
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

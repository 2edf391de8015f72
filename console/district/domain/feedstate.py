"""What an operator should believe about each feed right now.

A silent sensor must not look healthy: a feed is *stale* once nothing has
arrived for ``STALE_FACTOR`` × its expected interval, whatever its last
quality was. States are small ints so a whole site is one numpy array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from console.district.config import FeedConfig
from console.district.domain.ringbuffer import Latest
from console.shared.vocab import FeedState

STALE_FACTOR = 3.0

NODATA = 0
GOOD = 1
UNCERTAIN = 2
BAD = 3
STALE = 4

STATE_KEYS: dict[int, FeedState] = {
    NODATA: FeedState.NODATA,
    GOOD: FeedState.GOOD,
    UNCERTAIN: FeedState.UNCERTAIN,
    BAD: FeedState.BAD,
    STALE: FeedState.STALE,
}


def stale_after(feeds: Sequence[FeedConfig]) -> npt.NDArray[np.float64]:
    return np.array([STALE_FACTOR * f.interval_s for f in feeds], dtype=np.float64)


def feed_states(
    latest: Latest, stale_s: npt.NDArray[np.float64], now: float
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
    """(state per feed, age in seconds per feed; NaN where never reported)."""
    age = now - latest.ts
    state = np.full(latest.count.shape, NODATA, dtype=np.int8)
    seen = latest.count > 0
    state[seen] = latest.quality[seen] + GOOD  # quality 0/1/2 → GOOD/UNCERTAIN/BAD
    state[seen & (age > stale_s)] = STALE
    return state, age

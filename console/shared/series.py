"""A feed's history as both products' history views draw it: raw points or bucket envelopes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Series:
    """One feed's history: raw points (``bucket_ms`` 0) or bucket aggregates."""

    feed_key: str
    bucket_ms: int
    ts: npt.NDArray[np.float64]
    """Seconds since the epoch: the reading time, or the bucket's start."""
    mean: npt.NDArray[np.float64]
    min: npt.NDArray[np.float64]
    max: npt.NDArray[np.float64]
    count: npt.NDArray[np.int64]

    @property
    def aggregated(self) -> bool:
        return self.bucket_ms > 0

    @classmethod
    def empty(cls, key: str) -> Series:
        z = np.zeros(0)
        return cls(key, 0, z, z, z, z, np.zeros(0, dtype=np.int64))

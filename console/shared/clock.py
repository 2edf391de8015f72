"""Time, injected: every timed behaviour reads a ``Clock``, so tests run it on simulated time.

``SystemClock`` is the real one. ``SimClock`` only moves when told to
(``advance``), which lets a test run an hour of on-delays, stale checks,
shelving expiries and summaries in milliseconds, deterministically.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Wall-clock time: Unix seconds, UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes backwards (intervals, deadlines)."""
        ...


def time_ms(clock: Clock) -> int:
    """The clock's wall time in integer milliseconds (what logs and records carry)."""
    return int(clock.time() * 1000)


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


class SimClock:
    """A clock that stands still until ``advance`` moves it (thread-safe)."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00Z
        self._wall = float(start)
        self._mono = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self._wall

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        with self._lock:
            self._wall += seconds
            self._mono += seconds

"""Counting rejected input by reason, with a rate-limited sample in the log.

Operators and gateway maintainers need to know *why* data is refused; a log
line per bad reading would drown the log during a flood, so each reason logs
its first occurrence and then at most once per ``sample_interval`` seconds,
with the number suppressed in between.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from transport.feedproto import FRAME_REASONS, READING_REASONS

log = logging.getLogger("opsconsole.rejects")

CORE_REASONS = ("unknown_feed", "out_of_range", "not_newer", "internal_error")
ALL_REASONS = FRAME_REASONS + READING_REASONS + CORE_REASONS


class RejectCounter:
    def __init__(self, sample_interval: float = 10.0) -> None:
        self._counts: dict[str, int] = dict.fromkeys(ALL_REASONS, 0)
        self._last_logged: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._interval = sample_interval
        self._lock = threading.Lock()
        self.samples: dict[str, str] = {}
        """The most recent sampled detail per reason (for a details view)."""

    def add(self, counts: Mapping[str, int], samples: Mapping[str, str]) -> None:
        if not counts:
            return
        now = time.monotonic()
        with self._lock:
            for reason, n in counts.items():
                self._counts[reason] = self._counts.get(reason, 0) + n
                detail = samples.get(reason, "")
                last = self._last_logged.get(reason)
                if last is None or now - last >= self._interval:
                    more = self._suppressed.pop(reason, 0) + n - 1
                    suffix = f" (+{more} more since last report)" if more else ""
                    log.warning("rejected (%s): %s%s", reason, detail, suffix)
                    self._last_logged[reason] = now
                    self.samples[reason] = detail
                else:
                    self._suppressed[reason] = self._suppressed.get(reason, 0) + n

    def snapshot(self, nonzero: bool = True) -> dict[str, int]:
        with self._lock:
            return {k: v for k, v in self._counts.items() if v or not nonzero}

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

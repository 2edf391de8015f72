"""History of feeds from the local log, and CSV export: both do I/O, call them off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from console.district.config import FeedConfig, StorageConfig
from console.district.store.history import (
    CsvFeed,
    LoadCancelledError,
    TierPolicy,
    export_csv,
    iter_history,
    load_history,
)
from console.shared.clock import Clock, SystemClock
from console.shared.kinds import decimals
from console.shared.series import Series

__all__ = ["HistoryService", "LoadCancelledError"]


class HistoryService:
    def __init__(
        self,
        db: Engine,
        tz: ZoneInfo,
        feeds: Sequence[FeedConfig] = (),
        storage: StorageConfig | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._db = db
        self._tz = tz
        self._feeds = {f.id: f for f in feeds}
        self._storage = storage or StorageConfig()
        self._clock = clock or SystemClock()

    def policy(self) -> TierPolicy:
        """Raw readings for spans up to ``history_raw_max_h`` inside the raw retention;
        the minute tier otherwise (docs/SIZING.md)."""
        s = self._storage
        return TierPolicy(
            raw_max_ms=int(s.history_raw_max_h * 3_600_000),
            raw_since_ms=int((self._clock.time() - s.raw_days * 86_400) * 1000),
        )

    def tier(self, t0_ms: int, t1_ms: int) -> str:
        """Which tier ``load`` reads for this span: "raw" or "minute"."""
        return self.policy().tier(t0_ms, t1_ms)

    def load(
        self, feed_keys: Sequence[str], t0_ms: int, t1_ms: int, max_points: int = 1500
    ) -> list[Series]:
        """Raw points for short spans, min/max/mean buckets for long ones (raw or minute tier)."""
        return load_history(self._db, feed_keys, t0_ms, t1_ms, max_points, self.policy())

    def iter_load(
        self,
        feed_keys: Sequence[str],
        t0_ms: int,
        t1_ms: int,
        max_points: int = 1500,
        cancel: threading.Event | None = None,
    ) -> Iterator[Series]:
        """As ``load``, one feed at a time (progress); ``LoadCancelledError`` once ``cancel`` is set."""
        return iter_history(
            self._db, feed_keys, t0_ms, t1_ms, max_points, cancel, policy=self.policy()
        )

    def export_csv(self, series: Sequence[Series], path: Path, lang: str = "vi") -> int:
        """Write what the history view shows (feed id, name in ``lang``, unit, values at
        the kind's decimals, site time with offset); return the number of data rows."""
        meta = {
            key: CsvFeed(f.name.vi if lang == "vi" else f.name.en, f.unit, decimals(f.kind))
            for key, f in self._feeds.items()
        }
        return export_csv(series, path, self._tz, meta)

"""History of feeds from the local log, and CSV export: both do I/O, call them off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from console.district.config import FeedConfig
from console.district.store.history import (
    CsvFeed,
    LoadCancelledError,
    export_csv,
    iter_history,
    load_history,
)
from console.shared.kinds import decimals
from console.shared.series import Series

__all__ = ["HistoryService", "LoadCancelledError"]


class HistoryService:
    def __init__(self, db: Engine, tz: ZoneInfo, feeds: Sequence[FeedConfig] = ()) -> None:
        self._db = db
        self._tz = tz
        self._feeds = {f.id: f for f in feeds}

    def load(
        self, feed_keys: Sequence[str], t0_ms: int, t1_ms: int, max_points: int = 1500
    ) -> list[Series]:
        """Raw points for short spans, min/max/mean buckets for long ones."""
        return load_history(self._db, feed_keys, t0_ms, t1_ms, max_points)

    def iter_load(
        self,
        feed_keys: Sequence[str],
        t0_ms: int,
        t1_ms: int,
        max_points: int = 1500,
        cancel: threading.Event | None = None,
    ) -> Iterator[Series]:
        """As ``load``, one feed at a time (progress); ``LoadCancelledError`` once ``cancel`` is set."""
        return iter_history(self._db, feed_keys, t0_ms, t1_ms, max_points, cancel)

    def export_csv(self, series: Sequence[Series], path: Path, lang: str = "vi") -> int:
        """Write what the history view shows (feed id, name in ``lang``, unit, values at
        the kind's decimals, site time with offset); return the number of data rows."""
        meta = {
            key: CsvFeed(f.name.vi if lang == "vi" else f.name.en, f.unit, decimals(f.kind))
            for key, f in self._feeds.items()
        }
        return export_csv(series, path, self._tz, meta)

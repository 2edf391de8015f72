"""History of feeds from the local log, and CSV export: both do I/O, call them off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from console.district.store.history import export_csv, load_history
from console.shared.series import Series


class HistoryService:
    def __init__(self, db: Engine, tz: ZoneInfo) -> None:
        self._db = db
        self._tz = tz

    def load(
        self, feed_keys: Sequence[str], t0_ms: int, t1_ms: int, max_points: int = 1500
    ) -> list[Series]:
        """Raw points for short spans, min/max/mean buckets for long ones."""
        return load_history(self._db, feed_keys, t0_ms, t1_ms, max_points)

    def export_csv(self, series: Sequence[Series], path: Path) -> int:
        """Write what the history view shows; return the number of data rows."""
        return export_csv(series, path, self._tz)

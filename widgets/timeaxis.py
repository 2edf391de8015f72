"""A time axis in a fixed time zone that shows the date when the view crosses midnight."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pyqtgraph as pg


class LocalTimeAxis(pg.DateAxisItem):
    def __init__(self, tz: ZoneInfo, orientation: str = "bottom", **kwargs: object) -> None:
        offset = datetime.now(tz).utcoffset() or timedelta(0)
        # pyqtgraph counts the offset west-positive, like time.timezone.
        super().__init__(orientation=orientation, utcOffset=-int(offset.total_seconds()), **kwargs)
        self.tz = tz

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        lo, hi = (self.range[0], self.range[1]) if self.range else (0.0, 0.0)
        try:
            crosses = (
                datetime.fromtimestamp(lo, self.tz).date()
                != datetime.fromtimestamp(hi, self.tz).date()
            )
        except (OverflowError, OSError, ValueError):
            fallback: list[str] = super().tickStrings(values, scale, spacing)
            return fallback
        if spacing >= 86_400:
            fmt = "%d/%m"
        elif crosses:
            fmt = "%d/%m %H:%M"
        elif spacing < 60:
            fmt = "%H:%M:%S"
        else:
            fmt = "%H:%M"
        out = []
        for v in values:
            try:
                out.append(datetime.fromtimestamp(v, self.tz).strftime(fmt))
            except (OverflowError, OSError, ValueError):
                out.append("")
        return out

"""A value axis in the feed's own unit: no SI-prefix scaling, the unit's decimals.

pyqtgraph's default rescales an axis to SI prefixes: river levels of
0.10–0.23 m were labelled 100–230 with "m (x0.001)" beside them, which an
operator reads as 200 m. This axis never rescales; its ticks carry the unit's
decimals (more only when the ticks are closer than that, so two ticks never
read the same).
"""

from __future__ import annotations

import math

import pyqtgraph as pg


class UnitAxis(pg.AxisItem):  # type: ignore[misc]
    def __init__(self, orientation: str = "left", decimals: int = 2, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self._decimals = decimals

    def setDecimals(self, decimals: int) -> None:
        if decimals != self._decimals:
            self._decimals = decimals
            self.picture = None
            self.update()

    def decimals(self) -> int:
        return self._decimals

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        d = self._decimals
        if spacing > 0:
            d = max(d, math.ceil(-math.log10(spacing) - 1e-9))
        d = min(d, 6)
        return [f"{v * scale:.{d}f}" for v in values]

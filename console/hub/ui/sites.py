"""The site wall: a tile per site, worst first, in as many columns as the width allows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from console.hub.services.ioc import CitySnapshot, SiteSnapshot
from console.hub.ui import text
from widgets.site_tile import SiteTile

TILE_WIDTH = 262
SPACING = 8


class SiteWall(QWidget):
    siteActivated = Signal(str)
    REFRESH_HZ = 1
    """Ages and link states follow the clock; new snapshots apply when they arrive."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._tiles: dict[str, SiteTile] = {}
        self._order: list[str] = []
        self._columns = 0
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(SPACING)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._hint = QLabel(
            self.tr("No site has reported to this hub yet, and none is named in the hub file.")
        )
        self._hint.setObjectName("hint")
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._inner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._hint)
        lay.addWidget(self._scroll, 1)

    def apply(self, snap: CitySnapshot, now_ms: int) -> None:
        """Show ``snap`` as of ``now_ms``: texts, conditions and the worst-first order."""
        ranked = snap.ranked(now_ms)
        legend = text.feeds_legend()
        for site in ranked:
            tile = self._tiles.get(site.site_id)
            if tile is None:
                tile = SiteTile(site.site_id)
                tile.setFixedWidth(TILE_WIDTH)
                tile.setToolTip(f"{site.site_id}\n\n{legend}")
                tile.activated.connect(self.siteActivated)
                self._tiles[site.site_id] = tile
            self._fill(tile, site, now_ms)
        gone = set(self._tiles) - {s.site_id for s in ranked}
        for key in gone:
            tile = self._tiles.pop(key)
            self._grid.removeWidget(tile)
            tile.deleteLater()
        order = [s.site_id for s in ranked]
        if order != self._order or gone:
            self._order = order
            self._relayout()
        self._hint.setVisible(not ranked)

    def _fill(self, tile: SiteTile, site: SiteSnapshot, now_ms: int) -> None:
        cond = site.condition(now_ms)
        tile.setTitle(site.name(self.lang))
        tile.setCondition(text.CONDITION_NAMES[cond], text.CONDITION_SYMBOLS[cond])
        tile.setLine("link", text.link_line(site, now_ms))
        tile.setLine("alarms", text.alarm_line(site))
        tile.setLine("unack", text.unack_line(site))
        tile.setLine("feeds", text.feeds_line(site))
        tile.setLine("other", text.other_line(site))

    def order(self) -> list[str]:
        """Site ids as the wall shows them, first to last."""
        return list(self._order)

    def tile(self, key: str) -> SiteTile | None:
        return self._tiles.get(key)

    def columns(self) -> int:
        return self._columns

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._columns != self._fit():
            self._relayout()

    def _fit(self) -> int:
        width = self._scroll.viewport().width() - 8
        return max(1, (width + SPACING) // (TILE_WIDTH + SPACING))

    def _relayout(self) -> None:
        self._columns = self._fit()
        for t in self._tiles.values():
            self._grid.removeWidget(t)
        for n, key in enumerate(self._order):
            self._grid.addWidget(
                self._tiles[key], n // self._columns, n % self._columns, Qt.AlignmentFlag.AlignTop
            )
        # Keep tiles at the top-left instead of spread over an empty page.
        rows = (len(self._order) + self._columns - 1) // self._columns
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        self._grid.setRowStretch(rows, 1)
        self._grid.setColumnStretch(self._columns, 1)

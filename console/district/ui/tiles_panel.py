"""The tile wall: a chosen set of feeds as big readable tiles that reflow to the width.

As many columns as tiles of the minimum width fit, balanced over the rows
(eight tiles on a wide screen are two rows of four, not seven and one). The
panel is as tall as its rows, up to ``MAX_SHARE`` of the space it is given, so
the default tiles are all visible with their values and the trend gets the
rest; beyond that it scrolls.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from widgets.tile import FeedTile

SPACING = 6
MAX_SHARE = 0.6
"""Of the height the window's centre offers (the trend keeps the rest)."""


class TilesPanel(QWidget):
    changed = Signal()
    REFRESH_HZ = 5
    """Ages and sparklines (values themselves follow every frame when they change)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[str, FeedTile] = {}
        self._scale = 1.0
        self._columns = 0
        self._available_h = 700
        self._target_h = 0
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(SPACING)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._hint = QLabel(self.tr("No tiles yet: select feeds in the browser and press Ctrl+T."))
        self._hint.setObjectName("hint")
        self._hint.setWordWrap(True)
        self.scrollArea = QScrollArea()
        self.scrollArea.setWidgetResizable(True)
        self.scrollArea.setWidget(self._inner)
        self.scrollArea.viewport().installEventFilter(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._hint)
        lay.addWidget(self.scrollArea, 1)

    def add(self, tile: FeedTile) -> None:
        if tile.key in self._tiles:
            return
        tile.closeRequested.connect(self.remove)
        tile.setScale(self._scale)
        self._tiles[tile.key] = tile
        self._relayout(force=True)
        self.changed.emit()

    def remove(self, key: str) -> None:
        tile = self._tiles.pop(key, None)
        if tile is None:
            return
        self._grid.removeWidget(tile)
        tile.deleteLater()
        self._relayout(force=True)
        self.changed.emit()

    def keys(self) -> list[str]:
        return list(self._tiles)

    def tile(self, key: str) -> FeedTile | None:
        return self._tiles.get(key)

    def tiles(self) -> list[FeedTile]:
        return list(self._tiles.values())

    def columns(self) -> int:
        return self._columns

    def setScale(self, scale: float) -> None:
        self._scale = scale
        for t in self._tiles.values():
            t.setScale(scale)
        self._relayout(force=True)

    def setAvailableHeight(self, height: int) -> None:
        """The height of the window's centre: the panel takes at most MAX_SHARE of it."""
        self._available_h = max(1, height)
        self._relayout(force=True)

    def ensureVisible(self, key: str) -> None:
        tile = self._tiles.get(key)
        if tile is not None:
            self.scrollArea.ensureWidgetVisible(tile)

    # --- reflow -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._relayout()
        return False

    def _tile_size(self) -> tuple[int, int]:
        if self._tiles:
            hint = next(iter(self._tiles.values())).minimumSizeHint()
            w = max(hint.width(), next(iter(self._tiles.values())).minimumWidth())
            h = max(hint.height(), next(iter(self._tiles.values())).minimumHeight())
            return w, h
        return 196, 112

    def _relayout(self, *, force: bool = False) -> None:
        n = len(self._tiles)
        self._hint.setVisible(not n)
        self.scrollArea.setVisible(bool(n))
        if not n:
            self._target_h = self._hint.sizeHint().height() + 4
            self.setMinimumHeight(self._target_h)
            self.setMaximumHeight(self._target_h)
            self.updateGeometry()
            return
        tile_w, tile_h = self._tile_size()
        vw = self.scrollArea.viewport().width()
        width = (vw if vw > 50 else self.width()) - 4
        fit = max(1, (width + SPACING) // (tile_w + SPACING))
        rows = math.ceil(n / fit)
        cols = math.ceil(n / rows)
        if cols != self._columns or force:
            self._columns = cols
            for t in self._tiles.values():
                self._grid.removeWidget(t)
            for k, t in enumerate(self._tiles.values()):
                self._grid.addWidget(t, k // cols, k % cols)
            for c in range(self._grid.columnCount()):
                self._grid.setColumnStretch(c, 1 if c < cols else 0)
        frame = 2 * self.scrollArea.frameWidth()
        content = rows * tile_h + (rows - 1) * SPACING + 4
        cap = max(tile_h + 4, int(self._available_h * MAX_SHARE))
        target = min(content, cap) + frame
        if target != self._target_h:
            # As tall as the rows when there is room; never less than one row (it
            # scrolls then), so the panel cannot make the window taller than the screen.
            self._target_h = target
            self.setMinimumHeight(min(target, tile_h + 4 + frame))
            self.setMaximumHeight(target)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), max(self._target_h, 1))

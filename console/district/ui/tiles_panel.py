"""The tile wall: a chosen set of feeds as big readable tiles, in a wrapping grid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from widgets.tile import FeedTile


class TilesPanel(QWidget):
    changed = Signal()
    columns = 4
    REFRESH_HZ = 5
    """Ages and sparklines (values themselves follow every frame when they change)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[str, FeedTile] = {}
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._hint = QLabel(self.tr("No tiles yet: select feeds in the browser and press Ctrl+T."))
        self._hint.setObjectName("hint")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._inner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._hint)
        lay.addWidget(scroll, 1)

    def add(self, tile: FeedTile) -> None:
        if tile.key in self._tiles:
            return
        tile.closeRequested.connect(self.remove)
        self._tiles[tile.key] = tile
        self._relayout()
        self.changed.emit()

    def remove(self, key: str) -> None:
        tile = self._tiles.pop(key, None)
        if tile is None:
            return
        self._grid.removeWidget(tile)
        tile.deleteLater()
        self._relayout()
        self.changed.emit()

    def keys(self) -> list[str]:
        return list(self._tiles)

    def tile(self, key: str) -> FeedTile | None:
        return self._tiles.get(key)

    def tiles(self) -> list[FeedTile]:
        return list(self._tiles.values())

    def _relayout(self) -> None:
        for t in self._tiles.values():
            self._grid.removeWidget(t)
        for n, t in enumerate(self._tiles.values()):
            self._grid.addWidget(t, n // self.columns, n % self.columns)
        self._hint.setVisible(not self._tiles)

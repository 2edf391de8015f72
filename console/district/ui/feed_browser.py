"""The feed browser: a search box over the grouped feed tree, made for the keyboard.

Down from the search box goes into the results and lands on the first feed,
not on a group row. Names are cut in the middle (the distinctive part of
"Mực nước sông Hàn – cầu Thuận Phước" is at its end) and the columns beside
them are only as wide as their longest words, so the names get the room:
value with its unit, and the state (icon; words for an alarm or anything not
good). Unit and age have columns of their own that the header's context menu
shows; the age is also in every row's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.district.config import FeedConfig
from console.district.domain.feedstate import STATE_KEYS
from console.district.ui.feed_model import (
    COL_AGE,
    COL_ID,
    COL_NAME,
    COL_STATE,
    COL_UNIT,
    COL_VALUE,
    FeedTreeModel,
    UnitRole,
)
from console.district.ui.i18n import state_name, unit_name
from console.shared.kinds import decimals
from console.shared.text import humanize_seconds
from widgets.alarm_words import severity_name


class ValueWithUnit(QStyledItemDelegate):
    """Draws a value cell as "0.17 m": one column instead of two."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        unit = index.data(UnitRole)
        if unit and option.text and option.text != "—":
            option.text = f"{option.text} {unit}"


class FeedBrowser(QWidget):
    def __init__(
        self, feeds: tuple[FeedConfig, ...], lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._feeds = feeds
        self._lang = lang
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search feeds by id or name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.model = FeedTreeModel(feeds, lang, self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setIndentation(14)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setItemDelegateForColumn(COL_VALUE, ValueWithUnit(self.view))
        self.view.expandAll()
        header = self.view.header()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._size_columns()
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.applySearch)
        self.search.textChanged.connect(self._search_timer.start)
        self.setMinimumWidth(220)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.search)
        lay.addWidget(self.view, 1)

    def _size_columns(self) -> None:
        fm = QFontMetrics(self.view.font())
        headers = {c: str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(5)}
        pad = 18

        def widest(texts: list[str]) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + pad

        values = [f"{f.valid_max:.{decimals(f.kind)}f} {unit_name(f.unit)}" for f in self._feeds]
        self._widths = {
            COL_VALUE: min(widest([*values, headers[COL_VALUE]]), 120),
            COL_UNIT: widest([unit_name(f.unit) for f in self._feeds] + [headers[COL_UNIT]]),
            COL_AGE: widest([humanize_seconds(3599, self._lang), headers[COL_AGE]]),
            COL_STATE: min(
                widest(
                    [state_name(s) for s in STATE_KEYS.values()]
                    + [f"◆ {severity_name(s)}" for s in (1, 2, 3)]
                )
                + 20,
                150,
            ),
        }
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for col, w in self._widths.items():
            self.view.setColumnWidth(col, w)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_UNIT, COL_AGE, COL_ID):
            self.view.setColumnHidden(col, True)

    def preferredWidth(self) -> int:
        """Room for the visible columns and a distinguishable name (~20 characters)."""
        fm = QFontMetrics(self.view.font())
        shown = sum(w for c, w in self._widths.items() if not self.view.isColumnHidden(c))
        return shown + fm.horizontalAdvance("M" * 14) + 3 * self.view.indentation() + 40

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in (COL_VALUE, COL_UNIT, COL_AGE, COL_STATE):
            a = QAction(str(self.model.headerData(col, Qt.Orientation.Horizontal)), menu)
            a.setCheckable(True)
            a.setChecked(not self.view.isColumnHidden(col))
            a.toggled.connect(lambda on, col=col: self.view.setColumnHidden(col, not on))
            menu.addAction(a)
        menu.popup(self.view.header().mapToGlobal(pos))

    # --- keyboard ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.enterResults()
                return True
        return super().eventFilter(watched, event)

    def enterResults(self) -> None:
        """Down from the search box: into the results, on the first feed (not a group)."""
        self._search_timer.stop()
        self.applySearch()
        idx = self.model.firstFeedIndex()
        if not idx.isValid():
            return
        self.view.setFocus()
        self.view.setCurrentIndex(idx)
        sel = self.view.selectionModel()
        sel.select(idx, sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
        self.view.scrollTo(idx)

    def applySearch(self) -> None:
        self.model.setFilterText(self.search.text())
        self.view.expandAll()

    def stop(self) -> None:
        self._search_timer.stop()

"""The feed browser's item model: feeds grouped by kind, then area; searchable.

A thin adapter: names and positions come from the site config, values from
ring-buffer snapshots pushed in by the window's refresh tick, alarms from the
alarm service's one pass per tick (``setAlarms``): the State column shows a
feed's alarm (symbol, severity in words, colour; bold while unacknowledged)
before its quality. Filtering is done here (126 feeds: a rebuild is cheap) so
no proxy model sits on the refresh path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from console.district.config import FeedConfig
from console.district.domain.feedstate import GOOD, NODATA, STALE, STATE_KEYS
from console.district.services.alarms import FeedAlarm
from console.district.ui.alarm_models import SEVERITY_COLORS, STATE_SYMBOLS
from console.district.ui.i18n import kind_name, state_name, unit_name
from console.district.ui.icons import icon, kind_icon, state_icon
from console.shared.text import fold, format_value, humanize_seconds, matches
from widgets.alarm_words import alarm_rule_name, alarm_state_name, severity_name

FeedIndexRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2
UnitRole = Qt.ItemDataRole.UserRole + 3
"""The unit in words of the UI language, on the value cell (the browser draws them together)."""

COL_NAME, COL_VALUE, COL_UNIT, COL_AGE, COL_STATE, COL_ID = range(6)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_ROLES = frozenset(
    {
        _DISPLAY,
        _DECORATION,
        _ALIGN,
        _FOREGROUND,
        _TOOLTIP,
        _FONT,
        FeedIndexRole,
        StateRole,
        UnitRole,
    }
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DIM = QBrush(QColor("#8a949e"))
Index = QModelIndex | QPersistentModelIndex


_SEPARATORS = " –-:·,"


def distinctive_names(names: list[str]) -> list[str]:
    """The names without the words they all begin with ("Mực nước sông Hàn – cầu Rồng"
    → "cầu Rồng" among the river gauges): what tells them apart in a narrow column.
    A name is never emptied, and a single name is kept whole."""
    if len(names) < 2:
        return list(names)
    words = [n.split(" ") for n in names]
    common = 0
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        common += 1
    common = min(common, min(len(w) for w in words) - 1)
    # Cut after a separator inside the shared words when there is one: "cầu Rồng",
    # not "Rồng" ("Mực nước sông Hàn – cầu …" shares "cầu" too).
    seps = [k for k in range(common) if words[0][k] in ("–", "-", ":", "·")]
    if seps:
        common = seps[-1] + 1
    if common <= 0:
        return list(names)
    return [
        " ".join(w[common:]).lstrip(_SEPARATORS) or n for w, n in zip(words, names, strict=True)
    ]


@dataclass
class _Node:
    id: int
    parent: int  # -1: top level
    row: int
    kind: str = ""
    area: str = ""
    feed: int = -1
    children: list[int] = field(default_factory=list)


class FeedTreeModel(QAbstractItemModel):
    def __init__(self, feeds: tuple[FeedConfig, ...], lang: str = "vi", parent: Any = None) -> None:
        super().__init__(parent)
        self._feeds = feeds
        self._lang = lang
        self._haystacks = [
            fold(" ".join((f.id, f.name.vi, f.name.en, f.area, f.kind, kind_name(f.kind))))
            for f in feeds
        ]
        n = len(feeds)
        self._value = np.full(n, np.nan)
        self._age = np.full(n, np.nan)
        self._state = np.zeros(n, dtype=np.int8)
        self._value_text = ["—"] * n
        self._age_text = ["—"] * n
        self._alarms: dict[int, FeedAlarm] = {}
        self._alarm_brush = {s: QBrush(c) for s, c in SEVERITY_COLORS.items()}
        self._bold = QFont()
        self._bold.setBold(True)
        self._units = [unit_name(f.unit) for f in feeds]
        self._short = self._short_names()
        self._filter = ""
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._feed_node: dict[int, int] = {}
        self._build()

    def _short_names(self) -> list[str]:
        """Per feed: its name without what all feeds of its kind begin with (the kind's
        group row says it)."""
        out = [self._name(f) for f in self._feeds]
        by_kind: dict[str, list[int]] = {}
        for i, f in enumerate(self._feeds):
            by_kind.setdefault(f.kind, []).append(i)
        for members in by_kind.values():
            for i, short in zip(members, distinctive_names([out[i] for i in members]), strict=True):
                out[i] = short
        return out

    def _name(self, f: FeedConfig) -> str:
        return f.name.vi if self._lang == "vi" else f.name.en

    # --- structure ----------------------------------------------------------------
    def _build(self) -> None:
        self._nodes, self._top, self._feed_node = [], [], {}
        groups: dict[str, dict[str, list[int]]] = {}
        for i, f in enumerate(self._feeds):
            if self._filter and not matches(self._filter, self._haystacks[i]):
                continue
            groups.setdefault(f.kind, {}).setdefault(f.area or "—", []).append(i)
        for kind, areas in groups.items():
            k = self._add(_Node(len(self._nodes), -1, len(self._top), kind=kind))
            self._top.append(k)
            for area in sorted(areas, key=fold):
                a = self._add(
                    _Node(len(self._nodes), k, len(self._nodes[k].children), kind=kind, area=area)
                )
                self._nodes[k].children.append(a)
                for i in areas[area]:
                    fnode = self._add(
                        _Node(len(self._nodes), a, len(self._nodes[a].children), feed=i)
                    )
                    self._nodes[a].children.append(fnode)
                    self._feed_node[i] = fnode

    def _add(self, node: _Node) -> int:
        self._nodes.append(node)
        return node.id

    def setFilterText(self, text: str) -> None:
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._build()
        self.endResetModel()

    def filterText(self) -> str:
        return self._filter

    def visibleFeeds(self) -> list[int]:
        return sorted(self._feed_node)

    def feedsUnder(self, index: Index) -> list[int]:
        """The feeds of a row: itself, or every feed of a group (kind or area) row."""
        if not index.isValid():
            return []
        node = self._nodes[index.internalId()]
        if node.feed >= 0:
            return [node.feed]
        out: list[int] = []
        stack = [node.id]
        while stack:
            n = self._nodes[stack.pop()]
            if n.feed >= 0:
                out.append(n.feed)
            stack.extend(reversed(n.children))
        return sorted(out)

    def firstFeedIndex(self) -> QModelIndex:
        """The first feed row (not a group row), or an invalid index when none shows."""
        for nid in range(len(self._nodes)):
            node = self._nodes[nid]
            if node.feed >= 0:
                return self.createIndex(node.row, 0, nid)
        return QModelIndex()

    def setAlarms(self, alarms: dict[int, FeedAlarm]) -> None:
        """Each feed's alarm (from one pass over the current alarms); repaints the rows
        whose alarm changed."""
        changed = {
            i for i in set(alarms) | set(self._alarms) if alarms.get(i) != self._alarms.get(i)
        }
        self._alarms = dict(alarms)
        for i in changed:
            nid = self._feed_node.get(i)
            if nid is None:
                continue
            row = self._nodes[nid].row
            self.dataChanged.emit(
                self.createIndex(row, 0, nid), self.createIndex(row, COL_STATE, nid)
            )

    def alarmOf(self, feed: int) -> FeedAlarm | None:
        return self._alarms.get(feed)

    def indexOfFeed(self, feed: int, column: int = 0) -> QModelIndex:
        nid = self._feed_node.get(feed)
        if nid is None:
            return QModelIndex()
        return self.createIndex(self._nodes[nid].row, column, nid)

    # --- live values -------------------------------------------------------------------
    def updateValues(self, value: np.ndarray, age: np.ndarray, state: np.ndarray) -> None:
        """Take a new snapshot; repaint only the rows whose shown text or state changed.

        Every feed's age moves, so the shown text is compared rather than
        tracking which feeds received readings."""
        values = [format_value(float(v), f.kind) for v, f in zip(value, self._feeds, strict=True)]
        ages = [humanize_seconds(float(a), self._lang) for a in age]
        dirty = [
            i
            for i in self._feed_node
            if values[i] != self._value_text[i]
            or ages[i] != self._age_text[i]
            or state[i] != self._state[i]
        ]
        self._value, self._age, self._state = value, age, state
        self._value_text, self._age_text = values, ages
        for i in dirty:
            nid = self._feed_node[i]
            row = self._nodes[nid].row
            self.dataChanged.emit(
                self.createIndex(row, COL_VALUE, nid), self.createIndex(row, COL_STATE, nid)
            )

    # --- QAbstractItemModel -----------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= self.columnCount() or row < 0:
            return QModelIndex()
        if not parent.isValid():
            kids = self._top
        else:
            if parent.column() != 0:
                return QModelIndex()
            kids = self._nodes[parent.internalId()].children
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[index.internalId()]
        if node.parent < 0:
            return QModelIndex()
        p = self._nodes[node.parent]
        return self.createIndex(p.row, 0, p.id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                self.tr("Feed"),
                self.tr("Value"),
                self.tr("Unit"),
                self.tr("Age"),
                self.tr("State"),
                self.tr("Id"),
            ][section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each repaint: keep it lean.
        if role not in _ROLES or not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        col = index.column()
        if node.feed < 0:
            return self._group_data(node, col, role)
        i = node.feed
        alarm = self._alarms.get(i)
        if role == _DISPLAY:
            if col == COL_VALUE:
                return self._value_text[i]
            if col == COL_AGE:
                return self._age_text[i]
            if col == COL_STATE:
                if alarm is not None:
                    return f"{STATE_SYMBOLS[alarm.state]} {severity_name(alarm.severity)}"
                state = int(self._state[i])
                # Good needs no words (its icon says it); anything else is spelled out.
                return "" if state == GOOD else state_name(STATE_KEYS[state])
            f = self._feeds[i]
            if col == COL_NAME:
                return self._short[i]
            if col == COL_UNIT:
                return self._units[i]
            return f.id
        if role == _DECORATION:
            if col == COL_NAME:
                return kind_icon(self._feeds[i].kind)
            if col == COL_STATE:
                if alarm is not None:
                    return icon(f"severity_{alarm.severity}")
                return state_icon(STATE_KEYS[int(self._state[i])])
            return None
        if role == _ALIGN:
            return _RIGHT if col in (COL_VALUE, COL_AGE) else None
        if role == _FOREGROUND:
            if alarm is not None and col in (COL_NAME, COL_STATE) and alarm.active:
                return self._alarm_brush.get(alarm.severity)
            return (
                _DIM
                if self._state[i] in (NODATA, STALE) and col in (COL_VALUE, COL_AGE, COL_STATE)
                else None
            )
        if role == _FONT:
            return self._bold if alarm is not None and alarm.unacknowledged else None
        if role == FeedIndexRole:
            return i
        if role == UnitRole:
            return self._units[i] if col == COL_VALUE else None
        if role == StateRole:
            return STATE_KEYS[int(self._state[i])]
        if role == _TOOLTIP:
            f = self._feeds[i]
            tip = f"{f.name.vi}\n{f.name.en}\n{f.id} · {f.area} · {f.lat:.4f}, {f.lon:.4f}"
            tip += f"\n{self._value_text[i]} {self._units[i]} · "
            tip += f"{state_name(STATE_KEYS[int(self._state[i])])} · {self._age_text[i]}"
            if alarm is not None:
                tip += (
                    f"\n{STATE_SYMBOLS[alarm.state]} {alarm_rule_name(alarm.rule)} "
                    f"({severity_name(alarm.severity)}): {alarm_state_name(alarm.state)}"
                )
            return tip
        return None

    def _group_data(self, node: _Node, col: int, role: int) -> Any:
        if role == FeedIndexRole:
            return -1
        if col != COL_NAME:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            n = (
                len(node.children)
                if node.area
                else sum(len(self._nodes[a].children) for a in node.children)
            )
            return f"{node.area if node.area else kind_name(node.kind)} ({n})"
        if role == Qt.ItemDataRole.DecorationRole and not node.area:
            return kind_icon(node.kind)
        return None

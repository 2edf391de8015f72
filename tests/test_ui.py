"""The operator window as an operator sees it (pytest-qt, offscreen, real engine and sockets)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zmq
from PySide6.QtCore import QCoreApplication, QSettings, Qt

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.district.ui.app import style_sheet
from console.district.ui.feed_model import FeedIndexRole, FeedTreeModel
from console.district.ui.main_window import MainWindow
from console.district.ui.status import ReasonCodeRole
from console.shared.session import os_session
from tests.conftest import now_ms, wait_until
from transport.feedproto import encode_batch

pytestmark = pytest.mark.usefixtures("vietnamese_ui")


@pytest.fixture
def engine(small_site: SiteConfig, tmp_path: Path):
    e = ConsoleApp(small_site, tmp_path / "data", feeds_pull=["tcp://127.0.0.1:*"])
    e.start()
    yield e
    e.stop()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, engine: ConsoleApp, settings: QSettings):
    win = MainWindow(engine.services, os_session(), settings, "vi")
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    return win


def push(engine: ConsoleApp, rows: list[tuple[str, int, float, int]]) -> None:
    before = engine.receiver.frames_received
    s = zmq.Context.instance().socket(zmq.PUSH)
    s.setsockopt(zmq.LINGER, 5000)
    s.connect(engine.endpoints[0])
    s.send(encode_batch(rows))
    s.close()
    wait_until(lambda: engine.receiver.frames_received > before, what="the frame")


def test_tiles_show_values_and_a_silent_sensor_does_not_look_healthy(
    window: MainWindow, engine: ConsoleApp
) -> None:
    t = now_ms()
    # 0.734 m: below the river's first alert level (1.0 m), so no alarm covers the quality
    # (a feed in alarm shows the alarm: tests/test_fit.py).
    push(engine, [("river-1", t, 0.734, 0), ("rain-1", t - 600_000, 3.5, 0)])
    window.refresh()
    for _ in range(5):  # tile ages and states refresh on the slow phase
        window.refresh()
    river = window.tiles.tile("river-1")
    rain = window.tiles.tile("rain-1")
    pm = window.tiles.tile("pm25-1")
    assert river is not None and rain is not None and pm is not None
    assert river.valueText() == "0.73" and river.getState() == "good"
    assert "tốt" in river.statusText()
    # Ten minutes silent with a 60 s interval: stale, said in words, value greyed by style.
    assert rain.getState() == "stale"
    assert "MẤT TÍN HIỆU" in rain.statusText() and "10 phút" in rain.statusText()
    assert pm.getState() == "nodata" and pm.valueText() == "—"
    assert "chưa có dữ liệu" in pm.statusText()


def test_bad_quality_is_shown_as_bad(window: MainWindow, engine: ConsoleApp) -> None:
    push(engine, [("river-1", now_ms(), 0.5, 2)])
    for _ in range(5):
        window.refresh()
    tile = window.tiles.tile("river-1")
    assert tile is not None and tile.getState() == "bad" and "hỏng" in tile.statusText()


def test_trend_plots_the_fed_values_and_reads_them_out(
    window: MainWindow, engine: ConsoleApp
) -> None:
    t = now_ms()
    rows = [("river-1", t - 4000 + 1000 * k, 1.0 + k / 10, 0) for k in range(5)]
    push(engine, rows)
    window.refresh()
    x, y = window.trend.plot.seriesData("river-1")
    assert np.allclose(x, [r[1] / 1000 for r in rows])
    assert np.allclose(y, [r[2] for r in rows])
    text = window.trend.plot.readoutAt(rows[2][1] / 1000)
    assert "1.20" in text and "m" in text


def test_trend_allows_two_units_and_refuses_a_third(window: MainWindow) -> None:
    plot = window.trend.plot
    assert set(plot.units()) == {"m", "mm/h"}  # the defaults: rivers and a rain gauge
    window.addTrend("pm25-1")
    assert "pm25-1" not in plot.seriesKeys()
    assert "hai đơn vị" in window.trend.message.text()
    plot.removeSeries("rain-1")
    window.addTrend("pm25-1")
    assert plot.units() == ["m", "µg/m³"]


def test_following_pauses_on_manual_zoom_and_resumes(qtbot, window: MainWindow) -> None:
    plot = window.trend.plot
    assert plot.follow()
    with qtbot.waitSignal(plot.followChanged):
        plot.plotItem().getViewBox().sigRangeChangedManually.emit([True, True])
    assert not plot.follow()
    assert "Tạm dừng" in window.trend.follow.text()
    window.actFollow.trigger()
    assert plot.follow()


@pytest.mark.parametrize("query", ["muc nuoc", "Mực nước", "MUC NUOC han", "river-1"])
def test_search_matches_with_or_without_diacritics(qtbot, window: MainWindow, query: str) -> None:
    window.search.clear()
    if query.isascii():
        qtbot.keyClicks(window.search, query)  # typed, as an operator would
    else:
        window.search.setText(query)  # QTest cannot type non-Latin-1 keys
    qtbot.waitUntil(lambda: window.feedModel.filterText() == query)
    assert window.feedModel.visibleFeeds() == [0]


def test_search_for_nothing_shows_nothing_and_clearing_restores(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "khong co gi")
    qtbot.waitUntil(lambda: window.feedModel.filterText() == "khong co gi")
    assert window.feedModel.rowCount() == 0
    window.search.clear()
    qtbot.waitUntil(lambda: window.feedModel.filterText() == "")
    assert window.feedModel.visibleFeeds() == [0, 1, 2]


def test_feed_model_passes_qtmodeltester(qtmodeltester, small_site: SiteConfig) -> None:
    model = FeedTreeModel(small_site.feeds, "vi")
    qtmodeltester.check(model)
    model.updateValues(
        np.array([1.0, np.nan, 3.0]),
        np.array([1.0, np.nan, 500.0]),
        np.array([1, 0, 4], dtype=np.int8),
    )
    qtmodeltester.check(model)
    model.setFilterText("bui")
    qtmodeltester.check(model)
    assert model.visibleFeeds() == [2]
    idx = model.indexOfFeed(2)
    assert idx.data(FeedIndexRole) == 2
    assert model.index(idx.row(), 1, idx.parent()).data() == "3.0"


def test_selected_feeds_go_to_tiles_trend_and_history(window: MainWindow) -> None:
    window.tiles.remove("pm25-1")
    idx = window.feedModel.indexOfFeed(2)
    window.feedView.selectionModel().select(
        idx,
        window.feedView.selectionModel().SelectionFlag.ClearAndSelect
        | window.feedView.selectionModel().SelectionFlag.Rows,
    )
    assert window.selectedFeeds() == ["pm25-1"]
    window.actAddTile.trigger()
    assert window.tiles.keys()[-1] == "pm25-1"
    window.actHistory.trigger()
    assert window.history.feedKeys() == ["pm25-1"]
    assert window.historyDock.isVisible()


def test_window_state_round_trips(qtbot, engine: ConsoleApp, settings: QSettings) -> None:
    w1 = MainWindow(engine.services, os_session(), settings, "vi")
    qtbot.addWidget(w1)
    w1.resize(760, 560)  # the offscreen screen is 800 × 800; restored geometry is clamped to it
    w1.show()
    QCoreApplication.processEvents()
    w1.tiles.remove("rain-1")
    w1.trend.plot.removeSeries("rain-1")
    w1.trend.span.setCurrentIndex(3)
    w1.historyDock.show()
    QCoreApplication.processEvents()
    size = (w1.width(), w1.height())  # what the layout allows at that request, history shown
    w1.close()
    w2 = MainWindow(engine.services, os_session(), settings, "vi")
    qtbot.addWidget(w2)
    w2.show()
    assert w2.tiles.keys() == ["river-1", "pm25-1"]
    assert w2.trend.plot.seriesKeys() == ["river-1"]
    assert w2.trend.span.currentIndex() == 3
    assert (w2.width(), w2.height()) == size
    assert w2.historyDock.isVisible()


def test_status_bar_counts_rejects_and_the_dialog_explains(
    window: MainWindow, engine: ConsoleApp
) -> None:
    push(engine, [("river-1", now_ms(), 99.0, 0), ("ghost", now_ms(), 1.0, 0)])
    t_before = window._tick
    while window._tick < t_before + 26:
        window.refresh()
    assert "Bị từ chối: 2" in window.status.rejects.text()
    window.status.rejects.click()
    dlg = window.status.dialog
    assert dlg.isVisible() and not dlg.isModal()
    items = [dlg.table.item(r, 0) for r in range(dlg.table.rowCount())]
    assert {i.data(ReasonCodeRole) for i in items} == {"out_of_range", "unknown_feed"}
    # In words of the UI language; the code in the tooltip.
    assert {i.text() for i in items} == {
        "giá trị ngoài khoảng hợp lệ",
        "nguồn không có trong cấu hình trạm",
    }
    assert all(i.data(ReasonCodeRole) in i.toolTip() for i in items)
    assert "Tiếp nhận" in window.status.rate.text()


def test_the_style_sheet_and_vietnamese_ui_are_in_force(window: MainWindow) -> None:
    assert QCoreApplication.instance().styleSheet() == style_sheet()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Xem", "&Cảnh báo", "&Sự cố", "Ca &trực", "&Ngôn ngữ", "&Tệp"]
    assert window.feedModel.headerData(0, Qt.Orientation.Horizontal) == "Nguồn dữ liệu"
    assert window.browserDock.windowTitle() == "Nguồn dữ liệu"


def test_window_frame_is_recorded_per_tick(qtbot, window: MainWindow) -> None:
    n = len(window.frame_ms)
    window.start()
    assert 1000 / window.timer.interval() <= 30, "the GUI pulls snapshots at 30 Hz at most"
    qtbot.waitUntil(lambda: len(window.frame_ms) >= n + 3, timeout=5000)
    window.timer.stop()
    assert all(ms >= 0 for ms in window.frame_ms)


def test_no_io_objects_are_created_by_refresh(
    window: MainWindow, engine: ConsoleApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI tick reads memory only: no SQL connection may be opened from it."""
    opened = []
    monkeypatch.setattr(engine.db.engine, "connect", lambda *a, **k: opened.append(1))
    for _ in range(30):
        window.refresh()
    assert opened == []


def test_local_time_axis_shows_dates_across_midnight() -> None:
    from zoneinfo import ZoneInfo

    from widgets.timeaxis import LocalTimeAxis

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    axis = LocalTimeAxis(tz)
    from datetime import datetime

    midnight = datetime(2026, 11, 28, tzinfo=tz).timestamp()
    axis.setRange(midnight - 3600, midnight + 3600)
    assert axis.tickStrings([midnight], 1, 1800) == ["28/11 00:00"]
    axis.setRange(midnight + 3600, midnight + 7200)
    assert axis.tickStrings([midnight + 3600], 1, 600) == ["01:00"]

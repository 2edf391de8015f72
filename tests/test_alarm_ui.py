"""The alarm console as an operator uses it: table, acknowledge, shelve, journal, banner, flood."""

from __future__ import annotations

import dataclasses
import getpass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from console.district.config import AlarmRules, SiteConfig
from console.district.domain.alarms import ACTIVE_ACK, ACTIVE_UNACK, SHELVED
from console.district.services.app import ConsoleApp
from console.district.ui.alarm_models import AlarmTableModel, JournalModel
from console.district.ui.main_window import MainWindow
from console.shared.session import os_session
from tests.conftest import now_ms

pytestmark = pytest.mark.usefixtures("vietnamese_ui")


@pytest.fixture
def app(small_site: SiteConfig, tmp_path: Path):
    console = ConsoleApp(small_site, tmp_path, feeds_pull=["tcp://127.0.0.1:*"])
    console.start()
    yield console
    console.stop()


@pytest.fixture
def window(qtbot, app: ConsoleApp, tmp_path: Path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(app.services, os_session(), settings, "vi")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def inject(engine: ConsoleApp, feed: int, values: list[float], t0: int) -> None:
    """Readings straight into the alarm engine, as the receiver thread would hand them."""
    assert engine.alarms is not None
    n = len(values)
    engine.alarms.on_readings(
        np.full(n, feed, dtype=np.int64), t0 + np.arange(n, dtype=np.int64), np.array(values)
    )


def test_alarm_appears_is_acknowledged_with_a_note_and_shelved(
    window: MainWindow, app: ConsoleApp
) -> None:
    panel = window.alarmPanel
    assert panel is not None
    inject(app, 0, [2.5], now_ms())
    window._update_alarms()
    assert panel.model.rowCount() == 1
    cells = [panel.model.index(0, c).data() for c in range(panel.model.columnCount())]
    assert "trung bình" in cells[0] and "chưa xác nhận" in cells[1] and "mức cao" in cells[5]
    assert "chưa xác nhận: 1" in window.banner.counts.text()
    assert "Mực nước sông Hàn" in window.banner.newest.text()
    assert window.banner.property("level") == 2
    assert window.annunciator.sounds_played == 1
    # Nothing selected: told, not crashed.
    assert panel.acknowledgeSelected() == []
    assert "chọn" in panel.message.text()
    panel.table.selectRow(0)
    panel.note.setText("đã báo đội ứng cứu")
    window.actAck.trigger()
    window._update_alarms()
    v = app.alarms.view("river-1:high")
    assert (
        v.state == ACTIVE_ACK and v.acked_by == getpass.getuser() and v.note == "đã báo đội ứng cứu"
    )
    assert panel.note.text() == "", "the note is consumed by the acknowledgement"
    assert "đã xác nhận" in panel.model.index(0, 1).data()
    # Shelving without a reason is refused, with the reason field focused.
    panel.table.selectRow(0)
    panel.shelveSelected()
    assert app.alarms.view("river-1:high").state == ACTIVE_ACK
    assert "lý do" in panel.message.text()
    panel.reason.setText("cảm biến đang hiệu chỉnh")
    panel.shelveSelected()
    window._update_alarms()
    v = app.alarms.view("river-1:high")
    assert v.state == SHELVED and v.shelved_until_ms > now_ms()
    events = [panel.journal.index(r, 3).data() for r in range(panel.journal.rowCount())]
    assert events[:3] == ["tạm gác", "xác nhận", "bắt đầu"], (
        "the journal shows the newest first, in words"
    )


def test_typed_text_survives_refreshes(window: MainWindow, app: ConsoleApp) -> None:
    panel = window.alarmPanel
    assert panel is not None
    panel.note.setText("đang gõ dở")
    for k in range(30):
        inject(app, 0, [2.5 if k % 2 else 0.5], now_ms() + k * 10)
        window.refresh()
    assert panel.note.text() == "đang gõ dở"


def test_next_alarm_key_selects_unacknowledged_rows(window: MainWindow, app: ConsoleApp) -> None:
    inject(app, 0, [3.5], now_ms())
    window._update_alarms()
    window.actNextAlarm.trigger()
    assert window.alarmPanel is not None
    assert window.alarmPanel.selectedIds() == ["river-1:high"]


def test_models_pass_qtmodeltester(qtmodeltester, window: MainWindow, app: ConsoleApp) -> None:
    inject(app, 0, [1.5, 2.5, 0.5], now_ms())
    window._update_alarms()
    assert window.alarmPanel is not None
    qtmodeltester.check(window.alarmPanel.model)
    qtmodeltester.check(window.alarmPanel.journal)


def test_alarm_flood_is_summarised_and_the_window_keeps_up(
    qtbot, demo_site: SiteConfig, tmp_path: Path
) -> None:
    rules = AlarmRules(high=((1.0, 1), (2.0, 2), (3.0, 3)), stale=False)
    site = dataclasses.replace(
        demo_site,
        feeds=tuple(
            dataclasses.replace(f, alarms=rules, valid_min=-100.0) for f in demo_site.feeds
        ),
    )
    engine = ConsoleApp(site, tmp_path, feeds_pull=["tcp://127.0.0.1:*"])
    win = MainWindow(
        engine.services,
        os_session(),
        QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
        "vi",
    )
    qtbot.addWidget(win)
    win.show()
    try:
        n = len(site.feeds)
        t0 = now_ms()
        # 200 rounds of every feed jumping between level III and normal: 16,800 transitions.
        f = np.tile(np.arange(n, dtype=np.int64), 200)
        v = np.where((np.arange(f.size) // n) % 2 == 0, 3.5, 0.0)
        assert engine.alarms is not None
        engine.alarms.on_readings(f, t0 + np.arange(f.size, dtype=np.int64), v)
        assert engine.alarms.transitions == 200 * n
        win._update_alarms()
        panel = win.alarmPanel
        assert panel is not None
        assert panel.journal.rowCount() == min(
            200 * n, JournalModel.MAX_ROWS, 5000
        )  # the engine keeps the last 5,000
        assert panel.model.rowCount() == n  # one row per alarm, not per transition
        assert "cảnh báo mới" in win.banner.summary.text()
        win.refresh()  # still responsive after the flood
    finally:
        win.close()
        engine.writer.stop()
        engine.db.engine.dispose()


def test_alarm_table_sorts_unacknowledged_first() -> None:
    from zoneinfo import ZoneInfo

    from console.district.domain.alarms import AlarmView

    def view(i: str, state: str, sev: int, t: int) -> AlarmView:
        return AlarmView(i, 0, "f", "high", state, sev, True, t, t, 1.0, "", 0, 0, "")

    from console.district.config import default_site_path, load_site

    m = AlarmTableModel(load_site(default_site_path()).feeds, ZoneInfo("Asia/Ho_Chi_Minh"), "vi")
    m.setAlarms(
        [view("a", ACTIVE_ACK, 3, 1), view("b", ACTIVE_UNACK, 1, 2), view("c", ACTIVE_UNACK, 3, 1)]
    )
    assert [a.id for a in m.alarms()] == ["c", "b", "a"]

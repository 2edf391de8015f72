"""Log-in, lock, hand-over and the failure wait in the window (pytest-qt, simulated time).

The console runs on a SimClock: the idle lock and the wait after failed log-ins
are driven by ``app.scheduler.advance``, never by sleeping. Log-ins go through
the duty bar's fields and its worker thread, as a person's would.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit

from console.district.config import AccessConfig, SiteConfig
from console.district.services.app import ConsoleApp
from console.district.ui.actionlog_panel import ActionLogModel
from console.district.ui.main_window import MainWindow
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.session import os_session
from console.shared.vocab import AlarmState, Role

pytestmark = pytest.mark.usefixtures("vietnamese_ui")

AID = "river-1:high"
PW = "mật-khẩu-ca-đêm-7"
IDLE_S = 300.0
WAIT_S = 600.0
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(small_site: SiteConfig, tmp_path: Path) -> Iterator[ConsoleApp]:
    site = dataclasses.replace(
        small_site, access=AccessConfig(idle_lock_s=IDLE_S, login_wait_s=WAIT_S)
    )
    c = ConsoleApp(site, tmp_path, clock=SimClock(), passwords=Passwords(FAST_FOR_TESTS))
    c.start(receive=False)
    yield c
    c.stop()


def otp_for(app: ConsoleApp, user: str, roles: str, name: str) -> str:
    return app.services.access.add_user(os_session(Role.ADMIN), user, name, roles)


@pytest.fixture
def open_window(qtbot, app: ConsoleApp, tmp_path: Path) -> Iterator[Callable[[], MainWindow]]:
    """Opens the window as the console does: nobody on duty. Accounts made before it opens
    decide whether it asks for a log-in or for the first administrator."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
        win = MainWindow(app.services, None, settings, "vi")
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        qtbot.waitUntil(lambda: not win.duty.busy())  # the first-run check
        made.append(win)
        return win

    yield make
    for win in made:
        qtbot.waitUntil(lambda w=win: not (w.duty.busy() or w.actionLog.busy() or w.users.busy()))
        win.close()


@pytest.fixture
def window(app: ConsoleApp, open_window: Callable[[], MainWindow]) -> MainWindow:
    """The window of a console that has the account ``an`` (operator, never logged in)."""
    AN_OTP[0] = otp_for(app, "an", "operator", "Nguyễn Văn An")
    return open_window()


AN_OTP = [""]


def activate(app: ConsoleApp, value: float = 2.5) -> None:
    assert app.alarms is not None
    activate.k += 1  # type: ignore[attr-defined]
    ts = int(app.clock.time() * 1000) + activate.k  # type: ignore[attr-defined]
    app.alarms.on_readings(np.array([0]), np.array([ts]), np.array([value]))


activate.k = 0  # type: ignore[attr-defined]


def log_in(qtbot, win: MainWindow, user: str, password: str, new: str | None = None) -> None:
    bar = win.duty
    bar.userId.setText(user)
    bar.password.setText(password)
    if new is not None:
        bar.newPassword.setText(new)
        bar.repeatPassword.setText(new)
    qtbot.mouseClick(bar.loginButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.busy())


def first_log_in(qtbot, win: MainWindow) -> None:
    """``an`` logs in with the one-time password and chooses PW."""
    user, otp = "an", AN_OTP[0]
    log_in(qtbot, win, user, otp)
    assert "Mật khẩu dùng một lần" in win.duty.message.text()
    assert win.duty.newPassword.isVisible() and win.duty.repeatPassword.isVisible()
    log_in(qtbot, win, user, otp, PW)


def test_the_window_runs_before_log_in_and_refuses_commands_until_then(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    activate(app)
    window._update_alarms()
    panel = window.alarmPanel
    assert panel is not None and panel.model.rowCount() == 1
    assert "chưa xác nhận: 1" in window.banner.counts.text(), "the banner runs before log-in"
    assert window.duty.property("mode") == "login" and window.duty.form.isVisible()
    assert "Chưa có người trực" in window.duty.status.text()
    assert not panel.ackButton.isEnabled() and not window.actAck.isEnabled()
    panel.table.selectRow(0)
    assert panel.acknowledgeSelected() == []  # what a shortcut would do: the service refuses
    assert "chưa có ai đăng nhập" in panel.message.text()
    assert app.alarms is not None and app.alarms.view(AID).state == AlarmState.ACTIVE_UNACK


def test_log_in_changes_the_one_time_password_and_then_acts(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    activate(app)
    window._update_alarms()
    log_in(qtbot, window, "an", "sai")
    assert window.duty.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    first_log_in(qtbot, window)
    bar = window.duty
    assert bar.property("mode") == "duty" and not bar.form.isVisible()
    assert "Đang trực: Nguyễn Văn An (an) — điều hành viên" in bar.status.text()
    assert bar.password.text() == "" and bar.newPassword.text() == "", "secrets are cleared"
    panel = window.alarmPanel
    assert panel is not None and panel.ackButton.isEnabled()
    assert not panel.oosButton.isEnabled(), "an operator may not take alarms out of service"
    panel.table.selectRow(0)
    panel.note.setText("đã báo đội ứng cứu")
    assert panel.acknowledgeSelected() == [AID]
    assert app.alarms is not None and app.alarms.view(AID).acked_by == "an"
    panel.table.selectRow(0)
    panel.reason.setText("bảo trì cảm biến")
    panel.removeSelected()
    assert "không được ngừng giám sát cảnh báo" in panel.message.text()
    assert app.alarms.view(AID).state == AlarmState.ACTIVE_ACK


def test_idle_lock_keeps_alarms_live_and_blocks_actions_until_log_in(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    first_log_in(qtbot, window)
    app.scheduler.advance(IDLE_S + 1)
    window.duty.refresh()
    bar = window.duty
    assert bar.property("mode") == "locked"
    assert "Màn hình đã khóa (không có thao tác) — Nguyễn Văn An đang trực" in bar.status.text()
    # The control room does not go dark: a new alarm still reaches table and banner.
    activate(app)
    window._update_alarms()
    panel = window.alarmPanel
    assert panel is not None and panel.model.rowCount() == 1
    assert "chưa xác nhận: 1" in window.banner.counts.text()
    assert not panel.ackButton.isEnabled()
    panel.table.selectRow(0)
    assert panel.acknowledgeSelected() == []
    assert "màn hình đang khóa" in panel.message.text()
    log_in(qtbot, window, "an", PW)
    assert bar.property("mode") == "duty" and panel.ackButton.isEnabled()
    panel.table.selectRow(0)
    assert panel.acknowledgeSelected() == [AID]


def test_hand_over_switches_the_person_without_stopping_anything(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    first_log_in(qtbot, window)
    otp = otp_for(app, "ha", "supervisor", "Trần Thu Hà")
    bar = window.duty
    qtbot.mouseClick(bar.handoverButton, Qt.MouseButton.LeftButton)
    assert bar.form.isVisible() and bar.loginButton.text() == "Nhận ca"
    duty = app.services.access.duty().session
    assert duty is not None and duty.user_id == "an", "An stays on duty until Hà logs in"
    log_in(qtbot, window, "ha", otp)
    assert "Mật khẩu dùng một lần" in bar.message.text()
    assert app.services.access.duty().session.user_id == "an"  # type: ignore[union-attr]
    log_in(qtbot, window, "ha", otp, "ca-sáng-của-hà-2")
    assert "Trần Thu Hà (ha) — giám sát viên" in bar.status.text()
    assert window.alarmPanel is not None and window.alarmPanel.oosButton.isEnabled()
    app.flush(10)
    rows = app.services.audit.search(window.session, limit=1)
    assert (rows[0]["action"], rows[0]["before_value"], rows[0]["after_value"]) == (
        "handover",
        "an",
        "ha",
    )
    qtbot.mouseClick(bar.logoutButton, Qt.MouseButton.LeftButton)
    assert bar.property("mode") == "login" and window.session is None


def test_five_failed_log_ins_make_the_account_wait(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    first_log_in(qtbot, window)
    qtbot.mouseClick(window.duty.logoutButton, Qt.MouseButton.LeftButton)
    for _ in range(4):
        log_in(qtbot, window, "an", "đoán-bừa-mật-khẩu")
        assert window.duty.message.text() == "Sai tên đăng nhập hoặc mật khẩu."
    log_in(qtbot, window, "an", "đoán-bừa-mật-khẩu")
    assert "Đăng nhập sai quá nhiều lần" in window.duty.message.text()
    log_in(qtbot, window, "an", PW)  # right, but the account waits
    assert "Đăng nhập sai quá nhiều lần" in window.duty.message.text()
    assert window.session is None
    app.scheduler.advance(WAIT_S + 1)
    log_in(qtbot, window, "an", PW)
    assert window.session is not None and window.session.user_id == "an"


def test_the_action_log_view_searches_and_checks_the_chain(
    qtbot, qtmodeltester, window: MainWindow, app: ConsoleApp
) -> None:
    log = window.actionLog
    log.load()
    qtbot.waitUntil(lambda: not log.busy())
    assert "chưa có ai đăng nhập" in log.status.text(), "reading the log needs a session"
    first_log_in(qtbot, window)
    activate(app)
    app.services.alarms.acknowledge(window.session, [AID], "đã xử lý")  # type: ignore[union-attr]
    app.flush(10)
    window.showActionLog()
    qtbot.waitUntil(lambda: not log.busy())
    actions = [log.model.index(r, 5).data() for r in range(log.model.rowCount())]
    assert actions[:3] == ["xác nhận cảnh báo", "đăng nhập", "đổi mật khẩu"]
    assert log.model.index(0, 7).data() == "đang xảy ra, chưa xác nhận → đang xảy ra, đã xác nhận"
    qtmodeltester.check(log.model)
    log.search.setText("đã xử lý")
    log.load()
    qtbot.waitUntil(lambda: not log.busy())
    assert log.model.rowCount() == 1
    log.verify()
    qtbot.waitUntil(lambda: not log.busy())
    assert log.status.text().startswith("Chuỗi nguyên vẹn")
    con = sqlite3.connect(app.db.path)
    with con:
        con.execute("UPDATE action_log SET note = 'không có gì' WHERE action = 'acknowledge'")
    con.close()
    seq = log.model.row(0)["seq"]
    log.verify()
    qtbot.waitUntil(lambda: not log.busy())
    assert f"Chuỗi BỊ HỎNG: mục sai đầu tiên số {seq} — bị sửa sau khi ghi" in log.status.text()


def test_first_run_creates_the_administrator_who_may_not_acknowledge(
    qtbot, open_window: Callable[[], MainWindow], app: ConsoleApp
) -> None:
    window = open_window()
    bar = window.duty
    assert bar.property("mode") == "first_run" and bar.fullName.isVisible()
    bar.userId.setText("quan")
    bar.fullName.setText("Lê Minh Quân")
    bar.newPassword.setText("quản-trị-viên-01")
    bar.repeatPassword.setText("quản-trị-viên-01")
    qtbot.mouseClick(bar.loginButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.busy())
    assert "Lê Minh Quân (quan) — quản trị viên" in bar.status.text()
    activate(app)
    window._update_alarms()
    panel = window.alarmPanel
    assert panel is not None and not panel.ackButton.isEnabled()
    panel.table.selectRow(0)
    panel.acknowledgeSelected()
    assert "vai trò của bạn (quản trị viên) không được xác nhận cảnh báo" in panel.message.text()
    # The administrator adds an operator from the window.
    window.showUsers()
    users = window.users
    qtbot.waitUntil(lambda: not users.busy())
    assert users.table.rowCount() == 1
    users.newId.setText("an")
    users.newName.setText("Nguyễn Văn An")
    users.roleBoxes[Role.OPERATOR].setChecked(True)
    users.addUser()
    qtbot.waitUntil(lambda: users.table.rowCount() == 2 and not users.busy())
    assert users.secret.text().startswith("an: ") and len(users.secret.text()) == 16


def test_no_english_is_left_in_the_vietnamese_ui_of_these_panels(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    english = {
        m.findtext("source")
        for m in ET.parse(ROOT / "resources/i18n/opsconsole_vi.ts").getroot().iter("message")
    }
    english.discard("Tất cả")
    shown: list[str] = []
    for panel in (window.duty, window.actionLog, window.users):
        for w in panel.findChildren(QLabel) + panel.findChildren(QAbstractButton):
            shown.append(w.text())
        for w in panel.findChildren(QLineEdit):
            shown.append(w.placeholderText())
        for w in panel.findChildren(QComboBox):
            shown += [w.itemText(i) for i in range(w.count())]
    model = ActionLogModel(window.tz)
    shown += [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    shown += [window.actionLogDock.windowTitle(), window.usersDock.windowTitle()]
    left = [t for t in shown if t and t in english]
    assert not left, f"English in the Vietnamese UI: {left}"

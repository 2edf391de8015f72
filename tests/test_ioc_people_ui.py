"""The IOC window with people (pytest-qt, offscreen) over a real hub database: log in,
send a directive from the window and watch its row on the delivery board move from queued
to delivered to read to done; the idle lock keeps the city on screen and refuses the
command with a reason; a viewer is refused; the IOC's action log in the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from console.hub.config import HubConfig, load_hub_config
from console.hub.services.access import cli_session
from console.hub.services.workstation import IocWorkstation
from console.hub.store.schema import directive_events, down_records
from console.hub.store.store import HubStore, touch_city
from console.hub.ui.app import make_app
from console.hub.ui.text import install_translator
from console.hub.ui.window import IocWindow
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.vocab import Role
from tests.linkkit import LinkKit, make_kit

T0 = 1_767_225_600.0  # 2026-01-01T00:00Z
NEW_PW = "mat-khau-moi-2026"


@pytest.fixture(params=["vi", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    app = make_app()
    tr = install_translator(app, request.param)
    yield request.param
    if tr is not None:
        app.removeTranslator(tr)


@pytest.fixture
def db(request: pytest.FixtureRequest) -> str:
    """``sqlite`` unless a test asks for ``postgresql`` (indirect parametrization)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def cfg(tmp_path: Path, db: str, request: pytest.FixtureRequest) -> HubConfig:
    import dataclasses

    kit: LinkKit = make_kit(tmp_path / "hub")
    for site in ("hai-chau", "cam-le", "son-tra"):
        kit.console_keys(site)
    c = load_hub_config(kit.hub_config)
    if db == "postgresql":
        c = dataclasses.replace(c, database=str(request.getfixturevalue("pg_url")))
    HubStore(c.database).close()
    return c


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0)


@pytest.fixture
def desk(cfg: HubConfig, clock: SimClock) -> Iterator[IocWorkstation]:
    d = IocWorkstation.open(
        cfg, clock=clock, passwords=Passwords(FAST_FOR_TESTS), workstation="ioc-1", poll_s=0.05
    )
    yield d
    d.close()


@pytest.fixture
def people(desk: IocWorkstation) -> dict[str, str]:
    """Accounts made on the command line before the window opens: user id → one-time password."""
    return {
        uid: desk.access.add_user(cli_session(Role.ADMIN), uid, f"Trần Thị {uid}", roles)
        for uid, roles in (
            ("hoa", "ioc_operator"),
            ("sup", "ioc_supervisor"),
            ("xem", "ioc_viewer"),
        )
    }


@pytest.fixture
def win(qtbot: Any, desk: IocWorkstation, people: dict[str, str], lang: str) -> Iterator[IocWindow]:
    w = IocWindow(desk.city, lang, title="test", desk=desk)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    yield w
    w.stop()


def log_in(qtbot: Any, win: IocWindow, uid: str, pw: str) -> None:
    """Type the one-time password, then (asked to) a new one twice, as a person does."""
    bar = win.duty
    assert bar is not None
    qtbot.waitUntil(lambda: bar.userId.isVisible() and not bar.busy(), timeout=3000)
    bar.userId.setText(uid)
    bar.password.setText(pw)
    bar.loginButton.click()
    qtbot.waitUntil(lambda: bar.newPassword.isVisible() and not bar.busy(), timeout=5000)
    bar.newPassword.setText(NEW_PW)
    bar.repeatPassword.setText(NEW_PW)
    bar.loginButton.click()
    qtbot.waitUntil(lambda: win.desk is not None and win.desk.access.duty().session is not None
                    and win.desk.access.duty().session.user_id == uid, timeout=5000)  # fmt: skip
    bar.refresh()


def board_rows(win: IocWindow) -> list[list[str]]:
    page = win.directives
    assert page is not None
    t = page.board
    return [
        [t.item(r, c).text() if t.item(r, c) else "" for c in range(t.columnCount())]  # type: ignore[union-attr]
        for r in range(t.rowCount())
    ]


WORDS = {
    "vi": {"queued": "đang chờ gửi", "delivered": "đã nhận", "read": "đã đọc", "done": "đã làm"},
    "en": {"queued": "queued", "delivered": "delivered", "read": "read", "done": "done"},
}


@pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)
def test_a_directive_from_the_window_moves_along_the_board(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], lang: str
) -> None:
    page = win.directives
    assert page is not None and win.duty is not None
    log_in(qtbot, win, "hoa", people["hoa"])
    assert "Trần Thị hoa" in win.duty.status.text()
    qtbot.waitUntil(lambda: page.sites.count() == 3, timeout=5000)
    win.tabs.setCurrentWidget(page)
    for i in range(page.sites.count()):
        it = page.sites.item(i)
        if it.data(Qt.ItemDataRole.UserRole) in ("hai-chau", "cam-le"):
            it.setCheckState(Qt.CheckState.Checked)
    page.text.setPlainText("Kiểm tra trạm bơm Hòa Xuân,\n báo cáo trước 17:00")
    page.priority.setCurrentIndex(page.priority.findData("urgent"))
    page.due.setCurrentIndex(page.due.findData(60))
    page.ref.setText("cam-le-esc-1")
    page.sendButton.click()
    qtbot.waitUntil(lambda: len(board_rows(win)) == 2, timeout=5000)
    rows = board_rows(win)
    assert [r[3] for r in rows] == ["cam-le", "hai-chau"]
    assert all(r[2] == "Kiểm tra trạm bơm Hòa Xuân, báo cáo trước 17:00" for r in rows)
    assert all(r[4] == WORDS[lang]["queued"] for r in rows)
    assert page.text.toPlainText() == ""
    directive = desk.downlink.board()[0]
    assert directive["priority"] == "urgent" and directive["ref"] == "cam-le-esc-1"
    assert directive["due_ms"] == int(T0 * 1000) + 3_600_000
    assert directive["issued_by"] == "hoa"
    # The hub delivers to Cẩm Lệ; a person there reads it, another does it.
    with desk.city.engine.begin() as conn:
        conn.execute(
            update(down_records).where(down_records.c.site_id == "cam-le").values(delivered_ms=1)
        )
        touch_city(conn)
    qtbot.waitUntil(lambda: board_rows(win)[0][4] == WORDS[lang]["delivered"], timeout=5000)
    for step, user, note in (("read", "an", ""), ("done", "binh", "Đã bật bơm số 2")):
        with desk.city.engine.begin() as conn:
            conn.execute(
                directive_events.insert().values(
                    console_id="cam-le",
                    db_id="db1",
                    seq={"read": 1, "done": 2}[step],
                    directive_id=directive["id"],
                    site_id="cam-le",
                    step=step,
                    ts_ms=int(T0 * 1000) + 60_000,
                    user_id=user,
                    user_name=f"Nguyễn Văn {user}",
                    roles="operator",
                    workstation="cl-1",
                    note=note,
                    received_ms=int(T0 * 1000) + 61_000,
                )
            )
            touch_city(conn)
    qtbot.waitUntil(lambda: board_rows(win)[0][4] == WORDS[lang]["done"], timeout=5000)
    row = board_rows(win)[0]
    assert row[5] == "Nguyễn Văn an (an)"
    assert row[6] == "Nguyễn Văn binh (binh): Đã bật bơm số 2"
    assert board_rows(win)[1][4] == WORDS[lang]["queued"]


def test_the_idle_lock_keeps_the_city_and_refuses_the_send(
    qtbot: Any,
    win: IocWindow,
    desk: IocWorkstation,
    people: dict[str, str],
    clock: SimClock,
    lang: str,
) -> None:
    page = win.directives
    assert page is not None and win.duty is not None
    log_in(qtbot, win, "sup", people["sup"])
    qtbot.waitUntil(lambda: page.sites.count() == 3, timeout=5000)
    clock.advance(desk.access.settings.idle_lock_s + 1)
    win.tick()
    assert desk.access.duty().locked
    status = win.duty.status.text()
    assert ("Màn hình đã khóa" if lang == "vi" else "Screen locked") in status
    assert win.strip.isVisible() and win.sites.isVisible()
    page.allSites.setChecked(True)
    page.text.setPlainText("Báo cáo")
    page.sendButton.click()
    locked = {
        "vi": "Bị từ chối: màn hình đang khóa. Đăng nhập để tiếp tục.",
        "en": "Refused: the screen is locked. Log in to continue.",
    }
    qtbot.waitUntil(lambda: page.message.text() == locked[lang], timeout=5000)
    assert desk.downlink.board() == []
    assert page.text.toPlainText() == "Báo cáo"  # nothing lost: send again after log-in


def test_a_viewer_is_told_why_and_nothing_is_sent(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], lang: str
) -> None:
    page = win.directives
    assert page is not None
    log_in(qtbot, win, "xem", people["xem"])
    qtbot.waitUntil(lambda: page.sites.count() == 3, timeout=5000)
    page.sites.item(0).setCheckState(Qt.CheckState.Checked)
    page.text.setPlainText("x")
    page.sendButton.click()
    refused = {
        "vi": "Bị từ chối: vai trò của bạn (người xem IOC) không được gửi chỉ đạo xuống các trung tâm.",
        "en": "Refused: your role (IOC viewer) may not send directives to the sites.",
    }
    qtbot.waitUntil(lambda: page.message.text() == refused[lang], timeout=5000)
    assert desk.downlink.board() == []
    # The form checks what it can before asking the hub.
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    page.sites.item(0).setCheckState(Qt.CheckState.Unchecked)
    page.sendButton.click()
    assert page.message.text() == (
        "Chọn ít nhất một trạm, hoặc tất cả các trạm."
        if lang == "vi"
        else "Choose at least one site, or all sites."
    )


def test_the_ioc_action_log_in_the_window(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], lang: str
) -> None:
    panel = win.actionLog
    assert panel is not None
    log_in(qtbot, win, "hoa", people["hoa"])
    desk.send_directive(desk.access.duty().session, ["son-tra"], "Một")
    win.tabs.setCurrentWidget(panel)
    panel.range.setCurrentIndex(panel.range.count() - 1)  # all
    panel.load()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=5000)
    sent = {"vi": "đã gửi chỉ đạo", "en": "sent a directive"}[lang]
    texts = [panel.model.data(panel.model.index(0, c)) for c in range(panel.model.columnCount())]
    assert sent in texts
    qtbot.waitUntil(lambda: not panel.busy(), timeout=5000)  # one read at a time
    panel.verify()
    intact = {"vi": "Chuỗi nguyên vẹn: 6 mục", "en": "Chain intact: 6 entries"}[lang]
    qtbot.waitUntil(lambda: panel.status.text().startswith(intact), timeout=5000)


def test_the_window_fits_1366_by_768_with_people(
    qtbot: Any, win: IocWindow, desk: IocWorkstation
) -> None:
    QApplication.processEvents()
    assert win.minimumSizeHint().width() <= 1366 and win.minimumSizeHint().height() <= 768
    assert win.size().width() == 1366 and win.size().height() == 768
    page = win.directives
    assert page is not None
    win.tabs.setCurrentWidget(page)
    QApplication.processEvents()
    assert page.sendButton.isVisible() and page.board.isVisible()
    assert page.sendButton.geometry().bottom() <= page.height()


def test_a_city_warning_from_the_window_is_valid_cap_and_a_supervisors(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], lang: str
) -> None:
    from console.hub.store.schema import city_warnings
    from console.shared import cap

    page = win.warnings
    assert page is not None
    log_in(qtbot, win, "hoa", people["hoa"])  # an operator: not theirs
    qtbot.waitUntil(lambda: page.sites.count() == 3, timeout=5000)
    win.tabs.setCurrentWidget(page)
    page.allSites.setChecked(True)
    page.eventVi.setText("Lũ trên sông Hàn")
    page.eventEn.setText("Flood on the Han river")
    page.areaVi.setText("Hòa Xuân, Khuê Trung")
    page.instruction.setText("Di chuyển đến nơi cao")
    page.severity.setCurrentIndex(page.severity.findData("Extreme"))
    page.sendButton.click()
    refused = {
        "vi": "Bị từ chối: vai trò của bạn (điều hành viên IOC) không được gửi cảnh báo của thành phố.",
        "en": "Refused: your role (IOC operator) may not send city warnings.",
    }
    qtbot.waitUntil(lambda: page.message.text() == refused[lang], timeout=5000)
    assert desk.downlink.warnings() == []
    # The supervisor takes over the workstation and sends it.
    bar = win.duty
    assert bar is not None
    bar.startHandover()
    log_in(qtbot, win, "sup", people["sup"])
    qtbot.waitUntil(lambda: not page.busy() and page.sendButton.isEnabled(), timeout=5000)
    page.sendButton.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    cells = [page.table.item(0, c).text() for c in range(4)]  # type: ignore[union-attr]
    assert cells[1] == ("cực kỳ nghiêm trọng" if lang == "vi" else "extreme")
    assert cells[2] == "Lũ trên sông Hàn"
    queued = {"vi": "đang chờ gửi", "en": "queued"}[lang]
    assert cells[3] == f"cam-le: {queued}, hai-chau: {queued}, son-tra: {queued}"
    assert page.eventVi.text() == ""
    with desk.city.engine.connect() as conn:
        xml = bytes(conn.execute(city_warnings.select()).one().xml)
    version, alert = cap.parse_versioned(xml)
    assert version == "1.2" and alert.sender == "ioc"
    assert [i.language for i in alert.infos] == ["vi-VN", "en-US"]
    vi = alert.infos[0]
    assert (vi.event, vi.severity, vi.instruction) == (
        "Lũ trên sông Hàn",
        cap.Severity.EXTREME,
        "Di chuyển đến nơi cao",
    )
    assert vi.expires is not None and vi.effective is not None
    assert (vi.expires - vi.effective).total_seconds() == 6 * 3600
    assert alert.identifier.startswith("ioc-w-")

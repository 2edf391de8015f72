"""The city's directives and warnings in the window: the inbox (unread first, sound for urgent,
read/done by the person on duty) and the active-warning strip (expired ones leave)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSettings

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.district.store.commit import WriterCommit
from console.district.store.inbox import ConsoleInbox
from console.district.ui.directives_panel import DirectiveModel, DirectivesPanel
from console.district.ui.main_window import MainWindow
from console.hub.services.downlink import build_warning
from console.shared import cap, records
from console.shared.clock import SimClock
from console.shared.records import CityWarning, Directive
from console.shared.session import os_session
from console.shared.vocab import DirectivePriority, DirectiveStep, Role
from transport.streams import Batch

pytestmark = pytest.mark.usefixtures("vietnamese_ui")

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = 1_796_000_000.0


@pytest.fixture
def app(small_site: SiteConfig, tmp_path: Path):
    console = ConsoleApp(small_site, tmp_path, clock=SimClock(T0))
    console.start(receive=False)
    yield console
    console.stop()


@pytest.fixture
def window(qtbot, app: ConsoleApp, tmp_path: Path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(app.services, os_session(Role.OPERATOR), settings, "vi")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def deliver(app: ConsoleApp, stream: str, recs: list[tuple[str, bytes]], first: int) -> None:
    """Downlink records into the console's inbox, as the uplink thread hands them over."""
    inbox = ConsoleInbox(app.db.engine, WriterCommit(app.writer), app.clock)
    batch = Batch(
        "hub",
        "test-site",
        "hub-db-1",
        stream,
        [(first + i, kind, int(T0 * 1000), payload) for i, (kind, payload) in enumerate(recs)],
    )
    (res,) = inbox.commit([batch])
    assert res.stored == len(recs)
    app.scheduler.advance(1.0)  # the inbox watch reloads the lists


def directive(i: str, priority: DirectivePriority, minutes_ago: int) -> tuple[str, bytes]:
    rec = Directive(
        id=i,
        text=f"Chỉ đạo {i}",
        priority=priority,
        sites=("test-site",),
        due=int(T0 * 1000) + 3_600_000,
        by="ioc-duty",
        name="Trực ban IOC",
        ts=int(T0 * 1000) - minutes_ago * 60_000,
    )
    return rec.KIND.value, records.encode(rec)


def test_directives_unread_first_urgent_sounds_and_read_done_by_the_person_on_duty(
    qtbot, window: MainWindow, app: ConsoleApp
) -> None:
    played = window.annunciator.sounds_played
    deliver(
        app,
        "directive",
        [
            directive("ioc-1", DirectivePriority.NORMAL, 30),
            directive("ioc-2", DirectivePriority.URGENT, 10),
        ],
        1,
    )
    window._update_directives()
    panel: DirectivesPanel = window.directives
    model: DirectiveModel = panel.model
    assert [d.id for d in model.rows()] == ["ioc-2", "ioc-1"]  # both unread: urgent first
    assert "khẩn" in model.index(0, 0).data() and "chưa đọc" in model.index(0, 1).data()
    assert window.annunciator.sounds_played == played + 1  # one urgent: one sound
    assert window.directivesDock.windowTitle() == "Chỉ đạo (2)"
    window._update_directives()
    assert window.annunciator.sounds_played == played + 1, "no second sound for the same ones"

    panel.table.selectRow(1)  # the normal one
    panel.readButton.click()
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10_000)
    assert "Đã đánh dấu đọc" in panel.status.text()
    window._update_directives()
    assert [d.id for d in model.rows()] == ["ioc-2", "ioc-1"]
    assert model.rows()[1].read_by == os_session().user_id
    assert window.directivesDock.windowTitle() == "Chỉ đạo (1)"
    panel.select("ioc-1")
    panel.readButton.click()  # again: refused, said so
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10_000)
    assert "Đã được đánh dấu" in panel.status.text()

    panel.select("ioc-2")
    panel.note.setText("đã mở nhà tránh trú")
    panel.doneButton.click()
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10_000)
    window._update_directives()
    done = next(d for d in model.rows() if d.id == "ioc-2")
    assert done.done and done.done_note == "đã mở nhà tránh trú" and not done.unread
    assert panel.note.text() == ""
    assert window.directivesDock.windowTitle() == "Chỉ đạo"


def test_a_viewer_sees_directives_but_cannot_mark_them(
    qtbot, app: ConsoleApp, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "v.ini"), QSettings.Format.IniFormat)
    win = MainWindow(app.services, os_session(Role.VIEWER), settings, "vi")
    qtbot.addWidget(win)
    try:
        deliver(app, "directive", [directive("ioc-9", DirectivePriority.HIGH, 1)], 1)
        win._update_directives()
        assert win.directives.model.rowCount() == 1
        assert not win.directives.readButton.isEnabled()
        win.directives.table.selectRow(0)
        win.directives.mark(DirectiveStep.READ)  # the services refuse, whatever the buttons
        qtbot.waitUntil(lambda: not win.directives.busy(), timeout=10_000)
        assert "đánh dấu chỉ đạo đã đọc hoặc đã thực hiện" in win.directives.status.text()
        assert win.directives.model.rows()[0].unread
    finally:
        win.close()


def test_the_warning_strip_shows_what_is_in_force_and_drops_what_expired(
    window: MainWindow, app: ConsoleApp
) -> None:
    strip = window.warningStrip
    strip.refresh()
    assert strip.isHidden()
    sent = datetime.fromtimestamp(T0, TZ).replace(microsecond=0)
    xml = build_warning(
        sender="ioc",
        identifier="ioc-w-1",
        event_vi="Lũ trên sông Hàn",
        event_en="Flood on the Han river",
        area_vi="Phường Hải Châu 1",
        area_en="Hai Chau 1",
        severity=cap.Severity.EXTREME,
        expires=sent + timedelta(minutes=30),
        sent=sent,
    )
    rec = CityWarning(cap=xml, by="ioc-duty", name="Trực ban IOC", ts=int(T0 * 1000))
    deliver(app, "warning", [(rec.KIND.value, records.encode(rec))], 1)
    strip.refresh()
    assert not strip.isHidden()
    text = strip.text.text()
    assert "Lũ trên sông Hàn" in text and "cực kỳ nghiêm trọng" in text
    assert "Phường Hải Châu 1" in text and "đến" in text and "⛔" in text
    assert strip.property("level") == 4
    app.scheduler.advance(31 * 60)  # simulated time: the warning expires
    strip.refresh()
    assert strip.isHidden()

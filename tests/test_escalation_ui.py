"""Escalating from the incident view (pytest-qt, simulated time, Vietnamese UI): the button is a
supervisor's, the dialog sends an Exercise alert, and the view says where it stands —
queued, delivered to the hub, acknowledged by the IOC — in words a person reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from console.district.config import AccessConfig, demo_sites_dir, load_site
from console.district.domain.access import LoginRefusedError
from console.district.domain.incidents import NewIncident
from console.district.services.app import ConsoleApp
from console.district.ui.main_window import MainWindow
from console.shared import cap, records
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.records import EscalationAck
from console.shared.session import Session, os_session
from console.shared.vocab import Role, Stream
from tests.linkkit import make_kit
from transport.streams import Batch

pytestmark = pytest.mark.usefixtures("vietnamese_ui")

PW = "mật-khẩu-ca-ngày-4"
T0 = 1_780_000_000.0
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def hhmm(t: float) -> str:
    return datetime.fromtimestamp(t, TZ).strftime("%H:%M")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[ConsoleApp]:
    kit = make_kit(tmp_path / "hub")
    path = kit.site("cam-le", "tcp://127.0.0.1:9", base=demo_sites_dir() / "cam-le.toml")
    site = load_site(path)
    site = dataclasses.replace(
        site,
        endpoints=dataclasses.replace(site.endpoints, feeds_pull=()),
        access=AccessConfig(idle_lock_s=4 * 3600),
        escalation=dataclasses.replace(site.escalation, ioc_duty_phone="0236 3 888 999"),
    )
    a = ConsoleApp(
        site,
        tmp_path / "data",
        clock=SimClock(T0),
        passwords=Passwords(FAST_FOR_TESTS),
        feeds_pull=[],
    )
    a.start(receive=False)
    yield a
    a.stop()


@pytest.fixture
def window(qtbot, app: ConsoleApp, tmp_path: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(app.services, None, settings, "vi")
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    qtbot.waitUntil(lambda: not win.incidents.busy(), timeout=10_000)
    win.close()


def on_duty(app: ConsoleApp, win: MainWindow, user: str, roles: str, name: str) -> Session:
    access = app.services.access
    otp = access.add_user(os_session(Role.ADMIN), user, name, roles)
    with pytest.raises(LoginRefusedError):
        access.log_in(user, otp)
    s = access.log_in(user, otp, new_password=PW)
    win.duty.refresh()
    return s


def settle(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not win.incidents.busy(), timeout=10_000)
    win.refresh()
    win.incidents.refresh(force=True)
    qtbot.waitUntil(lambda: not win.incidents.busy(), timeout=10_000)


def test_a_supervisor_escalates_from_the_view_and_sees_the_ioc_answer(
    qtbot, app: ConsoleApp, window: MainWindow
) -> None:
    win = window
    op = on_duty(app, win, "lan", "operator", "Nguyễn Thị Lan")
    iid = app.services.incidents.open(
        op, NewIncident(type="flood", severity=2, title="Ngập Hòa Xuân", ward="Hòa Xuân")
    )
    win.incidents.showIncident(iid)
    settle(qtbot, win)
    view = win.incidents.view
    assert view.cityButton.text() == "Chuyển lên thành phố…"
    assert not view.cityButton.isEnabled(), "an operator may not escalate"
    assert not view.cityState.isVisible()

    app.services.access.log_out(op)
    on_duty(app, win, "ha", "supervisor", "Trần Thu Hà")
    settle(qtbot, win)
    assert view.cityButton.isEnabled()
    view.cityButton.click()
    dlg = view.dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.windowTitle() == f"Chuyển {iid} lên thành phố"
    assert "nhà tránh trú" in dlg.asked.text()  # what the flood procedure asks of the city
    assert [dlg.kind.itemText(i) for i in range(dlg.kind.count())] == ["Chuyển lên (cảnh báo mới)"]
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Gửi lên thành phố"
    ok.click()  # no reason yet: the dialog says why and stays
    assert dlg.isVisible() and "lý do" in dlg.message.text()
    dlg.status.setCurrentIndex(dlg.status.findData(cap.Status.EXERCISE.value))
    dlg.reason.setPlainText("Nước lên nhanh, cần 2 xuồng")
    ok.click()
    settle(qtbot, win)
    (sent,) = app.services.escalations.items()
    assert sent.status == "Exercise" and sent.by_user == "ha"
    assert view.cityState.isVisible()
    assert view.cityState.text() == (
        f"Thành phố: Chuyển lên {sent.identifier} (diễn tập): đang chờ gửi lên hub từ {hhmm(T0)}"
    )
    assert view.incident is not None and view.incident.status == "escalated"

    assert app.outbox is not None and app.inbox is not None
    app.outbox.acked(Stream.ESCALATION.value, sent.out_seq)
    assert app.flush(10)
    settle(qtbot, win)
    assert f"đã đến hub lúc {hhmm(T0)}; chờ IOC xác nhận" in view.cityState.text()
    app.clock.advance(240)  # type: ignore[attr-defined]
    rec = EscalationAck(ref=sent.identifier, by="minh", name="Lê Văn Minh",
                        ts=int(app.clock.time() * 1000), note="đã điều xuồng")  # fmt: skip
    app.inbox.commit([Batch("hub", "cam-le", "hub-db", Stream.ESCALATION_ACK.value,
                            [(1, "ack", rec.ts, records.encode(rec))])])  # fmt: skip
    settle(qtbot, win)
    assert view.cityState.text().endswith(
        f"IOC nhận lúc {hhmm(T0)}, Lê Văn Minh xác nhận lúc {hhmm(T0 + 240)}: đã điều xuồng"
    )
    timeline = [view.timeline.index(r, 3).data() for r in range(view.timeline.rowCount())]
    assert "chuyển lên thành phố: IOC đã xác nhận" in timeline

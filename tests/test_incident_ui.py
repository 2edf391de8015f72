"""A flood surge handled end to end in the window (pytest-qt, simulated time, Vietnamese UI).

Cẩm Lệ demo site, the flood-surge scenario through the real codec, ingest and
alarm engine on a SimClock: the river at Hòa Xuân passes its alert levels;
the operator on duty selects the alarms and opens an incident from them
(Ctrl+I: type, severity and ward pre-filled), works the flood procedure's
checklist, a step left too long raises an alarm in the alarm table, the
incident is resolved; the operator prepares the shift handover (PDF) and the
supervisor who takes over acknowledges it and closes the incident. The
timeline and the action log show every step and person; the PDF reads back in
Vietnamese through pdftotext.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from console.district.config import AccessConfig, demo_sites_dir, load_site
from console.district.domain.access import LoginRefusedError
from console.district.domain.incidents import procedure_alarm_id
from console.district.services.app import ConsoleApp
from console.district.store import action_log
from console.district.ui.alarm_models import AlarmIdRole
from console.district.ui.incident_models import IncidentIdRole
from console.district.ui.main_window import MainWindow
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.session import Session, os_session
from console.shared.vocab import AlarmState, IncidentStatus, Role, StepState, TimelineKind
from console.sim.inprocess import InProcessGateway

pytestmark = pytest.mark.usefixtures("vietnamese_ui")

PW = "mật-khẩu-ca-ngày-4"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[ConsoleApp]:
    site = load_site(demo_sites_dir() / "cam-le.toml")
    site = dataclasses.replace(
        site,
        endpoints=dataclasses.replace(site.endpoints, feeds_pull=()),
        # The operator is busy at the keyboard all along (simulated time jumps minutes at once).
        access=AccessConfig(idle_lock_s=4 * 3600),
    )
    a = ConsoleApp(
        site, tmp_path, clock=SimClock(), passwords=Passwords(FAST_FOR_TESTS), feeds_pull=[]
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
    qtbot.waitUntil(lambda: not busy(win), timeout=10_000)
    win.close()


def busy(win: MainWindow) -> bool:
    return win.incidents.busy() or win.handover.busy() or win.duty.busy()


def settle(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Let the workers finish and the window take in what they read."""
    qtbot.waitUntil(lambda: not busy(win), timeout=10_000)
    win.refresh()
    win._update_alarms()
    win.incidents.refresh(force=True)
    qtbot.waitUntil(lambda: not busy(win), timeout=10_000)


def on_duty(app: ConsoleApp, win: MainWindow, user: str, roles: str, name: str) -> Session:
    access = app.services.access
    otp = access.add_user(os_session(Role.ADMIN), user, name, roles)
    with pytest.raises(LoginRefusedError):
        access.log_in(user, otp)
    s = access.log_in(user, otp, new_password=PW)
    win.duty.refresh()
    return s


def select_alarms(win: MainWindow, ids: list[str]) -> None:
    panel = win.alarmPanel
    assert panel is not None
    panel.table.clearSelection()
    sel = panel.table.selectionModel()
    for r in range(panel.model.rowCount()):
        idx = panel.model.index(r, 0)
        if idx.data(AlarmIdRole) in ids:
            sel.select(idx, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    assert sorted(panel.selectedIds()) == sorted(ids)


def test_a_flood_surge_handled_end_to_end_in_the_window(
    qtbot, app: ConsoleApp, window: MainWindow, tmp_path: Path
) -> None:
    win = window
    gw = InProcessGateway(app, "flood-surge")
    gw.run(14 * 60, step_s=5)  # the Cẩm Lệ river passes alert level II at Hòa Xuân
    settle(qtbot, win)
    ids = ["cl-river-02:high", "cl-river-03:high"]
    assert app.alarms is not None
    assert {a.id for a in app.alarms.current()} >= set(ids)

    # Nobody on duty: the incident button is a courtesy-disabled one and the service refuses.
    an = on_duty(app, win, "an", "operator", "Nguyễn Văn An")
    assert win.alarmPanel is not None and win.alarmPanel.incidentButton.isEnabled()

    # 1. Alarms → incident in one step: Ctrl+I with the alarms selected.
    select_alarms(win, ids)
    win.actIncidentFromAlarms.trigger()
    form = win.incidents.form
    assert win.incidents.message.text() == ""
    assert win.incidents.stack.currentWidget() is form and win.incidentsDock.isVisible()
    assert form.type.currentData() == "flood"
    assert form.severity.currentData() == 2, "alert level II"
    assert form.ward.currentText() == "Hòa Xuân"
    assert form.titleEdit.text() == "Ngập lụt — Hòa Xuân"
    assert form.alarms.text() == (
        "Mực nước sông Cẩm Lệ – cầu Hòa Xuân — mức cao; "
        "Mực nước sông Cẩm Lệ – cầu Nguyễn Tri Phương — mức cao"
    )
    # Typed text survives refreshes (the river keeps rising meanwhile).
    form.report.setText("Người dân báo nước ngập 40 cm đường Trần Nam Trung")
    for _ in range(3):
        gw.run(20, step_s=5)
        win.refresh()
        win.incidents.refresh(force=True)
    qtbot.waitUntil(lambda: not busy(win))
    assert form.report.text() == "Người dân báo nước ngập 40 cm đường Trần Nam Trung"
    assert form.titleEdit.text() == "Ngập lụt — Hòa Xuân"
    form.submit()
    settle(qtbot, win)
    view = win.incidents.view
    assert view.incident is not None
    iid = view.incident.id
    assert iid.startswith("CL-2026-") and view.incident.status == IncidentStatus.NEW
    assert "Quy trình mẫu" in view.sample.toolTip() and view.sample.isVisible()
    assert win.incidents.model.rowCount() == 1
    assert win.incidents.model.index(0, 0).data(IncidentIdRole) == iid
    assert "mới" in win.incidents.model.index(0, 1).data()

    # 2. The operator works the checklist from the keyboard.
    view.ackButton.click()
    settle(qtbot, win)
    assert view.incident.status == IncidentStatus.ACKNOWLEDGED
    view.tabs.setCurrentIndex(0)
    view.checklistView.selectRow(0)
    view.stepNote.setText("Camera cầu Hòa Xuân xác nhận nước tràn")
    win.activateWindow()
    view.checklistView.setFocus()
    QTest.keyClick(view.checklistView, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not busy(win))
    if view.stepNote.text():  # no active window on this platform: the shortcut's slot
        view.stepDone()
    settle(qtbot, win)
    steps = {s.step_id: s for s in view.checklist.steps()}
    assert steps["verify"].state == StepState.DONE and steps["verify"].by_user == "an"
    assert view.stepNote.text() == ""
    # A step skipped without a reason is refused and the reason field asked for.
    view.checklistView.selectRow(view.checklist.rowOf("follow-forecast"))
    view.stepSkip()
    assert "lý do" in view.message.text()
    view.stepNote.setText("Đài KTTV chưa ra bản tin")
    view.stepSkip()
    settle(qtbot, win)
    assert {s.step_id: s.state for s in view.checklist.steps()}["follow-forecast"] == (
        StepState.SKIPPED
    )

    # 3. A step left too long: its alarm is annunciated in the alarm table.
    gw.run(11 * 60, step_s=10)  # notify-ward was due within 10 minutes
    settle(qtbot, win)
    aid = procedure_alarm_id(iid, "notify-ward")
    rows = [win.alarmPanel.model.alarm(r) for r in range(win.alarmPanel.model.rowCount())]
    late = next(a for a in rows if a.id == aid)
    assert late.state == AlarmState.ACTIVE_UNACK
    r = [a.id for a in rows].index(aid)
    assert win.alarmPanel.model.index(r, 3).data().startswith(f"{iid}: Báo UBND phường")
    assert win.alarmPanel.model.index(r, 4).data() == "Hòa Xuân"
    assert win.alarmPanel.model.index(r, 5).data() == "quá hạn bước quy trình"
    assert "quá hạn" in view.checklist.index(view.checklist.rowOf("notify-ward"), 2).data()
    # The note typed in the incident survives the refreshes too.
    view.note.setText("Đã gọi UBND phường Hòa Xuân, chờ xác nhận")
    for _ in range(3):
        gw.run(10, step_s=5)
        win.refresh()
    assert view.note.text() == "Đã gọi UBND phường Hòa Xuân, chờ xác nhận"
    view.forHandover.setChecked(True)
    view.addNote()
    settle(qtbot, win)
    for step in ("notify-ward", "warn-residents"):
        view.checklistView.selectRow(view.checklist.rowOf(step))
        view.stepDone()
        settle(qtbot, win)
    assert app.alarms.view(aid).state == AlarmState.CLEARED_UNACK, "done: it clears, latched"
    win.alarmPanel.table.clearSelection()
    app.services.alarms.acknowledge(an, [aid])  # type: ignore[union-attr]

    # 4. In progress, resolved; the operator may not close it.
    view.startButton.click()
    settle(qtbot, win)
    view.resolveButton.click()
    settle(qtbot, win)
    assert view.incident.status == IncidentStatus.RESOLVED
    assert not view.closeButton.isEnabled(), "closing is a supervisor's"
    view.setStatus(IncidentStatus.CLOSED)
    settle(qtbot, win)
    assert (
        view.message.text() == "Bị từ chối: vai trò của bạn (điều hành viên) không được đóng sự cố."
    )

    # 5. The shift handover: prepared by An (PDF), taken over by Hà.
    win.showHandover()
    win.handover.prepareButton.click()
    settle(qtbot, win)
    pdf = win.handover.last_pdf
    assert pdf is not None and pdf.exists() and pdf.parent == tmp_path / "handover"
    assert "chưa có người nhận" in win.handover.state.text()
    ha = on_duty(app, win, "ha", "supervisor", "Trần Thu Hà")  # takes over the workstation
    win.handover.load()
    settle(qtbot, win)
    assert win.handover.ackButton.isEnabled()
    win.handover.ackNote.setText("Đã nhận ca, theo dõi tiếp Hòa Xuân")
    win.handover.acknowledge()
    settle(qtbot, win)
    assert "Trần Thu Hà đã nhận" in win.handover.state.text()
    win.showIncidents()
    win.incidents.showIncident(iid)
    settle(qtbot, win)
    pending = [s.step_id for s in view.checklist.steps() if s.state == StepState.PENDING]
    for step in pending:
        view.checklistView.selectRow(view.checklist.rowOf(step))
        view.stepNote.setText("nước đã rút")
        view.stepDone() if step == "all-clear" else view.stepSkip()
        settle(qtbot, win)
    assert view.closeButton.isEnabled()
    view.closeButton.click()
    settle(qtbot, win)
    assert view.incident.status == IncidentStatus.CLOSED
    assert not view.noteButton.isEnabled()

    # The timeline and the action log show each step and person.
    timeline = [view.timeline.entry(r) for r in range(view.timeline.rowCount())]
    done = [(e.ref, e.user_id, e.roles) for e in timeline if e.kind == TimelineKind.STEP_DONE]
    assert done[:3] == [("verify", "an", "operator"), ("notify-ward", "an", "operator"),
                        ("warn-residents", "an", "operator")]  # fmt: skip
    assert ("all-clear", "ha", "supervisor") in done
    kinds = {e.kind for e in timeline}
    assert {TimelineKind.STEP_OVERDUE, TimelineKind.ALARM, TimelineKind.NOTE} <= kinds
    person = [view.timeline.index(r, 2).data() for r in range(view.timeline.rowCount())]
    assert "Nguyễn Văn An (an), điều hành viên" in person and "hệ thống" in person
    assert app.flush(10)
    log = action_log.search(app.db.engine, newest_first=False)
    mine = [(e["action"], e["user_id"]) for e in log if e["object_id"].startswith(iid)]
    assert mine[0] == ("incident_opened", "an") and mine[-1] == ("incident_closed", "ha")
    assert ("step_done", "an") in mine and ("step_skipped", "ha") in mine
    handover = [(e["action"], e["user_id"]) for e in log if e["action"].startswith("handover_")]
    assert handover == [("handover_prepared", "an"), ("handover_acknowledged", "ha")]
    assert app.services.audit.verify(ha).ok

    # The handover PDF reads back in Vietnamese.
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    digest = win.handover.current.digest if win.handover.current else ""
    assert f"Mã SHA-256 của báo cáo: {digest}" in text, "no ligature may eat an ff"
    for words in ("Bàn giao ca", "Trung tâm giám sát điều hành Cẩm Lệ", "Sự cố chưa đóng",
                  "Ngập lụt — Hòa Xuân", "Mực nước", "Hòa Xuân", "Đã gọi UBND phường Hòa Xuân",
                  "Nguyễn Văn An"):  # fmt: skip
        assert words in text, words


def test_models_pass_qtmodeltester_and_refusals_are_in_vietnamese(
    qtbot, qtmodeltester, app: ConsoleApp, window: MainWindow
) -> None:
    win = window
    gw = InProcessGateway(app, "flood-surge")
    gw.run(10 * 60, step_s=10)
    settle(qtbot, win)
    win.showIncidents()
    # Nobody on duty: refused, with the reason in words.
    assert win.incidents.openFromAlarms(["cl-river-02:high"])
    win.incidents.form.submit()
    settle(qtbot, win)
    assert "chưa có ai đăng nhập" in win.incidents.form.message.text().lower()
    on_duty(app, win, "an", "operator", "Nguyễn Văn An")
    win.incidents.form.submit()
    settle(qtbot, win)
    view = win.incidents.view
    assert view.incident is not None
    view.tabs.setCurrentIndex(2)
    settle(qtbot, win)
    assert view.linked.rowCount() == 1
    assert view.linked.index(0, 3).data().endswith(" m"), "the feed's live value"
    for model in (win.incidents.model, view.checklist, view.timeline, view.linked):
        qtmodeltester.check(model)
    # A severity chosen but not yet applied survives refreshes; applied, it adds steps.
    assert view.severity.currentData() == 1
    view.severity.setCurrentIndex(view.severity.findData(3))
    for _ in range(3):
        gw.run(10, step_s=5)
        settle(qtbot, win)
    assert view.severity.currentData() == 3
    n_steps = view.checklist.rowCount()
    view.changeSeverity()
    settle(qtbot, win)
    assert view.incident.severity == 3 and view.checklist.rowCount() > n_steps
    # The list's search works without diacritics.
    win.incidents.search.setText("hoa xuan")
    win.incidents.reload()
    settle(qtbot, win)
    assert win.incidents.model.rowCount() == 1
    win.incidents.search.setText("son tra")
    win.incidents.reload()
    qtbot.waitUntil(lambda: not busy(win))
    assert win.incidents.model.rowCount() == 0 and win.incidents.count.text() == "Sự cố: 0"
    # No English left in the panel's words.
    headers = [
        win.incidents.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(win.incidents.model.columnCount())
    ]
    assert headers == ["Mức độ", "Trạng thái", "Sự cố", "Loại", "Tiêu đề", "Phường",
                       "Người phụ trách", "Mở lúc", "Các bước"]  # fmt: skip
    assert view.doneButton.text() == "Đã làm (Ctrl+D)"
    assert [view.tabs.tabText(i) for i in range(3)] == ["Các bước", "Diễn biến", "Cảnh báo"]

"""Screenshots of incidents and the shift handover, from the real window on simulated time.

    Xvfb :113 -screen 0 1920x1080x24 &
    DISPLAY=:113 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_incidents.py [--lang vi|en]

The Cẩm Lệ demo site on a simulated clock, fed the flood-surge scenario
in-process (the real codec, ingest and alarm engine; no sockets), so every
run shows the same minutes of the same flood. Saved into docs/screenshots/,
each at 1366×768 and 1920×1080 (suffix ``-1920``), English with ``-en``:

- ``incident-form``: the river alarms at Hòa Xuân selected, Ctrl+I: the new
  incident pre-filled (flood, alert level II, Hòa Xuân) beside the list;
- ``incident-checklist``: the incident being worked: steps done, one overdue
  (in red, its countdown past zero), the ones to come counting down;
- ``incident-timeline``: everything that happened to it, with person and role;
- ``incident-alarm``: the overdue step as an alarm in the alarm table and banner;
- ``incident-handover``: the shift handover report the operator prepared.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1366, 768, ""), (1920, 1080, "-1920"))
PW = "ca-ngay-hoa-xuan-1"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    a = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer

    from console.district.config import AccessConfig, demo_sites_dir, load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.alarm_models import AlarmIdRole
    from console.district.ui.app import make_app, window_settings
    from console.district.ui.i18n import install_translator
    from console.district.ui.main_window import MainWindow
    from console.shared.clock import SimClock
    from console.shared.session import os_session
    from console.shared.vocab import Role
    from console.sim.inprocess import InProcessGateway

    app = make_app()
    install_translator(app, a.lang)
    site = load_site(demo_sites_dir() / "cam-le.toml")
    site = dataclasses.replace(
        site,
        endpoints=dataclasses.replace(site.endpoints, feeds_pull=()),
        access=AccessConfig(idle_lock_s=4 * 3600),
    )
    data = Path(tempfile.mkdtemp(prefix="opsconsole-shots-"))
    # 2026-06-15 06:30 in Đà Nẵng: a morning shift.
    engine = ConsoleApp(site, data, clock=SimClock(1_781_479_800.0), feeds_pull=[])
    engine.start(receive=False)
    gw = InProcessGateway(engine, "flood-surge")
    suffix = "" if a.lang == "vi" else "-en"
    OUT.mkdir(parents=True, exist_ok=True)

    def run(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def settle(win: MainWindow) -> None:
        for _ in range(200):
            QCoreApplication.processEvents()
            if not (win.incidents.busy() or win.handover.busy() or win.duty.busy()):
                break
            run(0.05)
        win.refresh()
        win._update_alarms()

    def shoot(win: MainWindow, name: str, dock_h: tuple[int, int]) -> None:
        for (w, h, size), dh in zip(SIZES, dock_h, strict=True):
            win.resize(w, h)
            run(0.5)
            win.resizeDocks([win.alarmDock], [dh], Qt.Orientation.Vertical)
            run(0.8)
            settle(win)
            win.grab().save(str(OUT / f"{name}{suffix}{size}.png"))

    access = engine.services.access
    admin = os_session(Role.ADMIN)
    for user, name, roles in (
        ("an", "Nguyễn Văn An", "operator"),
        ("ha", "Trần Thu Hà", "supervisor"),
    ):
        otp = access.add_user(admin, user, name, roles)
        try:
            access.log_in(user, otp)
        except Exception:
            access.log_in(user, otp, new_password=PW)
    access.log_in("an", PW)  # An on duty (Hà's log-in above was first)
    try:
        win = MainWindow(engine.services, None, window_settings(data, site.id), a.lang)
        win.move(0, 0)
        win.resize(1366, 768)
        win.show()
        win.start()
        gw.run(14 * 60, step_s=5)
        settle(win)
        # 1. The river alarms at Hòa Xuân selected; Ctrl+I fills the incident.
        panel = win.alarmPanel
        assert panel is not None
        sel = panel.table.selectionModel()
        for r in range(panel.model.rowCount()):
            idx = panel.model.index(r, 0)
            if idx.data(AlarmIdRole) in ("cl-river-02:high", "cl-river-03:high"):
                sel.select(idx, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
        win.actIncidentFromAlarms.trigger()
        form = win.incidents.form
        form.report.setText(
            "Người dân gọi: nước ngập 40 cm đường Trần Nam Trung"
            if a.lang == "vi"
            else "Resident calls: 40 cm of water on Tran Nam Trung street"
        )
        settle(win)
        shoot(win, "incident-form", (430, 560))
        form.submit()
        settle(win)
        view = win.incidents.view
        view.ackButton.click()
        settle(win)
        view.checklistView.selectRow(0)
        view.stepNote.setText(
            "Camera cầu Hòa Xuân: nước tràn mặt đường"
            if a.lang == "vi"
            else "Hoa Xuan bridge camera: water over the road"
        )
        view.stepDone()
        settle(win)
        gw.run(11 * 60, step_s=10)  # notify-ward passes its 10 minutes
        settle(win)
        view.note.setText(
            "Đã gọi UBND phường Hòa Xuân, chờ xác nhận"
            if a.lang == "vi"
            else "Called the Hoa Xuan ward People's Committee, awaiting confirmation"
        )
        view.forHandover.setChecked(True)
        view.addNote()
        settle(win)
        view.startButton.click()
        settle(win)
        view.tabs.setCurrentIndex(0)
        view.checklistView.selectRow(view.checklist.rowOf("notify-ward"))
        shoot(win, "incident-checklist", (520, 640))
        view.tabs.setCurrentIndex(1)
        shoot(win, "incident-timeline", (520, 640))
        # The overdue step in the alarm table and the banner.
        win.alarmDock.raise_()
        panel.table.clearSelection()
        settle(win)
        shoot(win, "incident-alarm", (380, 520))
        # The handover of An's shift.
        win.showHandover()
        win.handover.prepare()
        settle(win)
        shoot(win, "incident-handover", (470, 640))
        win.close()
    finally:
        engine.stop()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

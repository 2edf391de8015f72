"""Take the README screenshots from the real app (offscreen, simulator running).

    .venv/bin/python scripts/screenshots.py [--lang vi|en] [--seconds 40]

Starts the engine on the Hải Châu demo site with the simulator in the
flood-surge scenario (60× speed, 1% malformed input), runs the window for a
while, then saves docs/screenshots/main-window[-en].png, history[-en].png,
journal[-en].png, rejects[-en].png, statusbar[-en].png and statusbar-offline[-en].png (the
city-link lamp, online then with the hub stopped).
A local hub runs too, as in `opsconsole demo`, and the demo operator An is
logged in (the duty bar shows who is on duty; scripts/screenshots_access.py
shows the log-in itself).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--seconds", type=float, default=45.0)
    a = p.parse_args()
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from console.cli.demo import ensure_demo_users
    from console.cli.local_hub import LocalHub
    from console.district.config import default_site_path, load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import make_app, window_settings
    from console.district.ui.i18n import install_translator
    from console.district.ui.main_window import MainWindow
    from console.sim.launch import simulator_argv

    app = make_app()
    install_translator(app, a.lang)
    site = load_site(default_site_path())
    data = Path(tempfile.mkdtemp(prefix="opsconsole-shots-"))
    users = {u["user_id"]: u["one_time_password"] for u in ensure_demo_users(site, data)}
    hub = LocalHub(data, site.id)  # the city link, as in `opsconsole demo`
    engine = ConsoleApp(
        site, data, feeds_pull=["tcp://127.0.0.1:*"], time_scale=60.0, uplink=hub.start()
    )
    engine.start()
    sim = subprocess.Popen(
        simulator_argv(
            site.path,
            engine.endpoints[0],
            scenario="flood-surge",
            speed=60,
            rate=600,
            malformed_fraction=0.01,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    suffix = "" if a.lang == "vi" else "-en"
    OUT.mkdir(parents=True, exist_ok=True)

    def run(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    try:
        # An, the demo operator, is on duty (as after the log-in in the duty bar).
        engine.services.access.log_in("an", users["an"] or "", new_password="ca-dem-song-han-1")
        win = MainWindow(engine.services, None, window_settings(data, site.id), a.lang)
        win.resize(1680, 980)
        win.trend.span.setCurrentIndex(0)  # one minute: the run is short
        win.show()
        win.start()
        run(a.seconds)
        # An operator has acknowledged the first alarm, with a note.
        if win.alarmPanel is not None and win.alarmPanel.model.rowCount():
            win.alarmPanel.table.selectRow(win.alarmPanel.model.rowCount() - 1)
            win.alarmPanel.note.setText(
                "đã báo đội ứng cứu" if a.lang == "vi" else "rescue team informed"
            )
            win.alarmPanel.acknowledgeSelected()
            win.alarmPanel.table.clearSelection()
            run(0.5)
        win.grab().save(str(OUT / f"main-window{suffix}.png"))
        for key in ("hc-river-03", "hc-rain-01"):
            win.history.addFeed(key)
        now = time.time()
        win.history.setCustomRange(now - a.seconds - 10, now + 5)
        win.historyDock.show()
        win.historyDock.raise_()
        done: list[int] = []
        win.history.loaded.connect(done.append)
        win.history.load()
        while not done:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        run(0.5)
        win.grab().save(str(OUT / f"history{suffix}.png"))
        win.alarmDock.raise_()
        win.alarmPanel.tabs.setCurrentIndex(1) if win.alarmPanel else None
        run(0.5)
        win.grab().save(str(OUT / f"journal{suffix}.png"))
        win.status.rejects.click()
        run(1.5)
        win.status.dialog.grab().save(str(OUT / f"rejects{suffix}.png"))
        bar = win.statusBar()
        bar.grab().save(str(OUT / f"statusbar{suffix}.png"))
        hub.stop()  # the city link goes down; the console keeps logging and queues
        run(8)
        bar.grab().save(str(OUT / f"statusbar-offline{suffix}.png"))
        win.close()
    finally:
        sim.terminate()
        sim.wait(30)
        engine.stop()
        hub.stop()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

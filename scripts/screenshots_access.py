"""Screenshots of the duty bar, the locked window and the action log, from the real app.

    Xvfb :99 -screen 0 1920x1080x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_access.py [--lang vi|en]

Runs the Hải Châu demo site with the simulator (flood-surge, 60×) and the
demo accounts, and saves into docs/screenshots/, each at 1366×768 and
1920×1080 (suffix ``-1920``), English with ``-en``:

- ``login``: nobody on duty; An typed the one-time password and is asked for a
  new one (the bar above the tiles, the alarms live below it);
- ``locked``: An on duty, the screen locked after no activity, alarms still live;
- ``actionlog``: the action log after a shift's first actions, chain checked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1366, 768, ""), (1920, 1080, "-1920"))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--seconds", type=float, default=25.0)
    a = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
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
    hub = LocalHub(data, site.id)
    engine = ConsoleApp(
        site, data, feeds_pull=["tcp://127.0.0.1:*"], time_scale=60.0, uplink=hub.start()
    )
    engine.start()
    sim = subprocess.Popen(
        simulator_argv(site.path, engine.endpoints[0], scenario="flood-surge", speed=60, rate=600),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    suffix = "" if a.lang == "vi" else "-en"
    OUT.mkdir(parents=True, exist_ok=True)

    def run(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def wait_idle(win: MainWindow) -> None:
        while win.duty.busy() or win.actionLog.busy():
            QCoreApplication.processEvents()
            run(0.05)

    def shoot(win: MainWindow, name: str) -> None:
        for w, h, size in SIZES:
            win.resize(w, h)
            run(0.8)
            win.grab().save(str(OUT / f"{name}{suffix}{size}.png"))

    def log_in(win: MainWindow, user: str, password: str, new: str | None = None) -> None:
        bar = win.duty
        bar.userId.setText(user)
        bar.password.setText(password)
        if new is not None:
            bar.newPassword.setText(new)
            bar.repeatPassword.setText(new)
        bar.submit()
        wait_idle(win)

    new_pw = "ca-dem-song-han-1"
    try:
        win = MainWindow(engine.services, None, window_settings(data, site.id), a.lang)
        win.move(0, 0)
        win.resize(1366, 768)
        win.trend.span.setCurrentIndex(0)
        win.show()
        win.start()
        run(a.seconds)
        # 1. Nobody on duty; An's one-time password accepted, a new one asked for.
        log_in(win, "an", users["an"] or "")
        shoot(win, "login")
        # 2. An on duty acknowledges the newest alarm; later the screen locks (idle).
        log_in(win, "an", users["an"] or "", new_pw)
        panel = win.alarmPanel
        if panel is not None and panel.model.rowCount():
            panel.table.selectRow(0)
            panel.note.setText("đã báo đội ứng cứu" if a.lang == "vi" else "rescue team informed")
            panel.acknowledgeSelected()
            panel.table.clearSelection()
        run(1.0)
        session = engine.services.access.duty().session
        assert session is not None
        engine.services.access.lock(session, reason="idle")  # what the idle check does
        win.duty.refresh()
        run(2.0)
        shoot(win, "locked")
        # 3. Back on duty: the action log, the chain checked.
        log_in(win, "an", new_pw)
        engine.flush(10)
        win.showActionLog()
        wait_idle(win)
        win.actionLog.verify()
        wait_idle(win)
        shoot(win, "actionlog")
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

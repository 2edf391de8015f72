"""Take the README screenshots from the real app on real X displays (Xvfb, the xcb platform).

    .venv/bin/python scripts/screenshots.py [--sizes 1366x768,1920x1080] [--seconds 75]

For each screen size a private Xvfb of that size is started and this script
runs again inside it (``--child``), where it does what ``opsconsole demo``
does with the demo's own defaults (scenario, speed, rate, no malformed input,
a local IOC hub): the window opens maximized, the storm plays out, an operator
acknowledges one alarm with a note, then the screen is grabbed as X shows it
(clipping included) in Vietnamese, and again after switching the window to
English. At the README size (1920×1080) it also saves the history, journal,
rejected-input dialog (after a second gateway sent malformed frames), the
status bar online and with the hub stopped, the trend in greyscale, and the
window right after a restart of the console (the values it shows come from
the log, before any new reading arrives).

Files in docs/screenshots/: main-window[-en][-WxH].png and restart[-WxH].png
(no size suffix: 1920×1080), history[-en].png, journal[-en].png,
rejects[-en].png, statusbar[-en].png, statusbar-offline[-en].png,
trend-greyscale.png.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

    from console.district.services.app import ConsoleApp
    from console.district.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
README_SIZE = (1920, 1080)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def orchestrate(sizes: list[tuple[int, int]], seconds: float, out: Path) -> int:
    from xvfb import Xvfb, child_env

    for w, h in sizes:
        with Xvfb(w, h) as x:
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                "--size",
                f"{w}x{h}",
                "--seconds",
                str(seconds),
                "--out",
                str(out),
            ]
            print(f"== {w}x{h} on DISPLAY=:{x.display}", flush=True)
            r = subprocess.run(cmd, env=child_env(x), check=False)
            if r.returncode != 0:
                return r.returncode
    print(f"screenshots written to {out}")
    return 0


def child(size: tuple[int, int], seconds: float, out: Path) -> int:
    from console.district.ui.app import gc_on_gui_thread, make_app

    make_app()
    with gc_on_gui_thread():
        return _shoot(size, seconds, out)


def _shoot(size: tuple[int, int], seconds: float, out: Path) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtGui import QImage

    from console.cli.demo import ensure_demo_users
    from console.cli.local_hub import LocalHub
    from console.cli.main import build_parser
    from console.district.config import default_site_path, load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import WindowHost, make_app, window_settings
    from console.sim.launch import simulator_argv

    demo = build_parser().parse_args(["demo"])  # exactly what `opsconsole demo` runs
    app = make_app()
    app.setQuitOnLastWindowClosed(False)  # the restart closes the only window
    site = load_site(default_site_path())
    data = Path(tempfile.mkdtemp(prefix="opsconsole-shots-"))
    readme = size == README_SIZE
    tag = "" if readme else f"-{size[0]}x{size[1]}"  # the README's size has plain names
    out.mkdir(parents=True, exist_ok=True)
    workstation = window_settings(data, "workstation")  # not the user's own settings

    def run(secs: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(secs * 1000), loop.quit)
        loop.exec()

    def screen(name: str) -> None:
        shot = app.primaryScreen().grabWindow(0)
        shot.save(str(out / name))
        print("saved", name, shot.width(), "x", shot.height(), flush=True)

    def save(pix: QPixmap, name: str) -> None:
        pix.save(str(out / name))
        print("saved", name, flush=True)

    users = {u["user_id"]: u["one_time_password"] for u in ensure_demo_users(site, data)}
    hub = LocalHub(data, site.id)
    engine = ConsoleApp(
        site, data, feeds_pull=["tcp://127.0.0.1:*"], time_scale=demo.speed, uplink=hub.start()
    )
    engine.start()
    sim = subprocess.Popen(
        simulator_argv(
            site.path,
            engine.endpoints[0],
            scenario=demo.scenario,
            speed=demo.speed,
            rate=demo.rate,
            malformed_fraction=demo.malformed_fraction,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    settings = window_settings(data, site.id)
    # An, the demo operator, is on duty (as after the log-in in the duty bar).
    engine.services.access.log_in("an", users["an"] or "", new_password="ca-dem-song-han-1")
    host = WindowHost(engine.services, None, settings, "vi", workstation=workstation)
    restart_host: WindowHost | None = None
    engine2: ConsoleApp | None = None
    try:
        host.show()
        run(seconds)
        win = host.window
        # An operator has acknowledged the first alarm, with a note.
        panel = win.alarmPanel
        if panel is not None and panel.model.rowCount():
            panel.table.selectRow(panel.model.rowCount() - 1)
            panel.note.setText("đã báo đội ứng cứu")
            panel.acknowledgeSelected()
            panel.table.clearSelection()
            panel.table.scrollToTop()
        run(1.0)
        screen(f"main-window{tag}.png")
        if readme:
            save(win.statusBar().grab(), "statusbar.png")
            grey = win.trend.plot.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
            grey.save(str(out / "trend-greyscale.png"))
            print("saved trend-greyscale.png", flush=True)
            shots_for(win, "", save, run, engine)
        host.switch("en")
        run(2.5)
        win = host.window
        screen(f"main-window-en{tag}.png")
        if readme:
            save(win.statusBar().grab(), "statusbar-en.png")
            shots_for(win, "-en", save, run, engine)
            hub.stop()  # the city link goes down; the console keeps logging and queues
            run(8)
            save(win.statusBar().grab(), "statusbar-offline-en.png")
            host.switch("vi")
            run(2)
            save(host.window.statusBar().grab(), "statusbar-offline.png")
        # Restart: the console stops (everything committed) and starts again on the
        # same log as `opsconsole console` would (real time: a feed is stale after 3
        # of its minutes); the gateway is not back yet, so what the window shows comes
        # from the log, read in a worker at start.
        host.close()
        sim.terminate()
        sim.wait(30)
        engine.stop()
        hub.stop()
        engine2 = ConsoleApp(site, data, feeds_pull=["tcp://127.0.0.1:*"])
        engine2.start()
        # After a restart nobody is on duty yet: the duty bar asks for a log-in.
        restart_host = WindowHost(engine2.services, None, settings, "vi", workstation=workstation)
        t0 = time.monotonic()
        restart_host.show()
        restart_host.window.waitPrimed()
        run(0.6)
        screen(f"restart{tag}.png")
        print(f"restart shot {time.monotonic() - t0:.1f} s after start", flush=True)
        restart_host.close()
        QCoreApplication.processEvents()
    finally:
        for h in (host, restart_host):
            if h is not None:
                h.stop()
        if sim.poll() is None:
            sim.terminate()
            sim.wait(30)
        engine.stop()
        if engine2 is not None:
            engine2.stop()
        hub.stop()
    return 0


def shots_for(
    win: MainWindow,
    suffix: str,
    save: Callable[[QPixmap, str], None],
    run: Callable[[float], None],
    engine: ConsoleApp,
) -> None:
    """History, journal and rejects of the README (``suffix`` "" or "-en")."""
    from PySide6.QtCore import QCoreApplication

    now = time.time()
    win.history.setCustomRange(now - 140, now + 5)  # the run so far (the storm)
    win.history.showFeeds(["hc-river-03", "hc-rain-01"])
    win.historyDock.show()
    win.historyDock.raise_()
    deadline = time.monotonic() + 30
    while win.history.isLoading() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    run(0.8)
    save(win.grab(), f"history{suffix}.png")
    win.alarmDock.raise_()
    if win.alarmPanel is not None:
        win.alarmPanel.tabs.setCurrentIndex(1)
    run(0.8)
    save(win.grab(), f"journal{suffix}.png")
    if win.alarmPanel is not None:
        win.alarmPanel.tabs.setCurrentIndex(0)
    if not engine.stats().readings_rejected:
        send_faulty_frames(engine.endpoints[0])
        run(1.5)
    win.status.rejects.click()
    run(1.5)
    save(win.status.dialog.grab(), f"rejects{suffix}.png")
    win.status.dialog.hide()


def send_faulty_frames(endpoint: str) -> None:
    """What a gateway with a faulty encoder might send: one frame per reject reason the
    rejects dialog explains (no valid reading among them, so the log is not touched)."""
    import zmq

    from transport.feedproto import encode_batch

    now = int(time.time() * 1000)
    frames = [
        b"\xc1 not msgpack",  # malformed
        encode_batch([["hc-river-99", now, 1.0, 0]]),  # unknown_feed
        encode_batch([["hc-river-01", now, 99.0, 0]]),  # out_of_range
        encode_batch([["hc-rain-01", now + 3_600_000, 1.0, 0]]),  # ts_future
        encode_batch([["hc-rain-02", now, float("nan"), 0]]),  # not_finite
        encode_batch([["hc-rain-03", now, 1.0, 7]]),  # bad_quality
        encode_batch([["hc-rain-04", now, 1.0, 0]], version=2),  # unsupported_version
    ]
    sock: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.PUSH)
    sock.setsockopt(zmq.LINGER, 2000)
    sock.connect(endpoint)
    for frame in frames:
        sock.send(frame)
    sock.close()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1366x768,1920x1080")
    p.add_argument("--seconds", type=float, default=75.0)
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--size", default="1920x1080", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        w, h = (int(v) for v in a.size.split("x"))
        return child((w, h), a.seconds, a.out)
    sizes = [(int(w), int(h)) for w, h in (s.split("x") for s in a.sizes.split(","))]
    os.environ.pop("QT_QPA_PLATFORM", None)
    return orchestrate(sizes, a.seconds, a.out)


if __name__ == "__main__":
    raise SystemExit(main())

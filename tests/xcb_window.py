"""Open the real operator window on the display this process is given (tests/test_xcb.py).

    DISPLAY=:N QT_QPA_PLATFORM=xcb python -m tests.xcb_window OUT_DIR

Runs the demo site in-process on a simulated clock (the storm, 40 simulated
minutes: values and alarms everywhere), opens the window as ``opsconsole``
does (WindowHost.show: maximized on a first run), grabs the screen as the X
server has it, switches to English and grabs again. Prints one JSON object:
per language, the screen and window geometry, each key control's rectangle
on the screen and whether it is wholly visible, each default tile's value,
the axis labels, and the PNG written.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

START = 1_795_000_000.0


def describe(host: Any, app: Any) -> dict[str, Any]:
    from PySide6.QtCore import QRect

    win = host.window
    screen = app.primaryScreen()

    def on_screen(w: Any) -> dict[str, Any]:
        top_left = w.mapToGlobal(w.rect().topLeft())
        r = QRect(top_left, w.size())
        visible = w.visibleRegion().boundingRect()
        return {
            "rect": [r.x(), r.y(), r.width(), r.height()],
            "shown": bool(w.isVisible()),
            "whole": visible.width() >= w.width() - 1 and visible.height() >= w.height() - 1,
            "text": w.text() if hasattr(w, "text") else "",
        }

    p = win.alarmPanel
    controls = {
        "silence": win.banner.silence,
        "acknowledge": p.ackButton,
        "acknowledge_all": p.ackAllButton,
        "shelve": p.shelveButton,
        "unshelve": p.unshelveButton,
        "out_of_service": p.oosButton,
        "return_to_service": p.risButton,
        "note": p.note,
        "reason": p.reason,
        "search": win.search,
        "follow": win.trend.follow,
        "clear": win.trend.clear,
        "span": win.trend.span,
    }
    g = screen.geometry()
    fg = win.frameGeometry()
    left, right = win.trend.plot.axes()
    return {
        "screen": [g.x(), g.y(), g.width(), g.height()],
        "window": [fg.x(), fg.y(), fg.width(), fg.height()],
        "maximized": bool(win.isMaximized()),
        "controls": {k: on_screen(w) for k, w in controls.items()},
        "tiles": {
            t.key: {"value": t.valueText(), **on_screen(t.valueLabel())} for t in win.tiles.tiles()
        },
        "axes": [left.labelString(), right.labelString()],
        "si_scale": [left.autoSIPrefixScale, right.autoSIPrefixScale],
        "tick_strings": left.tickStrings([0.1, 0.15, 0.2], 1.0, 0.05),
        "menus": [a.text() for a in win.menuBar().actions()],
    }


def main(out_dir: str) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtGui import QImage

    from console.district.config import default_site_path, load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import WindowHost, make_app, window_settings
    from console.shared.clock import SimClock
    from console.shared.session import os_session
    from console.sim.inprocess import InProcessGateway

    out = Path(out_dir)
    app = make_app()
    app.setQuitOnLastWindowClosed(False)
    site = load_site(default_site_path())
    data = Path(tempfile.mkdtemp(prefix="opsconsole-xcb-"))
    engine = ConsoleApp(site, data, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    engine.start(receive=False)
    report: dict[str, Any] = {"platform": app.platformName()}

    def run(secs: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(secs * 1000), loop.quit)
        loop.exec()

    host = None
    try:
        InProcessGateway(engine, "storm").run(40 * 60, step_s=5.0)
        engine.flush(30)
        host = WindowHost(
            engine.services,
            os_session(),
            window_settings(data, site.id),
            "vi",
            workstation=window_settings(data, "workstation"),
        )
        host.show()
        host.window.waitPrimed()
        for lang in ("vi", "en"):
            if lang == "en":
                host.switch("en")
                host.window.waitPrimed()
            for _ in range(3):
                host.window.refresh()
            host.window._update_alarms()
            run(1.0)
            shot = app.primaryScreen().grabWindow(0)
            png = out / f"window-{lang}.png"
            shot.save(str(png))
            image = shot.toImage().convertToFormat(QImage.Format.Format_RGB32)
            colours = {
                image.pixel(x, y)
                for x in range(0, image.width(), 7)
                for y in range(0, image.height(), 7)
            }
            report[lang] = {**describe(host, app), "png": str(png), "colours": len(colours)}
        host.close()
        QCoreApplication.processEvents()
    finally:
        if host is not None:
            host.window.stopWork()
            host.stop()
        engine.stop()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""Start the IOC window: Qt application, language, style, hub services, until closed."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources as importlib_resources

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from console.hub.config import HubConfig
from console.hub.services.workstation import IocWorkstation
from console.hub.ui.text import install_translator
from console.hub.ui.window import IocWindow


def style_sheet() -> str:
    """The control-room theme (resources/styles/dark.qss) and the IOC's own tiles (ioc.qss)."""
    styles = importlib_resources.files("resources") / "styles"
    return "\n".join((styles / n).read_text(encoding="utf-8") for n in ("dark.qss", "ioc.qss"))


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("opsconsole")
    app.setStyleSheet(style_sheet())
    return app


@contextmanager
def gc_on_gui_thread(interval_s: float = 1.0) -> Iterator[None]:
    """Python's cyclic collector runs in whichever thread allocates (the receiver, the
    writer, a worker) and could free a Qt object there: Qt then crashes. While this is
    open, automatic collection is off and pyqtgraph's GarbageCollector collects on the
    GUI thread instead (a timer, ``interval_s``)."""
    collector = GarbageCollector(interval=interval_s)
    try:
        yield
    finally:
        collector.timer.stop()
        gc.enable()


def run_ioc(
    cfg: HubConfig,
    *,
    lang: str = "vi",
    duration: float | None = None,
    size: tuple[int, int] | None = None,
) -> int:
    """Run the IOC window over ``cfg``'s database until it is closed (or ``duration`` passes)."""
    app = make_app()
    install_translator(app, lang)
    desk = IocWorkstation.open(cfg)
    city = desk.city
    try:
        win = IocWindow(city, lang, title=cfg.id, source=city.source(), desk=desk)
        if size is not None:
            win.resize(*size)
        else:
            win.showMaximized()
        win.show()
        win.start()
        if duration is not None:
            QTimer.singleShot(int(duration * 1000), win.close)
        # Let Ctrl+C / SIGTERM close the window cleanly (Python sees signals only while
        # the interpreter runs, so wake it periodically).
        signal.signal(signal.SIGINT, lambda *_: win.close())
        signal.signal(signal.SIGTERM, lambda *_: win.close())
        wake = QTimer(interval=200)
        wake.timeout.connect(lambda: None)
        wake.start()
        with gc_on_gui_thread():
            code = app.exec()
        wake.stop()
        win.stop()
        return code
    finally:
        desk.close()

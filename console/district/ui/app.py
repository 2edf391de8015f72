"""Start the operator window: Qt application, language, style, engine, optional simulator."""

from __future__ import annotations

import gc
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QCoreApplication, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from console.district.config import SiteConfig, UplinkConfig
from console.district.services.app import ConsoleApp, ConsoleServices
from console.district.ui.i18n import install_translator
from console.district.ui.main_window import MainWindow
from console.district.ui.style import style_sheet
from console.shared.session import Session

__all__ = ["WindowHost", "make_app", "run_window", "style_sheet", "window_settings"]


def window_settings(data_dir: Path, site_id: str) -> QSettings:
    """Window layout, tiles and trends are kept beside the site's log."""
    return QSettings(str(data_dir / f"{site_id}-window.ini"), QSettings.Format.IniFormat)


def workstation_settings() -> QSettings:
    """What belongs to this workstation, whatever site it shows: the control-room scale
    (the screen and the distance to it are the workstation's)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "opsconsole", "workstation"
    )


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("opsconsole")
    if not app.styleSheet():  # keep a control-room scale already in force
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


class WindowHost:
    """Owns the operator window and rebuilds it when the language changes, so a new
    language applies at once: the console's services keep running underneath, the
    window's layout, tiles and trend come back from its settings."""

    def __init__(
        self,
        services: ConsoleServices,
        session: Session | None,
        settings: QSettings,
        lang: str,
        *,
        workstation: QSettings | None = None,
    ) -> None:
        self.services = services
        self.session = session
        self.settings = settings
        self.workstation = workstation
        self.lang = lang
        self._translator: QTranslator | None = None
        self.window = self._build()

    def _build(self) -> MainWindow:
        app = QCoreApplication.instance()
        assert app is not None
        if self._translator is not None:
            app.removeTranslator(self._translator)
        self._translator = install_translator(app, self.lang)
        win = MainWindow(
            self.services, self.session, self.settings, self.lang, workstation=self.workstation
        )
        win.liveLanguage = True
        win.languageRequested.connect(self.switch)
        return win

    def show(self) -> None:
        self.window.showOnScreen()
        self.window.start()

    def switch(self, lang: str) -> None:
        """Rebuild the window in ``lang`` where the old one was."""
        old = self.window
        old.stopWork()
        old.saveState_()
        self.lang = lang
        self.window = self._build()
        self.window.restoreGeometry(old.saveGeometry())
        self.window.showOnScreen()
        self.window.start()
        old.hide()
        old.deleteLater()

    def close(self) -> None:
        self.window.close()

    def stop(self) -> None:
        """Remove the translator this host installed."""
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None


def run_window(
    site: SiteConfig,
    data_dir: Path,
    *,
    feeds_pull: list[str] | None = None,
    simulator: list[str] | None = None,
    duration: float | None = None,
    lang: str | None = None,
    time_scale: float = 1.0,
    uplink: UplinkConfig | None = None,
) -> int:
    """Run until the window closes (or ``duration`` passes).

    ``simulator``: argv to start once the console listens; ``uplink``: overrides the
    site file's [uplink] (the demo's local hub).
    """
    app = make_app()
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = window_settings(data_dir, site.id)
    lang = lang or str(settings.value("language", "vi"))
    console = ConsoleApp(
        site, data_dir, feeds_pull=feeds_pull, time_scale=time_scale, uplink=uplink
    )
    console.start()
    sim: subprocess.Popen[bytes] | None = None
    host: WindowHost | None = None
    try:
        if simulator is not None:
            sim = subprocess.Popen(
                [*simulator, "--endpoint", console.endpoints[0]], stdout=subprocess.DEVNULL
            )
        # Nobody on duty yet: the window runs and asks for a log-in before any action.
        host = WindowHost(
            console.services, None, settings, lang, workstation=workstation_settings()
        )
        host.show()
        if duration is not None:
            QTimer.singleShot(int(duration * 1000), host.close)
        # Let Ctrl+C / SIGTERM close the window cleanly: Python handles signals
        # only when the interpreter runs, so wake it periodically.
        signal.signal(signal.SIGINT, lambda *_: host.close() if host else None)
        signal.signal(signal.SIGTERM, lambda *_: host.close() if host else None)
        wake = QTimer(interval=200)
        wake.timeout.connect(lambda: None)
        wake.start()
        with gc_on_gui_thread():
            return app.exec()
    finally:
        if host is not None:
            host.stop()
        if sim is not None:
            sim.terminate()
            sim.wait(30)
        console.stop()

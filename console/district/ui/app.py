"""Start the operator window: Qt application, language, style, engine, optional simulator."""

from __future__ import annotations

import signal
import subprocess
from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from console.district.config import SiteConfig, UplinkConfig
from console.district.services.app import ConsoleApp
from console.district.ui.i18n import install_translator
from console.district.ui.main_window import MainWindow


def style_sheet() -> str:
    return (importlib_resources.files("resources") / "styles" / "dark.qss").read_text(
        encoding="utf-8"
    )


def window_settings(data_dir: Path, site_id: str) -> QSettings:
    """Window layout, tiles and trends are kept beside the site's log."""
    return QSettings(str(data_dir / f"{site_id}-window.ini"), QSettings.Format.IniFormat)


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("opsconsole")
    app.setStyleSheet(style_sheet())
    return app


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
    install_translator(app, lang)
    console = ConsoleApp(
        site, data_dir, feeds_pull=feeds_pull, time_scale=time_scale, uplink=uplink
    )
    console.start()
    sim: subprocess.Popen[bytes] | None = None
    try:
        if simulator is not None:
            sim = subprocess.Popen(
                [*simulator, "--endpoint", console.endpoints[0]], stdout=subprocess.DEVNULL
            )
        # Nobody on duty yet: the window runs and asks for a log-in before any action.
        win = MainWindow(console.services, None, settings, lang)
        win.show()
        win.start()
        if duration is not None:
            QTimer.singleShot(int(duration * 1000), win.close)
        # Let Ctrl+C / SIGTERM close the window cleanly: Python handles signals
        # only when the interpreter runs, so wake it periodically.
        signal.signal(signal.SIGINT, lambda *_: win.close())
        signal.signal(signal.SIGTERM, lambda *_: win.close())
        wake = QTimer(interval=200)
        wake.timeout.connect(lambda: None)
        wake.start()
        return app.exec()
    finally:
        if sim is not None:
            sim.terminate()
            sim.wait(30)
        console.stop()

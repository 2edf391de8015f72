"""Start-up errors of the window, shown where the person who started it looks.

A console started from a desktop launcher or a kiosk session has no terminal:
an error only on stderr is an error nobody reads. The command line prints the
one-line message first, then (when a window can open at all) shows it here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from console.district.ui.app import make_app
from console.district.ui.i18n import install_translator


def startup_error_box(text: str) -> QMessageBox:
    """The dialog (not shown): what happened in words, the precise message below it."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("opsconsole")
    box.setText(
        QCoreApplication.translate(
            "StartupError", "The console cannot start. Correct this and start it again:"
        )
    )
    box.setInformativeText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy the path
    return box


def show_startup_error(text: str, *, lang: str = "vi") -> None:
    """Show ``text`` (the same line as on stderr) in a modal dialog and wait for it."""
    app = make_app()
    tr = install_translator(app, lang)
    try:
        startup_error_box(text).exec()
    finally:
        if tr is not None:
            app.removeTranslator(tr)

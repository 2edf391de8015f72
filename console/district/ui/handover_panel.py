"""The shift handover in the window: prepare the report of my shift, take over the last one.

*Prepare* builds the report of the shift of the person on duty (since their
log-in), stores it with its SHA-256 (action ``handover_prepared``) and writes
its PDF beside the site log (``handover/``) — no file dialog: nothing modal
over the alarms. The incoming person reads it here and *takes over* the
shift (action ``handover_acknowledged``, with the report's digest). Both run
in workers (SQL, the commit, the PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.district.services.handover import Handover, HandoverService
from console.district.ui.access_text import refusal_text
from console.district.ui.background import Background
from console.district.ui.handover_report import report_html, write_pdf
from console.shared.errors import ActionRefusedError
from console.shared.session import Session


def pdf_path(data_dir: Path, site_id: str, h: Handover, tz: ZoneInfo) -> Path:
    stamp = datetime.fromtimestamp(h.created_ms / 1000, tz).strftime("%Y%m%d-%H%M")
    return data_dir / "handover" / f"handover-{site_id}-{stamp}-{h.id}.pdf"


class HandoverPanel(QWidget):
    def __init__(
        self,
        service: HandoverService,
        session: Callable[[], Session | None],
        data_dir: Path,
        tz: ZoneInfo,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._session = session
        self.data_dir = data_dir
        self.tz = tz
        self.lang = lang
        self.jobs = Background(self)
        self.current: Handover | None = None
        self.last_pdf: Path | None = None

        self.prepareButton = QPushButton(self.tr("Prepare the handover of my shift"))
        self.prepareButton.setToolTip(
            self.tr("Stores the report, records it in the action log and writes its PDF")
        )
        self.prepareButton.clicked.connect(self.prepare)
        self.previewButton = QPushButton(self.tr("Preview"))
        self.previewButton.clicked.connect(self.preview)
        self.state = QLabel()
        self.state.setObjectName("hint")
        self.state.setWordWrap(True)
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.ackNote = QLineEdit()
        self.ackNote.setPlaceholderText(self.tr("Note on taking over (optional)"))
        self.ackButton = QPushButton(self.tr("Take over this shift"))
        self.ackButton.clicked.connect(self.acknowledge)
        top = QHBoxLayout()
        top.addWidget(self.prepareButton)
        top.addWidget(self.previewButton)
        top.addWidget(self.state, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.ackNote, 1)
        bottom.addWidget(self.ackButton)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.page, 1)
        lay.addLayout(bottom)
        self._show(None)

    def busy(self) -> bool:
        return self.jobs.busy()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ActionRefusedError):
            self.state.setText(refusal_text(exc, self.tz))
        else:
            self.state.setText(self.tr("The handover failed: %1").replace("%1", str(exc)))

    def _show(self, h: Handover | None) -> None:
        self.current = h
        me = self._session()
        if h is None:
            self.state.setText(self.tr("No handover report yet."))
            self.ackButton.setEnabled(False)
            return
        self.page.setHtml(report_html(h.report, self.lang, self.tz))
        made = datetime.fromtimestamp(h.created_ms / 1000, self.tz).strftime("%H:%M %d/%m")
        if h.acked_ms:
            took = datetime.fromtimestamp(h.acked_ms / 1000, self.tz).strftime("%H:%M %d/%m")
            text = (
                self.tr("Report no. %1 by %2 at %3, taken over by %4 at %5.")
                .replace("%1", str(h.id))
                .replace("%2", h.by_name or h.by_user)
                .replace("%3", made)
                .replace("%4", h.acked_name or h.acked_by)
                .replace("%5", took)
            )
        else:
            text = (
                self.tr("Report no. %1 by %2 at %3: not yet taken over.")
                .replace("%1", str(h.id))
                .replace("%2", h.by_name or h.by_user)
                .replace("%3", made)
            )
        if self.last_pdf is not None:
            text += " " + self.tr("PDF: %1").replace("%1", str(self.last_pdf))
        self.state.setText(text)
        self.ackButton.setEnabled(not h.acked_ms and me is not None and me.user_id != h.by_user)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load()

    def load(self) -> None:
        """Show the latest report and whether it was taken over (when on screen)."""
        if not self.isVisible():
            return
        self.jobs.run("load", self.service.latest, done=self._show, failed=self._failed)

    def preview(self) -> None:
        """The report of my shift as it would be now (nothing stored)."""

        def done(report: dict[str, Any]) -> None:
            self.page.setHtml(report_html(report, self.lang, self.tz))
            self.state.setText(self.tr("Preview: not stored, not handed over."))

        self.jobs.run(
            "preview", self.service.report, self._session(), done=done, failed=self._failed
        )

    def prepare(self) -> None:
        session = self._session()
        site = self.service.site

        def job(s: Session | None) -> tuple[Handover, Path]:
            h = self.service.prepare(s)
            path = write_pdf(h.report, pdf_path(self.data_dir, site.id, h, self.tz), self.lang)
            return h, path

        def done(result: tuple[Handover, Path]) -> None:
            h, path = result
            self.last_pdf = path
            self._show(h)

        self.state.setText(self.tr("Preparing…"))
        self.jobs.run("prepare", job, session, done=done, failed=self._failed)

    def acknowledge(self) -> None:
        h = self.current
        if h is None:
            return
        note = self.ackNote.text().strip()

        def done(h2: Handover) -> None:
            self.ackNote.clear()
            self._show(h2)

        self.ackButton.setEnabled(False)
        self.jobs.run(
            "ack",
            self.service.acknowledge,
            self._session(),
            h.id,
            note,
            done=done,
            failed=self._failed,
        )

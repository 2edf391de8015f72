"""The shift handover report as a page: HTML in the reader's language, and its PDF.

The report (console.district.services.handover) is values and codes; this
turns it into translated HTML, which the window shows and ``QTextDocument``
prints to PDF through ``QPdfWriter``: no extra dependency, and the text stays
text (the PDF embeds the font and its Unicode map, so ``pdftotext`` gives back
"Mực nước" with its diacritics). The font must have Vietnamese glyphs: the
first family the font database lists for the Vietnamese writing system is
used (DejaVu Sans on Linux, installed by .ci/run where missing; Segoe UI or
Arial on Windows).
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QObject
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from console.district.services.handover import digest
from console.district.ui.i18n import state_name
from console.district.ui.incident_text import status_name
from console.shared.text import humanize_seconds
from widgets.alarm_words import alarm_rule_name, alarm_state_name, severity_name

log = logging.getLogger(__name__)

PREFERRED_FONTS = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Liberation Sans")


def e(text: object) -> str:
    return html.escape(str(text))


def pdf_font(size: int = 9) -> QFont:
    """A font that has the Vietnamese letters (a PDF of boxes helps nobody), without
    ligatures (an "ff" drawn as one glyph comes back from the PDF as "ﬀ", not "ff")."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese)
    name = next((n for n in PREFERRED_FONTS if n in families), families[0] if families else "")
    if not name:
        log.warning("no font with Vietnamese glyphs found; the handover PDF may show boxes")
    font = QFont(name, size) if name else QFont()
    for feature in ("liga", "clig"):
        font.setFeature(QFont.Tag(feature), 0)
    return font


def _when(ms: int | None, tz: ZoneInfo) -> str:
    if not ms:
        return "—"
    return datetime.fromtimestamp(ms / 1000, tz).strftime("%H:%M %d/%m/%Y")


Row = list[str] | str
"""Cells (HTML), or one HTML string spanning the whole row (an incident's steps)."""


def _table(headers: list[str], rows: list[Row], none: str, widths: list[int] | None = None) -> str:
    if not rows:
        return f"<p><i>{e(none)}</i></p>"
    w = widths or []
    head = "".join(
        f"<th align='left'{f' width={w[k]}%' if k < len(w) else ''}>{e(h)}</th>"
        for k, h in enumerate(headers)
    )
    body = "".join(
        f"<tr><td colspan='{len(headers)}'>{r}</td></tr>"
        if isinstance(r, str)
        else "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


class HandoverPage(QObject):
    """The report in words (a QObject so that lupdate and self.tr() share its context)."""

    def _h3(self, title: str, count: int | None = None) -> str:
        return f"<h3>{e(title)}" + ("" if count is None else f" ({count})") + "</h3>"

    def _table(self, headers: list[str], rows: list[Row], widths: list[int] | None = None) -> str:
        return _table(headers, rows, self.tr("None."), widths)

    def html(self, report: dict[str, Any], lang: str, tz: ZoneInfo | None = None) -> str:
        """The whole report as one HTML page in ``lang`` (the translator installed decides the
        words; ``lang`` picks the Vietnamese or English names of feeds, steps and types)."""
        site = report["site"]
        tz = tz or ZoneInfo(site.get("timezone") or "Asia/Ho_Chi_Minh")
        vi = lang == "vi"

        def name(d: dict[str, Any], key: str = "name") -> str:
            return str(d.get(f"{key}_vi" if vi else f"{key}_en") or d.get("id", ""))

        def sev(n: int) -> str:
            return f"{'▲' * n} {severity_name(n)}" if n else ""

        parts = [
            "<h2>"
            + e(self.tr("Shift handover"))
            + " — "
            + e(site["name_vi"] if vi else site["name_en"])
            + "</h2>",
            "<p>"
            + e(
                self.tr("Shift from %1 to %2")
                .replace("%1", _when(report["since_ms"], tz))
                .replace("%2", _when(report["generated_ms"], tz))
            )
            + "<br/>",
        ]
        by = report.get("prepared_by")
        if by:
            parts.append(
                e(
                    self.tr("Prepared by %1 (%2) at %3")
                    .replace("%1", by.get("name") or by["user_id"])
                    .replace("%2", by["user_id"])
                    .replace("%3", by.get("workstation") or "—")
                )
            )
        else:
            parts.append(e(self.tr("Generated from the site log by the command line")))
        parts.append("</p>")

        inc = report["open_incidents"]
        parts.append(self._h3(self.tr("Incidents not closed"), len(inc)))
        rows: list[Row] = []
        now = int(report["generated_ms"])
        for i in inc:
            steps = []
            for st in i.get("steps", []):
                text = e(st["text_vi"] if vi else st["text_en"])
                due = ""
                if st.get("due_ms"):
                    if st.get("overdue"):
                        due = (
                            " <b>"
                            + e(self.tr("OVERDUE since %1").replace("%1", _when(st["due_ms"], tz)))
                            + "</b>"
                        )
                    else:
                        due = " " + e(
                            self.tr("due in %1").replace(
                                "%1", humanize_seconds((st["due_ms"] - now) / 1000, lang)
                            )
                        )
                opt = "" if st.get("required", True) else " " + e(self.tr("(optional)"))
                steps.append(f"☐ {text}{opt}{due}")
            rows.append(
                [
                    f"<b>{e(i['id'])}</b>",
                    e(sev(int(i["severity"]))),
                    e(status_name(i["status"])),
                    f"{e(i['title'])}<br/><small>{e(name(i, 'type'))}</small>",
                    e(i["ward"] or "—"),
                    e(i["owner_name"] or i["owner"] or "—"),
                ]
            )
            if steps:
                head = e(self.tr("Steps still to do"))
                rows.append(f"<small><b>{head}:</b><br/>" + "<br/>".join(steps) + "</small>")
        parts.append(
            self._table(
                [
                    self.tr("Incident"),
                    self.tr("Severity"),
                    self.tr("Status"),
                    self.tr("Title"),
                    self.tr("Ward"),
                    self.tr("Owner"),
                ],
                rows,
                [18, 12, 12, 32, 13, 13],
            )
        )

        closed = report["closed_incidents"]
        parts.append(self._h3(self.tr("Incidents closed this shift"), len(closed)))
        parts.append(
            self._table(
                [
                    self.tr("Incident"),
                    self.tr("Severity"),
                    self.tr("Title"),
                    self.tr("Ward"),
                    self.tr("Closed at"),
                    self.tr("Owner"),
                ],
                [
                    [
                        e(i["id"]),
                        e(sev(int(i["severity"]))),
                        e(i["title"]),
                        e(i["ward"] or "—"),
                        e(_when(i["closed_ms"], tz)),
                        e(i["owner_name"] or i["owner"] or "—"),
                    ]
                    for i in closed
                ],
            )
        )

        alarms = report["alarms"]

        def alarm_name(a: dict[str, Any]) -> str:
            return f"{e(name(a))}<br/><small>{e(alarm_rule_name(a['rule']))}</small>"

        parts.append(self._h3(self.tr("Active alarms"), len(alarms["active"])))
        parts.append(
            self._table(
                [
                    self.tr("Severity"),
                    self.tr("Alarm"),
                    self.tr("Ward"),
                    self.tr("State"),
                    self.tr("Since"),
                    self.tr("Value"),
                ],
                [
                    [
                        e(sev(int(a["severity"]))),
                        alarm_name(a),
                        e(a["ward"] or "—"),
                        e(alarm_state_name(a["state"])),
                        e(_when(a["since_ms"], tz)),
                        e("" if a["value"] is None else f"{a['value']:.2f}"),
                    ]
                    for a in alarms["active"]
                ],
            )
        )
        parts.append(self._h3(self.tr("Shelved alarms"), len(alarms["shelved"])))
        parts.append(
            self._table(
                [self.tr("Alarm"), self.tr("Reason"), self.tr("Until"), self.tr("Shelved by")],
                [
                    [
                        alarm_name(a),
                        e(a.get("reason") or "—"),
                        e(_when(a.get("until_ms"), tz)),
                        e(f"{a.get('by') or '—'} {_when(a.get('at_ms'), tz)}"),
                    ]
                    for a in alarms["shelved"]
                ],
            )
        )
        parts.append(self._h3(self.tr("Alarms out of service"), len(alarms["out_of_service"])))
        parts.append(
            self._table(
                [self.tr("Alarm"), self.tr("Why"), self.tr("By"), self.tr("Since")],
                [
                    [
                        alarm_name(a),
                        e(a.get("reason") or "—"),
                        e(a.get("by") or "—"),
                        e(_when(a.get("at_ms") or a["since_ms"], tz)),
                    ]
                    for a in alarms["out_of_service"]
                ],
            )
        )

        sensors = report["sensors"]
        parts.append(self._h3(self.tr("Sensors silent or reporting bad data"), len(sensors)))
        parts.append(
            self._table(
                [self.tr("Sensor"), self.tr("Ward"), self.tr("State"), self.tr("Last reading")],
                [
                    [
                        e(name(s)),
                        e(s["ward"] or "—"),
                        e(state_name(s["state"])),
                        e(
                            self.tr("%1 ago").replace("%1", humanize_seconds(s["age_s"], lang))
                            if s.get("age_s") is not None
                            else self.tr("never")
                        ),
                    ]
                    for s in sensors
                ],
                [48, 20, 16, 16],
            )
        )

        link = report["link"]
        parts.append(self._h3(self.tr("City link")) + "<p>")
        if not link.get("configured"):
            parts.append(e(self.tr("Not configured: this console does not report to the city.")))
        else:
            states = {
                "online": self.tr("online"),
                "connecting": self.tr("connecting"),
                "offline": self.tr("offline"),
                "refused": self.tr("refused by the hub"),
                "off": self.tr("stopped"),
                "unknown": self.tr("unknown (the console is not running)"),
            }
            parts.append(
                e(
                    self.tr("State: %1. Records not yet acknowledged by the city: %2.")
                    .replace("%1", states.get(link.get("state", ""), link.get("state", "")))
                    .replace("%2", f"{int(link.get('backlog') or 0):,}")
                )
            )
        parts.append("</p>")

        notes = report["notes"]
        parts.append(self._h3(self.tr("Notes for the next shift"), len(notes)))
        parts.append(
            self._table(
                [self.tr("Time"), self.tr("Incident"), self.tr("Person"), self.tr("Note")],
                [
                    [
                        e(_when(n["ts_ms"], tz)),
                        e(n["incident"]),
                        e(n["user_name"] or n["user_id"]),
                        e(n["text"]),
                    ]
                    for n in notes
                ],
            )
        )
        parts.append(
            "<p><small>"
            + e(self.tr("Report SHA-256: %1").replace("%1", digest(report)))
            + "</small></p>"
        )
        return "".join(parts)


def report_html(report: dict[str, Any], lang: str, tz: ZoneInfo | None = None) -> str:
    """The whole report as one HTML page in ``lang`` (the translator installed decides the
    words; ``lang`` picks the Vietnamese or English names of feeds, steps and types)."""
    return HandoverPage().html(report, lang, tz)


def document(report: dict[str, Any], lang: str, tz: ZoneInfo | None = None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(pdf_font())
    doc.setDefaultStyleSheet(
        "h2 { font-size: 15pt; } h3 { font-size: 11.5pt; margin-top: 10px; } "
        "th { background-color: #e6e9ec; } td, th { font-size: 8.5pt; }"
    )
    doc.setHtml(report_html(report, lang, tz))
    return doc


def write_pdf(report: dict[str, Any], path: Path, lang: str, tz: ZoneInfo | None = None) -> Path:
    """The report as an A4 PDF at ``path`` (text, not pictures of text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{HandoverPage().tr('Shift handover')} — {report['site']['id']}")
    writer.setCreator("opsconsole")
    doc = document(report, lang, tz)
    doc.print_(writer)
    return path


def write_pdf_standalone(
    report: dict[str, Any], path: Path, lang: str, tz: ZoneInfo | None = None
) -> Path:
    """``write_pdf`` outside the window (the command line): a QGuiApplication (offscreen
    when there is no display) and the translation of ``lang`` for the duration."""
    import os

    from PySide6.QtWidgets import QApplication

    from console.district.ui.i18n import install_translator

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication (not the lighter QGuiApplication): the process may open a window later.
    app = QApplication.instance() or QApplication([])
    translator = install_translator(app, lang)
    try:
        return write_pdf(report, path, lang, tz)
    finally:
        if translator is not None:
            app.removeTranslator(translator)

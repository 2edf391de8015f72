"""The active-warning strip: the city warnings (CAP) in force, under the alarm banner.

One line per warning, most severe first: event, severity (word and sign, never
colour alone), area and expiry, in the window's language (Vietnamese first: a
warning without a Vietnamese block shows its first block). Hidden when nothing
is in force; an expired warning leaves at the next refresh (``active`` filters by
the console's clock). Reads ``WarningService`` memory only: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from console.district.services.city_warnings import WarningService, WarningView

SHOWN = 3
"""Lines shown at most; the rest are counted ("and 2 more")."""
_SIGN = {4: "⛔", 3: "▲", 2: "◆", 1: "●", 0: "○"}


class WarningStrip(QFrame):
    REFRESH_HZ = 1

    def __init__(
        self, warnings: WarningService, tz: ZoneInfo, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("WarningStrip")
        self.warnings = warnings
        self.tz = tz
        self.lang = lang
        self._shown: tuple[tuple[str, str], ...] | None = None
        self.text = QLabel()
        self.text.setObjectName("warningText")
        self.text.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.addWidget(self.text)
        self.setProperty("level", 0)
        self.hide()

    def severityName(self, severity: str) -> str:
        return {
            "Extreme": self.tr("extreme"),
            "Severe": self.tr("severe"),
            "Moderate": self.tr("moderate"),
            "Minor": self.tr("minor"),
        }.get(severity, self.tr("severity unknown"))

    def line(self, w: WarningView, now_ms: int) -> str:
        until = datetime.fromtimestamp(w.expires_ms / 1000, self.tz)
        today = datetime.fromtimestamp(now_ms / 1000, self.tz).date()
        when = until.strftime("%H:%M") if until.date() == today else until.strftime("%H:%M %d/%m")
        parts = [
            f"{_SIGN.get(w.rank, '○')} {w.event_in(self.lang)}",
            self.severityName(w.severity),
        ]
        area = w.area_in(self.lang)
        if area:
            parts.append(area)
        parts.append(self.tr("until %1").replace("%1", when))
        text = " · ".join(parts)
        if w.status == "Exercise":
            text += " " + self.tr("(exercise)")
        return text

    def refresh(self) -> None:
        now = self.warnings.now_ms()
        items = self.warnings.active(now)
        key = tuple((f"{w.sender},{w.identifier}", w.severity) for w in items)
        if key == self._shown:
            return
        self._shown = key
        if not items:
            self.hide()
            return
        lines = [self.line(w, now) for w in items[:SHOWN]]
        if len(items) > SHOWN:
            lines.append(self.tr("and %1 more").replace("%1", str(len(items) - SHOWN)))
        self.text.setText("\n".join(lines))
        self.setToolTip(
            "\n".join(
                f"{w.headline_en if self.lang == 'en' and w.headline_en else w.headline} "
                f"({w.sender}, {w.identifier}; {w.source})"
                for w in items
            )
        )
        level = max(w.rank for w in items)
        if self.property("level") != level:
            self.setProperty("level", level)
            self.style().unpolish(self)
            self.style().polish(self)
        self.show()

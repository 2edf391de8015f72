"""The city strip on top of the IOC window: what needs the IOC now, in a few big numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from console.hub.services.ioc import CityStrip
from console.hub.ui.text import SEVERITY_SYMBOLS, UNACK_SYMBOL, clock_time
from widgets.counter import Counter


class CityStripBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cityStrip")
        self.sites = Counter(self.tr("sites"))
        self.silent = Counter(self.tr("silent"))
        self.silent.setToolTip(
            self.tr("Sites not heard for three of their status periods: the IOC is blind there.")
        )
        self.never = Counter(self.tr("never reported"))
        self.unack = Counter(self.tr("unacknowledged alarms"))
        self.active = Counter(self.tr("active alarms: high · medium · low"))
        self.escalations = Counter(self.tr("open escalations"))
        self.escalations.setToolTip(
            self.tr(
                "Escalations the IOC has not acknowledged yet; in brackets, those nobody has taken. They are on the Escalations page."
            )
        )
        self.flashDriven = False
        """The escalation inbox flashes the counter (else it is red while one is new)."""
        self.updated = Counter(self.tr("updated"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(6)
        for c in (self.sites, self.silent, self.never, self.unack, self.active, self.escalations):
            lay.addWidget(c)
        lay.addStretch(1)
        lay.addWidget(self.updated)

    def apply(self, strip: CityStrip, taken_ms: int, now_ms: int) -> None:
        self.sites.setValueText(str(strip.sites))
        self.silent.setValueText(f"✕ {strip.silent}")
        self.silent.setAlert(strip.silent > 0)
        self.never.setValueText(f"○ {strip.never}")
        self.unack.setValueText(f"{UNACK_SYMBOL} {strip.unack}")
        self.unack.setAlert(strip.unack > 0)
        high, med, low = strip.active[2], strip.active[1], strip.active[0]
        self.active.setValueText(
            f"{SEVERITY_SYMBOLS[3]} {high}  {SEVERITY_SYMBOLS[2]} {med}  {SEVERITY_SYMBOLS[1]} {low}"
        )
        self.active.setAlert(high > 0)
        value = str(strip.escalations_open)
        if strip.escalations_new:
            value = (
                self.tr("%1 (%2 new)")
                .replace("%1", value)
                .replace("%2", str(strip.escalations_new))
            )
        self.escalations.setValueText(value)
        if not self.flashDriven:
            self.escalations.setAlert(strip.escalations_new > 0)
        self.updated.setValueText(clock_time(taken_ms, now_ms))

    def setStale(self, detail: str) -> None:
        """The database cannot be read: say so where the update time is (detail in the tip)."""
        self.updated.setAlert(bool(detail))
        self.updated.setCaption(self.tr("NOT UPDATING") if detail else self.tr("updated"))
        self.updated.setToolTip(detail)

"""A link lamp: state at a glance (symbol + colour + words), then the details, on one line.

No application state: the owner calls ``setState``/``setText``/``setDetail``.
The ``linkState`` property drives the style sheet (PyDM-style attribute
selectors), and the symbol changes with the state so colour is never the
only cue.
"""

from __future__ import annotations

from PySide6.QtCore import Property, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from widgets.elided_label import ElidedLabel

SYMBOLS = {
    "online": "✓",
    "connecting": "…",
    "offline": "✕",
    "refused": "⊘",
    "warning": "!",
    "off": "–",
}


class LinkLamp(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkLamp")
        self._state = "off"
        self._lamp = QLabel(SYMBOLS["off"])
        self._lamp.setObjectName("lamp")
        self._lamp.setFixedSize(18, 18)
        self._lamp.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Both lines elide (whole text in the tooltip): the lamp never widens the window.
        self._text = ElidedLabel()
        self._text.setObjectName("linkText")
        self._detail = ElidedLabel()
        self._detail.setObjectName("linkDetail")
        # One line (state, then details): the status bar stays one text line high.
        texts = QHBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(8)
        texts.addWidget(self._text)
        texts.addWidget(self._detail, 1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 1, 6, 1)
        lay.setSpacing(6)
        lay.addWidget(self._lamp)
        lay.addLayout(texts)

    def getLinkState(self) -> str:
        return self._state

    def setState(self, state: str) -> None:
        if state not in SYMBOLS:
            raise ValueError(f"unknown link state {state!r}")
        if state == self._state:
            return
        self._state = state
        self._lamp.setText(SYMBOLS[state])
        for w in (self, self._lamp):
            w.style().unpolish(w)
            w.style().polish(w)

    linkState = Property(str, getLinkState, setState)

    def setText(self, text: str) -> None:
        self._text.setText(text)

    def text(self) -> str:
        return self._text.text()

    def setDetail(self, text: str) -> None:
        self._detail.setText(text)
        self._detail.setVisible(bool(text))

    def detail(self) -> str:
        return self._detail.text()

"""Icons per feed kind and per state (shapes differ, not only colours)."""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources

from PySide6.QtGui import QIcon

from console.shared.kinds import KINDS


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(importlib_resources.files("resources") / "icons" / f"{name}.svg"))


def kind_icon(kind: str) -> QIcon:
    k = KINDS.get(kind)
    return icon(k.icon) if k is not None else QIcon()


def state_icon(state: str) -> QIcon:
    return icon(f"quality_{state}")

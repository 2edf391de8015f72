"""The style sheet, at a control-room scale.

One dark theme (resources/styles/dark.qss). The sizes it marks ``/*scaled*/``
(tile values and titles, the alarm banner, the alarm table) are multiplied by
the workstation's control-room scale, so the numbers an operator reads from
two metres grow while menus and buttons keep their size and still fit.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources as importlib_resources

SCALES = (100, 125, 150)
"""Control-room scales offered (percent)."""

_SCALED = re.compile(r"(?P<size>\d+(?:\.\d+)?)(?P<unit>pt|px)\s*/\*scaled\*/")


@cache
def _base() -> str:
    return (importlib_resources.files("resources") / "styles" / "dark.qss").read_text(
        encoding="utf-8"
    )


def style_sheet(scale: float = 1.0) -> str:
    """The theme with its scaled sizes multiplied by ``scale`` (1.0 = 100 %)."""

    def grow(m: re.Match[str]) -> str:
        return f"{float(m['size']) * scale:.1f}{m['unit']}"

    return _SCALED.sub(grow, _base())

"""The city overview's widgets on fake data: a site tile and a counter (no hub, no services)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from widgets.counter import Counter
from widgets.site_tile import SiteTile


def test_a_site_tile_shows_its_condition_by_property_symbol_and_lines(qtbot: Any) -> None:
    tile = SiteTile("cam-le")
    qtbot.addWidget(tile)
    tile.setTitle("Cẩm Lệ")
    tile.setCondition("silent", "✕")
    tile.setLine("link", "✕ IM LẶNG 4 phút")
    tile.setLine("other", "")
    tile.show()
    assert (tile.getCondition(), tile.property("condition"), tile.symbol()) == (
        "silent",
        "silent",
        "✕",
    )
    assert tile.line("link") == "✕ IM LẶNG 4 phút"
    assert not tile.findChild(type(tile._lines["other"]), "site_other").isVisible()
    with pytest.raises(ValueError, match="unknown condition"):
        tile.setCondition("purple")


def test_a_site_tile_opens_on_click_and_on_enter(qtbot: Any) -> None:
    tile = SiteTile("son-tra")
    qtbot.addWidget(tile)
    tile.show()
    with qtbot.waitSignal(tile.activated) as click:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert click.args == ["son-tra"]
    with qtbot.waitSignal(tile.activated):
        qtbot.keyClick(tile, Qt.Key.Key_Return)


def test_a_counter_calls_for_attention_through_its_alert_property(qtbot: Any) -> None:
    c = Counter("im lặng")
    qtbot.addWidget(c)
    c.setValueText("✕ 2")
    c.setAlert(True)
    assert (c.valueText(), c.caption(), c.property("alert")) == ("✕ 2", "im lặng", True)

"""One registry of feed kinds: everything that shows or checks a kind reads it from there."""

from __future__ import annotations

import re
from importlib import resources as importlib_resources
from pathlib import Path

import pytest

from console.district.config import FEED_KINDS
from console.shared.kinds import DEFAULT_DECIMALS, KINDS, decimals
from console.shared.text import format_value

ROOT = Path(__file__).resolve().parent.parent


def test_every_kind_has_its_icon() -> None:
    icons = importlib_resources.files("resources") / "icons"
    for k in KINDS.values():
        assert (icons / f"{k.icon}.svg").is_file(), k.id


def test_the_site_file_refuses_other_units_than_the_registry_s() -> None:
    assert dict(FEED_KINDS) == {k.id: k.unit for k in KINDS.values()}


def test_protocol_document_lists_exactly_the_registry() -> None:
    """docs/PROTOCOL.md is read by gateway implementers: its kinds table must be the truth."""
    text = (ROOT / "docs" / "PROTOCOL.md").read_text("utf-8")
    section = text.split("### 1.6 Feed kinds and units", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| `([^`]+)` \|", section, re.M)
    assert rows == [(k.id, k.unit) for k in KINDS.values()]


def test_config_document_lists_every_kind() -> None:
    text = (ROOT / "docs" / "CONFIG.md").read_text("utf-8")
    listed = re.search(r'^kind = "\w+"\s+# (.*)$', text, re.M)
    assert listed is not None and listed[1].split() == list(KINDS)


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("river_level", 2.5749, "2.57"),
        ("rainfall", 12.34, "12.3"),
        ("pm25", 55.55, "55.5"),
        ("traffic_flow", 41.6, "42"),
        ("traffic_speed", 37.2, "37"),
        ("cctv_events", 3.0, "3"),
        ("from_a_newer_console", 1.23456, "1.23"),
    ],
)
def test_values_are_shown_at_their_kind_s_decimals(kind: str, value: float, shown: str) -> None:
    assert format_value(value, kind) == shown
    assert format_value(float("nan"), kind) == "—"
    assert decimals(kind) == (KINDS[kind].decimals if kind in KINDS else DEFAULT_DECIMALS)


def test_kind_names_are_translated_from_the_registry(vietnamese_ui: object) -> None:
    from console.district.ui.i18n import kind_name

    vi = {k: kind_name(k) for k in KINDS}
    assert vi["river_level"] == "Mực nước sông" and vi["cctv_events"] == "Sự kiện camera"
    assert all(vi[k] != KINDS[k].name for k in KINDS), vi  # none left in English
    assert kind_name("unknown_kind") == "unknown_kind"


def test_kind_icons_come_from_the_registry(vietnamese_ui: object) -> None:
    from console.district.ui.icons import kind_icon

    for k in KINDS:
        assert not kind_icon(k).isNull(), k
    assert kind_icon("unknown_kind").isNull()

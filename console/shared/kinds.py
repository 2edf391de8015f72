"""Feed kinds: the one registry of what each kind is (unit, display decimals, icon, name).

Qt-free, so the site file, the hub, the simulator and the UI share it. The
English name is also the translation source: the UI shows
``QCoreApplication.translate("FeedKind", kind.name)``, and the Vietnamese lives
in resources/i18n like every other UI string (one mechanism, checked by
tests/test_translations.py). ``QT_TRANSLATE_NOOP`` below is the marker
pyside6-lupdate's Python parser recognises by name, so
scripts/build_translations.py, which scans this file, extracts the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 (lupdate finds it by name)
    """Mark ``source`` for translation in ``context``; returns it untranslated."""
    return source


KIND_CONTEXT = "FeedKind"
"""Translation context of the names (the marker calls below must spell it out for lupdate)."""


@dataclass(frozen=True)
class FeedKind:
    id: str
    unit: str
    """The canonical unit: a feed of this kind in another unit is refused (site file, ingest)."""
    decimals: int
    """Digits shown after the point: centimetres for rivers, whole vehicles and events."""
    icon: str
    """resources/icons/<icon>.svg"""
    name: str
    """English name, and the source text of its translation (context ``FeedKind``)."""


_ALL = (
    FeedKind(
        id="river_level",
        unit="m",
        decimals=2,
        icon="river_level",
        name=QT_TRANSLATE_NOOP("FeedKind", "River level"),
    ),
    FeedKind(
        id="rainfall",
        unit="mm/h",
        decimals=1,
        icon="rainfall",
        name=QT_TRANSLATE_NOOP("FeedKind", "Rainfall"),
    ),
    FeedKind(
        id="pm25",
        unit="µg/m³",
        decimals=1,
        icon="pm25",
        name=QT_TRANSLATE_NOOP("FeedKind", "Air quality (PM2.5)"),
    ),
    FeedKind(
        id="traffic_flow",
        unit="veh/min",
        decimals=0,
        icon="traffic_flow",
        name=QT_TRANSLATE_NOOP("FeedKind", "Traffic flow"),
    ),
    FeedKind(
        id="traffic_speed",
        unit="km/h",
        decimals=0,
        icon="traffic_speed",
        name=QT_TRANSLATE_NOOP("FeedKind", "Traffic speed"),
    ),
    FeedKind(
        id="cctv_events",
        unit="events/min",
        decimals=0,
        icon="cctv_events",
        name=QT_TRANSLATE_NOOP("FeedKind", "CCTV events"),
    ),
)

KINDS: Mapping[str, FeedKind] = MappingProxyType({k.id: k for k in _ALL})
"""Known feed kinds by id, in the order documentation and error messages list them."""

DEFAULT_DECIMALS = 2
"""For a kind this build does not know (e.g. a record from a newer console at the hub)."""


def decimals(kind: str) -> int:
    """Display decimals of ``kind``."""
    k = KINDS.get(kind)
    return k.decimals if k is not None else DEFAULT_DECIMALS

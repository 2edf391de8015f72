"""Languages: Vietnamese by default, English selectable (Qt .ts/.qm in resources/i18n)."""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from console.shared.kinds import KIND_CONTEXT, KINDS

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def i18n_dir() -> Path:
    return Path(str(importlib_resources.files("resources") / "i18n"))


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load the .qm for ``lang`` (English is the source language: nothing to load)."""
    QLocale.setDefault(
        QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English)
    )
    if lang == "en":
        return None
    tr = QTranslator(app)
    if not tr.load(str(i18n_dir() / f"opsconsole_{lang}.qm")):
        raise FileNotFoundError(f"translation {i18n_dir() / f'opsconsole_{lang}.qm'} is missing")
    app.installTranslator(tr)
    return tr


def kind_name(kind: str) -> str:
    """A feed kind's name in the UI language (the registry's English name, translated)."""
    k = KINDS.get(kind)
    return QCoreApplication.translate(KIND_CONTEXT, k.name) if k is not None else kind


def state_name(state: str) -> str:
    names = {
        "good": QCoreApplication.translate("FeedState", "good"),
        "uncertain": QCoreApplication.translate("FeedState", "uncertain"),
        "bad": QCoreApplication.translate("FeedState", "bad"),
        "stale": QCoreApplication.translate("FeedState", "no data"),
        "nodata": QCoreApplication.translate("FeedState", "never reported"),
    }
    return names.get(state, state)


def unit_name(unit: str) -> str:
    """A unit as the UI language writes it ("veh/min" is "xe/phút" in Vietnamese)."""
    names = {
        "m": QCoreApplication.translate("Unit", "m"),
        "mm/h": QCoreApplication.translate("Unit", "mm/h"),
        "µg/m³": QCoreApplication.translate("Unit", "µg/m³"),
        "veh/min": QCoreApplication.translate("Unit", "veh/min"),
        "km/h": QCoreApplication.translate("Unit", "km/h"),
        "events/min": QCoreApplication.translate("Unit", "events/min"),
    }
    return names.get(unit, unit)


def span_name(seconds: int) -> str:
    """A time span in words of the UI language: "15 min" → "15 phút"."""
    if seconds >= 86_400 and seconds % 86_400 == 0:
        return QCoreApplication.translate("Span", "%1 d").replace("%1", str(seconds // 86_400))
    if seconds >= 3600 and seconds % 3600 == 0:
        return QCoreApplication.translate("Span", "%1 h").replace("%1", str(seconds // 3600))
    return QCoreApplication.translate("Span", "%1 min").replace("%1", str(seconds // 60))


def reject_reason_name(reason: str) -> str:
    """A reject reason (docs/PROTOCOL.md §1.5) in words; the code stays in the tooltip."""
    names = {
        "bad_multipart": QCoreApplication.translate("Reject", "wrong number of message parts"),
        "oversize_frame": QCoreApplication.translate("Reject", "message too large"),
        "limit_exceeded": QCoreApplication.translate("Reject", "message exceeds the limits"),
        "malformed": QCoreApplication.translate("Reject", "unreadable message"),
        "unsupported_version": QCoreApplication.translate("Reject", "unsupported protocol version"),
        "bad_envelope": QCoreApplication.translate("Reject", "message without readings"),
        "wrong_type": QCoreApplication.translate("Reject", "reading of the wrong type"),
        "not_finite": QCoreApplication.translate("Reject", "value not a number"),
        "bad_quality": QCoreApplication.translate("Reject", "unknown quality code"),
        "ts_future": QCoreApplication.translate("Reject", "time in the future"),
        "ts_past": QCoreApplication.translate("Reject", "time too far in the past"),
        "unknown_feed": QCoreApplication.translate("Reject", "feed not in the site file"),
        "out_of_range": QCoreApplication.translate("Reject", "value outside the valid range"),
        "not_newer": QCoreApplication.translate("Reject", "not newer than the last reading"),
        "internal_error": QCoreApplication.translate("Reject", "internal error while storing"),
    }
    return names.get(reason, reason)

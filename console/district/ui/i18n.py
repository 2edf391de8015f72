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


def severity_name(severity: int) -> str:
    names = {
        1: QCoreApplication.translate("Alarm", "low"),
        2: QCoreApplication.translate("Alarm", "medium"),
        3: QCoreApplication.translate("Alarm", "high"),
    }
    return names.get(severity, "")


def alarm_state_name(state: str) -> str:
    names = {
        "active_unack": QCoreApplication.translate("Alarm", "active, unacknowledged"),
        "active_ack": QCoreApplication.translate("Alarm", "active, acknowledged"),
        "cleared_unack": QCoreApplication.translate("Alarm", "cleared, unacknowledged"),
        "shelved": QCoreApplication.translate("Alarm", "shelved"),
        "out_of_service": QCoreApplication.translate("Alarm", "out of service"),
        "normal": QCoreApplication.translate("Alarm", "normal"),
    }
    return names.get(state, state)


def alarm_rule_name(rule: str) -> str:
    names = {
        "high": QCoreApplication.translate("Alarm", "high level"),
        "low": QCoreApplication.translate("Alarm", "low level"),
        "roc": QCoreApplication.translate("Alarm", "rising fast"),
        "stale": QCoreApplication.translate("Alarm", "no data"),
        "flatline": QCoreApplication.translate("Alarm", "stuck value"),
        "disk": QCoreApplication.translate("Alarm", "log disk space"),
    }
    return names.get(rule, rule)


def system_name() -> str:
    """What the feed column shows for a system alarm (one without a feed)."""
    return QCoreApplication.translate("Alarm", "System")


def alarm_event_name(event: str) -> str:
    names = {
        "activate": QCoreApplication.translate("Alarm", "activated"),
        "clear": QCoreApplication.translate("Alarm", "cleared"),
        "severity": QCoreApplication.translate("Alarm", "severity changed"),
        "ack": QCoreApplication.translate("Alarm", "acknowledged"),
        "shelve": QCoreApplication.translate("Alarm", "shelved"),
        "unshelve": QCoreApplication.translate("Alarm", "unshelved"),
        "remove": QCoreApplication.translate("Alarm", "out of service"),
        "restore": QCoreApplication.translate("Alarm", "back in service"),
    }
    return names.get(event, event)

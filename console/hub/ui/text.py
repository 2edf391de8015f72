"""Words, symbols, times and languages of the IOC window (Vietnamese first, English available).

Strings are marked with ``QCoreApplication.translate("Ioc", …)`` written out in
full so pyside6-lupdate finds them (scripts/build_translations.py); the
Vietnamese lives in resources/i18n like the console's. Times are shown in the
city's zone (Asia/Ho_Chi_Minh) with the date when not today; durations are
humanized; an unknown count is "—", never 0.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources as importlib_resources
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from console.hub.services.ioc import DEFAULT_PERIOD_MS, Condition, Link, SiteSnapshot
from console.shared.kinds import KIND_CONTEXT, KINDS

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNKNOWN = "—"

CONDITION_NAMES = {
    Condition.NORMAL: "normal",
    Condition.NEVER: "never",
    Condition.MINOR: "minor",
    Condition.MAJOR: "major",
    Condition.CRITICAL: "critical",
    Condition.SILENT: "silent",
}
CONDITION_SYMBOLS = {
    Condition.NORMAL: "●",
    Condition.NEVER: "○",
    Condition.MINOR: "▲",
    Condition.MAJOR: "▲▲",
    Condition.CRITICAL: "▲▲▲",
    Condition.SILENT: "✕",
}
SEVERITY_SYMBOLS = {3: "▲▲▲", 2: "▲▲", 1: "▲"}
FEED_SYMBOLS = {"good": "●", "uncertain": "▲", "bad": "■", "stale": "◌", "nodata": "○"}
"""As the console's feed tiles (widgets/tile.py)."""
UNACK_SYMBOL = "◆"


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
    qm = i18n_dir() / f"opsconsole_{lang}.qm"
    if not tr.load(str(qm)):
        raise FileNotFoundError(f"translation {qm} is missing")
    app.installTranslator(tr)
    return tr


def count(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


def kind_name(kind: str) -> str:
    k = KINDS.get(kind)
    return QCoreApplication.translate(KIND_CONTEXT, k.name) if k is not None else kind


def unit_name(unit: str) -> str:
    """A unit as people read it: symbols stay (m, mm/h, µg/m³), words are translated."""
    names = {
        "veh/min": QCoreApplication.translate("Unit", "veh/min"),
        "events/min": QCoreApplication.translate("Unit", "events/min"),
        "count": QCoreApplication.translate("Unit", "count"),
    }
    return names.get(unit, unit)


def duration(ms: int) -> str:
    """12 s, 4 min, 2 h 5 min, 3 d 4 h."""
    s = max(0, ms) // 1000
    if s < 60:
        return QCoreApplication.translate("Ioc", "%1 s").replace("%1", str(s))
    m = s // 60
    if m < 60:
        return QCoreApplication.translate("Ioc", "%1 min").replace("%1", str(m))
    h, m = divmod(m, 60)
    if h < 24:
        return (
            QCoreApplication.translate("Ioc", "%1 h %2 min")
            .replace("%1", str(h))
            .replace("%2", str(m))
        )
    d, h = divmod(h, 24)
    return (
        QCoreApplication.translate("Ioc", "%1 d %2 h").replace("%1", str(d)).replace("%2", str(h))
    )


def clock_time(ms: int, now_ms: int, *, seconds: bool = True) -> str:
    """Local time; with the date when it is not today."""
    t = datetime.fromtimestamp(ms / 1000, CITY_TZ)
    today = datetime.fromtimestamp(now_ms / 1000, CITY_TZ).date()
    if t.date() != today:
        return t.strftime("%d/%m %H:%M")
    return t.strftime("%H:%M:%S" if seconds else "%H:%M")


def link_line(site: SiteSnapshot, now_ms: int) -> str:
    """The state of the site's link, in words, with its symbol."""
    link = site.link(now_ms)
    quiet = site.quiet_ms(now_ms)
    if link is Link.NEVER or quiet is None or site.heard_ms is None:
        return "○ " + QCoreApplication.translate("Ioc", "never reported")
    if link is Link.SILENT:
        return "✕ " + QCoreApplication.translate("Ioc", "SILENT for %1 · last heard %2").replace(
            "%1", duration(quiet)
        ).replace("%2", clock_time(site.heard_ms, now_ms, seconds=False))
    if site.feeds is None:
        return "✓ " + QCoreApplication.translate("Ioc", "delivering, no status yet")
    if quiet <= (site.period_ms or DEFAULT_PERIOD_MS):
        # On time: a calm, steady line (a ticking age on every tile is noise, and a
        # relayout of the whole wall every second).
        return "✓ " + QCoreApplication.translate("Ioc", "online")
    return "✓ " + QCoreApplication.translate("Ioc", "online · heard %1 ago").replace(
        "%1", duration(quiet)
    )


def alarm_line(site: SiteSnapshot) -> str:
    a = site.alarms
    if a is None:
        return ""
    counts = "  ".join(
        f"{SEVERITY_SYMBOLS[s]} {n}" for s, n in ((3, a.sev3), (2, a.sev2), (1, a.sev1))
    )
    return QCoreApplication.translate("Ioc", "Alarms  %1").replace("%1", counts)


def unack_line(site: SiteSnapshot) -> str:
    if site.alarms is None:
        return ""
    return f"{UNACK_SYMBOL} " + QCoreApplication.translate("Ioc", "%1 unacknowledged").replace(
        "%1", str(site.alarms.unack)
    )


def feeds_line(site: SiteSnapshot) -> str:
    f = site.feeds
    if f is None:
        return ""
    parts = [f"{FEED_SYMBOLS['good']} {f.good}/{f.total}"]
    for state, n in (
        ("stale", f.stale),
        ("bad", f.bad),
        ("uncertain", f.uncertain),
        ("nodata", f.nodata),
    ):
        if n:
            parts.append(f"{FEED_SYMBOLS[state]} {n}")
    return QCoreApplication.translate("Ioc", "Feeds  %1").replace("%1", "  ".join(parts))


def other_line(site: SiteSnapshot) -> str:
    esc = str(site.escalations_open)
    if site.escalations_new:
        esc = (
            QCoreApplication.translate("Ioc", "%1 (%2 new)")
            .replace("%1", esc)
            .replace("%2", str(site.escalations_new))
        )
    return (
        QCoreApplication.translate("Ioc", "Incidents %1 · Escalations %2 · Unsent %3")
        .replace("%1", count(site.incidents_open))
        .replace("%2", esc)
        .replace("%3", count(site.backlog))
    )


def feeds_legend() -> str:
    """What the feed symbols mean (tile tooltips)."""
    return (
        QCoreApplication.translate(
            "Ioc",
            "● good/total  ◌ no data (stale)  ■ bad  ▲ uncertain  ○ never reported",
        )
        + "\n"
        + QCoreApplication.translate("Ioc", "Alarms: ▲▲▲ high  ▲▲ medium  ▲ low; ◆ unacknowledged")
        + "\n"
        + QCoreApplication.translate(
            "Ioc",
            "Incidents: — (the hub learns of an incident only when it is escalated); Escalations: not yet acknowledged by the IOC; Unsent: the site's records not yet delivered to the hub (— if the site does not report it)",
        )
    )

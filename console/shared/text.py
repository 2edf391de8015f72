"""Text helpers an operator meets: diacritic-free search, humanised durations, local times."""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from console.shared.kinds import decimals


def fold(text: str) -> str:
    """Lower-case, without Vietnamese diacritics: "Mực nước" → "muc nuoc"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def matches(query: str, haystack_folded: str) -> bool:
    """Every word of the query appears in the (folded) haystack."""
    return all(word in haystack_folded for word in fold(query).split())


_UNITS = {
    "vi": ("giây", "phút", "giờ", "ngày"),
    "en": ("s", "min", "h", "d"),
}


def humanize_seconds(seconds: float, lang: str = "vi") -> str:
    """A short duration for people: "45 s", "3 min", "2 h 5 min", "3 d 4 h"."""
    if seconds is None or math.isnan(seconds):
        return "—"
    s, m, h, d = _UNITS.get(lang, _UNITS["en"])
    secs = max(0, int(seconds))
    if secs < 60:
        return f"{secs} {s}"
    mins = secs // 60
    if mins < 60:
        return f"{mins} {m}"
    hours, mins = divmod(mins, 60)
    if hours < 24:
        return f"{hours} {h} {mins} {m}" if mins else f"{hours} {h}"
    days, hours = divmod(hours, 24)
    return f"{days} {d} {hours} {h}" if hours else f"{days} {d}"


def local_stamp(epoch_s: float, tz: ZoneInfo, now: float) -> str:
    """Local time; with the date when it is not today."""
    t = datetime.fromtimestamp(epoch_s, tz)
    today = datetime.fromtimestamp(now, tz).date()
    return t.strftime("%H:%M:%S") if t.date() == today else t.strftime("%d/%m/%Y %H:%M:%S")


def format_value(value: float, kind: str) -> str:
    """A reading as operators read it, at its kind's decimals (console.shared.kinds)."""
    if math.isnan(value):
        return "—"
    return f"{value:.{decimals(kind)}f}"

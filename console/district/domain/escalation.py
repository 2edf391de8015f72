"""An incident as a CAP 1.2 alert for the city IOC: the field mapping of docs/CAP.md. Plain Python.

``compose`` turns what the console knows of an incident (its row, the procedure,
the linked feeds with their current values, the linked alarms) and what the
supervisor chose (the reason, Actual or Exercise, what to send) into a
``CapAlert``; the service builds and validates its XML (``cap.build_xml``) and
stores and sends it. The small functions below are the mapping's tables, one
each, so the documentation can be checked against them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from console.district.config import FeedConfig, Names, SiteConfig
from console.district.domain.alarms import AlarmView
from console.district.domain.incidents import IncidentRow
from console.district.domain.sops import Sop
from console.shared import cap
from console.shared.cap import Category, Certainty, MsgType, ResponseType, Severity, Urgency
from console.shared.kinds import KINDS
from console.shared.vocab import AlarmRule, IncidentStatus, Quality

RESTRICTION = "Da Nang IOC and district operations centres"
"""Escalations are not public warnings: scope Restricted to the city's operations centres."""
MARGIN_KM = 0.5
"""The area reaches this far beyond the outermost linked feed."""
HEADLINE_MAX = 160
DESCRIPTION_MAX = 4000
NOTES_MAX = 5
"""At most this many of the incident's newest notes go into the description."""

RESPONSES = (ResponseType.PREPARE, ResponseType.EVACUATE, ResponseType.SHELTER)
"""What the supervisor may ask the public's protection to be (AllClear is the Cancel's)."""

CATEGORY_BY_TYPE: Mapping[str, tuple[Category, ...]] = {
    **dict.fromkeys(("flood", "heavy_rain", "storm", "typhoon", "high_tide"), (Category.MET,)),
    **dict.fromkeys(("landslide", "subsidence", "earthquake"), (Category.GEO,)),
    **dict.fromkeys(("fire", "explosion"), (Category.FIRE,)),
    **dict.fromkeys(("air_pollution", "chemical_spill", "water_pollution"), (Category.ENV,)),
    **dict.fromkeys(
        ("traffic_accident", "traffic_congestion", "road_closed", "bridge_closed"),
        (Category.TRANSPORT,),
    ),
    **dict.fromkeys(
        ("power_outage", "water_supply", "drainage", "sensor_network"), (Category.INFRA,)
    ),
    **dict.fromkeys(("crowd", "public_order"), (Category.SAFETY,)),
    "search_rescue": (Category.RESCUE,),
    **dict.fromkeys(("disease_outbreak", "mass_casualty"), (Category.HEALTH,)),
}
"""Incident type → CAP categories (docs/CAP.md); a type not listed is ``Other``, and a
procedure file's ``cap_category`` overrides."""
EXPOSURE_TYPES = frozenset({"air_pollution", "chemical_spill", "water_pollution"})
"""Types that add ``Health`` from severity 2 up, when people are exposed."""

SEVERITY_NAMES = {
    1: Names("thấp", "low"),
    2: Names("trung bình", "medium"),
    3: Names("cao", "high"),
}
ROMAN = {1: "I", 2: "II", 3: "III"}
STATUS_NAMES = {
    IncidentStatus.NEW: Names("mới", "new"),
    IncidentStatus.ACKNOWLEDGED: Names("đã tiếp nhận", "acknowledged"),
    IncidentStatus.IN_PROGRESS: Names("đang xử lý", "in progress"),
    IncidentStatus.ESCALATED: Names("đã chuyển lên thành phố", "escalated"),
    IncidentStatus.RESOLVED: Names("đã xử lý xong", "resolved"),
    IncidentStatus.CLOSED: Names("đã đóng", "closed"),
}
"""The incident's status in the alert's words (the window's words for it)."""


@dataclass(frozen=True)
class EscalationRequest:
    """What the supervisor chose for one message."""

    reason: str
    """Why (Alert), what changed (Update), why it is withdrawn (Cancel): required."""
    status: cap.Status | None = None
    """``Actual`` or ``Exercise``; None: the site file's ``[escalation] status``."""
    response: ResponseType = ResponseType.PREPARE
    """Prepare, Evacuate or Shelter (a Cancel is always AllClear)."""
    life_at_risk: bool = False
    """Severity 3 with lives at risk: CAP severity Extreme."""
    values: bool = True
    """Send the linked feeds' current values (CAP parameters)."""
    area: bool = True
    """Send the area's shape from the linked feeds' positions (polygon or circle)."""
    notes: bool = True
    """Put the incident's newest notes in the description."""
    public: bool = False
    """CAP scope ``Public`` (the city may pass it on to the public); default ``Restricted``
    to the city's operations centres."""


@dataclass(frozen=True)
class FeedValue:
    """A linked feed's newest reading (None: it has sent none)."""

    value: float | None
    quality: Quality | None = None
    ts_ms: int = 0


@dataclass(frozen=True)
class Evidence:
    """What the console knows of the incident now."""

    incident: IncidentRow
    sop: Sop | None
    feeds: tuple[FeedConfig, ...]
    """The linked feeds (those still in the site file)."""
    alarms: tuple[AlarmView, ...]
    """The linked alarms the engine still knows."""
    values: Mapping[str, FeedValue] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """The incident's notes, newest first."""


# -- the tables of docs/CAP.md ------------------------------------------------------------
def categories(type_: str, severity: int, sop: Sop | None = None) -> tuple[Category, ...]:
    if sop is not None and sop.cap_categories:
        return tuple(Category(c) for c in sop.cap_categories)
    cats = CATEGORY_BY_TYPE.get(type_, (Category.OTHER,))
    if type_ in EXPOSURE_TYPES and severity >= 2:
        cats = (*cats, Category.HEALTH)
    return cats


def cap_severity(severity: int, life_at_risk: bool) -> Severity:
    if severity >= 3:
        return Severity.EXTREME if life_at_risk else Severity.SEVERE
    return Severity.MODERATE if severity == 2 else Severity.MINOR


def cap_urgency(severity: int, happening: bool) -> Urgency:
    """Level I: Expected; II: Immediate if already happening (a linked alarm is active), else
    Expected; III: Immediate. (A Cancel is Past.)"""
    if severity >= 3:
        return Urgency.IMMEDIATE
    if severity == 2 and happening:
        return Urgency.IMMEDIATE
    return Urgency.EXPECTED


def cap_certainty(ev: Evidence) -> Certainty:
    """Observed when a linked feed of good quality is in alarm; otherwise Likely (readings of
    uncertain quality, an alarm no longer active, or a person's report: every incident was
    opened by someone, so the console never sends Unknown)."""
    for a in ev.alarms:
        if not a.active or a.rule == AlarmRule.STALE:
            continue
        v = ev.values.get(a.feed_key)
        if v is not None and v.quality == Quality.GOOD:
            return Certainty.OBSERVED
    return Certainty.LIKELY


def happening(ev: Evidence) -> bool:
    return any(a.active for a in ev.alarms)


# -- composing ---------------------------------------------------------------------------------
def sent_time(now_ms: int, tz: ZoneInfo) -> datetime:
    """The console clock in the site's time zone, whole seconds (``+07:00``)."""
    return datetime.fromtimestamp(now_ms // 1000, tz)


def value_text(feed: FeedConfig, v: FeedValue | None) -> str:
    """``3.42 m``; ``no data`` when the feed has sent nothing; the quality when not good."""
    if v is None or v.value is None or not math.isfinite(v.value):
        return "no data"
    kind = KINDS.get(feed.kind)
    decimals = kind.decimals if kind is not None else 2
    text = f"{v.value:.{decimals}f} {feed.unit}".strip()
    if v.quality is not None and v.quality != Quality.GOOD:
        text += f" ({v.quality.name.lower()})"
    return text


def parameters(ev: Evidence) -> tuple[cap.ValuePair, ...]:
    """One per linked feed (``<feed-id>/<kind>`` = ``3.42 m``); then ``alarmSeverity``, the
    highest severity of the linked alarms that are active, and ``alertLevel`` (I-III) where a
    river's alert-level alarm is among them."""
    out = [cap.ValuePair(f"{f.id}/{f.kind}", value_text(f, ev.values.get(f.id))) for f in ev.feeds]
    active = [a for a in ev.alarms if a.active]
    if active:
        out.append(cap.ValuePair("alarmSeverity", str(max(a.severity for a in active))))
    by_id = {f.id: f for f in ev.feeds}
    levels = [
        a.severity
        for a in active
        if a.rule == AlarmRule.HIGH
        and a.feed_key in by_id
        and by_id[a.feed_key].alert_levels
        and 1 <= a.severity <= 3
    ]
    if levels:
        out.append(cap.ValuePair("alertLevel", ROMAN[max(levels)]))
    return tuple(out)


def wards(ev: Evidence) -> list[str]:
    """The incident's ward, then the wards of its linked feeds."""
    out = [ev.incident.ward] if ev.incident.ward else []
    out += [f.area for f in ev.feeds if f.area]
    return list(dict.fromkeys(out))


def area_shape(ev: Evidence) -> cap.CapPolygon | cap.CapCircle | None:
    """The linked feeds' positions covered (``covering_shape``, 0.5 km margin); with no linked
    feed, a 0.5 km circle at the incident's coordinates; None when it has none."""
    points = [(f.lat, f.lon) for f in ev.feeds]
    if points:
        return cap.covering_shape(points, MARGIN_KM)
    r = ev.incident
    if r.lat is not None and r.lon is not None:
        return cap.circle_covering([(r.lat, r.lon)], MARGIN_KM)
    return None


def compose(
    *,
    site: SiteConfig,
    evidence: Evidence,
    request: EscalationRequest,
    identifier: str,
    msg_type: MsgType,
    now_ms: int,
    references: Sequence[cap.CapReference] = (),
    last: tuple[Severity, Certainty] | None = None,
) -> cap.CapAlert:
    """The CAP alert of one escalation message (docs/CAP.md, "Escalation field mapping").

    ``references``: the earlier messages of this escalation (Update, Cancel); ``last``: the
    severity and certainty of the latest of them (a Cancel repeats them)."""
    tz = ZoneInfo(site.timezone)
    sent = sent_time(now_ms, tz)
    r = evidence.incident
    status = request.status or cap.Status(site.escalation.status)
    cancel = msg_type is MsgType.CANCEL
    if cancel and last is not None:
        severity, certainty = last
    else:
        severity = cap_severity(r.severity, request.life_at_risk)
        certainty = cap_certainty(evidence)
    urgency = Urgency.PAST if cancel else cap_urgency(r.severity, happening(evidence))
    response = ResponseType.ALL_CLEAR if cancel else request.response
    shape = area_shape(evidence) if request.area else None
    params = parameters(evidence) if request.values else ()
    ward_list = wards(evidence)
    type_names = (
        evidence.sop.name if evidence.sop is not None else Names(r.type or "", r.type or "")
    )
    ask = evidence.sop.ask_city if evidence.sop is not None and not cancel else None
    infos = []
    for lang, language in (("vi", "vi-VN"), ("en", "en-US")):
        area_desc = "; ".join(ward_list) or r.location or _pick(site.name, lang)
        infos.append(
            cap.CapInfo(
                language=language,
                categories=categories(r.type, r.severity, evidence.sop),
                event=_pick(type_names, lang) or r.type,
                response_types=(response,),
                urgency=urgency,
                severity=severity,
                certainty=certainty,
                effective=sent,
                onset=sent_time(r.opened_ms, tz),
                expires=sent + timedelta(hours=site.escalation.expires_h),
                sender_name=_pick(site.name, lang),
                headline=_clip(r.title, HEADLINE_MAX),
                description=_description(lang, evidence, request, tz, type_names),
                instruction=_pick(ask, lang) if ask is not None else None,
                contact=site.escalation.contact or None,
                parameters=params,
                areas=(
                    cap.CapArea(
                        area_desc=area_desc,
                        polygons=(shape,) if isinstance(shape, cap.CapPolygon) else (),
                        circles=(shape,) if isinstance(shape, cap.CapCircle) else (),
                    ),
                ),
            )
        )
    return cap.CapAlert(
        identifier=identifier,
        sender=site.id,
        sent=sent,
        status=status,
        msg_type=msg_type,
        scope=cap.Scope.PUBLIC if request.public else cap.Scope.RESTRICTED,
        restriction=None if request.public else RESTRICTION,
        note=_clip(request.reason.strip(), 1000) if cancel else None,
        references=tuple(references),
        incidents=(r.id,),
        infos=tuple(infos),
    )


def _pick(names: Names | None, lang: str) -> str:
    if names is None:
        return ""
    return names.vi if lang == "vi" else names.en


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _description(
    lang: str,
    ev: Evidence,
    request: EscalationRequest,
    tz: ZoneInfo,
    type_names: Names,
) -> str:
    """The incident in a few lines, in ``lang``; the reason and the notes as people wrote
    them (one language: the English block carries them untranslated)."""
    r = ev.incident
    when = datetime.fromtimestamp(r.opened_ms // 1000, tz).strftime("%H:%M %d/%m/%Y")
    vi = lang == "vi"
    sev = SEVERITY_NAMES.get(r.severity, Names(str(r.severity), str(r.severity)))
    lines = [
        (
            f"{type_names.vi}, mức {r.severity} ({sev.vi}): {r.title}."
            if vi
            else f"{type_names.en}, severity {r.severity} ({sev.en}): {r.title}."
        )
    ]
    place = "; ".join(p for p in (r.ward, r.location) if p)
    if place:
        lines.append(f"Địa điểm: {place}." if vi else f"Location: {place}.")
    status = _pick(STATUS_NAMES[IncidentStatus(r.status)], lang)
    lines.append(
        f"Mở lúc {when} bởi {r.opened_by}; trạng thái {status}."
        if vi
        else f"Opened at {when} by {r.opened_by}; status {status}."
    )
    if request.reason.strip():
        reason = " ".join(request.reason.split())
        lines.append(f"Lý do: {reason}" if vi else f"Reason (as written): {reason}")
    if request.values and ev.feeds:
        seen = "; ".join(
            f"{_pick(f.name, lang)} {value_text(f, ev.values.get(f.id))}" for f in ev.feeds[:8]
        )
        lines.append(f"Số liệu: {seen}." if vi else f"Readings: {seen}.")
    if request.notes and ev.notes:
        notes = " | ".join(" ".join(n.split()) for n in ev.notes[:NOTES_MAX])
        lines.append(f"Ghi chú: {notes}" if vi else f"Notes (as written): {notes}")
    text = "\n".join(lines)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"

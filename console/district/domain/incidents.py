"""Incidents: the lifecycle, the refusals, what is read and what an alarm suggests. Plain Python.

An incident is an event people handle (a flooded street, a landslide), not a
value crossing a line: it has a readable id per site and year
(``HC-2026-0042``), a type (the procedure it follows), a severity 1-3, a
title, a location (ward, free text, optional coordinates), linked alarms and
feeds, an owner, a status, the checklist of its procedure and a timeline of
everything that happened to it.

Status lifecycle (``TRANSITIONS``; anything else is refused)::

    new ─▶ acknowledged ─▶ in_progress ─▶ resolved ─▶ closed
     │          │               ▲  │          │          │
     │          └──────┐        │  ▼          │ reopen   │ reopen
     └──────────────▶ escalated ┘             ▼          ▼
                                          in_progress  in_progress

``new``, ``acknowledged`` and ``in_progress`` may also go straight to
``resolved`` (a false alarm) or ``escalated``; ``escalated`` returns to
``in_progress`` when the city hands it back. Each transition needs a
permission (``work_incident``, ``escalate``, ``close_incident``); closing
also needs every required step done or skipped.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, NamedTuple

from console.district.config import FeedConfig, Names
from console.district.domain.alarms import AlarmView
from console.district.domain.sops import SopLibrary
from console.shared.errors import ActionRefusedError
from console.shared.text import fold
from console.shared.vocab import IncidentStatus, Permission, StepState, TimelineKind

S = IncidentStatus
P = Permission

GENERAL = "general"
"""The type of an incident no procedure of a feed kind suggests."""

TRANSITIONS: Mapping[IncidentStatus, Mapping[IncidentStatus, Permission]] = MappingProxyType(
    {
        S.NEW: {
            S.ACKNOWLEDGED: P.WORK_INCIDENT,
            S.IN_PROGRESS: P.WORK_INCIDENT,
            S.ESCALATED: P.ESCALATE,
            S.RESOLVED: P.WORK_INCIDENT,
        },
        S.ACKNOWLEDGED: {
            S.IN_PROGRESS: P.WORK_INCIDENT,
            S.ESCALATED: P.ESCALATE,
            S.RESOLVED: P.WORK_INCIDENT,
        },
        S.IN_PROGRESS: {S.ESCALATED: P.ESCALATE, S.RESOLVED: P.WORK_INCIDENT},
        S.ESCALATED: {S.IN_PROGRESS: P.ESCALATE, S.RESOLVED: P.WORK_INCIDENT},
        S.RESOLVED: {S.CLOSED: P.CLOSE_INCIDENT, S.IN_PROGRESS: P.WORK_INCIDENT},
        S.CLOSED: {S.IN_PROGRESS: P.CLOSE_INCIDENT},
    }
)
"""Status → the statuses it may go to, with the permission each needs."""

STATUS_RANK = {
    S.NEW: 0,
    S.ACKNOWLEDGED: 0,
    S.IN_PROGRESS: 0,
    S.ESCALATED: 0,
    S.RESOLVED: 1,
    S.CLOSED: 2,
}
"""The incidents panel lists open incidents first, then resolved, then closed."""


class IncidentError(ActionRefusedError):
    """An incident command that does not apply; nothing was changed. ``code``:

    ``unknown_incident``, ``unknown_type``, ``illegal_transition`` (``detail``: from → to),
    ``required_steps`` (closing with required steps pending), ``unknown_step``,
    ``step_not_pending`` (done or skipped already), ``needs_reason`` (a skip),
    ``step_role`` (the step is a supervisor's), ``empty_note``, ``empty_title``,
    ``bad_severity``, ``unknown_alarm``, ``unknown_feed``, ``closed`` (reopen it first),
    ``nothing_to_link``.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def permission_for(current: IncidentStatus, target: IncidentStatus) -> Permission:
    """The permission the transition needs; IncidentError if it is not in the lifecycle."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise IncidentError(
            "illegal_transition", f"an incident cannot go from {current} to {target}"
        )
    return allowed[target]


def format_incident_id(prefix: str, year: int, number: int) -> str:
    """``HC-2026-0042``: the site's prefix, the year (site time), the number in that year."""
    return f"{prefix}-{year}-{number:04d}"


def procedure_alarm_id(incident_id: str, step_id: str) -> str:
    """The alarm an overdue step raises: ``HC-2026-0042/notify-ward:procedure``."""
    return f"{incident_id}/{step_id}:procedure"


def search_key(*parts: str) -> str:
    """What the panel's search matches: id, title, ward, location, type names, folded
    (lower case, without diacritics: "hoa xuan" finds "Hòa Xuân")."""
    return fold(" ".join(p for p in parts if p))


# -- what is read ------------------------------------------------------------------------
@dataclass(frozen=True)
class IncidentRow:
    id: str
    type: str
    severity: int
    title: str
    ward: str
    location: str
    lat: float | None
    lon: float | None
    status: IncidentStatus
    owner: str
    owner_name: str
    opened_ms: int
    opened_by: str
    updated_ms: int
    resolved_ms: int
    closed_ms: int
    sop_version: str
    steps_open: int
    """Required steps neither done nor skipped."""
    next_due_ms: int
    """Earliest time limit of a pending step (0: none)."""


@dataclass(frozen=True)
class StepRow:
    step_id: str
    ord: int
    text: Names
    required: bool
    role: str
    due_ms: int
    """0: no time limit."""
    state: StepState
    by_user: str
    by_name: str
    at_ms: int
    note: str
    """The note of a done step, the reason of a skipped one."""
    overdue_ms: int
    """When its overdue alarm was raised (0: never)."""

    def overdue(self, now_ms: int) -> bool:
        return self.state == StepState.PENDING and 0 < self.due_ms <= now_ms


class TimelineEntry(NamedTuple):
    """One entry (a named tuple: an incident view builds ten thousand of them at once)."""

    id: int
    ts_ms: int
    kind: TimelineKind
    user_id: str
    user_name: str
    roles: str
    workstation: str
    ref: str
    """What it is about: a step id, an alarm id, a feed, a field name."""
    before: str
    after: str
    text: str
    handover: bool
    """A note the operator marked "for handover": the shift report lists it."""


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentRow
    steps: tuple[StepRow, ...]
    timeline: tuple[TimelineEntry, ...]
    """Oldest first."""
    alarms: tuple[str, ...]
    feeds: tuple[str, ...]
    timeline_total: int
    """Entries in the log (``timeline`` may hold only the newest of them)."""


@dataclass(frozen=True)
class IncidentFilter:
    statuses: tuple[IncidentStatus, ...] = ()
    types: tuple[str, ...] = ()
    ward: str = ""
    text: str = ""
    """Words matched without diacritics against id, title, ward, location and type."""
    open_only: bool = False
    limit: int = 1000


Row = Mapping[str, Any]


def incident_of(r: Row) -> IncidentRow:
    """The value of a stored row (console.district.store.incidents)."""
    return IncidentRow(
        id=r["id"],
        type=r["type"],
        severity=int(r["severity"]),
        title=r["title"],
        ward=r["ward"],
        location=r["location"],
        lat=r["lat"],
        lon=r["lon"],
        status=IncidentStatus(r["status"]),
        owner=r["owner"],
        owner_name=r["owner_name"],
        opened_ms=int(r["opened_ms"]),
        opened_by=r["opened_by"],
        updated_ms=int(r["updated_ms"]),
        resolved_ms=int(r["resolved_ms"]),
        closed_ms=int(r["closed_ms"]),
        sop_version=r["sop_version"],
        steps_open=int(r["steps_open"]),
        next_due_ms=int(r["next_due_ms"]),
    )


def step_of(r: Row) -> StepRow:
    return StepRow(
        step_id=r["step_id"],
        ord=int(r["ord"]),
        text=Names(vi=r["text_vi"], en=r["text_en"]),
        required=bool(r["required"]),
        role=r["role"],
        due_ms=int(r["due_ms"]),
        state=StepState(r["state"]),
        by_user=r["by_user"],
        by_name=r["by_name"],
        at_ms=int(r["at_ms"]),
        note=r["note"],
        overdue_ms=int(r["overdue_ms"]),
    )


_KINDS = {k.value: k for k in TimelineKind}


def entry_of(r: Row) -> TimelineEntry:
    return TimelineEntry(
        r["id"],
        r["ts_ms"],
        _KINDS[r["kind"]],
        r["user_id"],
        r["user_name"],
        r["roles"],
        r["workstation"],
        r["ref"],
        r["before"],
        r["after"],
        r["text"],
        bool(r["handover"]),
    )


def entries_of(rows: Sequence[Sequence[Any]]) -> tuple[TimelineEntry, ...]:
    """Entries from tuples in ``TimelineEntry``'s field order (the store's fast path)."""
    kinds = _KINDS
    return tuple(
        TimelineEntry(i, ts, kinds[k], u, n, ro, w, ref, b, a, t, bool(h))
        for i, ts, k, u, n, ro, w, ref, b, a, t, h in rows
    )


def detail_of(d: Mapping[str, Any]) -> IncidentDetail:
    return IncidentDetail(
        incident=incident_of(d["incident"]),
        steps=tuple(step_of(r) for r in d["steps"]),
        timeline=entries_of(d["timeline"]),
        alarms=tuple(d["alarms"]),
        feeds=tuple(d["feeds"]),
        timeline_total=int(d["timeline_total"]),
    )


# -- what is written ------------------------------------------------------------------------
@dataclass(frozen=True)
class NewIncident:
    """An incident to open: typed by hand, or drafted from selected alarms."""

    type: str
    severity: int
    title: str
    ward: str = ""
    location: str = ""
    lat: float | None = None
    lon: float | None = None
    alarm_ids: tuple[str, ...] = ()
    feed_keys: tuple[str, ...] = ()
    note: str = ""
    """What was reported or observed (first timeline note)."""


@dataclass(frozen=True)
class Draft:
    """What the selected alarms suggest; the window fills its form with it."""

    type: str
    severity: int
    title: Names
    ward: str
    location: str
    lat: float | None
    lon: float | None
    alarm_ids: tuple[str, ...]
    feed_keys: tuple[str, ...]
    wards: tuple[str, ...] = field(default=())
    """Every ward of the linked feeds, most alarms first."""

    def new_incident(self, lang: str, **changes: object) -> NewIncident:
        base = NewIncident(
            type=self.type,
            severity=self.severity,
            title=self.title.vi if lang == "vi" else self.title.en,
            ward=self.ward,
            location=self.location,
            lat=self.lat,
            lon=self.lon,
            alarm_ids=self.alarm_ids,
            feed_keys=self.feed_keys,
        )
        return replace(base, **changes)  # type: ignore[arg-type]


def draft_from_alarms(
    alarms: Sequence[AlarmView], feeds: Sequence[FeedConfig], sops: SopLibrary
) -> Draft:
    """Type from the feeds' kind (the procedure that lists it), severity from the alarms',
    location from the feeds' wards and positions; the alarms and their feeds linked."""
    if not alarms:
        raise IncidentError("nothing_to_link", "select at least one alarm")
    ordered = sorted(alarms, key=lambda a: (-a.severity, -a.activated_ms, a.id))
    fed = [a for a in ordered if 0 <= a.feed < len(feeds)]
    kinds = Counter(feeds[a.feed].kind for a in fed)
    sop = None
    for kind, _n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        sop = sops.for_kind(kind)
        if sop is not None:
            break
    if sop is None and fed:
        sop = sops.for_kind(feeds[fed[0].feed].kind)
    type_ = sop.id if sop is not None else GENERAL
    if sop is None and GENERAL in sops:
        sop = sops.get(GENERAL)
    severity = max((a.severity for a in ordered), default=0) or (sop.default_severity if sop else 2)
    wards = Counter(feeds[a.feed].area for a in fed if feeds[a.feed].area)
    ranked = tuple(w for w, _n in sorted(wards.items(), key=lambda kv: (-kv[1], kv[0])))
    ward = ranked[0] if ranked else ""
    keys = tuple(dict.fromkeys(feeds[a.feed].id for a in fed))
    pos = [(feeds[a.feed].lat, feeds[a.feed].lon) for a in fed]
    lat = round(sum(p[0] for p in pos) / len(pos), 5) if pos else None
    lon = round(sum(p[1] for p in pos) / len(pos), 5) if pos else None
    name = sop.name if sop is not None else Names("Sự cố", "Incident")
    place_vi = ward or ", ".join(ranked)
    title = Names(
        vi=f"{name.vi} — {place_vi}" if place_vi else name.vi,
        en=f"{name.en} — {place_vi}" if place_vi else name.en,
    )
    return Draft(
        type=type_,
        severity=min(3, max(1, severity)),
        title=title,
        ward=ward,
        location=", ".join(ranked[1:]),
        lat=lat if lat is not None and math.isfinite(lat) else None,
        lon=lon if lon is not None and math.isfinite(lon) else None,
        alarm_ids=tuple(a.id for a in ordered),
        feed_keys=keys,
        wards=ranked,
    )

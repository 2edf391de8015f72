"""The CAP alert model (OASIS CAP 1.2 §3.2): typed, immutable, Qt-free.

Field names are the CAP element names in snake_case; repeatable elements are
tuples named in the plural (``info`` → ``infos``, ``category`` → ``categories``).
Element order and the rules the XSD cannot express live in ``check``, which
the builder runs before it writes and the parser after it reads, so both ends
refuse the same things with the same words.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from math import isfinite
from typing import Final
from urllib.parse import urlsplit

import msgspec

NS_12: Final = "urn:oasis:names:tc:emergency:cap:1.2"
NS_11: Final = "urn:oasis:names:tc:emergency:cap:1.1"
VERSIONS: Final = {NS_12: "1.2", NS_11: "1.1"}


class CapError(ValueError):
    """A CAP message (or a model to be written as one) that breaks a rule.

    ``element`` is a path such as ``alert/info[2]/area[1]/polygon[1]`` (repeatable
    elements always carry their 1-based index, among siblings of the same name);
    ``rule`` says what is wrong; ``line`` is the line in the input, when there is one.
    """

    def __init__(self, element: str, rule: str, line: int | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{element}: {rule}")
        self.element = element
        self.rule = rule
        self.line = line


class Status(StrEnum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(StrEnum):
    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class Scope(StrEnum):
    PUBLIC = "Public"
    RESTRICTED = "Restricted"
    PRIVATE = "Private"


class Category(StrEnum):
    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"


class ResponseType(StrEnum):
    SHELTER = "Shelter"
    EVACUATE = "Evacuate"
    PREPARE = "Prepare"
    EXECUTE = "Execute"
    AVOID = "Avoid"
    MONITOR = "Monitor"
    ASSESS = "Assess"
    ALL_CLEAR = "AllClear"
    NONE = "None"


class Urgency(StrEnum):
    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"


class Severity(StrEnum):
    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


class Certainty(StrEnum):
    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"


class ValuePair(msgspec.Struct, frozen=True):
    """``<parameter>``, ``<eventCode>``, ``<geocode>``: a valueName and its value."""

    value_name: str
    value: str


class CapReference(msgspec.Struct, frozen=True):
    """One earlier message in ``<references>``: the triple ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: datetime


class CapPolygon(msgspec.Struct, frozen=True):
    """WGS 84 ``(lat, lon)`` points, closed (first = last), at least four."""

    points: tuple[tuple[float, float], ...]


class CapCircle(msgspec.Struct, frozen=True):
    lat: float
    lon: float
    radius_km: float


class CapArea(msgspec.Struct, frozen=True, kw_only=True):
    area_desc: str
    polygons: tuple[CapPolygon, ...] = ()
    circles: tuple[CapCircle, ...] = ()
    geocodes: tuple[ValuePair, ...] = ()
    altitude: float | None = None
    """Feet above mean sea level (CAP's unit)."""
    ceiling: float | None = None


class CapResource(msgspec.Struct, frozen=True, kw_only=True):
    resource_desc: str
    mime_type: str | None
    """Required in CAP 1.2; a CAP 1.1 message may have none."""
    size: int | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


class CapInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One ``<info>`` block: one per language (vi-VN and en-US for an escalation)."""

    language: str = "en-US"
    categories: tuple[Category, ...]
    event: str
    response_types: tuple[ResponseType, ...] = ()
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    audience: str | None = None
    event_codes: tuple[ValuePair, ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[ValuePair, ...] = ()
    resources: tuple[CapResource, ...] = ()
    areas: tuple[CapArea, ...] = ()


class CapAlert(msgspec.Struct, frozen=True, kw_only=True):
    """One CAP ``<alert>``. An XML signature, if the message had one, is not kept."""

    identifier: str
    sender: str
    sent: datetime
    status: Status
    msg_type: MsgType
    source: str | None = None
    scope: Scope
    restriction: str | None = None
    addresses: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: tuple[CapReference, ...] = ()
    incidents: tuple[str, ...] = ()
    infos: tuple[CapInfo, ...] = ()


# -- rules beyond the XSD ---------------------------------------------------------------
# CAP 1.2 §3.2 (the same wording in 1.1): identifier and sender "MUST NOT include
# spaces, commas or restricted characters (< and &)".
_ID_FORBIDDEN: Final = re.compile(r"[\s,<&]")
# xs:language (RFC 3066 shape).
_LANGUAGE: Final = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
# Characters XML 1.0 cannot carry at all (not even as a character reference).
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEEDS_REFERENCES: Final = frozenset({MsgType.UPDATE, MsgType.CANCEL, MsgType.ACK, MsgType.ERROR})
_MAX_OFFSET: Final = timedelta(hours=14)  # xs:dateTime's time-zone range


def check(alert: CapAlert, *, output: bool) -> None:
    """Raise ``CapError`` for the first rule ``alert`` breaks.

    Every message is held to CAP's own rules that the XSD cannot express. With
    ``output`` (the builder) the model must also be writable as CAP 1.2 exactly:
    text XML can carry, whole-second times with an offset of whole minutes, and
    what 1.2 requires and 1.1 did not (a resource's mimeType).
    """
    _id("alert/identifier", alert.identifier)
    _id("alert/sender", alert.sender)
    _time("alert/sent", alert.sent, output)
    if alert.scope is Scope.RESTRICTED and not alert.restriction:
        raise CapError("alert/restriction", "required when scope is Restricted")
    if alert.scope is Scope.PRIVATE and not alert.addresses:
        raise CapError("alert/addresses", "required when scope is Private")
    _tokens("alert/addresses", alert.addresses)
    _tokens("alert/incidents", alert.incidents)
    if alert.msg_type in _NEEDS_REFERENCES and not alert.references:
        raise CapError(
            "alert/references",
            f"required for msgType {alert.msg_type}: it acts on the messages named there",
        )
    for ref in alert.references:
        _id("alert/references", ref.sender, "a referenced sender")
        _id("alert/references", ref.identifier, "a referenced identifier")
        _time("alert/references", ref.sent, output)
    if output:
        for name in ("source", "restriction", "note"):
            _text(f"alert/{name}", getattr(alert, name))
        for i, code in enumerate(alert.codes, 1):
            _text(f"alert/code[{i}]", code)
    for i, info in enumerate(alert.infos, 1):
        _check_info(f"alert/info[{i}]", info, output)


def _check_info(where: str, info: CapInfo, output: bool) -> None:
    if not _LANGUAGE.match(info.language):
        raise CapError(f"{where}/language", f"{info.language!r} is not a language tag (RFC 3066)")
    if not info.categories:
        raise CapError(f"{where}/category[1]", "at least one category is required")
    for name in ("effective", "onset", "expires"):
        value = getattr(info, name)
        if value is not None:
            _time(f"{where}/{name}", value, output)
    if info.web is not None:
        _uri(f"{where}/web", info.web)
    for i, res in enumerate(info.resources, 1):
        at = f"{where}/resource[{i}]"
        if output and res.mime_type is None:
            raise CapError(f"{at}/mimeType", "required in CAP 1.2")
        if res.size is not None and res.size < 0:
            raise CapError(f"{at}/size", f"{res.size} is negative")
        if res.uri is not None:
            _uri(f"{at}/uri", res.uri)
    for i, area in enumerate(info.areas, 1):
        _check_area(f"{where}/area[{i}]", area)
    if output:
        for name in (
            "event",
            "audience",
            "sender_name",
            "headline",
            "description",
            "instruction",
            "contact",
        ):
            _text(f"{where}/{_camel(name)}", getattr(info, name))
        for name, pairs in (("eventCode", info.event_codes), ("parameter", info.parameters)):
            for i, pair in enumerate(pairs, 1):
                _text(f"{where}/{name}[{i}]/valueName", pair.value_name)
                _text(f"{where}/{name}[{i}]/value", pair.value)
        for i, res in enumerate(info.resources, 1):
            at = f"{where}/resource[{i}]"
            for name in ("resource_desc", "mime_type", "deref_uri", "digest"):
                _text(f"{at}/{_camel(name)}", getattr(res, name))
        for i, area in enumerate(info.areas, 1):
            at = f"{where}/area[{i}]"
            _text(f"{at}/areaDesc", area.area_desc)
            for j, pair in enumerate(area.geocodes, 1):
                _text(f"{at}/geocode[{j}]/valueName", pair.value_name)
                _text(f"{at}/geocode[{j}]/value", pair.value)


def _check_area(where: str, area: CapArea) -> None:
    for i, polygon in enumerate(area.polygons, 1):
        at = f"{where}/polygon[{i}]"
        if len(polygon.points) < 4:
            raise CapError(at, f"needs at least 4 points, has {len(polygon.points)}")
        if polygon.points[0] != polygon.points[-1]:
            raise CapError(at, "is not closed: the first and last points differ")
        for lat, lon in polygon.points:
            _point(at, lat, lon)
    for i, circle in enumerate(area.circles, 1):
        at = f"{where}/circle[{i}]"
        _point(at, circle.lat, circle.lon)
        if not (isfinite(circle.radius_km) and circle.radius_km >= 0):
            raise CapError(at, f"radius {circle.radius_km} km is not a distance")
    for name in ("altitude", "ceiling"):
        value = getattr(area, name)
        if value is not None and not isfinite(value):
            raise CapError(f"{where}/{name}", f"{value} is not a number")
    if area.ceiling is not None and area.altitude is None:
        raise CapError(f"{where}/ceiling", "only allowed together with altitude")


def _point(where: str, lat: float, lon: float) -> None:
    if not (isfinite(lat) and -90.0 <= lat <= 90.0):
        raise CapError(where, f"latitude {lat} is outside -90..90")
    if not (isfinite(lon) and -180.0 <= lon <= 180.0):
        raise CapError(where, f"longitude {lon} is outside -180..180")


def _id(where: str, value: str, what: str = "the value") -> None:
    if not value:
        raise CapError(where, f"{what} is empty")
    if bad := _ID_FORBIDDEN.search(value):
        raise CapError(
            where,
            f"{what} {value!r} contains {bad.group()!r}: spaces, commas, < and & are not allowed",
        )
    _text(where, value)


def _time(where: str, value: datetime, output: bool) -> None:
    offset = value.utcoffset()
    if offset is None:
        raise CapError(where, "a time needs a time-zone offset")
    if output:
        if value.microsecond:
            raise CapError(where, "CAP 1.2 times have whole seconds (no fractions)")
        if offset % timedelta(minutes=1) or abs(offset) > _MAX_OFFSET:
            raise CapError(where, f"offset {offset} is not whole minutes within ±14:00")


def _uri(where: str, value: str) -> None:
    if any(c.isspace() for c in value):
        raise CapError(where, f"{value!r} contains white space (escape it as %20)")
    _text(where, value)
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or not parts.scheme or not (parts.netloc or parts.path):
        raise CapError(where, f"{value!r} is not a full absolute URI")


def _tokens(where: str, values: tuple[str, ...]) -> None:
    """Space-separated lists (addresses, incidents): a value with spaces is quoted."""
    for value in values:
        if not value:
            raise CapError(where, "an entry is empty")
        if '"' in value:
            raise CapError(where, f"{value!r} contains a double quote (the list delimiter)")
        _text(where, value)


def _text(where: str, value: str | None) -> None:
    if value is not None and (bad := _NOT_XML.search(value)):
        raise CapError(where, f"contains U+{ord(bad.group()):04X}, which XML cannot carry")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)

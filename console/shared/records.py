"""Typed records for every payload on the city link (docs/PROTOCOL.md §2.6).

A record travels as the ``payload`` of one stream record ``[seq, kind,
created_ms, payload]``: a MessagePack map, one schema per ``(stream, kind)``.
msgspec Structs encode that map natively and validate it on decode, so a
payload is either a fully checked record or a ``RecordError`` with a short
code — never a half-read dict.

Every field is bounded by what the hub stores it in: counts fit a 32-bit
INTEGER column, timestamps a signed 64-bit BIGINT, floats are finite (SQLite
would store NaN as NULL and fail the whole transaction), strings have the
column's length and are printable (PostgreSQL refuses NUL). A record
that passed ``decode`` can therefore never make the hub's commit fail.

Versions: every record carries ``v`` (encoded first). Payloads from before
``v`` existed have none and decode as version 1; readers ignore unknown keys,
so adding ``v`` changed nothing for an older hub.
"""

from __future__ import annotations

from math import isfinite
from typing import Annotated, ClassVar, Final, Literal, TypeVar

import msgpack
import msgspec
from msgspec import UNSET, UnsetType

from console.shared.vocab import DirectivePriority, DirectiveStep, RecordKind, Stream

VERSION: Final = 1

INT64_MAX: Final = 2**63 - 1
INT32_MAX: Final = 2**31 - 1
MINUTE_MS: Final = 60_000

Count = Annotated[int, msgspec.Meta(ge=0, le=INT32_MAX)]
"""A count stored in an INTEGER column."""
TimeMs = Annotated[int, msgspec.Meta(ge=-INT64_MAX - 1, le=INT64_MAX)]
"""UTC milliseconds, stored in a BIGINT column."""
MinuteMs = Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX, multiple_of=MINUTE_MS)]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
"""A site or feed id (a VARCHAR(64) column); printable, checked after decoding."""
FeedKind = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Unit = Annotated[str, msgspec.Meta(max_length=16)]
BigCount = Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX)]
"""A count stored in a BIGINT column."""
PeriodMs = Annotated[int, msgspec.Meta(ge=1000, le=3_600_000)]
"""A reporting period in ms: 1 s to 1 h (the site file's ``status_period_s`` bounds)."""

ERROR_CODES: Final = {
    "malformed": "the payload is not one valid MessagePack object",
    "unsupported_version": "the payload's `v` is not a version this end reads",
    "invalid": "a field is missing, of the wrong type or outside its bounds",
    "unknown_kind": "no record type is registered for this (stream, kind)",
}


class RecordError(ValueError):
    """A payload that is not a valid record: ``code`` (ERROR_CODES) and a specific ``detail``."""

    def __init__(self, code: str, detail: str) -> None:
        assert code in ERROR_CODES, code
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# Checked in __post_init__ (run on decode and on construction), the fast test first and
# the culprit named only on failure: a msgspec regex per string cost 4x the whole decode.
def _not_text(record: object, names: tuple[str, ...]) -> ValueError:
    name = next(n for n in names if not getattr(record, n).isprintable())
    return ValueError(f"`{name}` is not printable text ({getattr(record, name)!r})")


def _not_finite(record: object, names: tuple[str, ...]) -> ValueError:
    name = next(n for n in names if not isfinite(getattr(record, n)))
    return ValueError(f"`{name}` is not finite ({getattr(record, name)!r})")


class LinkRecord(msgspec.Struct, frozen=True, gc=False):
    """Base of every payload on the link: the version first, then the kind's fields."""

    STREAM: ClassVar[Stream]
    KIND: ClassVar[RecordKind]

    v: Literal[1] = VERSION


# -- status stream -------------------------------------------------------------------
class FeedCounts(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """Feeds per state (docs/PROTOCOL.md §2.6); a state not sent counts 0."""

    good: Count = 0
    uncertain: Count = 0
    bad: Count = 0
    stale: Count = 0
    nodata: Count = 0
    total: Count = 0


class ActiveAlarms(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    """Active alarms per severity, keyed "1".."3" on the wire; a severity not sent counts 0."""

    sev1: Count = msgspec.field(default=0, name="1")
    sev2: Count = msgspec.field(default=0, name="2")
    sev3: Count = msgspec.field(default=0, name="3")


class AlarmCounts(msgspec.Struct, kw_only=True, frozen=True, gc=False):
    active: ActiveAlarms
    unack: Count = 0
    """Active or cleared, not yet acknowledged."""
    shelved: Count = 0


class SiteStatus(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``status``, kind ``status``: one site's feed health and alarms at ``ts``."""

    STREAM = Stream.STATUS
    KIND = RecordKind.STATUS

    site: Id
    ts: TimeMs
    feeds: FeedCounts
    alarms: AlarmCounts
    # Optional (added after version 1 shipped; not on the wire when UNSET, so an
    # older reader sees exactly the map it knows and a newer one reads an older
    # console's status as "not reported", never as 0).
    backlog: BigCount | UnsetType = UNSET
    """Records in the console's outbox the hub had not acknowledged when this was made."""
    period: PeriodMs | UnsetType = UNSET
    """The console's status period in ms: silence longer than a few periods means trouble."""

    def __post_init__(self) -> None:
        if not self.site.isprintable():
            raise _not_text(self, ("site",))


# -- summary stream ------------------------------------------------------------------
class MinuteSummary(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``summary``, kind ``minute``: one feed over one UTC minute."""

    STREAM = Stream.SUMMARY
    KIND = RecordKind.MINUTE

    site: Id
    feed: Id
    kind: FeedKind
    unit: Unit
    minute: MinuteMs
    """Start of the minute, UTC ms."""
    n: Count
    min: float
    max: float
    mean: float
    last: float
    """The value at ``last_ts``, the minute's newest reading."""
    last_ts: TimeMs
    q: tuple[Count, Count, Count]
    """Readings of quality good, uncertain, bad."""

    def __post_init__(self) -> None:
        if not (
            self.site.isprintable()
            and self.feed.isprintable()
            and self.kind.isprintable()
            and self.unit.isprintable()
        ):
            raise _not_text(self, ("site", "feed", "kind", "unit"))
        if not (
            isfinite(self.min)
            and isfinite(self.max)
            and isfinite(self.mean)
            and isfinite(self.last)
        ):
            raise _not_finite(self, ("min", "max", "mean", "last"))


# -- audit stream ----------------------------------------------------------------------
JSON_INT_MAX: Final = 2**53 - 1
"""Integers in a hashed entry stay exact in every JSON reader (RFC 8785 relies on it)."""
ChainSeq = Annotated[int, msgspec.Meta(ge=1, le=JSON_INT_MAX)]
ChainTime = Annotated[int, msgspec.Meta(ge=0, le=JSON_INT_MAX)]
Hex256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
Text128 = Annotated[str, msgspec.Meta(max_length=128)]
Text1000 = Annotated[str, msgspec.Meta(max_length=1000)]


class AuditEntry(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``audit``, kind ``entry``: one action-log entry with its place in the hash chain.

    ``hash`` is SHA-256 over the canonical encoding of every other field, ``v``
    included (console.shared.audit); the hub recomputes it.
    """

    STREAM = Stream.AUDIT
    KIND = RecordKind.ENTRY

    chain: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    """The id of the console database that wrote the chain (a new database, a new chain)."""
    seq: ChainSeq
    ts: ChainTime
    user: Id
    name: Text128
    roles: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    auth: bool
    """True: a person who logged in; False: an OS account (CLI, headless)."""
    ws: Annotated[str, msgspec.Meta(max_length=64)]
    action: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    object: Text128
    before: Text1000
    after: Text1000
    note: Text1000
    prev: Hex256
    hash: Hex256

    def __post_init__(self) -> None:
        names = (
            "chain",
            "user",
            "name",
            "roles",
            "ws",
            "action",
            "object",
            "before",
            "after",
            "note",
        )
        if not all(getattr(self, n).isprintable() for n in names):
            raise _not_text(self, names)


# -- alarm stream ----------------------------------------------------------------------
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
Text64 = Annotated[str, msgspec.Meta(max_length=64)]


class AlarmTransition(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``alarm``, kind ``event``: one transition of one alarm, as the site's journal
    has it (who acknowledged, shelved… what, when; or what the process did)."""

    STREAM = Stream.ALARM
    KIND = RecordKind.EVENT

    site: Id
    alarm: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    feed: Id
    rule: Short
    event: Short
    """activate, clear, severity, ack, shelve, unshelve, remove, restore."""
    state: Short
    """The alarm's state after the transition."""
    prior: Annotated[str, msgspec.Meta(max_length=16)] = ""
    """The state before it ("" when not known)."""
    severity: Annotated[int, msgspec.Meta(ge=0, le=3)]
    value: float | None = None
    """The feed's value that caused it (None for a person's command)."""
    ts: TimeMs
    user: Text64 = ""
    """Who commanded it ("" for the alarm engine itself)."""
    ws: Text64 = ""
    note: Text1000 = ""

    def __post_init__(self) -> None:
        names = ("site", "alarm", "feed", "rule", "event", "state", "prior", "user", "ws", "note")
        if not all(getattr(self, n).isprintable() for n in names):
            raise _not_text(self, names)
        if self.value is not None and not isfinite(self.value):
            raise _not_finite(self, ("value",))


# -- directives: down (directive) and back up (dir_status) -------------------------------
DirectiveId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
MAX_DIRECTIVE_TEXT: Final = 2000
MAX_TARGETS: Final = 500


class Directive(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Downlink stream ``directive``, kind ``directive``: what the city IOC asks of a site."""

    STREAM = Stream.DIRECTIVE
    KIND = RecordKind.DIRECTIVE

    id: DirectiveId
    """Unique at the hub, never reused (the console applies a directive once per id)."""
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_DIRECTIVE_TEXT)]
    priority: DirectivePriority
    sites: Annotated[tuple[Id, ...], msgspec.Meta(min_length=1, max_length=MAX_TARGETS)]
    """Every site the directive was issued to (each site learns who else got it)."""
    due: TimeMs | None = None
    """By when it should be done, UTC ms (None: no due time)."""
    ref: Annotated[str, msgspec.Meta(max_length=128)] = ""
    """The identifier of the escalation (CAP alert) it answers, or ""."""
    by: Id
    """Who issued it at the IOC (user id)."""
    name: Text128
    ts: TimeMs
    """When it was issued, UTC ms."""

    def __post_init__(self) -> None:
        names = ("id", "text", "ref", "by", "name")
        if not all(getattr(self, n).isprintable() for n in names):
            raise _not_text(self, names)
        if not all(s.isprintable() for s in self.sites):
            raise ValueError(f"`sites` holds a site id that is not printable ({self.sites!r})")


class DirectiveState(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``dir_status``, kind ``state``: a person at the site read or did a directive."""

    STREAM = Stream.DIRECTIVE_STATE
    KIND = RecordKind.STATE

    id: DirectiveId
    step: DirectiveStep
    ts: TimeMs
    user: Id
    name: Text128
    roles: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    ws: Text64 = ""
    note: Text1000 = ""

    def __post_init__(self) -> None:
        names = ("id", "user", "name", "roles", "ws", "note")
        if not all(getattr(self, n).isprintable() for n in names):
            raise _not_text(self, names)


# -- CAP: city warnings down, escalations up and their acknowledgements down ------------
MAX_CAP_BYTES: Final = 1 << 20
"""The CAP library's input limit (console.shared.cap.MAX_BYTES)."""
CapXml = Annotated[bytes, msgspec.Meta(min_length=1, max_length=MAX_CAP_BYTES)]


class CityWarning(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Downlink stream ``warning``, kind ``cap``: a city warning, one CAP 1.2 or 1.1 alert as
    the XML document's bytes (validated by both ends against the OASIS schema)."""

    STREAM = Stream.WARNING
    KIND = RecordKind.CAP

    cap: CapXml
    by: Id
    name: Text128
    ts: TimeMs

    def __post_init__(self) -> None:
        if not (self.by.isprintable() and self.name.isprintable()):
            raise _not_text(self, ("by", "name"))


class Escalation(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Stream ``escalation``, kind ``alert``: a CAP 1.2 alert a supervisor escalated (Alert,
    Update or Cancel). Defined for the escalation work; no console writes it yet."""

    STREAM = Stream.ESCALATION
    KIND = RecordKind.ALERT

    cap: CapXml
    incident: Annotated[str, msgspec.Meta(max_length=64)] = ""
    """The id of the incident escalated ("" when not known)."""

    def __post_init__(self) -> None:
        if not self.incident.isprintable():
            raise _not_text(self, ("incident",))


class EscalationAck(LinkRecord, kw_only=True, frozen=True, gc=False):
    """Downlink stream ``esc_ack``, kind ``ack``: the IOC acknowledged an escalation.
    Defined for the escalation work; no hub writes it yet."""

    STREAM = Stream.ESCALATION_ACK
    KIND = RecordKind.ACK

    ref: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    """The CAP identifier of the escalation acknowledged."""
    by: Id
    name: Text128
    ts: TimeMs
    note: Text1000 = ""

    def __post_init__(self) -> None:
        names = ("ref", "by", "name", "note")
        if not all(getattr(self, n).isprintable() for n in names):
            raise _not_text(self, names)


# -- registry, encode, decode -----------------------------------------------------------
R = TypeVar("R", bound=LinkRecord)

RECORD_TYPES: Final[dict[tuple[str, str], type[LinkRecord]]] = {
    (t.STREAM.value, t.KIND.value): t
    for t in (
        SiteStatus,
        MinuteSummary,
        AuditEntry,
        AlarmTransition,
        DirectiveState,
        Escalation,
        Directive,
        CityWarning,
        EscalationAck,
    )
}
"""(stream, kind) → record type: every payload the link carries, in both directions."""

_ENCODER = msgspec.msgpack.Encoder()
_DECODERS: dict[type[LinkRecord], msgspec.msgpack.Decoder[LinkRecord]] = {
    t: msgspec.msgpack.Decoder(t) for t in RECORD_TYPES.values()
}


def encode(record: LinkRecord) -> bytes:
    """The payload bytes of ``record`` (a MessagePack map, ``v`` first)."""
    return _ENCODER.encode(record)


def record_type(stream: str, kind: str) -> type[LinkRecord] | None:
    return RECORD_TYPES.get((stream, kind))


def decode_as(cls: type[R], payload: bytes) -> R:
    """``payload`` as a ``cls`` record, fully validated. Raises RecordError."""
    try:
        out = _DECODERS[cls].decode(payload)
    except msgspec.ValidationError as exc:
        detail = str(exc)
        # msgspec checks fields in wire order and a record sends `v` first, so a
        # newer version is reported as such, not as whatever it changed.
        code = "unsupported_version" if detail.endswith("- at `$.v`") else "invalid"
        raise RecordError(code, f"{cls.__name__}: {detail}") from None
    except msgspec.DecodeError as exc:
        raise RecordError("malformed", str(exc)) from None
    assert isinstance(out, cls)
    return out


def decode(stream: str, kind: str, payload: bytes) -> LinkRecord:
    """The record a stream record carries, by its (stream, kind). Raises RecordError."""
    cls = RECORD_TYPES.get((stream, kind))
    if cls is None:
        raise RecordError("unknown_kind", f"no record type for stream {stream!r}, kind {kind!r}")
    return decode_as(cls, payload)


def check_msgpack(payload: bytes) -> None:
    """That ``payload`` is one MessagePack object with string map keys, for a kind this end
    has no type for (the hub stores such records raw; it has always refused garbage)."""
    try:
        msgpack.unpackb(payload, raw=False, strict_map_key=True)
    except Exception as exc:  # msgpack raises several unrelated types on garbage
        raise RecordError("malformed", f"{type(exc).__name__}: {exc}") from None

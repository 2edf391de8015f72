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

from console.shared.vocab import RecordKind, Stream

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


# -- registry, encode, decode -----------------------------------------------------------
R = TypeVar("R", bound=LinkRecord)

RECORD_TYPES: Final[dict[tuple[str, str], type[LinkRecord]]] = {
    (t.STREAM.value, t.KIND.value): t for t in (SiteStatus, MinuteSummary, AuditEntry)
}
"""(stream, kind) → record type: every payload the link carries today."""

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

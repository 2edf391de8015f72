"""Feed protocol v1: what a sensor gateway sends to a console (docs/PROTOCOL.md).

Decoding is defensive: limits are checked before and during unpacking, every
reading is validated on its own, and a bad reading is counted by reason
without disturbing the good readings in the same frame. Nothing here raises
on bad input; the caller gets counts and one sample message per reason.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import msgpack
import msgspec

PROTOCOL_VERSION = 1

QUALITY_GOOD = 0
QUALITY_UNCERTAIN = 1
QUALITY_BAD = 2
QUALITIES = (QUALITY_GOOD, QUALITY_UNCERTAIN, QUALITY_BAD)
QUALITY_NAMES = {QUALITY_GOOD: "good", QUALITY_UNCERTAIN: "uncertain", QUALITY_BAD: "bad"}

MAX_FEED_ID_LEN = 64

# Frame-level reasons count frames; reading-level reasons count readings.
FRAME_REASONS = (
    "oversize_frame",
    "bad_multipart",
    "malformed",
    "limit_exceeded",
    "unsupported_version",
    "bad_envelope",
)
READING_REASONS = (
    "wrong_type",
    "not_finite",
    "bad_quality",
    "ts_future",
    "ts_past",
)

Reading = tuple[str, int, float, int]
"""(feed id, timestamp in UTC milliseconds since the Unix epoch, value, quality)."""


@dataclass(frozen=True)
class FrameLimits:
    """Limits a console enforces on every frame (configurable per site)."""

    max_frame_bytes: int = 1_048_576
    max_batch: int = 10_000
    max_future_ms: int = 60_000
    max_past_ms: int = 7 * 86_400_000

    @property
    def hard_frame_bytes(self) -> int:
        """libzmq drops the connection above this (ZMQ_MAXMSGSIZE): a memory guard."""
        return self.max_frame_bytes * 4


@dataclass
class Decoded:
    """The outcome of decoding one or more frames."""

    readings: list[Reading] = field(default_factory=list)
    rejects: dict[str, int] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)
    frames: int = 0
    on_committed: Callable[[], None] | None = None
    """Set when acknowledged-mode messages are in this batch: the sink calls it once every
    reading it accepted from the batch is committed (never on receipt)."""

    def reject(self, reason: str, detail: str, count: int = 1) -> None:
        self.rejects[reason] = self.rejects.get(reason, 0) + count
        self.samples.setdefault(reason, detail)


def encode_batch(
    readings: list[Reading] | list[list[Any]],
    *,
    src: str | None = None,
    seq: int | None = None,
    version: int = PROTOCOL_VERSION,
) -> bytes:
    """Pack readings into one v1 batch frame (what a gateway sends)."""
    msg: dict[str, Any] = {"v": version, "r": [list(r) for r in readings]}
    if src is not None:
        msg["src"] = src
    if seq is not None:
        msg["seq"] = seq
    return msgpack.packb(msg, use_bin_type=True)  # type: ignore[no-any-return]


def encode_single(feed: str, ts_ms: int, value: float, quality: int = QUALITY_GOOD) -> bytes:
    """Pack one reading as a v1 single-reading frame."""
    msg = {"v": PROTOCOL_VERSION, "feed": feed, "ts": ts_ms, "value": value, "q": quality}
    return msgpack.packb(msg, use_bin_type=True)  # type: ignore[no-any-return]


# -- decoding ------------------------------------------------------------------------------
# msgspec decodes what v1 defines and nothing else: the keys of the top-level map are
# compared with v, r, feed, ts, value, q and any other key's value is skipped unread (a
# C-speed scan, no Python objects). Readings are decoded as arrays of 3-4 scalars; one
# that is anything else fails at its header, before its content is turned into objects.
# So a frame's decode work is bounded by its size plus max_batch short arrays, whatever
# it contains (docs/PROTOCOL.md §1.3, "decode work").

Scalar = str | int | float | bool | None
"""What an element of a reading may decode to; anything else makes the reading wrong_type."""

MAX_MAP_ENTRIES = 64
MAX_UNREADABLE = 64
"""Readings of one message that are not arrays of 3-4 scalars, looked at one by one; from
the next one on, the rest of the message is counted as wrong_type unread (§1.3)."""


class _Envelope(msgspec.Struct):
    """The v1 keys, each still undecoded (the exact-reason path)."""

    v: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    r: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    feed: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    ts: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    value: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    q: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


_ENVELOPE = msgspec.msgpack.Decoder(_Envelope)
_RAW = msgspec.msgpack.Decoder(msgspec.Raw)
_RAW_LIST = msgspec.msgpack.Decoder(list[msgspec.Raw])
_SCALAR = msgspec.msgpack.Decoder(Scalar)
_ROW = msgspec.msgpack.Decoder(Annotated[list[Scalar], msgspec.Meta(min_length=3, max_length=4)])
_BAD_INPUT = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError)


@functools.lru_cache(maxsize=8)
def _fast_decoder(max_batch: int) -> msgspec.msgpack.Decoder[Any]:
    """Every v1 key typed at once: one pass for a well-formed frame (the common case)."""
    rows = Annotated[
        list[Annotated[list[Scalar], msgspec.Meta(min_length=3, max_length=4)]],
        msgspec.Meta(max_length=max_batch),
    ]
    fast = msgspec.defstruct(
        "_Fast",
        [
            ("v", Scalar | msgspec.UnsetType, msgspec.UNSET),
            ("r", rows | msgspec.UnsetType, msgspec.UNSET),
            ("feed", Scalar | msgspec.UnsetType, msgspec.UNSET),
            ("ts", Scalar | msgspec.UnsetType, msgspec.UNSET),
            ("value", Scalar | msgspec.UnsetType, msgspec.UNSET),
            ("q", Scalar | msgspec.UnsetType, msgspec.UNSET),
        ],
    )
    return msgspec.msgpack.Decoder(fast)


def _container(raw: bytes | msgspec.Raw) -> tuple[str, int]:
    """("map" | "array" | <other type>, declared length) from a MessagePack header."""
    data = memoryview(raw)
    if not data:
        return "nothing", 0
    b = data[0]
    if 0x80 <= b <= 0x8F:
        return "map", b & 0x0F
    if 0x90 <= b <= 0x9F:
        return "array", b & 0x0F
    if b in (0xDE, 0xDC):
        return ("map" if b == 0xDE else "array"), int.from_bytes(data[1:3], "big")
    if b in (0xDF, 0xDD):
        return ("map" if b == 0xDF else "array"), int.from_bytes(data[1:5], "big")
    if b <= 0x7F or b >= 0xE0 or 0xCC <= b <= 0xD3:
        return "int", 0
    if 0xA0 <= b <= 0xBF or 0xD9 <= b <= 0xDB:
        return "str", 0
    return {0xC0: "nil", 0xC2: "bool", 0xC3: "bool", 0xCA: "float", 0xCB: "float"}.get(
        b, "bin" if 0xC4 <= b <= 0xC6 else "ext"
    ), 0


_ROW_HEADS = frozenset({0x93, 0x94})
"""fixarray of 3 or 4: how every encoder writes a reading."""


class _Unreadable:
    """A reading that is not an array of 3-4 scalars (never decoded into objects)."""

    __slots__ = ("_why", "raw")

    def __init__(self, raw: msgspec.Raw, why: str = "") -> None:
        self.raw = raw
        self._why = why

    @property
    def why(self) -> str:
        """Said only for the sample (the first reading of a reason in a batch)."""
        if self._why:
            return self._why
        kind, n = _container(self.raw)
        return f"got an array of {n}" if kind == "array" else f"got a {kind}"


def decode_frame(payload: bytes, limits: FrameLimits, now_ms: int, out: Decoded) -> None:
    """Decode one frame into ``out``: valid readings appended, rejects counted."""
    out.frames += 1
    if len(payload) > limits.max_frame_bytes:
        out.reject("oversize_frame", f"{len(payload)} bytes > limit {limits.max_frame_bytes}")
        return
    kind, entries = _container(payload)
    if kind == "map" and entries <= MAX_MAP_ENTRIES:
        try:
            msg = _fast_decoder(limits.max_batch).decode(payload)
        except _BAD_INPUT:
            pass  # something unusual: the exact-reason path says what
        else:
            version = msg.v
            if type(version) is not int or version != PROTOCOL_VERSION:
                out.reject("unsupported_version", _version_detail(version))
                return
            rows = msg.r
            if rows is msgspec.UNSET:
                if msg.feed is msgspec.UNSET:
                    out.reject("bad_envelope", "neither 'r' (batch) nor 'feed' (single reading)")
                    return
                q = QUALITY_GOOD if msg.q is msgspec.UNSET else msg.q
                rows = [[msg.feed, _unset(msg.ts), _unset(msg.value), q]]
            _validate_rows(rows, limits, now_ms, out)
            return
    _decode_exactly(payload, limits, now_ms, out)


def _unset(v: Any) -> Any:
    return None if v is msgspec.UNSET else v


def _version_detail(version: Any) -> str:
    shown = "missing" if version is msgspec.UNSET else f"{version!r:.40}"
    return f"version {shown}, this console speaks {PROTOCOL_VERSION}"


def _decode_exactly(payload: bytes, limits: FrameLimits, now_ms: int, out: Decoded) -> None:
    """The rules of §1.5 one by one, in their order, with work bounded by the frame's size
    and max_batch (a few C-speed scans, one cheap look at each reading's header)."""
    kind, entries = _container(payload)
    if kind != "map" or entries > MAX_MAP_ENTRIES:
        try:
            _RAW.decode(payload)  # one complete msgpack object, nothing after it
        except _BAD_INPUT as exc:
            out.reject("malformed", _malformed(exc, payload))
            return
        if kind != "map":
            out.reject("bad_envelope", f"top level is {kind}, expected a map")
        else:
            out.reject("limit_exceeded", f"top-level map of {entries} entries > {MAX_MAP_ENTRIES}")
        return
    try:
        # Also proves the frame complete: skipped values are scanned to their end.
        env = _ENVELOPE.decode(payload)
    except _BAD_INPUT as exc:
        out.reject("malformed", _malformed(exc, payload))
        return
    r_kind, r_len = ("absent", 0) if env.r is msgspec.UNSET else _container(env.r)
    if r_kind == "array" and r_len > limits.max_batch:
        out.reject("limit_exceeded", f"'r' has {r_len} readings > max_batch {limits.max_batch}")
        return
    version: Any = msgspec.UNSET
    if not isinstance(env.v, msgspec.UnsetType):
        try:
            version = _SCALAR.decode(env.v)
        except _BAD_INPUT:
            version = f"<{_container(env.v)[0]}>"
    if type(version) is not int or version != PROTOCOL_VERSION:
        out.reject("unsupported_version", _version_detail(version))
        return
    if env.r is msgspec.UNSET:
        if env.feed is msgspec.UNSET:
            out.reject("bad_envelope", "neither 'r' (batch) nor 'feed' (single reading)")
            return
        rows: list[Any] = [_single(env)]
    elif r_kind != "array":
        out.reject("bad_envelope", f"'r' is {r_kind}, expected an array")
        return
    else:
        rows, unread = _rows(_RAW_LIST.decode(env.r))
        _validate_rows(rows, limits, now_ms, out)
        if unread:
            out.rejects["wrong_type"] = out.rejects.get("wrong_type", 0) + unread
            note = f"; more than {MAX_UNREADABLE} such readings: the rest counted unread"
            if not out.samples["wrong_type"].endswith(note):
                out.samples["wrong_type"] += note
        return
    _validate_rows(rows, limits, now_ms, out)


def _rows(raws: list[msgspec.Raw]) -> tuple[list[Any], int]:
    """The readings, and how many at the end were left unread (the decode-work bound)."""
    rows: list[Any] = []
    unreadable = 0
    for i, raw in enumerate(raws):
        row = _row(raw)
        if isinstance(row, _Unreadable):
            unreadable += 1
            if unreadable > MAX_UNREADABLE:
                return rows, len(raws) - i
        rows.append(row)
    return rows, 0


def _malformed(exc: Exception, payload: bytes) -> str:
    return f"not one msgpack object with str keys: {exc} (first bytes {payload[:8].hex(' ')})"


def _row(raw: msgspec.Raw) -> Any:
    """One reading: decoded only if its header says an array of 3 or 4 elements."""
    head = memoryview(raw)[0]
    if head in _ROW_HEADS or (head in (0xDC, 0xDD) and 3 <= _container(raw)[1] <= 4):
        try:
            return _ROW.decode(raw)
        except _BAD_INPUT as exc:
            return _Unreadable(raw, str(exc))
    return _Unreadable(raw)


def _single(env: _Envelope) -> Any:
    row: list[Any] = []
    for name in ("feed", "ts", "value", "q"):
        raw = getattr(env, name)
        if raw is msgspec.UNSET:
            row.append(QUALITY_GOOD if name == "q" else None)
            continue
        try:
            row.append(_SCALAR.decode(raw))
        except _BAD_INPUT as exc:
            return _Unreadable(raw, f"{name}: {exc}")
    return row


def _validate_rows(rows: list[Any], limits: FrameLimits, now_ms: int, out: Decoded) -> None:
    # Fast path: one combined test per reading; the slow path finds the reason.
    newest = now_ms + limits.max_future_ms
    oldest = now_ms - limits.max_past_ms
    append = out.readings.append
    isfinite = math.isfinite
    samples = out.samples
    for n, row in enumerate(rows):
        if type(row) is list and len(row) == 4:
            feed, ts, value, quality = row
        elif type(row) is list and len(row) == 3:
            feed, ts, value = row
            quality = QUALITY_GOOD
        else:
            out.rejects["wrong_type"] = out.rejects.get("wrong_type", 0) + 1
            if "wrong_type" not in samples:
                got = row.why if isinstance(row, _Unreadable) else f"{row!r:.80}"
                samples["wrong_type"] = f"reading {n}: expected [feed, ts, value, q?]: {got}"
            continue
        tv = type(value)
        if (
            type(feed) is str
            and type(ts) is int
            and (tv is float or tv is int)
            and type(quality) is int
            and 0 <= quality <= QUALITY_BAD
            and oldest <= ts <= newest
            and 0 < len(feed) <= MAX_FEED_ID_LEN
            and isfinite(value)
        ):
            append((feed, ts, float(value) if tv is int else value, quality))
        else:
            reason = _why(feed, ts, value, quality, newest)
            out.rejects[reason] = out.rejects.get(reason, 0) + 1
            if reason not in samples:
                samples[reason] = _detail(reason, n, feed, ts, value, quality, now_ms)


def _feed_ok(feed: Any) -> bool:
    """1..64 characters (code points, as every length on the link is counted)."""
    return type(feed) is str and 0 < len(feed) <= MAX_FEED_ID_LEN


def _why(feed: Any, ts: Any, value: Any, quality: Any, newest: int) -> str:
    """The first rule a reading breaks (checked in the documented order)."""
    if not _feed_ok(feed) or type(ts) is not int or type(value) not in (float, int):
        return "wrong_type"
    if not math.isfinite(value):
        return "not_finite"
    if type(quality) is not int or quality not in QUALITIES:
        return "bad_quality"
    return "ts_future" if ts > newest else "ts_past"


def _detail(reason: str, n: int, feed: Any, ts: Any, value: Any, quality: Any, now_ms: int) -> str:
    """One sample message for ``reason`` (only built for the first reading of a reason)."""
    if not _feed_ok(feed):
        return f"reading {n}: feed id must be a str of 1..64 characters, got {feed!r:.80}"
    if type(ts) is not int:
        return f"reading {n} ({feed}): ts must be an integer (ms), got {type(ts).__name__}"
    if type(value) not in (float, int):
        return f"reading {n} ({feed}): value must be a number, got {type(value).__name__}"
    if reason == "not_finite":
        return f"reading {n} ({feed}): value is {value}"
    if reason == "bad_quality":
        return f"reading {n} ({feed}): quality {quality!r:.40} not in 0, 1, 2"
    if reason == "ts_future":
        return f"reading {n} ({feed}): ts {ts} is {(ts - now_ms) / 1000:.1f} s ahead"
    return f"reading {n} ({feed}): ts {ts} is {(now_ms - ts) / 1000:.0f} s old"

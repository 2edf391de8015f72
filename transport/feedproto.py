"""Feed protocol v1: what a sensor gateway sends to a console (docs/PROTOCOL.md).

Decoding is defensive: limits are checked before and during unpacking, every
reading is validated on its own, and a bad reading is counted by reason
without disturbing the good readings in the same frame. Nothing here raises
on bad input; the caller gets counts and one sample message per reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import msgpack

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


def decode_frame(payload: bytes, limits: FrameLimits, now_ms: int, out: Decoded) -> None:
    """Decode one frame into ``out``: valid readings appended, rejects counted."""
    out.frames += 1
    if len(payload) > limits.max_frame_bytes:
        out.reject("oversize_frame", f"{len(payload)} bytes > limit {limits.max_frame_bytes}")
        return
    try:
        msg = msgpack.unpackb(
            payload,
            raw=False,
            strict_map_key=True,
            max_array_len=limits.max_batch,
            max_map_len=64,
            max_str_len=4096,
            max_bin_len=4096,
            max_ext_len=64,
            use_list=True,
        )
    except ValueError as exc:
        # msgpack raises ValueError for both "exceeds max_*" and bad data.
        text = str(exc)
        if "exceeds max" in text:
            out.reject("limit_exceeded", f"frame exceeds a decode limit: {text}")
        else:
            out.reject(
                "malformed",
                f"not valid msgpack: {type(exc).__name__} {text} (first bytes {payload[:8].hex(' ')})",
            )
        return
    except Exception as exc:  # ExtraData, FormatError, StackError, UnicodeDecodeError
        out.reject(
            "malformed",
            f"not valid msgpack: {type(exc).__name__} {exc} (first bytes {payload[:8].hex(' ')})",
        )
        return
    if type(msg) is not dict:
        out.reject("bad_envelope", f"top level is {type(msg).__name__}, expected a map")
        return
    version = msg.get("v")
    if version != PROTOCOL_VERSION or type(version) is not int:
        out.reject("unsupported_version", f"version {version!r}, this console speaks 1")
        return
    rows = msg.get("r")
    if rows is None:
        if "feed" in msg:
            rows = [[msg.get("feed"), msg.get("ts"), msg.get("value"), msg.get("q", 0)]]
        else:
            out.reject("bad_envelope", "neither 'r' (batch) nor 'feed' (single reading)")
            return
    elif type(rows) is not list:
        out.reject("bad_envelope", f"'r' is {type(rows).__name__}, expected an array")
        return
    _validate_rows(rows, limits, now_ms, out)


def _validate_rows(rows: list[Any], limits: FrameLimits, now_ms: int, out: Decoded) -> None:
    # Fast path: one combined test per reading; the slow path finds the reason.
    newest = now_ms + limits.max_future_ms
    oldest = now_ms - limits.max_past_ms
    append = out.readings.append
    isfinite = math.isfinite
    for n, row in enumerate(rows):
        if type(row) is list and len(row) == 4:
            feed, ts, value, quality = row
        elif type(row) is list and len(row) == 3:
            feed, ts, value = row
            quality = QUALITY_GOOD
        else:
            out.reject(
                "wrong_type", f"reading {n}: expected [feed, ts, value, q?], got {row!r:.80}"
            )
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
            reason, detail = _why(n, feed, ts, value, quality, now_ms, oldest, newest)
            out.reject(reason, detail)


def _why(
    n: int, feed: Any, ts: Any, value: Any, quality: Any, now_ms: int, oldest: int, newest: int
) -> tuple[str, str]:
    """Name the first rule a reading breaks (checked in the documented order)."""
    if type(feed) is not str or not 0 < len(feed) <= MAX_FEED_ID_LEN:
        return "wrong_type", f"reading {n}: feed id must be a string of 1..64, got {feed!r:.80}"
    if type(ts) is not int:
        return (
            "wrong_type",
            f"reading {n} ({feed}): ts must be an integer (ms), got {type(ts).__name__}",
        )
    if type(value) not in (float, int):
        return (
            "wrong_type",
            f"reading {n} ({feed}): value must be a number, got {type(value).__name__}",
        )
    if not math.isfinite(value):
        return "not_finite", f"reading {n} ({feed}): value is {value}"
    if type(quality) is not int or quality not in QUALITIES:
        return "bad_quality", f"reading {n} ({feed}): quality {quality!r:.40} not in 0, 1, 2"
    if ts > newest:
        return "ts_future", f"reading {n} ({feed}): ts {ts} is {(ts - now_ms) / 1000:.1f} s ahead"
    return "ts_past", f"reading {n} ({feed}): ts {ts} is {(now_ms - ts) / 1000:.0f} s old"

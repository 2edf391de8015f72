"""City-link protocol OPSUP/1: console ⇄ city hub (docs/PROTOCOL.md, part 2).

A message is a ZeroMQ multipart: ``[TAG, header]`` or ``[TAG, header, body]``.
The tag carries the protocol name and version, the header is a msgpack map
with a type ``t``, and only DATA has a body (a msgpack array of records).
DATA and ACK travel both ways: console → hub on the uplink streams, and hub →
console on the downlink streams when HELLO and WELCOME negotiated them
(``down``/``down_db``, revision 3 of the page).
The hub's ROUTER adds the connection's routing frame in front; nothing here
deals with that. Stream names and record payloads are the products' business
(console.shared.vocab, console.shared.records): to this codec a stream is a
name and a payload is bytes.

Decoding never raises on hostile input: it returns a ``ProtocolError`` whose
``code`` is one of ``ERROR_CODES``, so both ends count and report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgpack

from transport.streams import Record

PROTOCOL = b"OPSUP"
VERSION = 1
TAG = PROTOCOL + b"/%d" % VERSION

HELLO = "HELLO"
WELCOME = "WELCOME"
DATA = "DATA"
ACK = "ACK"
CREDIT = "CREDIT"
PING = "PING"
PONG = "PONG"
ERROR = "ERROR"
TYPES = (HELLO, WELCOME, DATA, ACK, CREDIT, PING, PONG, ERROR)

ERROR_CODES = {
    # frame level (the message is dropped, the connection stays)
    "bad_frame": "wrong number of frames or a frame is not what its position requires",
    "unsupported_version": "the tag names another protocol or version",
    "oversize": "the message exceeds the hub's max_frame_bytes",
    "malformed": "header or body is not valid msgpack within limits",
    "bad_header": "a header field is missing or of the wrong type",
    "unknown_type": "the header's type is not one of the protocol's",
    # session level
    "not_welcomed": "DATA or PING on a connection without a session: HELLO again",
    "id_mismatch": "HELLO claims a console id other than the authenticated key's",
    "site_mismatch": "HELLO claims a site other than the one the key is registered for",
    "key_revoked": "the console's key was revoked after it connected",
    "db_reused": "the hub holds more of a stream of this database than the HELLO says "
    "was ever written: the database was restored or copied and must get a new id",
    "unknown_stream": "DATA names a stream the HELLO did not",
    "too_many_records": "DATA carries more records than WELCOME allowed",
    "over_credit": "DATA beyond the credit: more unanswered DATA of the stream than allowed",
    "bad_records": "DATA records are not [seq, kind, created_ms, payload] with seq first..last",
    "bad_ack": "an ACK acknowledges downlink records the hub has not sent on this session",
    "storage_unavailable": "the hub could not commit; nothing of the batch is stored",
}
FATAL_CODES = frozenset(
    {"id_mismatch", "site_mismatch", "key_revoked", "db_reused", "unsupported_version"}
)
"""The console closes its socket and waits refused_retry_s: an administrator must act."""
ENDS_SESSION = FATAL_CODES - {"unsupported_version"}
"""The hub also ends the connection's session (its next DATA or PING gets not_welcomed).
``unsupported_version`` refuses one message, whose tag the hub could not read as its own."""

MAX_KIND_LEN = 16
MAX_SEQ = 2**63 - 1
"""Sequence numbers are signed 64-bit at both ends."""


class ProtocolError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        assert code in ERROR_CODES, code
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    max_frame_bytes: int = 8 * 2**20
    max_records: int = 5_000
    max_streams: int = 16


_HEADER_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    HELLO: {"console": str, "site": str, "db": str, "streams": dict, "sw": str},
    WELCOME: {"epoch": str, "acks": dict, "credit": int, "max_records": int, "hb_s": (int, float)},
    DATA: {"stream": str, "first": int, "last": int},
    ACK: {"epoch": str, "stream": str, "through": int, "credit": int, "resend": bool},
    CREDIT: {"epoch": str, "credit": int},
    PING: {},
    PONG: {"epoch": str},
    ERROR: {"code": str, "detail": str, "fatal": bool},
}


_OPTIONAL_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    HELLO: {"down_db": str, "down": dict},
    WELCOME: {"down_db": str, "down": dict},
}
"""Fields a message may carry; when present they must have this type (else ``bad_header``).
``down``/``down_db`` negotiate the downlink (docs/PROTOCOL.md §2.10)."""


def encode(header: dict[str, Any], body: bytes | None = None) -> list[bytes]:
    frames = [TAG, msgpack.packb(header, use_bin_type=True)]
    if body is not None:
        frames.append(body)
    return frames


def encode_records(records: list[Record]) -> bytes:
    return msgpack.packb([list(r) for r in records], use_bin_type=True)  # type: ignore[no-any-return]


def hello(
    console: str,
    site: str,
    db: str,
    streams: dict[str, int],
    sw: str,
    *,
    down: tuple[str, dict[str, int]] | None = None,
) -> list[bytes]:
    """A HELLO; ``down`` = (hub database id, {downlink stream: last seq held}) asks for the
    downlink (a console without an inbox leaves it out)."""
    header: dict[str, Any] = {
        "t": HELLO,
        "console": console,
        "site": site,
        "db": db,
        "streams": streams,
        "sw": sw,
    }
    if down is not None:
        header["down_db"], header["down"] = down
    return encode(header)


def data(stream: str, records: list[Record], epoch: str | None = None) -> list[bytes]:
    """DATA of one stream; the hub's (downlink) DATA also carries its ``epoch``."""
    header: dict[str, Any] = {
        "t": DATA,
        "stream": stream,
        "first": records[0][0],
        "last": records[-1][0],
    }
    if epoch is not None:
        header["epoch"] = epoch
    return encode(header, encode_records(records))


def ack(epoch: str, stream: str, through: int, credit: int, resend: bool) -> list[bytes]:
    """A cumulative ACK (the hub's of uplink DATA, or a console's of downlink DATA)."""
    return encode(
        {
            "t": ACK,
            "epoch": epoch,
            "stream": stream,
            "through": through,
            "credit": credit,
            "resend": resend,
        }
    )


def error(code: str, detail: str, **about: Any) -> list[bytes]:
    """An ERROR; ``about`` adds what it refers to (``epoch``, ``stream``, ``first``, ``last``)."""
    header = {"t": ERROR, "code": code, "detail": detail, "fatal": code in FATAL_CODES}
    return encode({**header, **about})


def is_int(v: Any) -> bool:
    """A MessagePack integer (a bool is not one, although Python says so)."""
    return isinstance(v, int) and not isinstance(v, bool)


def _unpack(raw: bytes, limits: Limits, what: str) -> Any:
    try:
        return msgpack.unpackb(
            raw,
            raw=False,
            strict_map_key=True,
            max_bin_len=limits.max_frame_bytes,
            max_str_len=1 << 16,
            max_array_len=limits.max_records,
            max_map_len=max(64, limits.max_streams),
            max_ext_len=0,
        )
    except Exception as exc:  # msgpack raises several unrelated types on garbage
        raise ProtocolError("malformed", f"{what}: {type(exc).__name__}: {exc}") from None


def decode(frames: list[bytes], limits: Limits) -> tuple[dict[str, Any], bytes | None]:
    """Check tag, size and header; return (header, raw body). Raises ProtocolError."""
    size = sum(len(f) for f in frames)
    if size > limits.max_frame_bytes:
        raise ProtocolError("oversize", f"{size} bytes > {limits.max_frame_bytes}")
    if len(frames) not in (2, 3):
        raise ProtocolError("bad_frame", f"{len(frames)} frames, expected 2 or 3")
    tag = frames[0]
    if tag != TAG:
        if tag.startswith(PROTOCOL + b"/"):
            raise ProtocolError("unsupported_version", f"{tag!r}; this end speaks {TAG.decode()}")
        raise ProtocolError("bad_frame", f"first frame {tag[:16]!r} is not {TAG.decode()}")
    header = _unpack(frames[1], limits, "header")
    if not isinstance(header, dict):
        raise ProtocolError("bad_header", f"header is {type(header).__name__}, not a map")
    t = header.get("t")
    if not isinstance(t, str) or t not in _HEADER_FIELDS:
        raise ProtocolError("unknown_type", f"type {t!r}")
    for key, typ in _HEADER_FIELDS[t].items():
        v = header.get(key)
        if not isinstance(v, typ) or (typ is not bool and isinstance(v, bool)):
            raise ProtocolError("bad_header", f"{t}.{key} missing or {_expected(typ)}")
    for key, typ in _OPTIONAL_FIELDS.get(t, {}).items():
        if key in header and not isinstance(header[key], typ):
            raise ProtocolError("bad_header", f"{t}.{key} {_expected(typ)}")
    body = frames[2] if len(frames) == 3 else None
    if t == DATA and body is None:
        raise ProtocolError("bad_frame", "DATA without a body frame")
    return header, body


def _expected(typ: type | tuple[type, ...]) -> str:
    names = {str: "a str", int: "an int", bool: "a bool", dict: "a map", float: "a float"}
    kinds = typ if isinstance(typ, tuple) else (typ,)
    return "not " + " or ".join(names.get(k, k.__name__) for k in kinds)


def decode_records(header: dict[str, Any], body: bytes, limits: Limits) -> list[Record]:
    """Records of a DATA message, checked against its header. Raises ProtocolError.

    The shape only: ``[seq, kind, created_ms, payload]`` with seq exactly first..last,
    kind a str of 1-16 characters, created_ms an int, payload bin. Whether the values
    fit what the receiver stores is the receiver's business (the hub quarantines)."""
    first, last = header["first"], header["last"]
    if first < 1 or last < first or last > MAX_SEQ:
        raise ProtocolError("bad_records", f"seq {first}..{last}: need 1 <= first <= last < 2^63")
    if last - first + 1 > limits.max_records:
        raise ProtocolError("too_many_records", f"seq {first}..{last}, max {limits.max_records}")
    items = _unpack(body, limits, "body")
    if not isinstance(items, list) or len(items) != last - first + 1:
        raise ProtocolError("bad_records", f"expected {last - first + 1} records {first}..{last}")
    out: list[Record] = []
    expect = first
    for r in items:
        if (
            not isinstance(r, list)
            or len(r) != 4
            or not is_int(r[0])
            or r[0] != expect
            or not isinstance(r[1], str)
            or not 0 < len(r[1]) <= MAX_KIND_LEN
            or not is_int(r[2])
            or not isinstance(r[3], bytes)
        ):
            raise ProtocolError(
                "bad_records",
                f"record {expect - first} (seq {expect}) is not [int seq, str kind (1-16), "
                "int created_ms, bin payload]",
            )
        out.append((r[0], r[1], r[2], r[3]))
        expect += 1
    return out

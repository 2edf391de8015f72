"""Uplink protocol codec: round trips, and hostile input only ever yields a ProtocolError."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transport import uplinkproto as up

LIMITS = up.Limits(max_frame_bytes=1 << 20, max_records=100)

record = st.tuples(st.text(min_size=1, max_size=16), st.integers(0, 2**62), st.binary(max_size=64))


@given(st.integers(1, 2**40), st.lists(record, min_size=1, max_size=100))
def test_data_round_trip(first: int, recs: list[tuple[str, int, bytes]]) -> None:
    records = [(first + i, k, ts, p) for i, (k, ts, p) in enumerate(recs)]
    header, body = up.decode(up.data("summary", records), LIMITS)
    assert header == {"t": "DATA", "stream": "summary", "first": first, "last": records[-1][0]}
    assert body is not None
    assert up.decode_records(header, body, LIMITS) == records


msgpack_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=200), max_size=4))
def test_garbage_frames_only_raise_protocol_errors(frames: list[bytes]) -> None:
    try:
        header, body = up.decode(frames, LIMITS)
        if header["t"] == up.DATA and body is not None:
            up.decode_records(header, body, LIMITS)
    except up.ProtocolError as exc:
        assert exc.code in up.ERROR_CODES


@settings(max_examples=300)
@given(msgpack_values, st.one_of(st.none(), msgpack_values))
def test_hostile_headers_and_bodies_only_raise_protocol_errors(
    header: object, body: object
) -> None:
    frames = [up.TAG, msgpack.packb(header)]
    if body is not None:
        frames.append(msgpack.packb(body))
    try:
        h, b = up.decode(frames, LIMITS)
        if h["t"] == up.DATA and b is not None:
            up.decode_records(h, b, LIMITS)
    except up.ProtocolError as exc:
        assert exc.code in up.ERROR_CODES


@given(st.sampled_from(up.TYPES))
def test_every_type_needs_its_fields(t: str) -> None:
    fields = up._HEADER_FIELDS[t]
    if not fields:
        assert up.decode(up.encode({"t": t}), LIMITS)[0]["t"] == t
        return
    with pytest.raises(up.ProtocolError) as e:
        up.decode(up.encode({"t": t}, b"\x90" if t == up.DATA else None), LIMITS)
    assert e.value.code == "bad_header"


@pytest.mark.parametrize(
    ("frames", "code"),
    [
        ([up.TAG], "bad_frame"),
        ([b"OPSUP/2", b"\x80"], "unsupported_version"),
        ([b"HTTP/1.1", b"\x80"], "bad_frame"),
        ([up.TAG, b"\xc1"], "malformed"),
        ([up.TAG, msgpack.packb([1, 2])], "bad_header"),
        ([up.TAG, msgpack.packb({"t": "NOPE"})], "unknown_type"),
        (up.encode({"t": "DATA", "stream": "s", "first": 1, "last": 1}), "bad_frame"),
        (
            up.encode(
                {
                    "t": "ACK",
                    "epoch": "e",
                    "stream": "s",
                    "through": True,
                    "credit": 1,
                    "resend": False,
                }
            ),
            "bad_header",
        ),
        ([up.TAG, b"\x00" * (2 << 20)], "oversize"),
    ],
)
def test_specific_errors(frames: list[bytes], code: str) -> None:
    with pytest.raises(up.ProtocolError) as e:
        up.decode(frames, LIMITS)
    assert e.value.code == code


def test_records_must_match_their_header() -> None:
    recs = [(1, "m", 0, b"a"), (2, "m", 0, b"b")]
    h = {"t": "DATA", "stream": "s", "first": 1, "last": 3}
    with pytest.raises(up.ProtocolError, match="bad_records"):
        up.decode_records(h, up.encode_records(recs), LIMITS)
    h = {"t": "DATA", "stream": "s", "first": 1, "last": 2}
    swapped = [(2, "m", 0, b"a"), (1, "m", 0, b"b")]
    with pytest.raises(up.ProtocolError, match="bad_records"):
        up.decode_records(h, up.encode_records(swapped), LIMITS)
    with pytest.raises(up.ProtocolError, match="too_many_records"):
        up.decode_records({"t": "DATA", "stream": "s", "first": 1, "last": 101}, b"\x90", LIMITS)

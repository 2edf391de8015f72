"""Feed protocol v1 decoding: every reject reason, and garbage never escapes."""

from __future__ import annotations

import math

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import now_ms
from transport.feedproto import (
    FRAME_REASONS,
    READING_REASONS,
    Decoded,
    FrameLimits,
    decode_frame,
    encode_batch,
    encode_single,
)

LIM = FrameLimits()


def decode(payload: bytes, now: int | None = None, limits: FrameLimits = LIM) -> Decoded:
    out = Decoded()
    decode_frame(payload, limits, now if now is not None else now_ms(), out)
    return out


def test_batch_round_trip() -> None:
    t = now_ms()
    rows = [("a", t, 1.5, 0), ("b", t + 1, 2.0, 1), ("c", t + 2, -3.25, 2)]
    out = decode(encode_batch(rows, src="gw", seq=4))
    assert out.readings == rows
    assert out.rejects == {}
    assert out.frames == 1


def test_single_reading_and_default_quality() -> None:
    t = now_ms()
    assert decode(encode_single("a", t, 7.0)).readings == [("a", t, 7.0, 0)]
    three = msgpack.packb({"v": 1, "r": [["a", t, 3]]})
    assert decode(three).readings == [("a", t, 3.0, 0)]  # int value becomes float
    assert type(decode(three).readings[0][2]) is float


def test_unknown_fields_are_ignored() -> None:
    t = now_ms()
    frame = msgpack.packb({"v": 1, "r": [["a", t, 1.0, 0]], "future_field": {"x": 1}, "src": "g"})
    assert decode(frame).readings == [("a", t, 1.0, 0)]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xc1", "malformed"),
        (msgpack.packb({"v": 1, "r": []})[:-1] + b"\x93", "malformed"),
        (msgpack.packb({"v": 1, "r": []}) + b"\x00", "malformed"),  # trailing bytes
        (msgpack.packb([1, 2, 3]), "bad_envelope"),
        (msgpack.packb({"v": 1}), "bad_envelope"),
        (msgpack.packb({"v": 1, "r": "abc"}), "bad_envelope"),
        (msgpack.packb({"v": 2, "r": []}), "unsupported_version"),
        (msgpack.packb({"r": []}), "unsupported_version"),
        (msgpack.packb({"v": "1", "r": []}), "unsupported_version"),
        (msgpack.packb({"v": True, "r": []}), "unsupported_version"),
        (msgpack.packb({1: 1}), "malformed"),  # non-string map key (strict_map_key)
    ],
)
def test_frame_level_rejects(payload: bytes, reason: str) -> None:
    out = decode(payload)
    assert out.readings == []
    assert out.rejects == {reason: 1}
    assert out.samples.get(reason)


def test_oversize_frame_rejected_before_decoding() -> None:
    limits = FrameLimits(max_frame_bytes=2048)
    rows = [("feed", now_ms() + i, 1.0, 0) for i in range(200)]
    out = decode(encode_batch(rows), limits=limits)
    assert out.rejects == {"oversize_frame": 1}
    assert out.readings == []


def test_batch_over_max_batch_is_limit_exceeded() -> None:
    limits = FrameLimits(max_batch=10)
    rows = [("feed", now_ms() + i, 1.0, 0) for i in range(11)]
    assert decode(encode_batch(rows), limits=limits).rejects == {"limit_exceeded": 1}


def test_bad_readings_are_counted_and_good_ones_survive() -> None:
    t = now_ms()
    rows = [
        ["ok1", t, 1.0, 0],
        ["nan", t, math.nan, 0],
        ["inf", t, math.inf, 0],
        ["str", t, "12.5", 0],
        ["bool", t, True, 0],
        [42, t, 1.0, 0],
        ["", t, 1.0, 0],
        ["x" * 65, t, 1.0, 0],
        ["ts-float", float(t), 1.0, 0],
        ["q7", t, 1.0, 7],
        ["q-bool", t, 1.0, True],
        ["future", t + 61_000, 1.0, 0],
        ["past", t - 8 * 86_400_000, 1.0, 0],
        ["short", t],
        "not-a-list",
        ["ok2", t + 5, 2.0, 2],
    ]
    out = decode(msgpack.packb({"v": 1, "r": rows}), now=t)
    assert out.readings == [("ok1", t, 1.0, 0), ("ok2", t + 5, 2.0, 2)]
    assert out.rejects == {
        "not_finite": 2,
        "wrong_type": 8,
        "bad_quality": 2,
        "ts_future": 1,
        "ts_past": 1,
    }
    assert set(out.samples) == set(out.rejects)
    assert "NaN" in out.samples["not_finite"] or "nan" in out.samples["not_finite"]


def test_timestamp_window_edges() -> None:
    t = 1_800_000_000_000
    rows = [["a", t + LIM.max_future_ms, 1.0], ["b", t - LIM.max_past_ms, 1.0]]
    out = decode(msgpack.packb({"v": 1, "r": rows}), now=t)
    assert len(out.readings) == 2
    rows = [["a", t + LIM.max_future_ms + 1, 1.0], ["b", t - LIM.max_past_ms - 1, 1.0]]
    assert decode(msgpack.packb({"v": 1, "r": rows}), now=t).rejects == {
        "ts_future": 1,
        "ts_past": 1,
    }


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise(payload: bytes) -> None:
    out = decode(payload)
    total_rejects = sum(out.rejects.values())
    assert out.frames == 1
    assert set(out.rejects) <= set(FRAME_REASONS) | set(READING_REASONS)
    # Either something was accepted or the reason was counted.
    assert out.readings or total_rejects or payload_decodes_to_empty_batch(payload)


def payload_decodes_to_empty_batch(payload: bytes) -> bool:
    try:
        msg = msgpack.unpackb(payload, raw=False)
    except Exception:
        return False
    return isinstance(msg, dict) and (msg.get("r") == [])


msgpack_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=20)
    | st.binary(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    good=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=64),
            st.integers(-50_000, 50_000),
            st.floats(allow_nan=False, allow_infinity=False),
            st.sampled_from([0, 1, 2]),
        ),
        max_size=30,
    ),
    bad=st.lists(msgpack_values, max_size=30),
    data=st.data(),
)
def test_hostile_readings_do_not_disturb_valid_ones(
    good: list, bad: list, data: st.DataObject
) -> None:
    now = 1_800_000_000_000
    valid = [(f, now + dt, v, q) for f, dt, v, q in good]
    mixed: list = [list(r) for r in valid]
    for b in bad:
        mixed.insert(data.draw(st.integers(0, len(mixed))), b)
    out = decode(msgpack.packb({"v": 1, "r": mixed}), now=now)
    # Every valid reading survives, in order; random junk is rejected by reason or is itself valid.
    accepted = iter(out.readings)
    for r in valid:
        for got in accepted:
            if got == r:
                break
        else:
            pytest.fail(f"valid reading {r} was lost")
    assert len(out.readings) + sum(out.rejects.values()) == len(mixed)

"""The engine over real sockets and a real SQLite file."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import msgpack
import pytest
import zmq

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.district.store.database import count_readings
from tests.conftest import now_ms, wait_until
from transport.feed_receiver import TransportError
from transport.feedproto import encode_batch, encode_single


@pytest.fixture
def engine(small_site: SiteConfig, tmp_path: Path):
    e = ConsoleApp(small_site, tmp_path / "data")
    e.start()
    yield e
    e.stop()


def push(endpoint: str, *frames: bytes | list[bytes]) -> None:
    ctx = zmq.Context.instance()
    s = ctx.socket(zmq.PUSH)
    s.setsockopt(zmq.LINGER, 5000)
    s.connect(endpoint)
    for f in frames:
        if isinstance(f, list):
            s.send_multipart(f)
        else:
            s.send(f)
    s.close()


def stored_rows(engine: ConsoleApp) -> list[tuple[str, int, float, int]]:
    con = sqlite3.connect(engine.db.path)
    rows = con.execute(
        "SELECT f.feed_key, r.ts_ms, r.value, r.quality FROM readings r JOIN feeds f ON f.id = r.feed_id "
        "ORDER BY r.ts_ms, f.feed_key"
    ).fetchall()
    con.close()
    return rows


def test_valid_readings_reach_buffers_and_log_bad_ones_are_counted(engine: ConsoleApp) -> None:
    t = now_ms()
    good = [("river-1", t, 1.25, 0), ("rain-1", t, 12.0, 1), ("pm25-1", t, 35.5, 0)]
    mixed = [
        ["river-1", t + 1, 1.3, 0],
        ["ghost-9", t + 1, 1.0, 0],  # unknown feed
        ["rain-1", t + 1, 301.0, 0],  # outside 0..300
        ["pm25-1", t + 1, math.nan, 0],
        ["pm25-1", t - 5, 30.0, 0],  # older than the last accepted
        ["pm25-1", t + 2, 36.0, 2],
    ]
    push(
        engine.endpoints[0],
        encode_batch(good),
        msgpack.packb({"v": 1, "r": mixed}),
        b"\x00garbage",
        encode_single("rain-1", t + 3, 0.0),
        [b"topic", encode_single("river-1", t + 4, 1.35)],
        [b"a", b"b", encode_single("river-1", t + 5, 1.4)],
    )
    wait_until(lambda: engine.receiver.frames_received == 6, what="6 frames")
    assert engine.flush(10)
    st = engine.stats()
    assert st.readings_received == st.readings_stored == 7
    assert st.readings_rejected == {
        "unknown_feed": 1,
        "out_of_range": 1,
        "not_finite": 1,
        "not_newer": 1,
        "malformed": 1,
        "bad_multipart": 1,
    }
    assert stored_rows(engine) == [
        ("pm25-1", t, 35.5, 0),
        ("rain-1", t, 12.0, 1),
        ("river-1", t, 1.25, 0),
        ("river-1", t + 1, 1.3, 0),
        ("pm25-1", t + 2, 36.0, 2),
        ("rain-1", t + 3, 0.0, 0),
        ("river-1", t + 4, 1.35, 0),
    ]
    assert st.feeds_seen == 3
    latest = engine.buffers.latest()
    river = [f.id for f in engine.feeds].index("river-1")
    assert latest.value[river] == 1.35 and latest.ts[river] == (t + 4) / 1000
    assert engine.rejects.samples["out_of_range"].startswith(
        "rain-1: 301.0 outside the valid range"
    )


def test_oversize_frame_is_counted_and_neighbours_survive(engine: ConsoleApp) -> None:
    t = now_ms()
    big = encode_batch([("river-1", t + i, 1.0, 0) for i in range(60_000)])
    assert len(big) > engine.limits.max_frame_bytes
    push(
        engine.endpoints[0],
        encode_single("river-1", t - 1, 1.0),
        big,
        encode_single("rain-1", t, 2.0),
    )
    wait_until(lambda: engine.receiver.frames_received == 3, what="3 frames")
    engine.flush(10)
    st = engine.stats()
    assert st.readings_rejected == {"oversize_frame": 1}
    assert st.readings_stored == 2


def test_sub_socket_receives_from_a_gateway_pub(small_site: SiteConfig, tmp_path: Path) -> None:
    ctx = zmq.Context.instance()
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    engine = ConsoleApp(small_site, tmp_path, feeds_pull=[], feeds_sub=[f"tcp://127.0.0.1:{port}"])
    engine.start()
    try:
        t = now_ms()
        # PUB drops until the subscription arrives (slow joiner): publish until one lands.
        k = 0

        def delivered() -> bool:
            nonlocal k
            k += 1
            pub.send_multipart([b"feeds", encode_single("rain-1", t + k, 1.0)])
            return engine.stats().readings_received > 0

        wait_until(delivered, what="a published reading")
        assert engine.stats().readings_rejected == {}
    finally:
        engine.stop()
        pub.close(linger=0)


def test_restart_rejects_replayed_readings_and_keeps_the_log(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    t = now_ms()
    batch = encode_batch([("river-1", t + i, 1.0 + i / 100, 0) for i in range(50)])
    e1 = ConsoleApp(small_site, tmp_path)
    e1.start()
    push(e1.endpoints[0], batch)
    wait_until(lambda: e1.stats().readings_received == 50)
    e1.stop()
    e2 = ConsoleApp(small_site, tmp_path)
    e2.start()
    try:
        push(e2.endpoints[0], batch, encode_single("river-1", t + 50, 2.0))
        wait_until(lambda: e2.receiver.frames_received == 2)
        e2.flush(10)
        st = e2.stats()
        assert st.readings_rejected == {"not_newer": 50}
        assert st.readings_stored == 1
        assert count_readings(e2.db.engine) == 51
    finally:
        e2.stop()


def test_bind_conflict_is_a_clear_error(small_site: SiteConfig, tmp_path: Path) -> None:
    ctx = zmq.Context.instance()
    s = ctx.socket(zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    try:
        e = ConsoleApp(small_site, tmp_path, feeds_pull=[f"tcp://127.0.0.1:{port}"])
        with pytest.raises(
            TransportError, match=f"cannot bind feed endpoint tcp://127.0.0.1:{port}"
        ):
            e.start()
        assert not e.writer._thread.is_alive()
    finally:
        s.close(linger=0)


def test_a_sink_failure_is_counted_not_fatal(
    engine: ConsoleApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = engine._ingest.accept

    def flaky(batch):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        real(batch)

    monkeypatch.setattr(engine._ingest, "accept", flaky)
    t = now_ms()
    push(engine.endpoints[0], encode_single("river-1", t, 1.0))
    wait_until(lambda: engine.receiver.sink_errors == 1)
    push(engine.endpoints[0], encode_single("river-1", t + 1, 1.0))
    wait_until(lambda: engine.stats().readings_received == 1)
    assert engine.stats().readings_rejected == {"internal_error": 1}

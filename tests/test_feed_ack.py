"""Acknowledged feed mode (docs/PROTOCOL.md §1.9): acks only after the commit, gaps and
duplicates by seq, and — with real processes — nothing lost when the console is killed."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack
import pytest
import zmq

from console.district.config import SiteConfig
from tests.conftest import now_ms, wait_until
from tests.procs import JsonLinesProcess
from transport.feed_receiver import FeedReceiver, decode_ack, encode_ack_header
from transport.feedproto import Decoded, FrameLimits, encode_batch


class _Sink:
    """Holds each batch until the test "commits" it (as the store writer would, later)."""

    def __init__(self) -> None:
        self.batches: list[Decoded] = []
        self.lock = threading.Lock()

    def __call__(self, batch: Decoded) -> None:
        with self.lock:
            self.batches.append(batch)

    def readings(self) -> list[Any]:
        with self.lock:
            return [r for b in self.batches for r in b.readings]

    def commit_all(self) -> None:
        with self.lock:
            for b in self.batches:
                if b.on_committed is not None:
                    b.on_committed()
                    b.on_committed = None


@pytest.fixture
def receiver() -> Iterator[tuple[FeedReceiver, _Sink]]:
    sink = _Sink()
    r = FeedReceiver(sink=sink, limits=FrameLimits(), ack_binds=["tcp://127.0.0.1:*"])
    r.start()
    yield r, sink
    r.stop()


def gateway(endpoint: str) -> tuple[zmq.Context[Any], zmq.Socket[bytes]]:
    ctx: zmq.Context[Any] = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    s.connect(endpoint)
    return ctx, s


def send(s: zmq.Socket[bytes], seq: int, first: int, feed_ts: int) -> None:
    s.send_multipart([encode_ack_header(seq, first), encode_batch([("f", feed_ts, 1.0, 0)])])


def test_acks_come_after_the_commit_never_on_receipt(
    receiver: tuple[FeedReceiver, _Sink],
) -> None:
    r, sink = receiver
    ctx, s = gateway(r.ack_endpoints[0])
    try:
        t = now_ms()
        for seq in (1, 2, 3):
            send(s, seq, 1, t + seq)
        wait_until(lambda: len(sink.readings()) == 3, 10, "three readings handed on")
        assert not s.poll(300), "acknowledged before the commit"
        sink.commit_all()
        assert s.poll(5000)
        assert decode_ack(s.recv()) == (3, False)
        # A duplicate of a committed message is not decoded again, and acked at once.
        send(s, 2, 1, t + 2)
        assert s.poll(5000) and decode_ack(s.recv()) == (3, False)
        assert len(sink.readings()) == 3 and r.ack_duplicates == 1
    finally:
        s.close()
        ctx.term()


def test_a_gap_asks_for_a_resend_from_the_last_commit(
    receiver: tuple[FeedReceiver, _Sink],
) -> None:
    r, sink = receiver
    ctx, s = gateway(r.ack_endpoints[0])
    try:
        t = now_ms()
        send(s, 1, 1, t + 1)
        wait_until(lambda: len(sink.readings()) == 1, 10, "first reading")
        sink.commit_all()
        assert s.poll(5000) and decode_ack(s.recv()) == (1, False)
        send(s, 4, 2, t + 4)  # 2 and 3 were lost on the way
        assert s.poll(5000) and decode_ack(s.recv()) == (1, True)
        send(s, 5, 2, t + 5)  # still a gap: asked once, not again
        assert not s.poll(300)
        for seq in (2, 3, 4, 5):
            send(s, seq, 2, t + seq)
        wait_until(lambda: len(sink.readings()) == 5, 10, "the resent readings")
        sink.commit_all()
        assert s.poll(5000) and decode_ack(s.recv()) == (5, False)
        assert [x[1] - t for x in sink.readings()] == [1, 2, 3, 4, 5]
    finally:
        s.close()
        ctx.term()


def test_first_tells_a_new_connection_where_the_gateway_stands(
    receiver: tuple[FeedReceiver, _Sink],
) -> None:
    """A console that restarted knows nothing of the gateway: its oldest unacknowledged
    message (``first``) starts the count, and a bad header is refused, not guessed."""
    r, sink = receiver
    ctx, s = gateway(r.ack_endpoints[0])
    try:
        t = now_ms()
        send(s, 41, 40, t)  # 40 is still unacknowledged: 41 cannot come first
        assert s.poll(5000) and decode_ack(s.recv()) == (39, True)
        send(s, 40, 40, t + 40)
        send(s, 41, 40, t + 41)
        wait_until(lambda: len(sink.readings()) == 2, 10, "40 and 41")
        s.send_multipart([msgpack.packb({"seq": "x"}), encode_batch([])])
        s.send_multipart([encode_ack_header(42, 40)])
        wait_until(lambda: r.frames_received >= 4, 10, "the bad messages counted")
        rejects: dict[str, int] = {}
        for b in sink.batches:
            for k, v in b.rejects.items():
                rejects[k] = rejects.get(k, 0) + v
        assert rejects == {"bad_envelope": 1, "bad_multipart": 1}
    finally:
        s.close()
        ctx.term()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM readings").fetchone()[0])
    finally:
        con.close()


@pytest.mark.slow
def test_nothing_is_lost_when_the_console_is_killed(tmp_path: Path, demo_site: SiteConfig) -> None:
    port = _free_port()
    data = tmp_path / "data"
    argv = [
        "console", "--site", str(demo_site.path), "--headless", "--data-dir", str(data),
        "--feeds-endpoint", "tcp://127.0.0.1:*", "--feeds-ack-endpoint",
        f"tcp://127.0.0.1:{port}", "--json", "--status-interval", "0.3",
    ]  # fmt: skip
    first = JsonLinesProcess(argv)
    second: JsonLinesProcess | None = None
    sim = None
    try:
        first.wait_event("ready")
        sim = subprocess.Popen(
            [sys.executable, "-m", "console", "simulate", "--site", str(demo_site.path),
             "--endpoint", f"tcp://127.0.0.1:{port}", "--mode", "ack", "--rate", "3000",
             "--batch", "50", "--duration", "6", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while True:
            st = first.wait_event("status")
            if st["readings_stored"] > 3000:
                break
        os.kill(first.proc.pid, signal.SIGKILL)  # mid-stream: readings in flight, uncommitted
        first.proc.wait(10)
        killed_at = _count(data / "hai-chau.sqlite3")
        second = JsonLinesProcess(argv)
        second.wait_event("ready")
        out, err = sim.communicate(timeout=90)
        assert sim.returncode == 0, err
        report = json.loads(out.strip().splitlines()[-1])
        second.proc.send_signal(signal.SIGTERM)
        stopped = second.wait_event("stopped")
    finally:
        for p in (first.proc, second.proc if second else None, sim):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    stored = _count(data / "hai-chau.sqlite3")
    print(
        f"\nack mode: {report['readings_sent']} readings sent, console killed at {killed_at} "
        f"stored; after the restart {stored} stored, {report['resends']} frames resent"
    )
    assert report["frames_unsent"] == 0 and report["frames_acked"] == report["frames_sent"]
    assert killed_at < report["readings_sent"]
    assert stored == report["readings_sent"]
    assert stopped["readings_pending"] == 0

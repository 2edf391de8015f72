"""The simulator loop: models → batches → ZeroMQ, at a given rate and speed.

It behaves like a well-behaved gateway (PUSH connecting to the console's PULL,
PUB bound for SUB consoles, or — mode ``ack`` — a DEALER in the acknowledged
mode of docs/PROTOCOL.md §1.9 that keeps every message until the console has
committed it), plus optional corruption for testing: with
``malformed_fraction`` F, about F of the frames is accompanied by one bad
frame or carries one bad reading. What it injects is counted by the reason a
console must give, so tests can reconcile both sides exactly.

It reports what it could not deliver: a frame is counted as sent only when a
console was connected to take it (PUSH and DEALER use ``ZMQ_IMMEDIATE``; PUB
counts its subscribers), and in ack mode only what the console acknowledged
is delivered.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import msgpack
import zmq
from zmq.utils.monitor import recv_monitor_message

from console.district.config import SiteConfig
from console.sim.models import FeedModel, Weather, local_time
from console.sim.scenarios import Scenario
from transport.feed_receiver import decode_ack, encode_ack_header
from transport.feedproto import PROTOCOL_VERSION, encode_batch

log = logging.getLogger(__name__)

MODES = ("push", "pub", "ack")

CORRUPTIONS = (
    "malformed",  # random bytes
    "truncated",  # a valid frame cut short (counted as malformed)
    "unsupported_version",
    "not_finite",
    "unknown_feed",
    "wrong_type",
    "ts_future",
    "bad_quality",
)


@dataclass
class SimOptions:
    endpoint: str
    rate: float | None = None
    """Total readings per second; None: each feed at its configured interval / speed."""
    duration: float | None = None
    scenario: str = "normal"
    malformed_fraction: float = 0.0
    speed: float = 1.0
    batch: int = 100
    seed: int = 1
    mode: str = "push"
    tick_s: float = 0.02
    send_timeout_ms: int = 2000
    backfill_min: float = 0.0
    """First replay this many minutes of history at each feed's interval, as fast as the
    socket takes it (a gateway flushing its buffer after an outage), then go live."""
    interval_s: float = 0.0
    """Send at most one round of frames per this many seconds (readings accumulate in
    between, as a gateway batching per docs/PROTOCOL.md §1.8 does); 0: as they fall due."""
    ack_window: int = 256
    """Ack mode: messages sent and not yet acknowledged, at most (then they wait)."""
    ack_resend_s: float = 2.0
    """Ack mode: no ack progress for this long → send every unacknowledged message again."""
    ack_drain_s: float = 30.0
    """Ack mode: at the end, wait this long at most for the console to acknowledge the rest."""


@dataclass
class SimReport:
    frames_sent: int = 0
    readings_sent: int = 0
    """Valid readings sent, which a console must accept."""
    injected: dict[str, int] = field(default_factory=dict)
    """Bad input sent, by the reject reason a console must count."""
    frames_unsent: int = 0
    """Frames no console was connected to take (PUSH, PUB) or, in ack mode, that the console
    had not acknowledged when the simulator stopped."""
    readings_unsent: int = 0
    duration_s: float = 0.0
    sim_minutes: float = 0.0
    frames_acked: int = 0
    """Ack mode: frames the console acknowledged (committed)."""
    resends: int = 0
    """Ack mode: frames sent again (after a silence or a resend request)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class SimulatedSite:
    """One site's models stepped on simulated time: which feed reports what, and when.

    Knows nothing of sockets or of real time: the socket loop below drives it
    from the wall clock (compressed by ``speed``), an in-process gateway drives
    it from a ``SimClock`` (console.sim.inprocess). Periods are in simulated seconds.
    """

    def __init__(
        self,
        site: SiteConfig,
        scenario: str,
        seed: int,
        periods_s: list[float],
        first_due_s: list[float],
    ) -> None:
        self.site = site
        self.models = [
            FeedModel.for_feed(f, random.Random(seed * 7919 + i)) for i, f in enumerate(site.feeds)
        ]
        self.weather = Weather(random.Random(seed + 1))
        self.scenario = Scenario.create(scenario, self.models, random.Random(seed + 2))
        self.tz = ZoneInfo(site.timezone)
        self.periods = periods_s
        self.next_due = list(first_due_s)
        self.elapsed = 0.0

    def advance(self, elapsed_s: float, sim_wall: float) -> list[tuple[int, float]]:
        """Step every model to ``elapsed_s`` simulated seconds since the start (wall time
        ``sim_wall``); return (feed index, value) for each reading that fell due, in
        order. A feed that is due several times reports each time (catch-up)."""
        dt = elapsed_s - self.elapsed
        self.elapsed = elapsed_s
        sim_min = elapsed_s / 60.0
        self.scenario.rain(sim_min, self.weather)
        self.weather.step(dt)
        rain = self.weather.intensity
        hour, weekday = local_time(sim_wall, self.tz)
        for m in self.models:
            m.step(dt, rain, self.scenario.surge)
        out: list[tuple[int, float]] = []
        for i, m in enumerate(self.models):
            while self.next_due[i] <= elapsed_s:
                self.next_due[i] += self.periods[i]
                v = self.scenario.apply(i, m.value(sim_wall, hour, weekday, rain), sim_min)
                if v is not None:
                    out.append((i, round(v, 4)))
        return out

    def next_due_s(self) -> float:
        return min(self.next_due)


class Simulator:
    def __init__(self, site: SiteConfig, opts: SimOptions) -> None:
        self.site = site
        self.opts = opts
        self.rng = random.Random(opts.seed)
        n = len(site.feeds)
        if opts.rate:
            real_periods = [n / opts.rate] * n
        else:
            real_periods = [f.interval_s / opts.speed for f in site.feeds]
        # Stagger first readings so feeds do not all report in the same tick.
        first = [self.rng.random() * min(p, 1.0) * opts.speed for p in real_periods]
        self.sim = SimulatedSite(
            site, opts.scenario, opts.seed, [p * opts.speed for p in real_periods], first
        )
        self.models = self.sim.models
        self.weather = self.sim.weather
        self.scenario = self.sim.scenario
        self.tz = self.sim.tz
        self.report = SimReport()
        self.stop_event = threading.Event()
        self._last_ts = [0] * n
        self._frame_seq = 0
        self._idx = {f.id: i for i, f in enumerate(site.feeds)}

    def run(self) -> SimReport:
        ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        self._out = _Transport.open(ctx, self.opts, self.report, self.stop_event)
        try:
            if self.opts.backfill_min > 0:
                self._backfill(self._out.sock)
            self._loop(self._out.sock)
        finally:
            self._out.close()
        return self.report

    def _backfill(self, sock: zmq.Socket[bytes]) -> None:
        now_ms = int(time.time() * 1000)
        t = now_ms - int(self.opts.backfill_min * 60_000)
        period_ms = [max(1, int(f.interval_s * 1000)) for f in self.site.feeds]
        due = [t + int(self.rng.random() * p) for p in period_ms]
        step_ms = 10_000
        rows: list[list[Any]] = []
        while t < now_ms and not self.stop_event.is_set():
            t = min(t + step_ms, now_ms)
            self.weather.step(step_ms / 1000)
            rain = self.weather.intensity
            hour, weekday = local_time(t / 1000, self.tz)
            for i, m in enumerate(self.models):
                m.step(step_ms / 1000, rain, False)
                while due[i] <= t:
                    ts = due[i]
                    due[i] += period_ms[i]
                    rows.append(
                        [m.feed.id, ts, round(m.value(ts / 1000, hour, weekday, rain), 4), 0]
                    )
                    self._last_ts[i] = ts
            if len(rows) >= self.opts.batch:
                for k in range(0, len(rows), self.opts.batch):
                    self._send(sock, rows[k : k + self.opts.batch], now_ms)
                rows = []
        for k in range(0, len(rows), self.opts.batch):
            self._send(sock, rows[k : k + self.opts.batch], now_ms)

    def _loop(self, sock: zmq.Socket[bytes]) -> None:
        opts = self.opts
        start_wall = time.time()
        start = time.monotonic()
        feeds = self.site.feeds
        while not self.stop_event.is_set():
            now = time.monotonic()
            elapsed = now - start
            if opts.duration is not None and elapsed >= opts.duration:
                break
            sim_elapsed = elapsed * opts.speed
            due = self.sim.advance(sim_elapsed, start_wall + sim_elapsed)
            now_ms = int(time.time() * 1000)
            rows: list[list[Any]] = []
            for i, v in due:
                ts = max(now_ms, self._last_ts[i] + 1)
                self._last_ts[i] = ts
                rows.append([feeds[i].id, ts, v, 0])
            for k in range(0, len(rows), opts.batch):
                self._send(sock, rows[k : k + opts.batch], now_ms)
            self._out.service()
            self.report.duration_s = time.monotonic() - start
            self.report.sim_minutes = self.report.duration_s * opts.speed / 60
            wait = (self.sim.next_due_s() - sim_elapsed) / opts.speed
            wait = min(wait, opts.tick_s * 10) if wait > 0 else opts.tick_s
            self.stop_event.wait(max(wait, opts.interval_s))

    def _send(self, sock: zmq.Socket[bytes], rows: list[list[Any]], now_ms: int) -> None:
        valid = 0
        out_of_range = 0
        for r in rows:
            f = self.site.feeds[self._idx[r[0]]]
            if f.valid_min <= r[2] <= f.valid_max:
                valid += 1
            else:
                out_of_range += 1
        extra: bytes | None = None
        frame_bad: str | None = None
        extra_bad: str | None = None
        if self.opts.malformed_fraction > 0 and self.rng.random() < self.opts.malformed_fraction:
            kind = self.rng.choice(CORRUPTIONS)
            feed0 = rows[0][0] if rows else self.site.feeds[0].id
            sample = rows[:1] or [[feed0, now_ms, 1.0, 0]]
            if kind == "malformed":
                extra = bytes([0xC1]) + self.rng.randbytes(self.rng.randint(0, 64))
            elif kind == "truncated":
                full = encode_batch(sample)
                extra = full[: max(1, len(full) // 2)]
                kind = "malformed"
            elif kind == "unsupported_version":
                extra = encode_batch(sample, version=PROTOCOL_VERSION + 98)
            else:
                bad: list[Any] = {
                    "not_finite": [feed0, now_ms, math.nan, 0],
                    "unknown_feed": ["no-such-feed-" + str(self.rng.randint(1, 9)), now_ms, 1.0, 0],
                    "wrong_type": [feed0, now_ms, "12.5", 0],
                    "ts_future": [feed0, now_ms + 3_600_000, 1.0, 0],
                    "bad_quality": [feed0, now_ms, 1.0, 7],
                }[kind]
                rows = [*rows, bad]
                frame_bad = kind
            if extra is not None:
                extra_bad = kind
        self._frame_seq += 1
        frame = msgpack.packb(
            {"v": PROTOCOL_VERSION, "src": f"sim-{self.site.id}", "seq": self._frame_seq, "r": rows}
        )
        rep = self.report
        if self._out.send(frame, valid):
            rep.readings_sent += valid
            self._count("out_of_range", out_of_range)
            self._count(frame_bad, 1)
        else:
            rep.readings_unsent += valid
        if extra is not None and self._out.send(extra, 0):
            self._count(extra_bad, 1)

    def _count(self, reason: str | None, n: int) -> None:
        if reason is not None and n:
            self.report.injected[reason] = self.report.injected.get(reason, 0) + n


class _Transport:
    """How frames leave the simulator: PUSH, PUB or acknowledged mode (DEALER)."""

    def __init__(
        self, sock: zmq.Socket[bytes], opts: SimOptions, report: SimReport, stop: threading.Event
    ) -> None:
        self.sock = sock
        self.opts = opts
        self.report = report
        self.stop = stop
        self.mon = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
        self.peers = 0
        """Consoles connected now (handshakes minus disconnects)."""

    @staticmethod
    def open(
        ctx: zmq.Context[zmq.Socket[bytes]],
        opts: SimOptions,
        report: SimReport,
        stop: threading.Event,
    ) -> _Transport:
        kind = {"pub": zmq.PUB, "ack": zmq.DEALER}.get(opts.mode, zmq.PUSH)
        sock = ctx.socket(kind)
        sock.setsockopt(zmq.SNDHWM, 100_000)
        sock.setsockopt(zmq.SNDTIMEO, opts.send_timeout_ms)
        sock.setsockopt(zmq.LINGER, 10_000)
        if kind != zmq.PUB:
            # No queue for a console that is not there: a frame is sent only when one is.
            sock.setsockopt(zmq.IMMEDIATE, 1)
        out = (
            _AckTransport(sock, opts, report, stop)
            if opts.mode == "ack"
            else _Transport(sock, opts, report, stop)
        )
        if kind == zmq.PUB:
            sock.bind(opts.endpoint)
        else:
            sock.connect(opts.endpoint)
            out.await_peer(opts.send_timeout_ms / 1000)
        return out

    def await_peer(self, timeout: float) -> None:
        """Give a console that is already listening the time to complete the handshake."""
        deadline = time.monotonic() + timeout
        while self.peers == 0 and time.monotonic() < deadline and not self.stop.is_set():
            self._watch(50)

    def _watch(self, wait_ms: int = 0) -> None:
        while self.mon.poll(wait_ms, zmq.POLLIN):
            ev = recv_monitor_message(self.mon, zmq.NOBLOCK)
            if ev["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                self.peers += 1
            elif ev["event"] == zmq.EVENT_DISCONNECTED:
                self.peers = max(0, self.peers - 1)
            wait_ms = 0

    def send(self, payload: bytes, readings: int) -> bool:
        """Hand one frame over; False (counted unsent) when no console could take it."""
        self._watch()
        try:
            if self.opts.mode == "pub" and self.peers == 0:
                raise zmq.Again  # PUB would drop it silently
            # PUSH: waits up to send_timeout_ms for a console while one is connected.
            self.sock.send(payload, 0 if self.peers else zmq.NOBLOCK)
        except zmq.Again:
            self.report.frames_unsent += 1
            return False
        self.report.frames_sent += 1
        return True

    def service(self) -> None:
        self._watch()

    def close(self) -> None:
        self.sock.disable_monitor()
        self.mon.close(0)
        self.sock.close()  # lingers up to 10 s so queued frames still reach the console
        if self.report.frames_unsent:
            log.warning(
                "simulator: %d frames (%d readings) could not be delivered: no console took "
                "them at %s",
                self.report.frames_unsent,
                self.report.readings_unsent,
                self.opts.endpoint,
            )


@dataclass
class _Pending:
    seq: int
    payload: bytes
    readings: int
    sent_at: float | None = None
    """When last transmitted; None: (re)transmit at the next chance."""


class _AckTransport(_Transport):
    """Acknowledged mode (docs/PROTOCOL.md §1.9): every frame is kept until the console
    acknowledges it as committed, and sent again after a silence or a resend request."""

    def __init__(
        self, sock: zmq.Socket[bytes], opts: SimOptions, report: SimReport, stop: threading.Event
    ) -> None:
        super().__init__(sock, opts, report, stop)
        self.pending: deque[_Pending] = deque()
        self.seq = 0
        self.acked = 0
        self.progress_at = time.monotonic()
        self.resend_for = -1

    def send(self, payload: bytes, readings: int) -> bool:
        self.seq += 1
        self.pending.append(_Pending(self.seq, payload, readings))
        self.report.frames_sent += 1
        self.service()
        # Back-pressure: a full window waits for acks (nothing is dropped).
        while self._in_flight() >= self.opts.ack_window and not self.stop.is_set():
            self.service(wait_ms=20)
        return True

    def _in_flight(self) -> int:
        return sum(1 for p in self.pending if p.sent_at is not None)

    def service(self, wait_ms: int = 0) -> None:
        self._watch()
        while self.sock.poll(wait_ms, zmq.POLLIN):
            wait_ms = 0
            through, resend = decode_ack(self.sock.recv())
            if through > self.acked:
                while self.pending and self.pending[0].seq <= through:
                    self.pending.popleft()
                    self.report.frames_acked += 1
                self.acked = through
                self.progress_at = time.monotonic()
            if resend and through != self.resend_for:
                self.resend_for = through
                self._rewind()
        now = time.monotonic()
        if self.pending and now - self.progress_at > self.opts.ack_resend_s:
            self.progress_at = now
            self._rewind()
        self._transmit(now)

    def _rewind(self) -> None:
        for p in self.pending:
            if p.sent_at is not None:
                p.sent_at = None
                self.report.resends += 1

    def _transmit(self, now: float) -> None:
        if not self.pending:
            return
        first = self.pending[0].seq
        in_flight = self._in_flight()
        for p in self.pending:
            if in_flight >= self.opts.ack_window:
                return
            if p.sent_at is not None:
                continue
            try:
                self.sock.send_multipart([encode_ack_header(p.seq, first), p.payload], zmq.NOBLOCK)
            except zmq.Again:
                return  # no console connected: kept, sent when one is
            p.sent_at = now
            in_flight += 1

    def close(self) -> None:
        deadline = time.monotonic() + self.opts.ack_drain_s
        while self.pending and time.monotonic() < deadline:
            self.service(wait_ms=50)
        rep = self.report
        for p in self.pending:
            rep.frames_sent -= 1
            rep.frames_unsent += 1
            rep.readings_sent -= p.readings
            rep.readings_unsent += p.readings
        self.pending.clear()
        super().close()


def report_json(report: SimReport) -> str:
    return json.dumps(report.as_dict(), sort_keys=True)

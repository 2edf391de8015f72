"""The simulator loop: models → batches → ZeroMQ, at a given rate and speed.

It behaves like a well-behaved gateway (PUSH connecting to the console's PULL,
or PUB bound for SUB consoles), plus optional corruption for testing: with
``malformed_fraction`` F, about F of the frames is accompanied by one bad
frame or carries one bad reading. What it injects is counted by the reason a
console must give, so tests can reconcile both sides exactly.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import msgpack
import zmq

from console.district.config import SiteConfig
from console.sim.models import FeedModel, Weather, local_time
from console.sim.scenarios import Scenario
from transport.feedproto import PROTOCOL_VERSION, encode_batch

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


@dataclass
class SimReport:
    frames_sent: int = 0
    readings_sent: int = 0
    """Valid readings sent, which a console must accept."""
    injected: dict[str, int] = field(default_factory=dict)
    """Bad input sent, by the reject reason a console must count."""
    frames_unsent: int = 0
    readings_unsent: int = 0
    duration_s: float = 0.0
    sim_minutes: float = 0.0

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
        sock = ctx.socket(zmq.PUB if self.opts.mode == "pub" else zmq.PUSH)
        sock.setsockopt(zmq.SNDHWM, 100_000)
        sock.setsockopt(zmq.SNDTIMEO, self.opts.send_timeout_ms)
        sock.setsockopt(zmq.LINGER, 10_000)
        if self.opts.mode == "pub":
            sock.bind(self.opts.endpoint)
        else:
            sock.connect(self.opts.endpoint)
        try:
            if self.opts.backfill_min > 0:
                self._backfill(sock)
            self._loop(sock)
        finally:
            sock.close()  # lingers up to 10 s so queued frames still reach the console
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
            self.report.duration_s = time.monotonic() - start
            self.report.sim_minutes = self.report.duration_s * opts.speed / 60
            wait = (self.sim.next_due_s() - sim_elapsed) / opts.speed
            if wait > 0:
                self.stop_event.wait(min(wait, opts.tick_s * 10))
            else:
                self.stop_event.wait(opts.tick_s)

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
        if self._try_send(sock, frame):
            rep.readings_sent += valid
            self._count("out_of_range", out_of_range)
            self._count(frame_bad, 1)
        else:
            rep.readings_unsent += valid
        if extra is not None and self._try_send(sock, extra):
            self._count(extra_bad, 1)

    def _try_send(self, sock: zmq.Socket[bytes], payload: bytes) -> bool:
        try:
            sock.send(payload)
        except zmq.Again:
            self.report.frames_unsent += 1
            return False
        self.report.frames_sent += 1
        return True

    def _count(self, reason: str | None, n: int) -> None:
        if reason is not None and n:
            self.report.injected[reason] = self.report.injected.get(reason, 0) + n


def report_json(report: SimReport) -> str:
    return json.dumps(report.as_dict(), sort_keys=True)

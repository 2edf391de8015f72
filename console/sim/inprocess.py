"""A simulated gateway inside the console's process, on a simulated clock.

Runs a scenario through the real feed codec (encode → decode with limits →
ingest) and the console's real scheduler, writer and alarm engine, but with
time taken from a ``SimClock``: forty minutes of a sensor-faults scenario
take a few seconds and always produce the same readings. Only the socket is
left out (the transport has tests of its own, and one end-to-end demo test
keeps the whole path honest).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.district.services.app import ConsoleApp
from console.shared.clock import SimClock, time_ms
from console.sim.simulator import SimulatedSite
from transport.feedproto import Decoded, decode_frame, encode_batch


@dataclass
class InProcessReport:
    readings_sent: int = 0
    frames_sent: int = 0
    sim_seconds: float = 0.0
    rejected: dict[str, int] = field(default_factory=dict)


class InProcessGateway:
    """Feeds ``app`` from a ``SimulatedSite`` as time passes on ``app``'s ``SimClock``."""

    def __init__(self, app: ConsoleApp, scenario: str, *, seed: int = 1, batch: int = 100) -> None:
        if not isinstance(app.clock, SimClock):
            raise TypeError("an in-process gateway needs the console to run on a SimClock")
        self.app = app
        self.clock: SimClock = app.clock
        feeds = app.site.feeds
        self.sim = SimulatedSite(
            app.site,
            scenario,
            seed,
            [f.interval_s for f in feeds],
            [(i % 10) * 0.1 for i in range(len(feeds))],
        )
        self._ids = [f.id for f in feeds]
        self._last_ts = [0] * len(feeds)
        self._batch = batch
        self.report = InProcessReport()

    def run(self, seconds: float, *, step_s: float = 1.0) -> InProcessReport:
        """Advance the clock by ``seconds``: at each step the due readings go through
        the codec into ingest, then every scheduled job that fell due runs."""
        end = self.report.sim_seconds + seconds
        while self.report.sim_seconds < end - 1e-9:
            dt = min(step_s, end - self.report.sim_seconds)
            self.app.scheduler.advance(dt)
            self.report.sim_seconds += dt
            self._send(self.sim.advance(self.report.sim_seconds, self.clock.time()))
        return self.report

    def _send(self, due: list[tuple[int, float]]) -> None:
        now_ms = time_ms(self.clock)
        rows: list[list[object]] = []
        for i, v in due:
            ts = max(now_ms, self._last_ts[i] + 1)
            self._last_ts[i] = ts
            rows.append([self._ids[i], ts, v, 0])
        for k in range(0, len(rows), self._batch):
            chunk = rows[k : k + self._batch]
            out = Decoded()
            decode_frame(encode_batch(chunk), self.app.limits, now_ms, out)
            out.frames = 1
            self.app.accept(out)
            self.report.frames_sent += 1
            self.report.readings_sent += len(chunk)
            for reason, n in out.rejects.items():
                self.report.rejected[reason] = self.report.rejected.get(reason, 0) + n

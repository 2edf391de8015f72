"""Signal models for the simulated feeds, driven by a simulated clock.

Plausible rather than exact: diurnal traffic with weekday rush hours,
rush-hour PM2.5 peaks washed out by rain, mixed tides on the Hàn and Cẩm Lệ
rivers with a linear-reservoir response to upstream rain, showers that come
and go. Scenarios (``console.sim.scenarios``) push these models around.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from console.district.config import FeedConfig

M2_PERIOD_S = 12.42 * 3600
K1_PERIOD_S = 23.93 * 3600


def gauss(x: float, mu: float, sigma: float) -> float:
    return math.exp(-(((x - mu) / sigma) ** 2))


def traffic_profile(hour: float, weekday: int) -> float:
    """Share of a road's capacity in use at a local hour (0..1)."""
    base = 0.06 + 0.30 * (6.0 <= hour <= 22.0)
    peaks = (
        0.75 * gauss(hour, 7.3, 1.0) + 0.35 * gauss(hour, 11.8, 1.3) + 0.85 * gauss(hour, 17.4, 1.2)
    )
    if weekday >= 5:
        peaks *= 0.55
    return min(1.0, base + peaks)


@dataclass
class Weather:
    """Rain over the site (mm/h), one field shared by all gauges."""

    rng: random.Random
    intensity: float = 0.0
    forced: float | None = None
    _shower_left_s: float = 0.0
    _shower_peak: float = 0.0

    def step(self, dt: float) -> None:
        if self.forced is not None:
            self.intensity = self.forced
            return
        if self._shower_left_s > 0:
            self._shower_left_s -= dt
            self.intensity = max(0.0, self._shower_peak * (0.7 + 0.3 * self.rng.random()))
        else:
            self.intensity = 0.0
            # About one shower every six hours of simulated time.
            if self.rng.random() < dt / (6 * 3600):
                self._shower_left_s = self.rng.uniform(600, 2400)
                self._shower_peak = self.rng.uniform(2, 15)


@dataclass
class FeedModel:
    """One feed's state; ``value`` gives the reading at the current state."""

    feed: FeedConfig
    rng: random.Random
    local_gain: float = 1.0
    capacity: float = 60.0
    free_speed: float = 50.0
    base_level: float = 0.4
    tide_amp: float = 0.35
    reservoir: float = 0.0
    surge_target: float = 3.0
    noise: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @classmethod
    def for_feed(cls, feed: FeedConfig, rng: random.Random) -> FeedModel:
        m = cls(feed=feed, rng=rng, local_gain=rng.uniform(0.75, 1.25))
        m.capacity = rng.uniform(40, 90)
        m.free_speed = rng.uniform(38, 60)
        if feed.kind == "river_level":
            first = feed.alert_levels[0] if feed.alert_levels else 1.0
            upstream = first >= 2.5
            m.base_level = first - (1.2 if upstream else 0.65)
            m.tide_amp = 0.05 if upstream else rng.uniform(0.28, 0.38)
            top = feed.alert_levels[-1] if feed.alert_levels else first + 2.0
            # Enough rain-driven rise to pass the highest alert level in a surge.
            m.surge_target = (top - m.base_level) * 1.35
        if feed.kind == "pm25":
            industrial = "công nghiệp" in feed.name.vi or "cảng" in feed.name.vi.lower()
            m.extra["pm_base"] = rng.uniform(14, 22) + (12 if industrial else 0)
        return m

    def step(self, dt: float, rain: float, surge: bool) -> None:
        """Advance state by ``dt`` simulated seconds under ``rain`` mm/h."""
        if self.feed.kind == "river_level":
            tau = 900.0 if surge else 3600.0
            # Linear reservoir: a 90 mm/h storm drives the level to `surge_target`.
            inflow = rain / 90.0 * self.surge_target * self.local_gain
            self.reservoir += dt * (inflow - self.reservoir) / tau
        # AR(1) noise, the same for every kind, scaled in `value`.
        a = math.exp(-dt / 300.0)
        self.noise = a * self.noise + math.sqrt(max(0.0, 1 - a * a)) * self.rng.gauss(0, 1)

    def value(self, sim_t: float, hour: float, weekday: int, rain: float) -> float:
        kind = self.feed.kind
        rng = self.rng
        if kind == "river_level":
            tide = self.tide_amp * (
                0.6 * math.sin(2 * math.pi * sim_t / M2_PERIOD_S)
                + 0.4 * math.sin(2 * math.pi * sim_t / K1_PERIOD_S + 1.1)
            )
            return self.base_level + tide + self.reservoir + 0.01 * self.noise + rng.gauss(0, 0.004)
        if kind == "rainfall":
            if rain <= 0.05:
                return 0.0
            return max(0.0, rain * self.local_gain * (1 + 0.08 * rng.gauss(0, 1)))
        if kind == "pm25":
            base = self.extra.get("pm_base", 18.0)
            rush = 28 * gauss(hour, 7.6, 1.1) + 34 * gauss(hour, 18.0, 1.4)
            washout = 1.0 - min(0.65, rain / 40.0)
            return max(
                1.0,
                (base + rush * self.local_gain) * washout * (1 + 0.12 * self.noise)
                + rng.gauss(0, 1.2),
            )
        if kind == "traffic_flow":
            use = traffic_profile(hour, weekday) * (0.85 if rain > 10 else 1.0)
            mean = self.capacity * use * (1 + 0.06 * self.noise)
            return float(max(0, round(mean + rng.gauss(0, math.sqrt(max(mean, 1.0))))))
        if kind == "traffic_speed":
            use = traffic_profile(hour, weekday)
            v = self.free_speed * (1 - 0.65 * use**2) * (0.8 if rain > 10 else 1.0)
            return max(3.0, v * (1 + 0.05 * self.noise) + rng.gauss(0, 1.5))
        if kind == "cctv_events":
            lam = 0.2 + 2.5 * traffic_profile(hour, weekday) * self.local_gain
            return float(_poisson(rng, lam))
        raise ValueError(f"no model for kind {kind!r}")


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def local_time(sim_t: float, tz: ZoneInfo) -> tuple[float, int]:
    """(local hour as a float, weekday 0=Monday) at simulated epoch time ``sim_t``."""
    d = datetime.fromtimestamp(sim_t, tz)
    return d.hour + d.minute / 60 + d.second / 3600, d.weekday()

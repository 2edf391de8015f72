"""Scenarios: what the simulated district is going through.

Times are in simulated minutes since the scenario started (the simulator's
``--speed`` compresses them: at 60× a one-hour storm passes in a minute).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from console.sim.models import FeedModel, Weather

SCENARIOS = ("normal", "storm", "flood-surge", "sensor-faults", "chatter", "shift")

DEMO_SCENARIO = "storm"
"""What ``opsconsole demo`` shows unless told otherwise: a story, not three quiet minutes."""

STORM_ONSET_MIN = 20.0
"""The storm scenario is an ordinary day for this long (20 s of the demo at 60×), then the
flood-surge storm plays out: heavy rain, rivers past alert level III, then receding."""

SHIFT_FLOOD_MIN = (240.0, 480.0)
"""The ``shift`` scenario (an operator's 12-hour shift, ``bench soak``): ordinary weather,
then a flood from hour 4 to hour 8 (rain up to ~95-110 mm/h, rivers past their alert
levels), then recovery while the rivers recede."""

FAULT_ONSET_MIN = 1.0
"""Sensor faults start one simulated minute in, so every feed has reported first."""


@dataclass
class Scenario:
    name: str
    models: list[FeedModel]
    rng: random.Random
    surge: bool = False
    onset_min: float = 0.0
    """Simulated minutes of ordinary weather before the storm (surge scenarios)."""
    silent: set[int] = field(default_factory=set)
    stuck: dict[int, float | None] = field(default_factory=dict)
    jumping: dict[int, str] = field(default_factory=dict)
    chatter: set[int] = field(default_factory=set)
    _jump_count: dict[int, int] = field(default_factory=dict)

    @classmethod
    def create(cls, name: str, models: list[FeedModel], rng: random.Random) -> Scenario:
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r} (known: {', '.join(SCENARIOS)})")
        sc = cls(
            name=name,
            models=models,
            rng=rng,
            surge=name in ("flood-surge", "storm"),
            onset_min=STORM_ONSET_MIN if name == "storm" else 0.0,
        )
        by_kind: dict[str, list[int]] = {}
        for i, m in enumerate(models):
            by_kind.setdefault(m.feed.kind, []).append(i)

        def pick(kind: str, n: int) -> int | None:
            ids = by_kind.get(kind, [])
            return ids[n] if len(ids) > n else None

        if name == "sensor-faults":
            for k in (pick("river_level", 1), pick("traffic_flow", 0)):
                if k is not None:
                    sc.silent.add(k)
            for k in (pick("pm25", 0), pick("river_level", 2)):
                if k is not None:
                    sc.stuck[k] = None
            jumps = (
                # A plausible-looking but physically impossible jump of a river.
                (pick("river_level", 3), "spike"),
                (pick("rainfall", 1), "out_of_range"),
                # Reports in the wrong unit (mg/m³ read as µg/m³ × 1000).
                (pick("pm25", 1), "wrong_unit"),
            )
            for k, how in jumps:
                if k is not None:
                    sc.jumping[k] = how
        if name == "chatter":
            k = pick("river_level", 0)
            if k is not None:
                sc.chatter.add(k)
        return sc

    def rain(self, sim_min: float, weather: Weather) -> None:
        if self.name == "shift":
            self._shift(sim_min, weather)
            return
        if not self.surge:
            return
        if sim_min < self.onset_min:
            return  # an ordinary day: the weather model's own showers, if any
        sim_min -= self.onset_min
        if sim_min < 1:
            weather.forced = 0.0
        elif sim_min < 8:
            weather.forced = 95.0 * (sim_min - 1) / 7
        elif sim_min < 45:
            weather.forced = 95.0 + 15.0 * math.sin(sim_min / 3.0)
        elif sim_min < 70:
            weather.forced = 95.0 * (70 - sim_min) / 25
        else:
            weather.forced = 0.0

    def _shift(self, sim_min: float, weather: Weather) -> None:
        """Normal → flood (the flood-surge curve, stretched to four hours) → recovery."""
        start, end = SHIFT_FLOOD_MIN
        if sim_min < start or sim_min >= end + 120:
            self.surge = False
            weather.forced = None  # ordinary showers
            return
        self.surge = True  # rivers answer rain fast until two hours after the rain stops
        t = sim_min - start
        if t < 60:
            weather.forced = 95.0 * t / 60
        elif sim_min < end - 60:
            weather.forced = 95.0 + 15.0 * math.sin(t / 20.0)
        elif sim_min < end:
            weather.forced = 95.0 * (end - sim_min) / 60
        else:
            weather.forced = 0.0

    def apply(self, i: int, value: float, sim_min: float) -> float | None:
        """The value feed ``i`` reports (None: it stays silent)."""
        if i in self.chatter:
            m = self.models[i]
            level = m.feed.alert_levels[0] if m.feed.alert_levels else 1.0
            return level + 0.04 * math.sin(sim_min * 2 * math.pi / 2.0) + self.rng.gauss(0, 0.02)
        if sim_min < FAULT_ONSET_MIN:
            return value
        if i in self.silent:
            return None
        if i in self.stuck:
            if self.stuck[i] is None:
                self.stuck[i] = value
            return self.stuck[i]
        how = self.jumping.get(i)
        if how is not None:
            n = self._jump_count.get(i, 0) + 1
            self._jump_count[i] = n
            if n % 7 == 0:
                if how == "spike":
                    return value + 4.5
                if how == "out_of_range":
                    return 999.0
                if how == "wrong_unit":
                    return value * 1000.0
        return value

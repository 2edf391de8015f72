"""The simulator: plausible physics per scenario, and as a real process feeding a console."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.sim.models import FeedModel, Weather, local_time, traffic_profile
from console.sim.scenarios import Scenario
from tests.conftest import wait_until


def run_scenario(
    site: SiteConfig, name: str, minutes: float, dt: float = 10.0, start: float = 1_795_000_000.0
):
    """Step the models in simulated time; return {feed id: [values reported]} (None = silent)."""
    models = [FeedModel.for_feed(f, random.Random(i)) for i, f in enumerate(site.feeds)]
    weather = Weather(random.Random(0))
    sc = Scenario.create(name, models, random.Random(1))
    out: dict[str, list[float | None]] = {f.id: [] for f in site.feeds}
    t = 0.0
    while t < minutes * 60:
        sc.rain(t / 60, weather)
        weather.step(dt)
        hour, wd = local_time(start + t, __import__("zoneinfo").ZoneInfo(site.timezone))
        for i, m in enumerate(models):
            m.step(dt, weather.intensity, sc.surge)
            out[m.feed.id].append(
                sc.apply(i, m.value(start + t, hour, wd, weather.intensity), t / 60)
            )
        t += dt
    return out, sc


def test_normal_rivers_stay_below_alert_level_one(demo_site: SiteConfig) -> None:
    out, _ = run_scenario(demo_site, "normal", minutes=24 * 60, dt=60)
    for f in demo_site.feeds:
        vals = np.array(out[f.id], dtype=float)
        assert np.all((vals >= f.valid_min) & (vals <= f.valid_max)), f.id
        if f.kind == "river_level":
            assert vals.max() < f.alert_levels[0], f"{f.id} alarms on a normal day"
            assert vals.max() - vals.min() > 0.3, f"{f.id} shows no tide"


def test_flood_surge_takes_rivers_past_level_three_with_rain_first(demo_site: SiteConfig) -> None:
    out, _ = run_scenario(demo_site, "flood-surge", minutes=60, dt=10)
    for f in demo_site.feeds:
        vals = np.array(out[f.id], dtype=float)
        if f.kind == "river_level":
            crossings = [int(np.argmax(vals >= lvl)) for lvl in f.alert_levels]
            assert vals.max() > f.alert_levels[2], f"{f.id} never reaches level III"
            assert crossings == sorted(crossings) and crossings[0] > 0
        if f.kind == "rainfall":
            assert vals[:5].max() < 20 and vals.max() > 60, f.id


def test_sensor_faults_have_silent_stuck_and_jumping_feeds(demo_site: SiteConfig) -> None:
    out, sc = run_scenario(demo_site, "sensor-faults", minutes=30, dt=10)
    ids = [f.id for f in demo_site.feeds]
    assert len(sc.silent) == 2 and len(sc.stuck) == 2 and len(sc.jumping) == 3
    for i in sc.silent:
        after = out[ids[i]][12:]
        assert all(v is None for v in after) and out[ids[i]][0] is not None
    for i in sc.stuck:
        assert len(set(out[ids[i]][7:])) == 1
    for i, how in sc.jumping.items():
        f = demo_site.feeds[i]
        vals = [v for v in out[ids[i]][6:] if v is not None]
        if how == "spike":
            assert max(np.diff(vals)) > 4.0
        else:
            assert max(vals) > f.valid_max


def test_chatter_hovers_around_level_one(demo_site: SiteConfig) -> None:
    out, sc = run_scenario(demo_site, "chatter", minutes=30, dt=5)
    (i,) = sc.chatter
    f = demo_site.feeds[i]
    vals = np.array(out[f.id], dtype=float)
    above = vals >= f.alert_levels[0]
    assert 0.2 < above.mean() < 0.8
    assert np.count_nonzero(np.diff(above.astype(int))) > 20, "crosses the limit again and again"


def test_traffic_has_weekday_rush_hours() -> None:
    assert traffic_profile(7.3, 1) > 3 * traffic_profile(3.0, 1)
    assert traffic_profile(17.5, 1) > traffic_profile(17.5, 6)


@pytest.mark.slow
def test_simulator_process_feeds_a_console_and_both_sides_reconcile(
    demo_site: SiteConfig, tmp_path: Path
) -> None:
    engine = ConsoleApp(demo_site, tmp_path, feeds_pull=["tcp://127.0.0.1:*"])
    engine.start()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "console",
                "simulate",
                "--site",
                str(demo_site.path),
                "--endpoint",
                engine.endpoints[0],
                "--rate",
                "2000",
                "--duration",
                "3",
                "--scenario",
                "sensor-faults",
                "--speed",
                "60",
                "--malformed-fraction",
                "0.2",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        wait_until(
            lambda: engine.receiver.frames_received == report["frames_sent"], what="all frames"
        )
        assert engine.flush(10)
        st = engine.stats()
    finally:
        engine.stop()
    assert report["frames_unsent"] == 0
    assert report["readings_sent"] > 3000
    assert st.readings_stored == report["readings_sent"]
    assert st.readings_rejected == report["injected"]
    assert {
        "malformed",
        "unsupported_version",
        "not_finite",
        "unknown_feed",
        "out_of_range",
    } <= set(st.readings_rejected)
    assert st.feeds_seen == len(demo_site.feeds)


def test_a_shift_is_normal_then_a_flood_then_recovery(demo_site: SiteConfig) -> None:
    out, _ = run_scenario(demo_site, "shift", minutes=12 * 60, dt=60)
    hours = np.arange(12 * 60) / 60  # one value a minute
    for f in demo_site.feeds:
        vals = np.array(out[f.id], dtype=float)
        assert np.all((vals >= f.valid_min) & (vals <= f.valid_max)), f.id
        if f.kind == "river_level":
            assert vals[hours < 4].max() < f.alert_levels[0], f"{f.id} alarms before the flood"
            assert vals[(hours >= 4) & (hours < 9)].max() > f.alert_levels[1], f.id
            assert vals[hours >= 11.5].max() < vals.max() - 0.5, f"{f.id} does not recede"
        if f.kind == "rainfall":
            assert vals[(hours >= 5) & (hours < 7)].min() > 40, f.id
            assert vals[hours >= 8.5].max() < 20, f.id

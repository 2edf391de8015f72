"""Smoke runs of the storage benches (tiny sizes): keys, targets map, printed verdicts.

The real runs (a 2,000-feed, 90-day log; a 10-minute soak) are in docs/PERFORMANCE.md:
never in the test suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def opsconsole(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def check_targets(out: dict[str, object], stderr: str, names: set[str]) -> None:
    targets = out["targets"]
    assert isinstance(targets, dict) and set(targets) == names
    for name, t in targets.items():
        assert set(t) == {"target", "value", "met"}, name
        verdict = "met" if t["met"] else "NOT MET"
        assert f"target {name} {t['target']}: {t['value']} — {verdict}" in stderr


def test_bench_history_prints_its_keys_and_targets() -> None:
    r = opsconsole(
        "bench", "history", "--json", "--feeds", "12", "--days", "2", "--long-days", "3",
        "--prune-seconds", "4", "--prune-days", "1",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("raw_1h_ms", "minute_30d_ms", "minute_365d_ms", "baseline_plain_sql_30d_ms",
                "baseline_raw_30d_ms", "raw_bytes_per_row", "minute_bytes_per_row"):  # fmt: skip
        assert isinstance(out[key], int | float) and out[key] > 0, key
    assert out["database_bytes"] > 0 and out["raw_rows"] == 12 * 2 * 1440
    assert out["minute_365d_points"] > 0 and out["minute_30d_points"] > 0
    assert out["prune"]["pruned_during_run"] > 0 and out["prune"]["latency_ms_p99_during"] > 0
    assert out["link_sizes"]["outbox_bytes_per_record"] > out["link_sizes"]["summary_payload_bytes"]
    check_targets(out, r.stderr, {"raw_1h_ms", "minute_30d_ms", "minute_365d_ms",
                                  "prune_latency_ms_p99"})  # fmt: skip


def test_bench_soak_prints_its_keys_and_targets() -> None:
    r = opsconsole("bench", "soak", "--json", "--minutes", "0.3", "--hours", "2")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("rss_start_mb", "rss_after_first_hour_mb", "rss_peak_mb", "rss_end_mb",
                "python_objects_end", "qt_objects_end", "frame_ms_p99_worst_hour", "log_bytes",
                "baseline_frame_ms_p99"):  # fmt: skip
        assert isinstance(out[key], int | float) and out[key] > 0, key
    assert [h["sim_hour"] for h in out["hours"]] == [1, 2]
    assert all(h["frame_ms_p99"] > 0 and h["readings_stored"] > 0 for h in out["hours"])
    check_targets(out, r.stderr, {"rss_growth_after_first_hour", "frame_ms_p99_worst_hour"})


def test_bench_soak_stops_its_hub_when_the_run_fails(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A soak that fails midway (here: the console cannot open its log) still stops the hub
    process it started: no orphan left listening."""
    import console.bench.uplink as uplink_mod
    import console.district.services.app as app_mod
    from console.bench.soak import run_soak_bench

    stopped: list[str] = []

    class FakeHub:
        endpoint = "tcp://127.0.0.1:1"

        def __init__(self, *_args: object) -> None:
            pass

        def stop(self) -> None:
            stopped.append("hub")

    def no_console(*_args: object, **_kw: object) -> None:
        raise RuntimeError("the log cannot be opened")

    monkeypatch.setattr(uplink_mod, "_HubProc", FakeHub)
    monkeypatch.setattr(app_mod, "ConsoleApp", no_console)
    with pytest.raises(RuntimeError, match="cannot be opened"):
        run_soak_bench(minutes=0.01, hours=1)
    assert stopped == ["hub"]

"""``opsconsole ioc`` and ``opsconsole bench ioc`` as a user and a script see them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.hub.config import write_hub_config

pytestmark = pytest.mark.slow


def opsconsole(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_bench_ioc_prints_its_keys_and_says_which_targets_are_met() -> None:
    r = opsconsole("bench", "ioc", "--json", "--quick", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in (
        "frame_ms_p50",
        "frame_ms_p99",
        "status_visible_ms_p50",
        "status_visible_ms_p99",
        "escalation_visible_ms_p50",
        "escalation_visible_ms_p99",
        "detail_draw_ms_p99",
        "baseline_frame_ms_p50",
        "baseline_frame_ms_p99",
    ):
        assert isinstance(out[key], int | float) and out[key] > 0, key
    assert "escalation inbox" in out["notes"]["escalation_visible_ms_p99"]
    assert out["status_visible_samples"] > 0 and out["frames"] > 20
    assert out["escalation_visible_samples"] > 0
    assert set(out["targets"]) == {
        "frame_ms_p99",
        "status_visible_ms_p99",
        "escalation_visible_ms_p99",
    }
    for key, t in out["targets"].items():
        assert t["value"] == out[key] and isinstance(t["met"], bool), key
        assert f"target {key} " in r.stderr and "met" in r.stderr.lower()


def test_the_ioc_window_runs_and_closes_on_its_own(tmp_path: Path) -> None:
    cfg = tmp_path / "hub.toml"
    write_hub_config(cfg, bind="tcp://*:5700", database="sqlite:///hub.sqlite3", secret_key="k")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = opsconsole("ioc", "--config", str(cfg), "--duration", "2", "--lang", "en", env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "hub.sqlite3").exists()  # brought to this build's schema


def test_ioc_refuses_clearly_without_a_display_or_with_a_bad_file(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    cfg = tmp_path / "hub.toml"
    write_hub_config(cfg, bind="tcp://*:5700", database="sqlite:///hub.sqlite3", secret_key="k")
    r = opsconsole("ioc", "--config", str(cfg), env=env)
    if sys.platform.startswith("linux"):
        assert r.returncode == 2 and "no display found" in r.stderr
    cfg.write_text("[hub]\nbind = 5\n", "utf-8")
    r = opsconsole("ioc", "--config", str(cfg), env=dict(env, QT_QPA_PLATFORM="offscreen"))
    assert r.returncode == 2 and "configuration error" in r.stderr and "hub.bind" in r.stderr

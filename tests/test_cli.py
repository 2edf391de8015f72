"""The command line as a user and a script see it: real processes, real files."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.district.config import SiteConfig
from tests.procs import JsonLinesProcess

pytestmark = pytest.mark.slow


def opsconsole(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the tests check returncode themselves
        [sys.executable, "-m", "console", *args], capture_output=True, text=True, timeout=timeout
    )


def db_count(path: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM readings").fetchone()[0]
    finally:
        con.close()


def test_headless_demo_reports_what_the_database_holds(tmp_path: Path) -> None:
    r = opsconsole(
        "demo",
        "--headless",
        "--duration",
        "4",
        "--json",
        "--data-dir",
        str(tmp_path),
        "--malformed-fraction",
        "0.05",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in (
        "readings_received",
        "readings_stored",
        "readings_rejected",
        "feeds_seen",
        "database",
    ):
        assert key in out
    assert out["readings_stored"] > 1000
    assert out["readings_stored"] == db_count(out["database"]) == out["readings_received"]
    assert sum(out["readings_rejected"].values()) > 0
    assert out["readings_rejected"] == out["simulator"]["injected"]
    assert out["feeds_seen"] == 42
    assert Path(out["database"]).parent == tmp_path
    # The demo's console delivered to its local hub over CURVE; everything written was acked.
    link = out["uplink"]
    assert (link["state"], link["backlog"]) == ("online", 0), link
    assert link["streams"]["status"]["last_seq"] >= 1
    hub = json.loads(opsconsole("hub", "stats", "--config", out["hub"]["config"], "--json").stdout)
    streams = hub["consoles"]["hai-chau"]["streams"]
    for name, s in link["streams"].items():
        if s["last_seq"]:
            assert streams[name]["last_seq"] == s["last_seq"]
    assert hub["rejected_connections"] == {}
    box = json.loads(opsconsole("outbox", "--data-dir", str(tmp_path), "--json").stdout)
    assert box["streams"]["status"]["backlog"] == 0
    assert box["streams"]["status"]["last_seq_acked"] == link["streams"]["status"]["last_seq"]
    # The demo's accounts, one per role, and the action log's chain head at the hub.
    assert [(u["user_id"], u["roles"]) for u in out["demo_users"]] == [
        ("an", "operator"),
        ("ha", "supervisor"),
        ("quan", "admin"),
        ("lan", "viewer"),
    ]
    assert all(len(u["one_time_password"]) == 12 for u in out["demo_users"])
    local, at_hub = out["audit"]["local"], out["audit"]["hub"]
    assert local["ok"] and local["entries"] >= 5, local  # 4 accounts + the site file loaded
    assert at_hub is not None, "the chain head did not reach the hub"
    assert (at_hub["seq"], at_hub["hash"]) == (local["head"]["seq"], local["head"]["hash"])
    assert at_hub["first_bad_seq"] == 0 and at_hub["entries"] == local["entries"]


def test_default_demo_uses_a_fresh_data_dir_each_run(tmp_path: Path) -> None:
    env_home = {"XDG_DATA_HOME": str(tmp_path)}
    import os

    runs = [
        subprocess.run(
            [sys.executable, "-m", "console", "demo", "--duration", "1", "--json"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **env_home},
        )
        for _ in range(2)
    ]
    outs = [json.loads(r.stdout) for r in runs]
    assert outs[0]["database"] != outs[1]["database"]
    for o in outs:
        assert o["database"].startswith(str(tmp_path))
        assert o["readings_stored"] == db_count(o["database"])


def test_headless_console_shuts_down_cleanly_on_sigterm(
    demo_site: SiteConfig, tmp_path: Path
) -> None:
    con = JsonLinesProcess(
        [
            "console",
            "--site",
            str(demo_site.path),
            "--headless",
            "--data-dir",
            str(tmp_path),
            "--feeds-endpoint",
            "tcp://127.0.0.1:*",
            "--json",
            "--status-interval",
            "0.2",
        ]
    )
    ready = con.wait_event("ready")
    assert ready["database"] == str(tmp_path / "hai-chau.sqlite3")
    sim = opsconsole(
        "simulate",
        "--site",
        str(demo_site.path),
        "--endpoint",
        ready["endpoints"][0],
        "--rate",
        "3000",
        "--duration",
        "2",
        "--json",
    )
    report = json.loads(sim.stdout)
    while True:  # wait until the console has seen everything the simulator sent
        st = con.wait_event("status")
        if st["frames_received"] >= report["frames_sent"]:
            break
    con.proc.send_signal(signal.SIGTERM)
    stopped = con.wait_event("stopped")
    assert con.proc.wait(30) == 0
    assert stopped["readings_stored"] == report["readings_sent"] == db_count(ready["database"])
    assert stopped["readings_pending"] == 0
    con2 = sqlite3.connect(ready["database"])
    assert con2.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con2.close()


def test_wrong_site_file_and_busy_port_are_one_line_errors(
    tmp_path: Path, demo_site: SiteConfig
) -> None:
    r = opsconsole("console", "--site", str(tmp_path / "missing.toml"), "--headless")
    assert r.returncode == 2 and "cannot read site file" in r.stderr and "Traceback" not in r.stderr
    import zmq

    s = zmq.Context.instance().socket(zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    try:
        r = opsconsole(
            "console",
            "--site",
            str(demo_site.path),
            "--headless",
            "--data-dir",
            str(tmp_path),
            "--feeds-endpoint",
            f"tcp://127.0.0.1:{port}",
        )
    finally:
        s.close(linger=0)
    assert (
        r.returncode == 3
        and "cannot bind feed endpoint" in r.stderr
        and "Traceback" not in r.stderr
    )


def test_bench_ingest_prints_the_documented_keys() -> None:
    r = opsconsole(
        "bench",
        "ingest",
        "--json",
        "--readings",
        "20000",
        "--latency-seconds",
        "1",
        "--latency-rate",
        "5000",
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in (
        "raw_transport_per_s",
        "raw_sqlite_rows_per_s",
        "pipeline_per_s",
        "ratio_pipeline_to_transport",
        "latency_ms_p50",
        "latency_ms_p99",
    ):
        assert isinstance(out[key], int | float) and out[key] > 0, key
    assert out["latency_readings"] == 5000


def test_windowed_demo_runs_and_remembers_its_layout(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-m", "console", "demo", "--duration", "4", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert db_count(str(tmp_path / "hai-chau.sqlite3")) > 500
    ini = (tmp_path / "hai-chau-window.ini").read_text(encoding="utf-8")
    assert "tiles=" in ini and "hc-river-01" in ini and "geometry=" in ini


def test_console_without_display_says_so(tmp_path: Path, demo_site: SiteConfig) -> None:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "console",
            "--site",
            str(demo_site.path),
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert r.returncode == 2 and "no display found" in r.stderr


def test_bench_gui_prints_the_documented_keys() -> None:
    r = opsconsole("bench", "gui", "--json", "--seconds", "2", "--rate", "5000", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("frame_ms_p50", "frame_ms_p99", "gui_busy_fraction", "baseline_frame_ms_p50"):
        assert isinstance(out[key], int | float) and out[key] > 0, key
    assert out["feeds"] >= 120 and out["frames"] > 20


def test_alarms_cli_errors_are_clear(tmp_path: Path) -> None:
    r = opsconsole("alarms", "--data-dir", str(tmp_path), "--json")
    assert r.returncode == 2 and "expected exactly one site log" in r.stderr


def test_bench_alarms_prints_the_documented_keys() -> None:
    r = opsconsole("bench", "alarms", "--json", "--readings", "30000", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("with_alarms_per_s", "without_alarms_per_s", "transitions_per_s_in_flood"):
        assert out[key] > 0, key


def test_bench_escalation_prints_the_documented_keys() -> None:
    r = opsconsole("bench", "escalation", "--json", "--quick", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["bench"], out["trials"], out["backlog_records"]) == ("escalation", 3, 5000)
    for key in ("idle_p50_ms", "idle_p99_ms", "backlog_p50_ms", "backlog_p99_ms"):
        assert out[key] > 0, key
    for phase in ("idle", "backlog"):
        p = out[phase]
        # Each stage after the one before: stored at the hub, then shown acknowledged. The hub
        # is looked at only once the call has returned, and the link sends while the call
        # finishes its bookkeeping: the first look may find it stored (equal, at 0.1 ms).
        assert 0 < p["escalate_call_p50_ms"] <= p["stored_p50_ms"] < p["p50_ms"] <= p["max_ms"]
    assert 0 < out["backlog"]["summaries_waiting_min"] <= 5000  # the link drains meanwhile
    assert out["cap_build_validate_ms_p50"] > 0 and out["cap_compose_ms_p50"] > 0
    assert set(out["targets"]) == {"backlog_p99_ms", "backlog_vs_idle_p99"}
    assert "target backlog_p99_ms < 1000" in r.stderr


def test_bench_uplink_prints_the_documented_keys() -> None:
    r = opsconsole("bench", "uplink", "--json", "--quick", timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("raw_per_s", "reliable_per_s", "backlog_300k_drain_s"):
        assert out[key] > 0, key
    assert out["raw_per_s"] > out["reliable_per_s"]  # the ceiling is a ceiling
    if out["mqtt_qos1_per_s"] is None:
        assert out["mqtt_note"]  # the reason it could not run
    else:
        assert out["mqtt_qos1_per_s"] > 0
    many = out["many_consoles"]
    assert many["consoles"] == 3 and many["records"] == 6000 and many["hub_peak_rss_mb"] > 0

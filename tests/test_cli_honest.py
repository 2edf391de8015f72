"""An honest command line: usage errors vs refusals, "not found", undelivered frames, the
README's hub set-up as written, logs found without --data-dir, benchmark verdicts."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from console.district.config import SiteConfig

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )


def one_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.startswith("opsconsole")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_an_endpoint_without_a_scheme_is_a_usage_error(demo_site: SiteConfig) -> None:
    r = run("simulate", "--site", str(demo_site.path), "--endpoint", "127.0.0.1:5601")
    assert r.returncode == 2 and "has no scheme" in r.stderr and "Traceback" not in r.stderr
    r = run("console", "--site", str(demo_site.path), "--headless", "--feeds-endpoint", "x:1")
    assert r.returncode == 2 and "has no scheme" in r.stderr


def test_simulate_says_what_no_console_took(demo_site: SiteConfig) -> None:
    r = run(
        "simulate", "--site", str(demo_site.path), "--endpoint", "tcp://127.0.0.1:9",
        "--rate", "500", "--duration", "1.5", "--json",
    )  # fmt: skip
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert r.returncode == 1
    assert report["frames_sent"] == 0 and report["frames_unsent"] > 0
    assert report["readings_unsent"] > 0
    assert "could not be delivered" in r.stderr


def test_the_readme_hub_set_up_works_as_written(tmp_path: Path) -> None:
    text = README.read_text("utf-8")
    wanted = ("opsconsole hub init", "opsconsole keys generate", "opsconsole keys allow")
    commands = [line.split("#")[0].strip() for line in text.splitlines() if line.startswith(wanted)]
    assert [c.split()[1:3] for c in commands] == [
        ["hub", "init"],
        ["keys", "generate"],
        ["keys", "allow"],
    ]
    for c in commands:
        r = run(*shlex.split(c)[1:], cwd=tmp_path)
        assert r.returncode == 0, (c, r.stderr)
    listed = json.loads(
        run("keys", "list", "--hub-config", "hub.toml", "--json", cwd=tmp_path).stdout
    )
    assert [e["console_id"] for e in listed] == ["hai-chau"]
    again = run("hub", "init", "--config", "hub.toml", cwd=tmp_path)
    assert again.returncode == 3 and "refusing to overwrite" in one_line(again.stderr)


def test_a_missing_hub_config_or_key_file_says_so(tmp_path: Path) -> None:
    r = run("keys", "allow", "--hub-config", "hub.toml", "--console-id", "x", "--public-key",
            "x.key", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 2 and "opsconsole hub init --config hub.toml" in one_line(r.stderr)
    assert run("hub", "init", "--config", "hub.toml", cwd=tmp_path).returncode == 0
    r = run("keys", "allow", "--hub-config", "hub.toml", "--console-id", "x", "--public-key",
            "x.key", cwd=tmp_path)  # fmt: skip
    line = one_line(r.stderr)
    assert r.returncode == 2 and "x.key: not found" in line and "certificate" not in line


def test_alarms_and_outbox_find_the_most_recent_demo_log(
    tmp_path: Path, demo_site: SiteConfig
) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    r = run("alarms", "--json", env=env)
    assert r.returncode == 2 and "pass --data-dir" in one_line(r.stderr)
    older = tmp_path / "xdg" / "opsconsole" / "demo" / "20260101T000000.000000Z"
    newer = tmp_path / "xdg" / "opsconsole" / "demo" / "20260102T000000.000000Z"
    older.parent.mkdir(parents=True)  # an explicit --data-dir needs its parent to exist
    for d in (older, newer):
        r = run("demo", "--headless", "--duration", "1", "--json", "--data-dir", str(d), env=env)
        assert r.returncode == 0, r.stderr
    r = run("alarms", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["database"] == str(newer / "hai-chau.sqlite3")
    assert f"using the most recent demo's, {newer}" in r.stderr
    r = run("outbox", "--json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["database"] == str(newer / "hai-chau.sqlite3")


def test_a_benchmark_says_whether_each_target_was_met() -> None:
    r = run("bench", "alarms", "--json", "--readings", "20000", timeout=300)
    assert r.returncode == 0, r.stderr
    targets = json.loads(r.stdout)["targets"]
    assert set(targets) == {"alarm_cost_fraction"}
    t = targets["alarm_cost_fraction"]
    assert t["target"] == "<= 0.3" and isinstance(t["met"], bool) and t["value"] > 0
    verdict = "met" if t["met"] else "NOT MET"
    assert re.search(
        rf"^target alarm_cost_fraction <= 0.3: {t['value']} — {verdict}$", r.stderr, re.M
    )

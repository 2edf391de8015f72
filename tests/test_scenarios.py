"""The demo scenarios end to end on simulated time: simulator → codec → ingest → alarms → log.

The console runs on a ``SimClock`` with its real writer, scheduler and alarm
engine; forty simulated minutes take seconds and always play out the same.
What is checked is what an operator would find afterwards in the log (the
same reader as ``opsconsole alarms``) and the journal. One real-process demo
test (tests/test_cli.py) keeps the sockets and processes honest.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from console.cli.main import main
from console.district.cli import read_alarms
from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.shared.clock import SimClock
from console.sim.inprocess import InProcessGateway

START = 1_795_000_000.0  # a fixed simulated start: the same run every time


def run(site: SiteConfig, tmp_path: Path, scenario: str, minutes: float) -> list[dict[str, Any]]:
    app = ConsoleApp(site, tmp_path, clock=SimClock(START), feeds_pull=[], feeds_sub=[])
    app.start(receive=False)
    try:
        report = InProcessGateway(app, scenario).run(minutes * 60)
        assert report.readings_sent > 0
        assert app.flush(30)
    finally:
        app.stop()
    return read_alarms(app.db.path, site.timezone)


def journal(tmp_path: Path, alarm_id: str) -> list[str]:
    con = sqlite3.connect(tmp_path / "hai-chau.sqlite3")
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT event FROM alarm_events WHERE alarm_id = ? ORDER BY id", (alarm_id,)
            )
        ]
    finally:
        con.close()


def test_flood_surge_raises_river_and_rain_alarms(demo_site: SiteConfig, tmp_path: Path) -> None:
    alarms = run(demo_site, tmp_path, "flood-surge", 25)
    by_id = {a["alarm_id"]: a for a in alarms}
    rivers = [a for a in alarms if a["rule"] == "high" and a["feed"].startswith("hc-river")]
    assert len(rivers) == 6, "every river of the site passes its alert levels"
    assert all(a["severity"] >= 2 and a["state"] == "active_unack" for a in rivers)
    assert any(a["rule"] == "high" and a["feed"].startswith("hc-rain") for a in alarms)
    assert "hc-river-01:roc" in by_id, "a fast rise is its own alarm"
    assert journal(tmp_path, "hc-river-01:high")[:2] == ["activate", "severity"]
    for a in alarms:
        assert a["activated_at"].endswith("+07:00") and a["acknowledged_by"] is None


def test_chattering_sensor_makes_no_alarm_storm(demo_site: SiteConfig, tmp_path: Path) -> None:
    run(demo_site, tmp_path, "chatter", 20)
    events = journal(tmp_path, "hc-river-01:high")
    assert 1 <= events.count("activate") <= 3, events


def test_sensor_faults_raise_stale_and_flatline_alarms(
    demo_site: SiteConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alarms = run(demo_site, tmp_path, "sensor-faults", 40)
    ids = {a["alarm_id"] for a in alarms}
    assert {"hc-river-02:stale", "hc-flow-01:stale"} <= ids, "the silent sensors"
    assert "hc-river-03:flatline" in ids, "the stuck river gauge"
    # `opsconsole alarms --json` finds the same in the log.
    assert main(["alarms", "--data-dir", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["alarms"] == alarms


def test_a_normal_hour_raises_no_river_alarm(demo_site: SiteConfig, tmp_path: Path) -> None:
    """The converse: the same path on a quiet hour stays quiet (the checks above can fail)."""
    alarms = run(demo_site, tmp_path, "normal", 60)
    assert not [a for a in alarms if a["feed"].startswith("hc-river")], alarms


@pytest.mark.parametrize("scenario", ["flood-surge"])
def test_simulated_time_is_deterministic(
    demo_site: SiteConfig, tmp_path: Path, scenario: str
) -> None:
    a = run(demo_site, tmp_path / "a", scenario, 10)
    b = run(demo_site, tmp_path / "b", scenario, 10)
    assert [(x["alarm_id"], x["state"], x["activated_at"]) for x in a] == [
        (x["alarm_id"], x["state"], x["activated_at"]) for x in b
    ]

"""The command line of the downlink: hub directive|directives|warn|warnings|alarms|
new-downlink-id, and cap import into a console's log (with the console running or not)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.cli.main import main
from console.district.config import SiteConfig, load_site
from console.district.services.app import ConsoleApp
from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.hub.services.downlink import build_warning
from console.shared import cap
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit

DATA = Path(__file__).parent / "data" / "cap"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    k = make_kit(tmp_path / "hub")
    k.console_keys("cam-le")
    k.console_keys("hai-chau")
    return k


def hub(kit: LinkKit, *args: str) -> int:
    return main(["hub", *args, "--config", str(kit.hub_config)])


def test_directives_from_the_command_line_and_the_board(
    kit: LinkKit, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        hub(
            kit,
            "directive",
            "--to",
            "all",
            "--text",
            "Mở nhà tránh trú",
            "--priority",
            "urgent",
            "--due",
            "2h",
            "--ref",
            "cam-le-3f2a9c1e-1",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "queued for cam-le (seq 1), hai-chau (seq 1)" in out
    assert hub(kit, "directive", "--to", "cam-le", "--text", "Báo cáo lúc 17:00", "--json") == 0
    issued = json.loads(capsys.readouterr().out)
    assert issued["sites"] == {"cam-le": 2}
    assert hub(kit, "directives", "--json") == 0
    board = json.loads(capsys.readouterr().out)
    assert [b["id"] for b in board] == [issued["id"], board[1]["id"]]
    first = board[1]
    assert (first["priority"], first["ref"], sorted(first["sites"])) == (
        "urgent",
        "cam-le-3f2a9c1e-1",
        ["cam-le", "hai-chau"],
    )
    assert first["sites"]["cam-le"]["state"] == "queued"
    assert first["due_ms"] > first["issued_ms"] + 7_000_000
    # Refusals: one line, exit 3 (nothing written); usage errors exit 2.
    assert hub(kit, "directive", "--to", "son-tra", "--text", "x") == 3
    assert "unknown site son-tra" in capsys.readouterr().err
    assert hub(kit, "directive", "--to", "cam-le") == 2
    assert "needs --text" in capsys.readouterr().err
    with pytest.raises(SystemExit) as ex:
        hub(kit, "directive", "--to", "cam-le", "--text", "x", "--due", "tomorrow")
    assert ex.value.code == 2
    assert hub(kit, "directives", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_warnings_from_a_file_or_from_fields(
    kit: LinkKit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub(kit, "warn", str(DATA / "typhoon-vi-en.xml"), "--to", "hai-chau") == 0
    assert "queued for hai-chau (seq 1)" in capsys.readouterr().out
    assert hub(kit, "warn", str(DATA / "flood-1.1.xml"), "--to", "all", "--json") == 0
    assert json.loads(capsys.readouterr().out)["sites"] == {"cam-le": 1, "hai-chau": 2}
    assert (
        hub(
            kit,
            "warn",
            "--to",
            "cam-le",
            "--event",
            "Sạt lở đất",
            "--event-en",
            "Landslide",
            "--area",
            "Xã Hòa Bắc",
            "--severity",
            "Severe",
            "--expires",
            "6h",
            "--category",
            "Geo",
            "--exercise",
            "--json",
        )
        == 0
    )
    built = json.loads(capsys.readouterr().out)
    assert built["id"].startswith("ioc,ioc-w-") and built["sites"] == {"cam-le": 2}
    assert hub(kit, "warnings", "--json") == 0
    sent = {w["identifier"]: w for w in json.loads(capsys.readouterr().out)}
    landslide = next(w for k, w in sent.items() if k.startswith("ioc-w-"))
    assert (landslide["event"], landslide["severity"], landslide["status"]) == (
        "Sạt lở đất",
        "Severe",
        "Exercise",
    )
    assert sent["vn.nchmf.2026.11.0427"]["sites"]["hai-chau"]["state"] == "queued"
    # Hostile or invalid input: refused with the reason, nothing queued.
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(b'<!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>')
    assert hub(kit, "warn", str(xxe), "--to", "cam-le") == 3
    assert "DOCTYPE" in capsys.readouterr().err
    assert hub(kit, "warn", "--to", "cam-le", "--event", "Lũ") == 2
    assert "--area, --severity" in capsys.readouterr().err
    assert hub(kit, "warn", str(tmp_path / "missing.xml"), "--to", "cam-le") == 2
    assert hub(kit, "warnings", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_a_new_downlink_id_only_with_the_hub_stopped(
    kit: LinkKit, capsys: pytest.CaptureFixture[str]
) -> None:
    h = Hub(load_hub_config(kit.hub_config))
    old = h.downlink.identity()
    h.start()
    try:
        assert hub(kit, "new-downlink-id") == 3
        assert "in use by" in capsys.readouterr().err
    finally:
        h.stop()
    assert hub(kit, "new-downlink-id") == 0
    new = capsys.readouterr().out.split("new id ")[1].split(":")[0]
    h = Hub(load_hub_config(kit.hub_config))
    try:
        assert h.downlink.identity() == new != old
    finally:
        h.store.close()


def _warnings(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT identifier, source FROM city_warnings").fetchall()
    finally:
        con.close()


def test_cap_import_refuses_bad_input_and_a_running_console_picks_a_good_one_up(
    small_site: SiteConfig,
    small_site_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    e = ConsoleApp(load_site(small_site_path), data)
    e.start(receive=False)
    try:
        db = e.db.path
        bad = tmp_path / "bad.xml"
        bad.write_bytes(
            (DATA / "typhoon-vi-en.xml")
            .read_bytes()
            .replace(b"<urgency>Expected</urgency>", b"<urgency>Soon</urgency>", 1)
        )
        assert main(["cap", "import", str(bad), "--data-dir", str(data)]) == 3
        err = capsys.readouterr().err
        assert "refused, nothing imported" in err and "urgency" in err and "'Soon'" in err
        assert _warnings(db) == []
        now = datetime.now(TZ).replace(microsecond=0)
        good = tmp_path / "good.xml"
        good.write_bytes(
            build_warning(
                sender="vn.nchmf",
                identifier="nchmf-2026-12-06-1",
                event_vi="Mưa lớn",
                area_vi="Đà Nẵng",
                severity=cap.Severity.MODERATE,
                expires=now + timedelta(hours=3),
                sent=now,
            )
        )
        assert main(["cap", "import", str(good), "--data-dir", str(data)]) == 0
        assert "imported CAP 1.2 vn.nchmf,nchmf-2026-12-06-1" in capsys.readouterr().out
        wait_until(lambda: bool(e.services.warnings.active()), 5, "the running console sees it")
        assert e.services.warnings.active()[0].event == "Mưa lớn"
        assert main(["cap", "import", str(good), "--data-dir", str(data), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["imported"] is False
        assert _warnings(db) == [("nchmf-2026-12-06-1", "import")]
        # The import is in the action log, by the OS account.
        con = sqlite3.connect(db)
        try:
            (action, note) = con.execute(
                "SELECT action, note FROM action_log WHERE action = 'warning_imported'"
            ).fetchone()
        finally:
            con.close()
        assert action == "warning_imported" and note == "cli: opsconsole cap import good.xml"
    finally:
        e.stop()

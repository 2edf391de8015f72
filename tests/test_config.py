"""Site files: the demo sites are complete; every error names file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.district.config import FEED_KINDS, ConfigError, demo_sites_dir, load_site
from tests.conftest import SMALL_SITE


def test_demo_sites_are_complete() -> None:
    paths = sorted(demo_sites_dir().glob("*.toml"))
    assert len(paths) >= 3
    ids = set()
    for p in paths:
        site = load_site(p)
        ids.add(site.id)
        kinds = {f.kind for f in site.feeds}
        assert len(site.feeds) >= 40, p
        assert len(kinds) >= 5, p
        assert site.timezone == "Asia/Ho_Chi_Minh"
        for f in site.feeds:
            # Đà Nẵng and its upstream catchment, not null island.
            assert 15.9 <= f.lat <= 16.2 and 108.0 <= f.lon <= 108.35, f.id
            assert f.name.vi and f.name.en and f.unit == FEED_KINDS[f.kind]
            if f.kind == "river_level":
                assert len(f.alert_levels) == 3
    assert {"hai-chau", "cam-le", "son-tra"} <= ids
    # Feed ids are unique across sites, so a city view can merge them.
    all_ids = [f.id for p in paths for f in load_site(p).feeds]
    assert len(all_ids) == len(set(all_ids))


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "site.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('id = "test-site"', 'id = "Test Site!"', "site.id: 'Test Site!': use 1-64 characters"),
        (
            'timezone = "Asia/Ho_Chi_Minh"',
            'timezone = "Mars/Olympus"',
            "site.timezone: unknown time zone",
        ),
        ('kind = "rainfall"', 'kind = "rain"', "feeds[1] (rain-1).kind: unknown kind 'rain'"),
        ("lat = 16.07", "lat = 116.07", "feeds[1] (rain-1).lat: 116.07 is above the maximum 90"),
        (
            "lat = 16.07",
            'lat = "north"',
            "feeds[1] (rain-1).lat: expected a finite number, got 'north'",
        ),
        (
            "valid_max = 300.0",
            "valid_max = -5.0",
            "feeds[1] (rain-1).valid_max: valid range is empty",
        ),
        ('id = "pm25-1"', 'id = "rain-1"', "feeds[2].id: 'rain-1' already used by feeds[1]"),
        (
            "interval_s = 60\nvalid_min = 0.0\nvalid_max = 300.0",
            'interval_s = 60\nvalid_min = 0.0\nvalid_max = 300.0\nunit = "mm"',
            "feeds[1] (rain-1).unit: 'mm' is not the unit of rainfall",
        ),
        (
            "alert_levels = [1.0, 2.0, 3.0]",
            "alert_levels = [2.0, 1.0]",
            "alert_levels: levels must rise strictly",
        ),
        (
            'feeds_pull = ["tcp://127.0.0.1:*"]',
            'feeds_pull = ["127.0.0.1:5601"]',
            "endpoints.feeds_pull: '127.0.0.1:5601' is not a ZeroMQ endpoint",
        ),
        (
            'feeds_pull = ["tcp://127.0.0.1:*"]',
            "feeds_pull = []",
            "endpoints: set feeds_pull and/or feeds_sub",
        ),
        (
            "interval_s = 60\nvalid_min = -1.0",
            "interval_s = 60\nintervall = 5\nvalid_min = -1.0",
            "feeds[0] (river-1).intervall: unknown key",
        ),
        (
            'name = { vi = "Trạm thử", en = "Test site" }',
            'name = { vi = "Trạm thử" }',
            "site.name.en: missing",
        ),
    ],
)
def test_errors_name_file_key_and_problem(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in SMALL_SITE
    p = write(tmp_path, SMALL_SITE.replace(old, new, 1))
    with pytest.raises(ConfigError) as err:
        load_site(p)
    msg = str(err.value)
    assert msg.startswith(str(p) + ": ")
    assert expected in msg


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, SMALL_SITE.replace('kind = "rainfall"', 'kind = "rainfall'))
    with pytest.raises(ConfigError, match=r"TOML syntax error: .*at line 24, column 17"):
        load_site(p)


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read site file"):
        load_site(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(SMALL_SITE.encode("utf-8").replace("Trạm".encode(), b"Tr\xe1m"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_site(bad)


def test_per_kind_defaults_apply_and_feeds_override(tmp_path: Path) -> None:
    text = SMALL_SITE.replace(
        "[[feeds]]",
        "[defaults.rainfall]\ninterval_s = 600\nvalid_max = 250.0\n\n[[feeds]]",
        1,
    ).replace("interval_s = 60\nvalid_min = 0.0\nvalid_max = 300.0\n", "valid_min = 0.0\n", 1)
    site = load_site(write(tmp_path, text))
    rain = site.feed("rain-1")
    assert rain.interval_s == 600 and rain.valid_max == 250.0


def test_cli_reports_config_error_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.cli.main import main

    p = write(tmp_path, SMALL_SITE.replace("lon = 108.21", "lon = 'east'"))
    assert main(["console", "--site", str(p), "--headless", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "configuration error" in err and "feeds[1] (rain-1).lon" in err

"""Site files: the demo sites are complete; every error names file, key and problem."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.district.config import FEED_KINDS, ConfigError, demo_sites_dir, load_site, site_from
from console.shared.configfile import ConfigFile
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


def config_error(tmp_path: Path, text: str) -> str:
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_site(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and "\n" not in msg
    return msg[len(f"{p}: ") :]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` that contains ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def with_table(header: str, body: str) -> str:
    """SMALL_SITE with a table inserted before the first feed."""
    return SMALL_SITE.replace("[[feeds]]", f"{header}\n{body}\n\n[[feeds]]", 1)


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("interval_s = true", "interval_s", "expected a finite number, got true"),
        ('interval_s = "60"', "interval_s", "expected a finite number, got '60'"),
        ("interval_s = 0", "interval_s", "0 is below the minimum 0.1"),
        ("valid_min = nan", "valid_min", "expected a finite number, got nan"),
        ('unit = "mm"', "unit", "'mm' is not the unit of rainfall ('mm/h')"),
        ("intervall = 60", "intervall", "unknown key (allowed: interval_s, unit, valid_max,"),
    ],
)
def test_an_error_in_a_defaults_table_names_that_table_and_its_line(
    tmp_path: Path, body: str, key: str, problem: str
) -> None:
    # rain-1 inherits from [defaults.rainfall]; the error must not name rain-1.
    text = with_table("[defaults.rainfall]", body)
    msg = config_error(tmp_path, text)
    assert msg.startswith(f"defaults.rainfall.{key}: {problem}")
    assert msg.endswith(f"(line {line_of(text, body)})")
    assert "rain-1" not in msg


def test_an_empty_range_in_a_defaults_table_names_the_table(tmp_path: Path) -> None:
    text = with_table("[defaults.pm25]", "valid_min = 5.0\nvalid_max = 1.0")
    msg = config_error(tmp_path, text)
    assert msg.startswith("defaults.pm25.valid_max: valid range is empty (5.0 .. 1.0)")
    assert msg.endswith(f"(line {line_of(text, 'valid_max = 1.0')})")


def test_an_error_in_alarm_defaults_names_that_table(tmp_path: Path) -> None:
    text = with_table("[alarm_defaults.rainfall]", "high = [50.0, 100.0]\nroc_severity = 4")
    msg = config_error(tmp_path, text)
    assert msg.startswith("alarm_defaults.rainfall.roc_severity: 4 is above the maximum 3")
    assert msg.endswith(f"(line {line_of(text, 'roc_severity = 4')})")

    text = with_table("[alarm_defaults.rainfall]", "high = [100.0, 50.0]")
    msg = config_error(tmp_path, text)
    assert msg.startswith("alarm_defaults.rainfall.high: thresholds must rise strictly")

    text = with_table("[alarm_defaults.rainfall]", "high = [50.0, 100.0]\nhigh_severity = [1]")
    msg = config_error(tmp_path, text)
    assert msg.startswith("alarm_defaults.rainfall.high_severity: expected 2 severities")


def test_an_inherited_value_a_feed_cannot_use_names_the_feed_and_the_origin(
    tmp_path: Path,
) -> None:
    # "alert_levels" is fine in the table; it is rain-1 that has no levels.
    text = with_table("[alarm_defaults.rainfall]", 'high = "alert_levels"')
    msg = config_error(tmp_path, text)
    assert msg.startswith(
        'feeds[1] (rain-1).alarms.high: "alert_levels" (set in alarm_defaults.rainfall) '
        "but the feed has no alert_levels"
    )
    feed_header = line_of(text, 'id = "rain-1"') - 1  # its [[feeds]]
    assert msg.endswith(f"(line {feed_header})")


def test_a_feeds_own_value_is_named_with_the_feed_and_its_line(tmp_path: Path) -> None:
    text = SMALL_SITE.replace("lon = 108.21", "lon = 'east'")
    msg = config_error(tmp_path, text)
    assert msg.startswith("feeds[1] (rain-1).lon: expected a finite number, got 'east'")
    assert "-180 .. 180" in msg
    assert msg.endswith(f"(line {line_of(text, 'east')})")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("lat = 16.07", "lat = true", "feeds[1] (rain-1).lat: expected a finite number, got true"),
        (
            "interval_s = 60\nvalid_min = 0.0",
            "interval_s = false\nvalid_min = 0.0",
            "feeds[1] (rain-1).interval_s: expected a finite number, got false",
        ),
        (
            "deadband = 0.1",
            "deadband = true",
            "feeds[0] (river-1).alarms.deadband: expected a finite number, got true",
        ),
        (
            "alert_levels = [1.0, 2.0, 3.0]",
            "alert_levels = [1.0, true]",
            "feeds[0] (river-1).alert_levels[1]: expected a finite number, got true",
        ),
        (
            "[[feeds]]",
            "[limits]\nmax_batch = true\n\n[[feeds]]",
            "limits.max_batch: expected a whole number, got true",
        ),
        (
            "stale = false",
            "stale = false, count_n = true",
            "feeds[0] (river-1).alarms.count_n: expected a whole number, got true",
        ),
        (
            "stale = false",
            "stale = false, high_severity = [1, 2, true]",
            "feeds[0] (river-1).alarms.high_severity[2]: expected a whole number, got true",
        ),
    ],
)
def test_bools_are_not_numbers(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SMALL_SITE
    assert config_error(tmp_path, SMALL_SITE.replace(old, new, 1)).startswith(expected)


@pytest.mark.parametrize("literal", ["nan", "+nan", "-nan", "inf", "+inf", "-inf"])
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("lat = 16.07", "lat = {}", "feeds[1] (rain-1).lat"),
        ("valid_max = 300.0", "valid_max = {}", "feeds[1] (rain-1).valid_max"),
        ("alert_levels = [1.0, 2.0, 3.0]", "alert_levels = [1.0, {}]", "alert_levels[1]"),
        ("deadband = 0.1", "deadband = {}", "feeds[0] (river-1).alarms.deadband"),
        (
            "stale = false",
            "stale = false, enable_feed = 'rain-1', enable_above = {}",
            "enable_above",
        ),
        ("[[feeds]]", "[limits]\nmax_past_s = {}\n\n[[feeds]]", "limits.max_past_s"),
    ],
)
def test_nan_and_inf_are_refused_everywhere(
    tmp_path: Path, literal: str, old: str, new: str, expected: str
) -> None:
    assert old in SMALL_SITE
    msg = config_error(tmp_path, SMALL_SITE.replace(old, new.format(literal), 1))
    assert expected in msg.split(": ")[0]
    shown = "nan" if "nan" in literal else literal.lstrip("+")  # Python has no -nan
    assert f"expected a finite number, got {shown}" in msg


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("[site]", "colour = 'red'\n[site]", "colour"),
        ('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Ho_Chi_Minh"\nzone = 7', "site.zone"),
        (
            'name = { vi = "Trạm thử", en = "Test site" }',
            'name = { vi = "a", en = "b", fr = "c" }',
            "site.name.fr",
        ),
        (
            'feeds_pull = ["tcp://127.0.0.1:*"]',
            'feeds_pull = ["tcp://127.0.0.1:*"]\npull = []',
            "endpoints.pull",
        ),
        ("[[feeds]]", "[limits]\nmax_batches = 5\n\n[[feeds]]", "limits.max_batches"),
        (
            "[[feeds]]",
            "[defaults.rainfall]\nvalid_maximum = 5.0\n\n[[feeds]]",
            "defaults.rainfall.valid_maximum",
        ),
        (
            "[[feeds]]",
            "[alarm_defaults.pm25]\nhihg = [1.0]\n\n[[feeds]]",
            "alarm_defaults.pm25.hihg",
        ),
        (
            "[[feeds]]",
            '[uplink]\nhub = "tcp://h:1"\nhub_public_key = "k"\nsecret_key = "s"\nhub_key = "x"\n\n[[feeds]]',
            "uplink.hub_key",
        ),
        ("lat = 16.07", "lat = 16.07\nlatitude = 16.07", "feeds[1] (rain-1).latitude"),
        (
            'name = { vi = "Lượng mưa Hải Châu", en = "Rainfall Hai Chau" }',
            'name = { vi = "x", en = "y", ja = "z" }',
            "feeds[1] (rain-1).name.ja",
        ),
        (
            "deadband = 0.1",
            "deadband = 0.1, dead_band = 0.1",
            "feeds[0] (river-1).alarms.dead_band",
        ),
    ],
)
def test_unknown_keys_are_refused_at_every_level(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert old in SMALL_SITE
    text = SMALL_SITE.replace(old, new, 1)
    msg = config_error(tmp_path, text)
    assert msg.startswith(f"{where}: unknown key (allowed: ")
    key = where.rsplit(".", 1)[-1]
    line = next(
        n
        for n, line in enumerate(text.splitlines(), 1)
        if re.search(rf"(^|[\s{{,]){key}\s*=", line)
    )
    assert msg.endswith(f"(line {line})")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("[defaults.rain]", "defaults.rain: unknown feed kind (known: river_level, rainfall"),
        ("[alarm_defaults.river]", "alarm_defaults.river: unknown feed kind (known: river_level"),
    ],
)
def test_per_kind_tables_must_name_a_known_kind(tmp_path: Path, header: str, expected: str) -> None:
    text = with_table(header, "valid_min = 0.0" if "alarm" not in header else "deadband = 1.0")
    msg = config_error(tmp_path, text)
    assert msg.startswith(expected)
    assert msg.endswith(f"(line {line_of(text, header)})")


def test_a_time_zone_that_names_a_directory_is_an_error_not_a_crash(tmp_path: Path) -> None:
    text = SMALL_SITE.replace("Asia/Ho_Chi_Minh", "Asia")
    assert config_error(tmp_path, text).startswith("site.timezone: unknown time zone 'Asia'")


def test_missing_values_say_what_is_required(tmp_path: Path) -> None:
    msg = config_error(tmp_path, SMALL_SITE.replace("lat = 16.07\n", "", 1))
    assert msg.startswith("feeds[1] (rain-1).lat: missing (a number is required)")
    text = SMALL_SITE.replace("interval_s = 60\nvalid_min = 0.0", "valid_min = 0.0", 1)
    msg = config_error(tmp_path, text)
    assert msg.startswith(
        "feeds[1] (rain-1).interval_s: missing (a number is required, here or in [defaults.rainfall])"
    )
    msg = config_error(tmp_path, SMALL_SITE.split("[[feeds]]")[0])
    assert msg == "feeds: missing (at least one [[feeds]] entry is required)"


def test_alarm_rule_semantics(tmp_path: Path) -> None:
    rules = 'alarms = { high = "alert_levels", deadband = 0.1, stale = false }'
    cases = {
        "alarms = { high = [2.0, 1.0] }": "feeds[0] (river-1).alarms.high: thresholds must rise strictly: [2.0, 1.0]",
        "alarms = { low = [1.0, 2.0] }": "feeds[0] (river-1).alarms.low: thresholds must fall strictly: [1.0, 2.0]",
        "alarms = { high = [1.0, 2.0, 3.0, 4.0] }": "feeds[0] (river-1).alarms.high: expected up to 3 numbers, got an array of 4",
        'alarms = { high = "levels" }': "feeds[0] (river-1).alarms.high: expected \"alert_levels\" or up to 3 numbers, got 'levels'",
        'alarms = { high = "alert_levels", high_severity = [1, 2] }': "feeds[0] (river-1).alarms.high_severity: expected 3 severities, one per high threshold, got 2",
        "alarms = { high = [1.0], high_severity = [4] }": "feeds[0] (river-1).alarms.high_severity[0]: 4 is above the maximum 3",
        'alarms = { enable_feed = "rain-1" }': "feeds[0] (river-1).alarms.enable_feed: set enable_above or enable_below too",
        "alarms = { enable_below = 1.0 }": "feeds[0] (river-1).alarms.enable_feed: missing: which feed enables this alarm?",
        'alarms = { enable_feed = "rain-9", enable_above = 1.0 }': "feeds[0] (river-1).alarms.enable_feed: no feed 'rain-9' in this site",
        'alarms = { stale = "yes" }': "feeds[0] (river-1).alarms.stale: expected true or false, got 'yes'",
    }
    for new, expected in cases.items():
        text = SMALL_SITE.replace(rules, new)
        msg = config_error(tmp_path, text)
        assert msg.startswith(expected), (new, msg)
        assert msg.endswith(f"(line {line_of(text, new)})"), (new, msg)


def test_alarm_defaults_merge_into_feeds_key_by_key(tmp_path: Path) -> None:
    text = with_table(
        "[alarm_defaults.rainfall]", "high = [50.0, 100.0]\nhigh_severity = [2, 3]\non_delay_s = 30"
    ).replace(
        'en = "Rainfall Hai Chau" }', 'en = "Rainfall Hai Chau" }\nalarms = { on_delay_s = 5 }'
    )
    rain = load_site(write(tmp_path, text)).feed("rain-1")
    assert rain.alarms.high == ((50.0, 2), (100.0, 3))
    assert rain.alarms.on_delay_s == 5.0
    assert rain.alarms.stale and rain.alarms.deadband == 0.0  # built-in defaults


def test_a_site_file_converts_exactly(tmp_path: Path) -> None:
    """Types and defaults as callers rely on: floats are floats, tuples are tuples."""
    site = load_site(write(tmp_path, SMALL_SITE))
    river = site.feed("river-1")
    assert river.interval_s == 60.0 and isinstance(river.interval_s, float)
    assert river.alert_levels == (1.0, 2.0, 3.0)
    assert river.alarms.high == ((1.0, 1), (2.0, 2), (3.0, 3))
    assert river.alarms.deadband == 0.1 and river.alarms.stale is False
    assert site.feed("rain-1").unit == "mm/h" and site.feed("rain-1").alarms.high == ()
    assert site.endpoints.feeds_pull == ("tcp://127.0.0.1:*",) and site.endpoints.feeds_sub == ()
    assert site.center == (16.05, 108.2) and site.uplink is None
    assert site.limits.max_batch == 10_000 and isinstance(site.limits.max_batch, int)


toml_values = st.recursive(
    st.none()  # stands for "remove the key"
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["alert_levels", "tcp://127.0.0.1:1", "rain-1", "m", "Asia"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: object, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [at] if at else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*at, i))
    return out


@given(data=st.data(), value=toml_values)
def test_any_value_anywhere_gives_a_site_or_one_precise_line(
    data: st.DataObject, value: object
) -> None:
    """Hostile input yields a ConfigError naming the file, never another exception."""
    doc = tomllib.loads(SMALL_SITE.replace("[[feeds]]", ALARM_DEFAULTS + "\n[[feeds]]", 1))
    at = data.draw(st.sampled_from(_paths(doc)))
    parent: Any = doc
    for seg in at[:-1]:
        parent = parent[seg]
    if value is None:
        del parent[at[-1]]
    else:
        parent[at[-1]] = value
    file = ConfigFile(Path("site.toml"), SMALL_SITE, doc)
    try:
        site_from(file)
    except ConfigError as exc:
        msg = str(exc)
        assert msg.startswith("site.toml: ") and "\n" not in msg and len(msg) < 500, msg


ALARM_DEFAULTS = """
[defaults.rainfall]
interval_s = 60

[alarm_defaults.rainfall]
high = [50.0, 100.0]
high_severity = [1, 2]
enable_feed = "river-1"
enable_above = 1.0
"""


def test_storage_table_defaults_and_checks(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, SMALL_SITE))
    assert (site.storage.raw_days, site.storage.minute_days) == (90.0, 0.0)
    assert site.storage.disk_critical_free_mb < site.storage.disk_warn_free_mb
    good = (
        SMALL_SITE
        + "\n[storage]\nraw_days = 30\nminute_days = 3650\ndisk_warn_free_mb = 10\ndisk_critical_free_mb = 2\n"
    )
    s = load_site(write(tmp_path, good)).storage
    assert (s.raw_days, s.minute_days, s.disk_warn_free_mb, s.disk_critical_free_mb) == (
        30,
        3650,
        10,
        2,
    )
    for extra, expected in (
        ("raw_days = 0", "storage.raw_days: 0 is below the minimum 1"),
        ("raw_days = 90\nminute_days = 30", "storage.minute_days: 30 is shorter than raw_days"),
        (
            "disk_warn_free_mb = 100\ndisk_critical_free_mb = 100",
            "storage.disk_critical_free_mb: 100 must be below disk_warn_free_mb",
        ),
        ("raw_dayz = 3", "storage.raw_dayz: unknown key (allowed: disk_critical_free_mb"),
        (
            "raw_days = 7",
            "storage.raw_days: 7 is not longer than limits.max_past_s (7 days): a reading "
            "accepted that late would rewrite a minute whose raw readings are already pruned",
        ),
        ("raw_days = nan", "storage.raw_days: "),
        ("raw_days = inf", "storage.raw_days: "),
    ):
        with pytest.raises(ConfigError) as err:
            load_site(write(tmp_path, SMALL_SITE + "\n[storage]\n" + extra + "\n"))
        assert expected in str(err.value), str(err.value)


def test_the_storage_example_in_config_md_is_the_defaults(tmp_path: Path) -> None:
    from console.district.config import StorageConfig

    doc = (Path(__file__).resolve().parent.parent / "docs" / "CONFIG.md").read_text("utf-8")
    block = doc.split("```toml\n[storage]\n", 1)[1].split("```", 1)[0]
    site = load_site(write(tmp_path, SMALL_SITE + "\n[storage]\n" + block))
    assert site.storage == StorageConfig()

"""The city's procedures as data: the shipped samples load, and a mistake is one precise line."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.district.config import load_site
from console.district.domain.sops import default_sops_dir, load_sop, load_sops
from console.shared.errors import ConfigError
from console.shared.vocab import Role

REQUIRED_TYPES = {
    "flood",
    "landslide",
    "traffic_accident",
    "traffic_congestion",
    "fire",
    "air_pollution",
    "power_outage",
    "storm",
}

GOOD = """\
[sop]
id = "flood"
version = "v1"
name = { vi = "Ngập lụt", en = "Flood" }
feed_kinds = ["river_level"]

[[steps]]
id = "verify"
text = { vi = "Xác minh", en = "Verify" }
within_min = 5

[[steps]]
id = "evacuate"
text = { vi = "Sơ tán", en = "Evacuate" }
role = "supervisor"
min_severity = 3
"""


def test_the_shipped_samples_cover_every_type_in_two_languages() -> None:
    lib = load_sops()
    assert set(lib.types) >= REQUIRED_TYPES
    for sop in lib:
        assert sop.sample, f"{sop.id} must say it is a sample to replace"
        assert sop.source, f"{sop.id} must say where its steps come from"
        assert sop.steps_for(1), sop.id
        for st in sop.steps:
            assert st.text.vi and st.text.en and st.text.vi != st.text.en, (sop.id, st.id)
        text = sop.path.read_text(encoding="utf-8")
        assert text.startswith("# SAMPLE PROCEDURE"), sop.id
    flood = lib.get("flood")
    # The river alert levels I/II/III are the incident's severities 1/2/3.
    assert [len(flood.steps_for(s)) for s in (1, 2, 3)] == [5, 7, 9]
    assert {s.id for s in flood.steps_for(3)} - {s.id for s in flood.steps_for(2)} == {
        "evacuation",
        "report-city",
    }
    assert lib.for_kind("river_level") is flood and lib.for_kind("rainfall") is flood
    assert lib.for_kind("pm25") is lib.get("air_pollution")
    assert lib.for_kind("traffic_speed") is lib.get("traffic_congestion")
    notify = next(s for s in flood.steps if s.id == "notify-ward")
    assert notify.within_s == 600 and notify.required and notify.role == Role.OPERATOR
    assert "UBND phường" in notify.text.vi


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_good_file_loads(tmp_path: Path) -> None:
    sop = load_sop(write(tmp_path, "flood", GOOD))
    assert [s.id for s in sop.steps_for(1)] == ["verify"]
    assert sop.steps[1].role == Role.SUPERVISOR and sop.steps[1].within_s is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("within_min = 5", "within_mins = 5"),
            "steps[0] (verify).within_mins: unknown key (allowed: id, min_severity, required, "
            "role, text, within_min) (line 10)",
        ),
        (('id = "verify"', 'id = "Verify!"'), "steps[0].id: 'Verify!': use 1-40 characters"),
        (
            ('id = "evacuate"', 'id = "verify"'),
            "steps[1].id: 'verify' already used by steps[0] (line 13)",
        ),
        (
            ('id = "flood"', 'id = "lut"'),
            "sop.id: 'lut' must be the file's name ('flood') (line 2)",
        ),
        (('["river_level"]', '["river"]'), "sop.feed_kinds[0]: unknown feed kind 'river'"),
        (
            ("min_severity = 3", "min_severity = 4"),
            "steps[1] (evacuate).min_severity: 4 is above the maximum 3 (line 16)",
        ),
        (
            ('role = "supervisor"', 'role = "admin"'),
            'steps[1] (evacuate).role: expected "operator" or "supervisor", got \'admin\' (line 15)',
        ),
        (
            (', en = "Verify" }', " }"),
            "steps[0] (verify).text.en: missing (a non-empty string is required) (line 9)",
        ),
        (
            ("within_min = 5", "within_min = 0"),
            "steps[0] (verify).within_min: 0 must be above 0 (line 10)",
        ),
    ],
)
def test_a_mistake_is_one_line_naming_file_key_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    p = write(tmp_path, "flood", GOOD.replace(*change, 1))
    with pytest.raises(ConfigError) as err:
        load_sop(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and "\n" not in msg
    assert expected in msg, msg


def test_a_file_without_steps_or_that_is_not_toml(tmp_path: Path) -> None:
    p = write(tmp_path, "flood", GOOD.split("[[steps]]", maxsplit=1)[0])
    with pytest.raises(
        ConfigError, match=r"flood.toml: steps: missing \(1-40 \[\[steps\]\] entries is required\)"
    ):
        load_sop(p)
    p = write(tmp_path, "fire", "[sop\n")
    with pytest.raises(ConfigError, match=r"fire\.toml: TOML syntax error"):
        load_sop(p)


def test_one_feed_kind_suggests_one_procedure(tmp_path: Path) -> None:
    write(tmp_path, "flood", GOOD)
    write(tmp_path, "storm", GOOD.replace('id = "flood"', 'id = "storm"'))
    with pytest.raises(ConfigError, match=r"'river_level' is already suggested by flood\.toml"):
        load_sops(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="empty: no procedure files"):
        load_sops(empty)
    with pytest.raises(ConfigError, match="nowhere: no procedure directory here"):
        load_sops(tmp_path / "nowhere")


def test_the_site_file_points_at_the_citys_procedures(
    small_site_path: Path, tmp_path: Path
) -> None:
    text = small_site_path.read_text(encoding="utf-8")
    d = tmp_path / "city-sops"
    d.mkdir()
    small_site_path.write_text(
        text.replace(
            'timezone = "Asia/Ho_Chi_Minh"\n',
            'timezone = "Asia/Ho_Chi_Minh"\nsops_dir = "city-sops"\nincident_prefix = "TS"\n',
        ),
        encoding="utf-8",
    )
    site = load_site(small_site_path)
    assert site.sops_dir == d and site.incident_id_prefix == "TS"
    small_site_path.write_text(
        text.replace(
            'timezone = "Asia/Ho_Chi_Minh"\n',
            'timezone = "Asia/Ho_Chi_Minh"\nsops_dir = "nowhere"\n',
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"site.sops_dir: 'nowhere' is not a directory"):
        load_site(small_site_path)
    small_site_path.write_text(
        text.replace(
            'timezone = "Asia/Ho_Chi_Minh"\n',
            'timezone = "Asia/Ho_Chi_Minh"\nincident_prefix = "hc"\n',
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r"site.incident_prefix: 'hc': use 1-8 characters from A-Z 0-9"
    ):
        load_site(small_site_path)


def test_the_prefix_is_derived_from_the_site_id(demo_site) -> None:  # type: ignore[no-untyped-def]
    assert demo_site.incident_id_prefix == "HC"
    assert default_sops_dir().name == "sops"

"""The hub's file: defaults, relative paths, and errors in the same style as the site file."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.hub.config import load_hub_config, write_hub_config
from console.shared.errors import ConfigError


def hub_file(tmp_path: Path, **extra: object) -> Path:
    p = tmp_path / "hub.toml"
    write_hub_config(
        p,
        bind="tcp://*:5700",
        database="sqlite:///hub.sqlite3",
        secret_key="k/hub.key_secret",
        **extra,
    )
    return p


def test_defaults_and_paths_relative_to_the_file(tmp_path: Path) -> None:
    cfg = load_hub_config(hub_file(tmp_path, credit=4, heartbeat_s=1))
    assert cfg.id == "ioc" and cfg.bind == "tcp://*:5700"
    assert cfg.database == f"sqlite:///{(tmp_path / 'hub.sqlite3').resolve()}"
    assert cfg.secret_key == tmp_path / "k" / "hub.key_secret"
    assert cfg.registry == tmp_path / "consoles.toml"
    assert (cfg.credit, cfg.max_records, cfg.heartbeat_s) == (4, 2000, 1.0)
    assert isinstance(cfg.heartbeat_s, float) and isinstance(cfg.max_frame_bytes, int)


def message(p: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_hub_config(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ") and "\n" not in msg
    return msg[len(f"{p}: ") :]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("credit = 0", "hub.credit: 0 is below the minimum 1 (line 6)"),
        (
            "credit = true",
            "hub.credit: expected a whole number, got true (allowed: 1 .. 1000) (line 6)",
        ),
        (
            "credit = 2.5",
            "hub.credit: expected a whole number, got 2.5 (allowed: 1 .. 1000) (line 6)",
        ),
        ("heartbeat_s = nan", "hub.heartbeat_s: expected a finite number, got nan (line 6)"),
        ("heartbeat_s = -inf", "hub.heartbeat_s: expected a finite number, got -inf (line 6)"),
        ("heartbeat_s = 100", "hub.heartbeat_s: 100 is above the maximum 60 (line 6)"),
        ('id = ""', "hub.id: must not be empty (line 6)"),
        ("creditt = 3", "hub.creditt: unknown key (allowed: bind, credit, database, heartbeat_s, "),
    ],
)
def test_errors_name_key_problem_and_line(tmp_path: Path, line: str, expected: str) -> None:
    p = hub_file(tmp_path)
    p.write_text(p.read_text("utf-8") + line + "\n", "utf-8")
    assert message(p).startswith(expected)


def test_bind_must_be_an_endpoint_and_hub_table_is_required(tmp_path: Path) -> None:
    p = tmp_path / "hub.toml"
    p.write_text('[hub]\nbind = "5700"\nsecret_key = "k"\n', "utf-8")
    assert message(p) == "hub.bind: '5700' is not an endpoint like tcp://*:5700 (line 2)"
    p.write_text('[hub]\nbind = "tcp://*:5700"\n', "utf-8")
    assert message(p) == "hub.secret_key: missing (a non-empty string is required) (line 1)"
    p.write_text('[hubb]\nbind = "tcp://*:5700"\n', "utf-8")
    assert message(p) == "hubb: unknown key (allowed: access, agencies, hub, sites) (line 1)"
    p.write_text("", "utf-8")
    assert message(p) == "hub: missing (a table is required)"
    p.write_text("[hub\n", "utf-8")
    assert message(p).startswith("TOML syntax error: ")
    assert message(tmp_path / "none.toml").startswith("cannot read hub config: ")


def test_the_ioc_windows_access_timings_come_from_the_hub_file(tmp_path: Path) -> None:
    from console.hub.config import load_hub_config
    from console.shared.access import AccessConfig

    p = tmp_path / "hub.toml"
    p.write_text('[hub]\nbind = "tcp://*:5700"\nsecret_key = "k"\n', "utf-8")
    assert load_hub_config(p).access == AccessConfig()
    p.write_text(
        '[hub]\nbind = "tcp://*:5700"\nsecret_key = "k"\n[access]\nidle_lock_s = 120\n'
        "max_failed_logins = 3\n",
        "utf-8",
    )
    assert load_hub_config(p).access == AccessConfig(120.0, 3, 300.0)
    p.write_text(
        '[hub]\nbind = "tcp://*:5700"\nsecret_key = "k"\n[access]\nidle_lock = 1\n', "utf-8"
    )
    assert message(p) == (
        "access.idle_lock: unknown key (allowed: idle_lock_s, login_wait_s, max_failed_logins) "
        "(line 5)"
    )


def test_the_registry_errors_name_the_file_the_key_and_the_line(tmp_path: Path) -> None:
    from console.hub.registry import read_registry
    from console.shared.errors import ConfigError
    from transport.curve import generate, load_keypair

    pub, _ = generate(tmp_path / "k", "a")
    key = load_keypair(pub, need_secret=False).public.decode()
    reg = tmp_path / "consoles.toml"
    cases = [
        (f'[consoles.hai-chau]\npublic_key = "{key}"\nrevokd = true\n',
         "consoles.hai-chau.revokd: unknown key (allowed: changed, public_key, revoked, site) (line 3)"),
        ('[consoles.hai-chau]\npublic_key = "short"\n',
         "consoles.hai-chau.public_key: 'short': expected the 40 Z85 characters"),
        (f'[consoles.Hai]\npublic_key = "{key}"\n',
         "consoles.Hai: console id: use 1-64 characters from a-z 0-9 - _ . (line 1)"),
        (f'[consoles.hai-chau]\npublic_key = "{key}"\nsite = "Bad Site"\n',
         "consoles.hai-chau.site: 'Bad Site': use 1-64 characters from a-z 0-9 - _ . (line 3)"),
        (f'[consoles.hai-chau]\npublic_key = "{key}"\nrevoked = "no"\n',
         "consoles.hai-chau.revoked: expected true or false, got 'no' (line 3)"),
    ]  # fmt: skip
    for text, message in cases:
        reg.write_text(text, "utf-8")
        with pytest.raises(ConfigError) as err:
            read_registry(reg)
        assert str(err.value).startswith(f"{reg}: ") and message in str(err.value), err.value
        assert "\n" not in str(err.value)
    reg.write_text(f'[consoles.hai-chau]\npublic_key = "{key}"\nsite = "da-nang"\n', "utf-8")
    (entry,) = read_registry(reg)
    assert (entry.console_id, entry.allowed_site, entry.revoked) == ("hai-chau", "da-nang", False)


def test_sites_name_the_ioc_tiles_and_a_bad_site_id_is_refused(tmp_path: Path) -> None:
    from console.hub.config import SiteNames

    p = hub_file(tmp_path, sites={"cam-le": SiteNames("Cẩm Lệ", 'Cam "Le"')})
    assert load_hub_config(p).sites == {"cam-le": SiteNames("Cẩm Lệ", 'Cam "Le"')}
    assert load_hub_config(hub_file(tmp_path)).sites == {}
    p.write_text(
        p.read_text("utf-8") + '\n[sites."Cam Le"]\nname = { vi = "a", en = "b" }\n', "utf-8"
    )
    assert message(p).startswith("sites.\"Cam Le\": 'Cam Le': use 1-64 characters")
    p = hub_file(tmp_path)
    p.write_text(p.read_text("utf-8") + '\n[sites.x]\nname = { vi = "a" }\n', "utf-8")
    assert "sites.x.name" in message(p) and "en" in message(p)


def test_agencies_are_named_and_a_bad_agency_id_is_refused(tmp_path: Path) -> None:
    from console.hub.config import SiteNames

    pccc = SiteNames("Cảnh sát PCCC&CNCH", "Fire and rescue police")
    assert load_hub_config(hub_file(tmp_path)).agencies == {}
    p = hub_file(tmp_path, agencies={"pccc": pccc})
    assert load_hub_config(p).agencies == {"pccc": pccc}
    p.write_text(p.read_text("utf-8") + '"Công an" = { vi = "a", en = "b" }\n', "utf-8")
    assert message(p).startswith("agencies.\"Công an\": 'Công an': use 1-64 characters")
    p = hub_file(tmp_path)
    p.write_text(p.read_text("utf-8") + '\n[agencies]\nx = { vi = "a" }\n', "utf-8")
    assert "agencies.x" in message(p) and "en" in message(p)

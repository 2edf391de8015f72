"""The hub's session policy without sockets: keys, HELLO admission, revocation, credit."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.hub.policy import HubPolicy
from console.hub.registry import Entry, read_registry, utc_now, write_registry
from transport.uplink_hub import Admitted, Hello, KeyVerdict, Refusal

KEY_A = b"A" * 40
KEY_B = b"B" * 40
KEY_C = b"C" * 40


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "consoles.toml"
    write_registry(
        path,
        [
            Entry("hai-chau", KEY_A, False, utc_now()),
            Entry("hc-ws2", KEY_B, False, utc_now(), site="hai-chau"),
            Entry("old", KEY_C, True, utc_now()),
        ],
    )
    return path


def hello(user: str, console: str, site: str, db: str = "db-1", **streams: int) -> Hello:
    return Hello(user, console, site, db, streams or {"status": 0, "summary": 0}, "test")


def test_keys_are_let_in_as_their_console_or_refused_with_a_reason(registry: Path) -> None:
    p = HubPolicy(registry, credit=8)
    assert p.authorize(KEY_A) == KeyVerdict(peer="hai-chau")
    assert p.authorize(KEY_C) == KeyVerdict(refused="revoked_key")
    assert p.authorize(b"D" * 40) == KeyVerdict(refused="unknown_key")


def test_hello_admission(registry: Path) -> None:
    p = HubPolicy(registry, credit=8, max_streams=3)
    assert p.admit(hello("hai-chau", "hai-chau", "hai-chau")) == Admitted("hai-chau", "hai-chau")
    # A second workstation of one OC reports for the site its key is registered for.
    assert p.admit(hello("hc-ws2", "hc-ws2", "hai-chau")) == Admitted("hc-ws2", "hai-chau")
    refusals = {
        "no user id": hello("", "hai-chau", "hai-chau"),
        "another's id": hello("hc-ws2", "hai-chau", "hai-chau"),
        "revoked": hello("old", "old", "old"),
        "other site": hello("hc-ws2", "hc-ws2", "son-tra"),
        "long db": hello("hai-chau", "hai-chau", "hai-chau", db="x" * 65),
        "empty db": hello("hai-chau", "hai-chau", "hai-chau", db=""),
        "non-ascii db": hello("hai-chau", "hai-chau", "hai-chau", db="cơ-sở"),
        "long stream": hello("hai-chau", "hai-chau", "hai-chau", **{"s" * 33: 0}),
        "many streams": hello("hai-chau", "hai-chau", "hai-chau", a=0, b=0, c=0, d=0),
    }
    got = {}
    for what, h in refusals.items():
        r = p.admit(h)
        assert isinstance(r, Refusal), what
        got[what] = (r.code, r.connection)
    assert got == {
        "no user id": ("id_mismatch", "id_mismatch"),
        "another's id": ("id_mismatch", "id_mismatch"),
        "revoked": ("key_revoked", "revoked_key"),
        "other site": ("site_mismatch", "site_mismatch"),
        "long db": ("bad_header", ""),
        "empty db": ("bad_header", ""),
        "non-ascii db": ("bad_header", ""),
        "long stream": ("bad_header", ""),
        "many streams": ("bad_header", ""),
    }
    assert p.admit(Hello("hai-chau", "hai-chau", "hai-chau", "db", {5: 0}, "t")) == Refusal(
        "bad_header", "HELLO.streams"
    )


def test_a_key_revoked_during_a_session_ends_it_without_a_restart(registry: Path) -> None:
    p = HubPolicy(registry, credit=8)
    assert p.recheck("hai-chau") is None
    entries = {e.console_id: e for e in read_registry(registry)}
    e = entries["hai-chau"]
    entries["hai-chau"] = Entry(e.console_id, e.public_key, True, utc_now())
    write_registry(registry, list(entries.values()))
    r = p.recheck("hai-chau")
    assert r is not None and (r.code, r.connection) == ("key_revoked", "revoked_key")
    assert p.authorize(KEY_A) == KeyVerdict(refused="revoked_key")


def test_storage_failure_pauses_every_session_until_the_storage_answers(registry: Path) -> None:
    p = HubPolicy(registry, credit=8)
    assert (p.welcome_credit(), p.ack_credit(), p.tick(lambda: True)) == (8, 8, None)
    assert p.storage_failed() == 0
    assert p.welcome_credit() == 0
    assert p.tick(lambda: False) is None
    assert p.welcome_credit() == 0
    assert p.tick(lambda: True) == 8
    assert p.welcome_credit() == 8 and p.tick(lambda: True) is None

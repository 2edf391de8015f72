"""Keys and set-up from the command line: generate, allow, revoke, list; clear refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.linkkit import make_kit
from tests.test_cli import opsconsole

pytestmark = pytest.mark.slow


def test_generate_allow_revoke_list(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "hub")
    r = opsconsole("keys", "generate", "--out", str(tmp_path / "k"), "--name", "son-tra")
    assert r.returncode == 0, r.stderr
    secret = tmp_path / "k" / "son-tra.key_secret"
    assert secret.exists() and (secret.stat().st_mode & 0o777) == 0o600
    again = opsconsole("keys", "generate", "--out", str(tmp_path / "k"), "--name", "son-tra")
    assert again.returncode == 3 and "refusing to overwrite" in again.stderr
    pub = str(tmp_path / "k" / "son-tra.key")
    cfg = str(kit.hub_config)
    assert (
        opsconsole(
            "keys", "allow", "--hub-config", cfg, "--console-id", "son-tra", "--public-key", pub
        ).returncode
        == 0
    )
    taken = opsconsole(
        "keys", "allow", "--hub-config", cfg, "--console-id", "impostor", "--public-key", pub
    )
    assert taken.returncode == 2 and "already belongs to console 'son-tra'" in taken.stderr
    listed = json.loads(opsconsole("keys", "list", "--hub-config", cfg, "--json").stdout)
    assert [(e["console_id"], e["revoked"]) for e in listed] == [("son-tra", False)]
    assert (
        opsconsole("keys", "revoke", "--hub-config", cfg, "--console-id", "son-tra").returncode == 0
    )
    listed = json.loads(opsconsole("keys", "list", "--hub-config", cfg, "--json").stdout)
    assert listed[0]["revoked"] is True
    missing = opsconsole("keys", "revoke", "--hub-config", cfg, "--console-id", "nobody")
    assert missing.returncode == 2 and "no console 'nobody'" in missing.stderr


def test_missing_or_wrong_keys_are_named_on_both_sides(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "hub")
    site = kit.site("hai-chau", "tcp://127.0.0.1:5999", secret=tmp_path / "nowhere.key_secret")
    r = opsconsole("console", "--site", str(site), "--headless", "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2
    assert "uplink.secret_key" in r.stderr and "opsconsole keys generate" in r.stderr
    # A public key file where the secret one belongs.
    site = kit.site("hai-chau", "tcp://127.0.0.1:5999", secret=kit.hub_public)
    r = opsconsole("console", "--site", str(site), "--headless", "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2 and "this is a public key file" in r.stderr
    # The hub without its secret key.
    os.remove(kit.root / "keys" / "hub.key_secret")
    r = opsconsole("hub", "--config", str(kit.hub_config))
    assert r.returncode == 2 and "hub.secret_key" in r.stderr

"""``opsconsole demo --city`` runs the whole city: hub, three consoles with simulators, real link."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.hub.config import load_hub_config


@pytest.mark.slow
def test_the_city_demo_brings_three_sites_to_the_hub(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "demo",
            "--city",
            "--headless",
            "--json",
            "--duration",
            "12",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert set(out["sites"]) == {"hai-chau", "son-tra", "cam-le"}
    assert all(s["feeds_total"] == 42 for s in out["sites"].values())
    assert "river_level" in out["kinds"]  # backfilled minutes reached the hub
    cfg = load_hub_config(out["hub_config"])
    assert cfg.sites["cam-le"].vi == "Cẩm Lệ"
    # The IOC's demo staff, one per role, each with a one-time password to log in with.
    users = {u["user_id"]: u for u in out["ioc_users"]}
    assert {u["roles"] for u in users.values()} == {
        "ioc_viewer",
        "ioc_operator",
        "ioc_supervisor",
        "admin",
    }
    assert all(len(u["one_time_password"]) == 12 for u in users.values())


def test_the_ioc_demo_accounts_are_made_once_and_renewed_while_unused(tmp_path: Path) -> None:
    from console.cli.city_demo import IOC_DEMO_USERS, ensure_ioc_demo_users, prepare_city
    from console.hub.services.access import IocAccess
    from console.hub.store.store import HubStore
    from console.shared.commit import DirectCommit
    from console.shared.passwords import Passwords

    config, _ = prepare_city(tmp_path / "city")
    first = ensure_ioc_demo_users(config)
    assert [u["user_id"] for u in first] == [u[0] for u in IOC_DEMO_USERS]
    cfg = load_hub_config(config)
    store = HubStore(cfg.database)
    try:
        access = IocAccess(store.engine, DirectCommit(store.engine), passwords=Passwords())
        hoa = next(u for u in first if u["user_id"] == "hoa")
        access.log_in("hoa", hoa["one_time_password"], new_password="mat-khau-cua-hoa")
    finally:
        store.close()
    second = {u["user_id"]: u["one_time_password"] for u in ensure_ioc_demo_users(config)}
    assert second["hoa"] is None  # chosen by its user: kept
    assert all(pw and pw != first[i]["one_time_password"]
               for i, (uid, pw) in enumerate(second.items()) if uid != "hoa")  # fmt: skip

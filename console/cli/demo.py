"""``opsconsole demo``: simulator + console on embedded defaults, nothing to set up.

The simulator runs as a child process (as a real gateway would: its own
process, its own GIL), pushing to the console's PULL socket on a free loopback
port. The log goes to a fresh directory per run unless ``--data-dir`` is
given. With ``--json`` one JSON object is printed at the end; its
``readings_stored`` is what ``SELECT count(*)`` finds in ``database`` when
the directory was new, and ``audit`` compares the action log's head with
the head the local hub received.

Demo accounts (``DEMO_USERS``, one per role) are created in the site log with
one-time passwords, printed at start (in the JSON with ``--json``): log in
with one and choose your own password. A later run with the same data
directory issues new one-time passwords to accounts nobody has used yet.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from console.cli.local_hub import LocalHub
from console.district.config import SiteConfig
from console.district.services.access import AccessService
from console.district.services.app import ConsoleApp
from console.district.store.action_log import verify
from console.district.store.commit import DirectCommit
from console.district.store.database import count_readings, database_path, open_site_database
from console.shared.clock import SystemClock
from console.shared.instance import InstanceLock
from console.shared.runtime import install_stop_signals
from console.shared.session import os_session
from console.shared.vocab import Role
from console.sim.launch import simulator_argv

log = logging.getLogger(__name__)

DEMO_USERS = (
    ("an", "Nguyễn Văn An", "operator"),
    ("ha", "Trần Thu Hà", "supervisor"),
    ("quan", "Lê Minh Quân", "admin"),
    ("lan", "Võ Thị Lan", "viewer"),
)
"""(user id, full name, roles) of the demo's accounts: one per role."""


def ensure_demo_users(site: SiteConfig, data_dir: Path) -> list[dict[str, Any]]:
    """Create the demo accounts (or renew the one-time password of one never used);
    recorded in the action log as the OS account running the demo, as the CLI does."""
    db = open_site_database(data_dir, site.id, [(f.id, f.kind, f.unit) for f in site.feeds])
    try:
        access = AccessService(
            db.engine, DirectCommit(db.engine), SystemClock(), site.access, socket.gethostname()
        )
        me = os_session(Role.ADMIN)
        known = {a.user_id: a for a in access.users(me)}
        out = []
        for uid, name, roles in DEMO_USERS:
            a = known.get(uid)
            pw: str | None = None
            if a is None:
                pw = access.add_user(me, uid, name, roles, note="cli: opsconsole demo")
            elif a.must_change_password:
                pw = access.reset_password(me, uid, note="cli: opsconsole demo")
            out.append({"user_id": uid, "name": name, "roles": roles, "one_time_password": pw})
        return out
    finally:
        db.engine.dispose()


def print_demo_users(users: list[dict[str, Any]]) -> None:
    print("Demo accounts: log in with a user id and its one-time password, then choose your own.")
    for u in users:
        pw = u["one_time_password"] or "(password already chosen by its user)"
        print(f"  {u['user_id']:<6} {pw:<14} {u['roles']:<11} {u['name']}")
    print(flush=True)


def hub_audit_heads(hub: LocalHub) -> list[dict[str, Any]]:
    """The action-log heads the local hub holds (its database, read directly)."""
    from console.hub.config import load_hub_config
    from console.hub.store.store import HubStore

    store = HubStore(load_hub_config(hub.config).database)
    try:
        return list(store.city()["audit"])
    finally:
        store.close()


def refuse_if_running(site: SiteConfig, data_dir: Path) -> None:
    """Before starting a hub or a simulator: is another instance using this log?"""
    log_path = database_path(data_dir, site.id)
    InstanceLock(log_path.with_name(log_path.name + ".lock"), "", target=log_path).check(
        "stop it first, or use another --data-dir"
    )


def run_demo(
    site: SiteConfig,
    data_dir: Path,
    *,
    duration: float | None,
    scenario: str,
    rate: float | None,
    speed: float,
    malformed_fraction: float,
    json_out: bool,
) -> int:
    stop = threading.Event()
    install_stop_signals(stop)
    refuse_if_running(site, data_dir)
    users = ensure_demo_users(site, data_dir)
    if not json_out:
        print_demo_users(users)
    hub = LocalHub(data_dir, site.id)
    uplink = hub.start()
    try:
        # The simulator compresses time by `speed`; the alarm rules' durations follow.
        app = ConsoleApp(
            site,
            data_dir,
            feeds_pull=["tcp://127.0.0.1:*"],
            feeds_sub=[],
            time_scale=speed,
            uplink=uplink,
            instance="opsconsole demo",
        )
        app.start()
    except BaseException:
        hub.stop()
        raise
    try:
        return _run(
            app,
            hub,
            site,
            scenario,
            speed,
            rate,
            malformed_fraction,
            duration,
            json_out,
            stop,
            users,
        )
    finally:
        hub.stop()


def _run(
    app: ConsoleApp,
    hub: LocalHub,
    site: SiteConfig,
    scenario: str,
    speed: float,
    rate: float | None,
    malformed_fraction: float,
    duration: float | None,
    json_out: bool,
    stop: threading.Event,
    users: list[dict[str, Any]],
) -> int:
    endpoint = app.endpoints[0]
    cmd = simulator_argv(
        site.path,
        endpoint,
        scenario=scenario,
        speed=speed,
        rate=rate,
        malformed_fraction=malformed_fraction,
        duration=duration,
        json_report=True,
    )
    log.info("demo: site %s, scenario %s, log %s", site.id, scenario, app.db.path)
    sim = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    try:
        while sim.poll() is None and not stop.wait(2.0):
            st = app.stats()
            if not json_out:
                lv = app.link_view()
                log.info(
                    "%5.0f s  %d readings stored, %d feeds seen, rejected %s; "
                    "city link %s, %d records acked, backlog %d",
                    time.monotonic() - started,
                    st.readings_stored,
                    st.feeds_seen,
                    st.readings_rejected or "none",
                    lv.state,
                    lv.records_acked,
                    lv.backlog,
                )
    finally:
        if sim.poll() is None:
            sim.terminate()
        out, _ = sim.communicate(timeout=60)
    sim_report: dict[str, Any] = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    # Wait for every frame the simulator sent to arrive, then for the last commit.
    deadline = time.monotonic() + 15
    while (
        app.stats().frames_received < sim_report.get("frames_sent", 0)
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    # Close the last minute and let the hub acknowledge everything written.
    app.flush_uplink(timeout=20)
    link = app.link_view()
    report = app.stop()
    st = app.stats()
    stored_in_db = count_readings(app.db.engine)
    chain = verify(app.db.engine)
    app.db.engine.dispose()
    mine = [h for h in hub_audit_heads(hub) if h["chain"] == app.db.stream_id]
    result = {
        "site": site.id,
        "scenario": scenario,
        "duration_s": round(time.monotonic() - started, 3),
        "frames_received": st.frames_received,
        "readings_received": st.readings_received,
        "readings_stored": st.readings_stored,
        "readings_dropped": st.readings_dropped,
        "uncommitted": report.as_dict(),
        "readings_rejected": st.readings_rejected,
        "feeds_configured": len(site.feeds),
        "feeds_seen": st.feeds_seen,
        "database": str(app.db.path),
        "database_readings": stored_in_db,
        "simulator": sim_report,
        "uplink": link.as_dict(),
        "hub": {"endpoint": hub.endpoint, "config": str(hub.config)},
        "demo_users": users,
        "audit": {
            "local": chain.as_dict(),
            "hub": mine[0] if mine else None,
        },
    }
    if json_out:
        print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    else:
        log.info(
            "demo finished: %d readings stored (%d in the log), rejected %s; log at %s",
            st.readings_stored,
            stored_in_db,
            st.readings_rejected or "none",
            app.db.path,
        )
    return 0

"""``opsconsole demo``: simulator + console on embedded defaults, nothing to set up.

The simulator runs as a child process (as a real gateway would: its own
process, its own GIL), pushing to the console's PULL socket on a free loopback
port. The log goes to a fresh directory per run unless ``--data-dir`` is
given. With ``--json`` one JSON object is printed at the end; its
``readings_stored`` is what ``SELECT count(*)`` finds in ``database`` when
the directory was new.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from console.cli.local_hub import LocalHub
from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.district.store.database import count_readings
from console.shared.runtime import install_stop_signals
from console.sim.launch import simulator_argv

log = logging.getLogger(__name__)


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
        )
        app.start()
    except BaseException:
        hub.stop()
        raise
    try:
        return _run(
            app, hub, site, scenario, speed, rate, malformed_fraction, duration, json_out, stop
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
    app.db.engine.dispose()
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

"""``opsconsole bench ioc``: the IOC window under a city's load, offscreen.

A separate process plays the hub with N sites × M feeds reporting (typed
records straight through ``HubStore.commit``, as the hub's ROUTER loop commits
them: statuses every 10 s per site, changing alarm counts, a minute summary of
every feed once a minute, spread over the minute). This process runs the IOC
window on the same database, as an IOC workstation would, and measures:

* ``frame_ms``: one full refresh of the overview (city strip and every site
  tile) plus the event processing that paints it, at 30 Hz (``render_only_ms``:
  the refresh alone, before layout and paint);
* ``status_visible_ms``: a status committed by the hub process → on screen
  (the window woken by the change counter; the commit time is taken after the
  commit returns, the visible time after the event pass that painted it);
* ``detail_draw_ms``: drawing a site's drill-down (6 feeds over 24 h, min/max
  envelopes, status history) once its data is loaded;
* ``escalation_visible_ms``: an escalation (a two-language CAP 1.2 flood alert,
  ``console.bench.cap``) committed by the hub process through ``HubStore.commit``
  (the fold validates the CAP and stores it, as for one from a console's uplink)
  every 1-1.5 s from a random site → its row in the window's escalation inbox
  (change counter, snapshot, the inbox's read of the escalations in its worker,
  the list filled on the GUI thread);
* the baseline: the same curves and points in a bare pyqtgraph PlotWidget of the
  same size (``setData`` + paint), in the same run.

The window is an IOC workstation's (``IocWorkstation`` over a hub file naming the
database), with nobody logged in: the city and the inbox are live before log-in.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from console.bench.targets import judge

FRAME_S = 1 / 30
STATUS_EVERY_S = 10.0
ESCALATION_EVERY_S = (1.0, 1.5)
TARGETS = {
    "frame_ms_p99": 33.0,
    "status_visible_ms_p99": 1000.0,
    "escalation_visible_ms_p99": 1000.0,
}


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.array(values), q)), 2) if values else float("nan")


def _sites(n: int) -> list[str]:
    return [f"site-{i:02d}" for i in range(n)]


def hub_process(
    url: str,
    n_sites: int,
    n_feeds: int,
    history_min: int,
    drill_site_min: int,
    ready: Any,
    stop: Any,
    probes: Any,
    stats: Any,
    escalated: Any,
) -> None:
    """The hub side: prefill, then report like a city until ``stop`` (runs in its own process)."""
    from console.bench.cap import escalation_alert
    from console.hub.store.store import HubStore
    from console.shared import cap
    from console.sim.city import MINUTE_MS, CityFeeder

    store = HubStore(url)
    sites = _sites(n_sites)
    feed = CityFeeder(store, sites, n_feeds, period_ms=int(STATUS_EVERY_S * 1000))
    rng = random.Random(7)
    now = int(time.time() * 1000)
    first = now - now % MINUTE_MS
    # History: the drilled site for a day, every site for the last minutes; the minute
    # before this one is left for the live phase (so summaries flow from the first second).
    for m in range(drill_site_min, 1, -1):
        minute = first - m * MINUTE_MS
        batches = [feed.minute_batch(sites[0], minute)]
        if m <= history_min:
            batches += [feed.minute_batch(s, minute) for s in sites[1:]]
        store.commit(batches)
    alarms = {s: (0, 0, 0, 0) for s in sites}
    for s in sites:
        store.commit([feed.status_batch(s, int(time.time() * 1000))])
    ready.set()
    records = 0
    t_start = time.monotonic()
    next_status = {s: t_start + STATUS_EVERY_S * i / n_sites for i, s in enumerate(sites)}
    # Each site summarizes a closed minute once a minute, the sites spread over the minute:
    # minute M of site i goes at M + 60 s + i × 60 s / N (the first within the next minute).
    minute_due = {s: first - MINUTE_MS for s in sites}
    offset = {s: i * 60.0 / n_sites for i, s in enumerate(sites)}
    probe = 0
    next_probe = t_start + 1.0
    n_esc = 0
    next_esc = t_start + 1.0
    while not stop.is_set():
        t = time.monotonic()
        wall = int(time.time() * 1000)
        batches = []
        for s in sites:
            if t >= next_status[s]:
                next_status[s] += STATUS_EVERY_S
                if rng.random() < 0.3:  # an alarm comes or goes somewhere in the city
                    a = alarms[s]
                    alarms[s] = (
                        max(0, a[0] + rng.choice((-1, 1))),
                        max(0, a[1] + rng.choice((-1, 0, 1))),
                        max(0, a[2] + rng.choice((-1, 0, 0, 1))),
                        max(0, a[3] + rng.choice((-1, 1))),
                    )
                a = alarms[s]
                batches.append(feed.status_batch(s, wall, sev=a[:3], unack=a[3]))
            if wall >= minute_due[s] + MINUTE_MS + offset[s] * 1000:
                batches.append(feed.minute_batch(s, minute_due[s]))
                minute_due[s] += MINUTE_MS
        probe_key = 0
        if t >= next_probe:
            probe += 1
            probe_key = 1000 + probe  # regular statuses never count this many
            next_probe = t + 0.5 + rng.random() * 0.5
            batches.append(feed.status_batch(sites[-1], wall, unack=probe_key))
        ident = ""
        if t >= next_esc:
            n_esc += 1
            next_esc = t + rng.uniform(*ESCALATION_EVERY_S)
            site = rng.choice(sites)
            alert = escalation_alert(n_esc, site)
            ident = alert.identifier
            batches.append(feed.escalation_batch(site, cap.build_xml(alert), f"inc-{n_esc}", wall))
        if batches:
            store.commit(batches)
            records += sum(len(b.records) for b in batches)
            if probe_key:
                probes.put((probe_key, time.monotonic()))
            if ident:
                escalated.put((ident, time.monotonic()))
        time.sleep(0.005)
    stats.put({"records": records, "seconds": time.monotonic() - t_start})
    store.close()


def run_ioc_bench(
    *,
    sites: int = 50,
    feeds: int = 200,
    seconds: float = 20.0,
    database: str | None = None,
    quick: bool = False,
    warmup: float = 3.0,
) -> dict[str, Any]:
    """The IOC window under a city's load, garbage collected on the GUI thread."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.hub.ui.app import gc_on_gui_thread, make_app

    make_app()
    with gc_on_gui_thread():
        return _measure(sites, feeds, seconds, database, quick, warmup)


def _measure(
    sites: int, feeds: int, seconds: float, database: str | None, quick: bool, warmup: float
) -> dict[str, Any]:
    import pyqtgraph as pg
    from PySide6.QtCore import QCoreApplication

    from console.bench.ingest import machine
    from console.hub.config import load_hub_config, write_hub_config
    from console.hub.services.workstation import IocWorkstation
    from console.hub.store.store import make_hub_engine, migrate
    from console.hub.ui.app import make_app
    from console.hub.ui.text import install_translator
    from console.hub.ui.window import IocWindow

    if quick:
        sites, feeds, seconds, warmup = min(sites, 8), min(feeds, 20), min(seconds, 3.0), 1.0
    history_min = 10 if quick else 30
    drill_min = 60 if quick else 24 * 60
    app = make_app()
    install_translator(app, "vi")
    with tempfile.TemporaryDirectory(prefix="opsconsole-benchioc-") as tmp:
        url = database or f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        engine = make_hub_engine(url)
        migrate(engine)  # before the hub process: one migration, no race
        ctx = mp.get_context("spawn")
        ready, stop = ctx.Event(), ctx.Event()
        probes, stats, escalated = ctx.Queue(), ctx.Queue(), ctx.Queue()
        hub = ctx.Process(
            target=hub_process,
            args=(url, sites, feeds, history_min, drill_min, ready, stop, probes, stats, escalated),
            daemon=True,
        )
        hub_file = Path(tmp) / "hub.toml"
        write_hub_config(hub_file, bind="tcp://127.0.0.1:*", database=url, secret_key="k")
        t_fill = time.monotonic()
        hub.start()
        try:
            if not ready.wait(600):
                raise RuntimeError("the hub process did not prefill in 10 minutes")
            prefill_s = time.monotonic() - t_fill
            desk = IocWorkstation.open(load_hub_config(hub_file), workstation="bench")
            city = desk.city
            win = IocWindow(city, "vi", title="bench", desk=desk)
            win.resize(1366, 768)
            win.show()
            commits: dict[int, float] = {}
            visible: list[float] = []
            applied: list[int] = []
            probe_site = _sites(sites)[-1]
            esc_commits: dict[str, float] = {}
            esc_visible: list[float] = []
            inbox = win.inbox
            assert inbox is not None

            def on_applied(snap: Any) -> None:
                s = snap.site(probe_site)
                if s is not None and s.alarms is not None:
                    applied.append(s.alarms.unack)

            first_seen: dict[str, float] = {}

            def on_inbox(view: Any) -> None:
                # When each escalation was first on screen; matched to its commit time
                # (which the hub process sends after its commit returns) below.
                seen = time.monotonic()
                for item in view.items:
                    first_seen.setdefault(item["identifier"], seen)
                _match()

            def _match() -> None:
                _drain(escalated, esc_commits)
                for ident in [i for i in esc_commits if i in first_seen]:
                    t = esc_commits.pop(ident)
                    if t >= t_measure:
                        esc_visible.append(max(0.0, first_seen[ident] - t) * 1000)

            t_measure = time.monotonic() + warmup
            win.applied.connect(on_applied)
            inbox.shown.connect(on_inbox)
            win.start()
            frames: list[float] = []
            t_measure = time.monotonic() + warmup
            t_end = t_measure + seconds
            next_t = time.monotonic()
            while time.monotonic() < t_end:
                t0 = time.perf_counter()
                win.refresh()
                QCoreApplication.processEvents()
                dt = (time.perf_counter() - t0) * 1000
                if time.monotonic() >= t_measure:
                    frames.append(dt)
                next_t += FRAME_S
                # Between frames, let the worker's snapshots in as a real event loop would.
                while time.monotonic() < next_t:
                    QCoreApplication.processEvents()
                    _drain(probes, commits)
                    _match()
                    if applied:
                        seen = time.monotonic()
                        for k in applied:
                            if k in commits and time.monotonic() >= t_measure:
                                visible.append((seen - commits.pop(k)) * 1000)
                        applied.clear()
                    time.sleep(0.002)
            listening = city.changes.listening
            render = list(win.frame_ms)[-len(frames) :] if frames else []
            # The drill-down: 6 feeds over 24 h (or what the quick run has), drawn N times.
            detail = _detail_draws(
                win, probe_site if quick else _sites(sites)[0], 5 if quick else 10
            )
            win.close()
            stop.set()
            hub.join(60)
            hub_stats = stats.get(timeout=10) if not stats.empty() else {}
            desk.close()
        finally:
            stop.set()
            if hub.is_alive():
                hub.kill()
                hub.join()
            engine.dispose()

    # Baseline: the drill-down's curves and points in a bare PlotWidget of the same size.
    plot = pg.PlotWidget()
    plot.resize(*detail["plot_size"])
    plot.show()
    n, points = detail["curves"], max(2, detail["points_per_curve"])
    x = np.linspace(0, 86_400, points)
    rng = np.random.default_rng(1)
    items = [plot.plot(pen=pg.mkPen("#4fc3f7", width=1)) for _ in range(n)]
    base: list[float] = []
    for _ in range(30 if quick else 100):
        ys = [rng.normal(size=points).cumsum() for _ in items]
        t0 = time.perf_counter()
        for it, y in zip(items, ys, strict=True):
            it.setData(x, y, skipFiniteCheck=True)
        QCoreApplication.processEvents()
        base.append((time.perf_counter() - t0) * 1000)
    plot.close()
    result = {
        "bench": "ioc",
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "sites": sites,
        "feeds_per_site": feeds,
        "load": (
            f"{sites} sites: a status every {STATUS_EVERY_S:.0f} s each (alarm counts "
            f"changing), {sites * feeds} minute summaries a minute, plus a probe status "
            "every 0.5-1 s and an escalation (CAP 1.2, two languages) every 1-1.5 s; "
            "committed by a separate hub process through HubStore.commit"
        ),
        "hub_records_per_s": round(
            hub_stats.get("records", 0) / max(hub_stats.get("seconds", 1), 1e-9), 1
        ),
        "prefill_s": round(prefill_s, 1),
        "seconds": round(seconds, 1),
        "frames": len(frames),
        "frame_ms_p50": _pct(frames, 50),
        "frame_ms_p99": _pct(frames, 99),
        "frame_ms_max": round(max(frames), 2) if frames else float("nan"),
        "render_only_ms_p50": _pct(render, 50),
        "render_only_ms_p99": _pct(render, 99),
        "status_visible_ms_p50": _pct(visible, 50),
        "status_visible_ms_p99": _pct(visible, 99),
        "status_visible_samples": len(visible),
        "escalation_visible_ms_p50": _pct(esc_visible, 50),
        "escalation_visible_ms_p99": _pct(esc_visible, 99),
        "escalation_visible_samples": len(esc_visible),
        "wakeup": "LISTEN/NOTIFY + poll" if listening else "poll of hub_changes",
        "detail_draw_ms_p50": _pct(detail["draw_ms"], 50),
        "detail_draw_ms_p99": _pct(detail["draw_ms"], 99),
        "detail_curves": detail["curves"],
        "detail_points_per_curve": detail["points_per_curve"],
        "baseline_frame_ms_p50": _pct(base, 50),
        "baseline_frame_ms_p99": _pct(base, 99),
        "notes": {
            "escalation_visible_ms_p99": "hub commit of the escalation -> its row in the "
            "window's escalation inbox (the list filled after the inbox's read, which "
            "follows the snapshot that saw the change counter move)",
        },
        "machine": machine(),
    }
    result["targets"] = judge(result, {k: ("<=", v) for k, v in TARGETS.items()})
    return result


def _drain(q: Any, into: dict[Any, float]) -> None:
    while not q.empty():
        try:
            k, t = q.get_nowait()
        except Exception:
            return
        into[k] = t


def _detail_draws(win: Any, site: str, times: int) -> dict[str, Any]:
    """Open ``site``'s drill-down with 6 feeds over 24 h and time each drawing: building
    the plot items (``SiteDetail.draw_ms``) plus the event pass that paints them."""
    from PySide6.QtCore import QCoreApplication

    detail = win.detail
    loads: list[str] = []
    detail.loaded.connect(loads.append)
    detail.setRangeSeconds(86_400)
    win.openSite(site)
    _wait(lambda: len(loads) >= 1)
    feeds = [f.feed_key for f in detail.data().feeds][:6]
    draws: list[float] = []
    for _ in range(times):
        n = len(loads)
        detail.setChosen(feeds)
        _wait(lambda n=n: len(loads) > n)
        t0 = time.perf_counter()
        QCoreApplication.processEvents()
        draws.append(detail.draw_ms[-1] + (time.perf_counter() - t0) * 1000)
    data = detail.data()
    size = detail.plots.size()
    return {
        "draw_ms": draws,
        "curves": 3 * len(data.series),
        "points_per_curve": int(max((s.ts.size for s in data.series), default=0)),
        "plot_size": (size.width(), size.height()),
    }


def _wait(pred: Any, timeout: float = 60.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise RuntimeError("the drill-down did not load in time")
        QCoreApplication.processEvents()
        time.sleep(0.002)

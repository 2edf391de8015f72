"""``opsconsole bench ingest``: the console pipeline against its own ceilings.

In one run, on the same readings (three demo sites' feeds, 100 readings per
frame as the simulator batches):

- ``raw_transport_per_s``: a PUSH process → PULL + ``msgpack.unpackb``, nothing else;
- ``raw_sqlite_rows_per_s``: plain ``sqlite3.executemany`` of the same rows into the
  same schema with the same pragmas (WAL, synchronous=FULL), 5,000 rows a commit
  (and ``raw_sqlite_normal_rows_per_s``: the same with synchronous=NORMAL, the
  trade-off docs/ARCHITECTURE.md discusses);
- ``pipeline_per_s``: the full engine: receive, decode, validate, ring buffers,
  alarm evaluation with the demo sites' rules, durable group commit (first
  frame received → last row committed). Values sit at 5.00–5.02 in every
  unit: in range, above some limits (a steady state of a few standing
  alarms), never oscillating across one (``bench alarms`` measures floods);
- ``pipeline_with_summaries_per_s``: the same with the city link configured:
  (feed, minute) marks written with every commit and per-minute summaries
  computed into the outbox every 2 s (the hub is absent; records wait);
- ``latency_ms_p50/p99``: send-to-commit at a fixed offered load, from the
  readings' own timestamps (set at send time) to the commit that stored them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgpack
import numpy as np
import zmq

from console.bench.targets import judge
from console.district.config import SiteConfig, UplinkConfig, demo_sites_dir, load_site
from console.district.services.app import ConsoleApp
from console.district.store.database import open_site_database
from transport.curve import generate

BATCH = 100


def bench_site() -> SiteConfig:
    """All feeds of the demo sites as one site (126 feeds)."""
    sites = [load_site(p) for p in sorted(demo_sites_dir().glob("*.toml"))]
    feeds = tuple(f for s in sites for f in s.feeds)
    return dataclasses.replace(sites[0], id="bench", feeds=feeds)


def _sender(endpoint: str, feeds: list[str], *extra: str) -> subprocess.Popen[str]:
    cmd = [
        sys.executable,
        "-m",
        "console.bench.sender",
        "--endpoint",
        endpoint,
        "--feeds",
        ",".join(feeds),
        "--batch",
        str(BATCH),
        *extra,
    ]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)


def paced_sender(
    endpoint: str, feeds: list[str], rate: float, seconds: float
) -> subprocess.Popen[str]:
    """The bench gateway at a fixed offered load (latency here, window refresh in bench gui)."""
    return _sender(
        endpoint, feeds, "--mode", "paced", "--rate", str(rate), "--duration", str(seconds)
    )


def raw_transport(feeds: list[str], readings: int) -> float:
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.setsockopt(zmq.RCVHWM, 1000)
    sock.bind("tcp://127.0.0.1:*")
    ep = sock.getsockopt_string(zmq.LAST_ENDPOINT)
    proc = _sender(ep, feeds, "--mode", "burst", "--readings", str(readings))
    got = 0
    first = sock.recv()
    t0 = time.perf_counter()
    got += len(msgpack.unpackb(first, raw=False)["r"])
    while got < readings:
        got += len(msgpack.unpackb(sock.recv(), raw=False)["r"])
    elapsed = time.perf_counter() - t0
    proc.communicate(timeout=60)
    sock.close()
    ctx.term()
    # The first frame's readings arrived before t0 started.
    return (got - BATCH) / elapsed


def raw_sqlite(site: SiteConfig, readings: int, workdir: Path, synchronous: str = "FULL") -> float:
    db = open_site_database(
        workdir / f"raw-sqlite-{synchronous}", site.id, [(f.id, f.kind, f.unit) for f in site.feeds]
    )
    ids = [db.feed_ids[f.id] for f in site.feeds]
    db.engine.dispose()
    n = len(ids)
    start = int(time.time() * 1000)
    rows = [(ids[i % n], start + i // n, 5.0 + (i % 3) * 0.01, 0) for i in range(readings)]
    conn = sqlite3.connect(db.path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    sql = "INSERT OR IGNORE INTO readings (feed_id, ts_ms, value, quality) VALUES (?, ?, ?, ?)"
    t0 = time.perf_counter()
    for k in range(0, readings, 5000):
        conn.executemany(sql, rows[k : k + 5000])
        conn.commit()
    elapsed = time.perf_counter() - t0
    conn.close()
    return readings / elapsed


def _uplink_config(workdir: Path) -> UplinkConfig:
    """Summaries on (keys made here); the hub is absent, so records wait in the outbox."""
    keys = workdir / "keys"
    generate(keys, "hub")
    generate(keys, "bench")
    return UplinkConfig(
        hub="tcp://127.0.0.1:9",
        hub_public_key=str(keys / "hub.key"),
        secret_key=keys / "bench.key_secret",
        console_id="bench",
    )


def pipeline(
    site: SiteConfig, readings: int, workdir: Path, *, uplink: bool = False
) -> dict[str, float]:
    engine = ConsoleApp(
        site,
        workdir / ("pipeline-uplink" if uplink else "pipeline"),
        feeds_pull=["tcp://127.0.0.1:*"],
        feeds_sub=[],
        uplink=_uplink_config(workdir) if uplink else None,
    )
    engine.start()
    proc = _sender(
        engine.endpoints[0],
        [f.id for f in site.feeds],
        "--mode",
        "burst",
        "--readings",
        str(readings),
    )
    while engine.stats().frames_received == 0:
        time.sleep(0.0005)
    t0 = time.perf_counter()
    deadline = t0 + 600
    w = engine.writer
    while w.rows_committed + w.rows_ignored + engine.rejects.total() < readings:
        if time.perf_counter() > deadline:
            raise RuntimeError("pipeline bench did not finish in 600 s")
        time.sleep(0.001)
        if w.failed is not None:
            raise RuntimeError(f"writer failed: {w.failed}")
    elapsed = time.perf_counter() - t0
    proc.communicate(timeout=60)
    st = engine.stats()
    engine.stop()
    if st.readings_rejected:
        raise RuntimeError(f"bench readings were rejected: {st.readings_rejected}")
    return {
        "per_s": st.readings_stored / elapsed,
        "commits": st.commits,
        "stored": st.readings_stored,
    }


def latency(site: SiteConfig, seconds: float, rate: float, workdir: Path) -> dict[str, Any]:
    lat: list[np.ndarray] = []

    def on_commit(rows: list[tuple[int, int, float, int]], t_commit: float) -> None:
        ts = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        lat.append(t_commit * 1000.0 - ts)

    engine = ConsoleApp(
        site,
        workdir / "latency",
        feeds_pull=["tcp://127.0.0.1:*"],
        feeds_sub=[],
        on_commit=on_commit,
    )
    engine.start()
    proc = paced_sender(engine.endpoints[0], [f.id for f in site.feeds], rate, seconds)
    out, _ = proc.communicate(timeout=seconds + 120)
    sent = json.loads(out)["sent"]
    deadline = time.monotonic() + 30
    while engine.writer.rows_committed < sent and time.monotonic() < deadline:
        time.sleep(0.01)
    st = engine.stats()
    engine.stop()
    all_lat = np.concatenate(lat) if lat else np.zeros(0)
    return {
        "offered_per_s": rate,
        "sent": sent,
        "stored": st.readings_stored,
        "commits": st.commits,
        "p50": float(np.percentile(all_lat, 50)) if all_lat.size else None,
        "p99": float(np.percentile(all_lat, 99)) if all_lat.size else None,
        "max": float(all_lat.max()) if all_lat.size else None,
    }


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "zmq": zmq.zmq_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def run_ingest_bench(
    readings: int = 1_000_000, latency_seconds: float = 10.0, latency_rate: float = 20_000.0
) -> dict[str, Any]:
    site = bench_site()
    feeds = [f.id for f in site.feeds]
    with tempfile.TemporaryDirectory(prefix="opsconsole-bench-") as tmp:
        work = Path(tmp)
        transport_rate = raw_transport(feeds, readings)
        sqlite_rate = raw_sqlite(site, readings, work)
        sqlite_normal_rate = raw_sqlite(site, readings, work, synchronous="NORMAL")
        pipe = pipeline(site, readings, work)
        pipe_up = pipeline(site, readings, work, uplink=True)
        lat = latency(site, latency_seconds, latency_rate, work)
    result: dict[str, Any] = {
        "bench": "ingest",
        "readings": readings,
        "feeds": len(feeds),
        "batch": BATCH,
        "raw_transport_per_s": round(transport_rate),
        "raw_sqlite_rows_per_s": round(sqlite_rate),
        "raw_sqlite_normal_rows_per_s": round(sqlite_normal_rate),
        "pipeline_per_s": round(pipe["per_s"]),
        "pipeline_commits": pipe["commits"],
        "pipeline_with_summaries_per_s": round(pipe_up["per_s"]),
        "ratio_pipeline_to_transport": round(pipe["per_s"] / transport_rate, 3),
        "ratio_pipeline_to_sqlite": round(pipe["per_s"] / sqlite_rate, 3),
        "latency_offered_per_s": latency_rate,
        "latency_ms_p50": None if lat["p50"] is None else round(lat["p50"], 2),
        "latency_ms_p99": None if lat["p99"] is None else round(lat["p99"], 2),
        "latency_ms_max": None if lat["max"] is None else round(lat["max"], 2),
        "latency_readings": lat["stored"],
        "machine": machine(),
    }
    result["targets"] = judge(
        result,
        {
            "pipeline_per_s": (">=", 100_000),
            "ratio_pipeline_to_transport": (">=", 0.3),
            "latency_ms_p99": ("<", 250),
        },
    )
    return result

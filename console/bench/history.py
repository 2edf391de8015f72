"""``opsconsole bench history``: history queries by tier on a big log, and ingest while pruning.

The log is made by a generator that writes SQL directly (no 90 days of
running): by default a 2,000-feed site with 90 days of raw readings at one
per minute, the minute tier for the same 90 days, and for the queried feeds
the minute tier reaching back 365 days (as a log a year old would have).
Values are a deterministic function of (feed, minute); ``--raw-interval-s``
10 gives six readings a minute (six times the raw tier: mind the disk).

Measured, each the median of 5 runs after a first one (reported too; the
OS cache is warm from the build, caches are not dropped on a shared machine),
with the median CPU time of the querying thread (``*_cpu_ms``: what the query
costs, whatever else the machine is doing):

- ``raw_1h_ms``: the last hour of 10 feeds (raw tier, raw points);
- ``minute_30d_ms``: 30 days of 10 feeds (minute tier, 1,500 buckets each);
- ``minute_365d_ms``: 365 days of the same 10 feeds (minute tier);
- baselines in the same run: ``baseline_plain_sql_30d_ms`` — one plain
  ``GROUP BY`` over the minute tier for the same 10 feeds through sqlite3
  (no application code), and ``baseline_raw_30d_ms`` — the same 30 days
  aggregated from raw readings, as history did before the minute tier;
- ``database_bytes`` and bytes per row of each tier (SQLite's ``dbstat``).

``link_sizes``: bytes per minute summary in the console's outbox and at the
hub (``hub_records``, and a ``feed_minutes`` row of the city picture), from
100,000 real summary records written through the real code.

Then ``prune``: the 126 feeds of the demo sites with 30 days of old raw
readings at 10 s (32.7 million rows) and ``raw_days = 1``; the console
ingests 20,000 readings/s from a sender process while retention prunes,
and send→commit latency is compared with the same run before the pass.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from console.bench.ingest import bench_site, machine, paced_sender
from console.bench.targets import judge
from console.district.config import StorageConfig
from console.district.services.app import ConsoleApp
from console.district.services.history import HistoryService
from console.district.store.database import open_site_database
from console.district.store.history import TierPolicy

RAW_BYTES = 24
MINUTE_BYTES = 56
"""Estimates per row, for the free-space check before building (measured ones are reported)."""


class BenchError(RuntimeError):
    pass


@dataclasses.dataclass(frozen=True)
class LogShape:
    feeds: int = 2000
    days: int = 90
    raw_interval_s: int = 60
    query_feeds: int = 10
    long_days: int = 365

    @property
    def per_minute(self) -> int:
        return 60 // self.raw_interval_s

    def raw_rows(self) -> int:
        return self.feeds * self.days * 1440 * self.per_minute

    def minute_rows(self) -> int:
        extra = max(0, self.long_days - self.days)
        return self.feeds * self.days * 1440 + self.query_feeds * extra * 1440

    def bytes_estimate(self) -> int:
        return self.raw_rows() * RAW_BYTES + self.minute_rows() * MINUTE_BYTES


def _progress(msg: str) -> None:
    print(f"bench history: {msg}", file=sys.stderr, flush=True)


def _base(f: str, m: str) -> str:
    """The value of feed ``f`` in minute ``m`` (SQL expressions): deterministic, 0..9.99."""
    return f"((({f}) * 7919 + ({m}) * 104729) % 1000) / 100.0"


def build_log(data: Path, site_id: str, shape: LogShape, end_ms: int) -> Path:
    """Write the log with SQL (journal off while building, WAL at the end)."""
    if shape.raw_interval_s <= 0 or 60 % shape.raw_interval_s:
        raise BenchError("--raw-interval-s must divide 60")
    need = shape.bytes_estimate()
    data.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(data).free
    if free < need * 1.25:
        raise BenchError(
            f"{data}: {free / 2**30:.1f} GB free, the log needs about {need / 2**30:.1f} GB "
            "(+25 %); use fewer --feeds/--days or another --dir"
        )
    db = open_site_database(
        data, site_id, [(f"g{i:04d}", "river_level", "m") for i in range(shape.feeds)]
    )
    ids = sorted(db.feed_ids.values())
    db.engine.dispose()
    con = sqlite3.connect(db.path, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -200000")
    end_min = end_ms // 60_000
    m0 = end_min - shape.days * 1440
    n = shape.per_minute
    iv = shape.raw_interval_s
    raw_sql = (
        "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?3) "
        "INSERT INTO readings (feed_id, ts_ms, value, quality) "
        f"SELECT ?1, ((?2 + i / {n}) * 60 + (i % {n}) * {iv}) * 1000, "
        f"{_base('?1', f'?2 + i / {n}')} + (i % {n}) * 0.01, 0 FROM k"
    )
    hi = (n - 1) * 0.01
    minute_sql = (
        "WITH RECURSIVE k(m) AS (SELECT ?2 UNION ALL SELECT m + 1 FROM k WHERE m < ?3) "
        "INSERT INTO readings_minute "
        f"SELECT ?1, m, {n}, b, b + {hi}, b + {hi / 2}, b + {hi}, {n}, 0, 0 "
        f"FROM (SELECT m, {_base('?1', 'm')} AS b FROM k)"
    )
    t0 = time.perf_counter()
    con.execute("BEGIN")
    for k, fid in enumerate(ids):
        con.execute(raw_sql, (fid, m0, shape.days * 1440 * n - 1))
        first = m0 - (max(0, shape.long_days - shape.days) * 1440 if k < shape.query_feeds else 0)
        con.execute(minute_sql, (fid, first, end_min - 1))
        if (k + 1) % 50 == 0 or k + 1 == len(ids):
            con.execute("COMMIT")
            done = (k + 1) / len(ids)
            spent = time.perf_counter() - t0
            _progress(
                f"{k + 1}/{len(ids)} feeds written, {spent:.0f} s, "
                f"about {spent / done - spent:.0f} s to go"
            )
            if k + 1 < len(ids):
                con.execute("BEGIN")
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    return db.path


def _timed(fn: Callable[[], object], runs: int = 5) -> tuple[float, float, float]:
    """(first run ms, median of the next ``runs`` ms, their median CPU ms in this thread).

    The CPU time is what the query costs; on a busy machine the wall time is larger."""
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - c) * 1000)
        times.append((time.perf_counter() - t) * 1000)
    return round(first, 2), round(statistics.median(times), 2), round(statistics.median(cpu), 2)


def table_bytes(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {
            str(name): int(size)
            for name, size in con.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY name"
            )
        }
    finally:
        con.close()


def queries(path: Path, shape: LogShape, end_ms: int) -> dict[str, Any]:
    from console.district.store.database import make_engine

    engine = make_engine(path)
    keys = [f"g{i:04d}" for i in range(shape.query_feeds)]
    history = HistoryService(
        engine, ZoneInfo("Asia/Ho_Chi_Minh"), storage=StorageConfig(raw_days=shape.days)
    )
    hour, day = 3_600_000, 86_400_000
    out: dict[str, Any] = {}
    spans = {
        "raw_1h": end_ms - hour,
        "minute_30d": end_ms - 30 * day,
        "minute_365d": end_ms - 365 * day,
    }
    for name, t0 in spans.items():
        expect = name.split("_")[0]
        tier = history.tier(t0, end_ms)
        if tier != expect:
            raise BenchError(f"{name}: read the {tier} tier, expected {expect}")
        series = history.load(keys, t0, end_ms)
        out[f"{name}_points"] = int(sum(len(s.ts) for s in series))
        out[f"{name}_first_ms"], out[f"{name}_ms"], out[f"{name}_cpu_ms"] = _timed(
            functools.partial(history.load, keys, t0, end_ms)
        )
    # Baselines, same run: plain SQL over the minute tier; the raw tier as before the tiers.
    raw_policy = TierPolicy(raw_max_ms=10**15)
    from console.district.store.history import load_history

    t0 = end_ms - 30 * day
    out["baseline_raw_30d_first_ms"], out["baseline_raw_30d_ms"], out["baseline_raw_30d_cpu_ms"] = (
        _timed(lambda: load_history(engine, keys, t0, end_ms, 1500, raw_policy), runs=3)
    )
    engine.dispose()
    con = sqlite3.connect(path)
    ids = [
        int(r[0])
        for r in con.execute(
            f"SELECT id FROM feeds WHERE feed_key IN ({','.join('?' * len(keys))})", keys
        )
    ]
    m0, m1 = t0 // 60_000, -(-end_ms // 60_000)
    wm = -(-(m1 - m0) // 1500)
    sql = (
        "SELECT feed_id, (minute - ?) / ? AS b, sum(n), sum(mean * n), min(vmin), max(vmax) "
        f"FROM readings_minute WHERE feed_id IN ({','.join('?' * len(ids))}) "
        "AND minute >= ? AND minute < ? GROUP BY feed_id, b"
    )
    (
        out["baseline_plain_sql_30d_first_ms"],
        out["baseline_plain_sql_30d_ms"],
        out["baseline_plain_sql_30d_cpu_ms"],
    ) = _timed(lambda: con.execute(sql, (m0, wm, *ids, m0, m1)).fetchall())
    con.close()
    return out


def prune_latency(work: Path, seconds: float, rate: float, old_days: int) -> dict[str, Any]:
    """Ingest at ``rate`` while retention prunes ``old_days`` of 10-s readings of 126 feeds."""
    site = bench_site()
    site = dataclasses.replace(site, storage=dataclasses.replace(site.storage, raw_days=1))
    data = work / "prune"
    shutil.rmtree(data, ignore_errors=True)
    db = open_site_database(data, site.id, [(f.id, f.kind, f.unit) for f in site.feeds])
    ids = sorted(db.feed_ids.values())
    db.engine.dispose()
    now_ms = int(time.time() * 1000)
    con = sqlite3.connect(db.path, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    m_end = now_ms // 60_000 - 1440 - 60  # old: more than a day ago
    m0 = m_end - old_days * 1440
    t0 = time.perf_counter()
    con.execute("BEGIN")
    for fid in ids:
        con.execute(
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?3) "
            "INSERT INTO readings SELECT ?1, (?2 * 60 + i * 10) * 1000, i % 97, 0 FROM k",
            (fid, m0, old_days * 1440 * 6 - 1),
        )
        con.execute(
            "WITH RECURSIVE k(m) AS (SELECT ?2 UNION ALL SELECT m + 1 FROM k WHERE m < ?3) "
            "INSERT INTO readings_minute SELECT ?1, m, 6, 0, 96, 48, 5, 6, 0, 0 FROM k",
            (fid, m0, m_end - 1),
        )
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode = WAL")
    old_rows = con.execute("SELECT count(*) FROM readings").fetchone()[0]
    con.close()
    _progress(f"prune: {old_rows:,} old readings written in {time.perf_counter() - t0:.0f} s")
    lat: list[tuple[float, np.ndarray]] = []

    def on_commit(rows: list[tuple[int, int, float, int]], t_commit: float) -> None:
        ts = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        lat.append((t_commit, t_commit * 1000.0 - ts))

    app = ConsoleApp(
        site, data, feeds_pull=["tcp://127.0.0.1:*"], feeds_sub=[], on_commit=on_commit
    )
    app.start()
    proc = paced_sender(app.endpoints[0], [f.id for f in site.feeds], rate, seconds)
    warm = time.time() + 2.0  # the baseline starts after the sender's first seconds
    time.sleep(min(10.0, seconds / 3))
    started = time.time()
    app.retention.start_pass(started)
    proc.communicate(timeout=seconds + 120)
    deadline = time.monotonic() + 30
    while app.writer.pending_rows and time.monotonic() < deadline:
        time.sleep(0.05)
    ended = time.time()
    view = app.retention.view()
    stats = app.stats()
    running = app.retention.running
    app.stop()
    before = [a for t, a in lat if warm <= t < started]
    during = [a for t, a in lat if t >= started]

    def pct(chunks: list[np.ndarray], q: float) -> float | None:
        if not chunks:
            return None
        return round(float(np.percentile(np.concatenate(chunks), q)), 2)

    cur = view["current"] or {}
    return {
        "old_readings": int(old_rows),
        "offered_per_s": rate,
        "stored": stats.readings_stored,
        "dropped": stats.readings_dropped,
        "pruned_during_run": int(cur.get("readings", 0)),
        "prune_rows_per_s": round(cur.get("readings", 0) / max(ended - started, 1e-9)),
        "prune_steps": int(cur.get("steps", 0)),
        "prune_writer_busy_s": round(float(cur.get("busy_s", 0.0)), 2),
        "pass_finished": not running,
        "latency_ms_p50_before": pct(before, 50),
        "latency_ms_p99_before": pct(before, 99),
        "latency_ms_p50_during": pct(during, 50),
        "latency_ms_p99_during": pct(during, 99),
        "latency_ms_max_during": pct(during, 100),
    }


def link_sizes(work: Path, records: int = 100_000) -> dict[str, Any]:
    """Bytes per minute summary where the city link keeps them: the console's outbox, and
    the hub's raw records and city picture (SQLite), measured with ``dbstat``."""
    from console.bench.uplink import _payload
    from console.district.store.outbox import Outbox
    from console.district.store.writer import StoreWriter
    from console.hub.store.store import HubStore
    from console.shared.vocab import UPLINK_PRIORITY, Stream
    from transport.streams import Batch

    data = work / "link-sizes"
    shutil.rmtree(data, ignore_errors=True)
    db = open_site_database(data, "sizes", [])
    w = StoreWriter(db.engine)
    w.start()
    box = Outbox(db.engine, "sizes", db.stream_id, UPLINK_PRIORITY, w.submit_job)
    now = int(time.time() * 1000)
    recs = [("minute", now, _payload(i)) for i in range(records)]
    for k in range(0, records, 5000):
        w.submit_job(box.append_job(Stream.SUMMARY, recs[k : k + 5000]))
    w.stop()
    db.engine.dispose()
    console_tables = table_bytes(db.path)
    hub = HubStore(f"sqlite:///{data / 'hub.sqlite3'}")
    try:
        for k in range(0, records, 5000):
            hub.commit(
                [
                    Batch(
                        "sizes",
                        "sizes",
                        db.stream_id,
                        "summary",
                        [(k + i + 1, r[0], r[1], r[2]) for i, r in enumerate(recs[k : k + 5000])],
                    )
                ]
            )
    finally:
        hub.close()
    hub_tables = table_bytes(data / "hub.sqlite3")
    shutil.rmtree(data, ignore_errors=True)
    minute_rows = len({(i % 5000, i // 5000) for i in range(records)})
    return {
        "summary_payload_bytes": len(recs[0][2]),
        "outbox_bytes_per_record": round(console_tables.get("outbox", 0) / records, 1),
        "hub_records_bytes_per_record": round(
            sum(v for k, v in hub_tables.items() if "hub_records" in k) / records, 1
        ),
        "hub_feed_minutes_bytes_per_row": round(
            sum(v for k, v in hub_tables.items() if "feed_minutes" in k) / minute_rows, 1
        ),
        "hub_tables": hub_tables,
    }


def _remember(path: Path, shape: LogShape, end_ms: int) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_shape', ?)",
            (json.dumps({**dataclasses.asdict(shape), "end_ms": end_ms}, sort_keys=True),),
        )
    con.close()


def _kept_log(base: Path, shape: LogShape) -> tuple[Path, int] | None:
    path = base / "log" / "bench-history.sqlite3"
    if not path.exists():
        return None
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_shape'").fetchone()
    finally:
        con.close()
    if row is None:
        return None
    kept = json.loads(row[0])
    end_ms = int(kept.pop("end_ms"))
    if kept != dataclasses.asdict(shape):
        raise BenchError(f"{path} was built for {kept}, not {dataclasses.asdict(shape)}")
    return path, end_ms


def run_history_bench(
    shape: LogShape | None = None,
    *,
    workdir: Path | None = None,
    keep: bool = False,
    prune_seconds: float = 30.0,
    prune_rate: float = 20_000.0,
    prune_days: int = 30,
    reuse: bool = False,
) -> dict[str, Any]:
    """``reuse``: measure a log kept by an earlier ``keep`` run in ``workdir`` (same shape)
    instead of building it again."""
    shape = shape or LogShape()
    if reuse and workdir is None:
        raise BenchError("--reuse needs --dir (where an earlier --keep run left its log)")
    own = workdir is None or not (keep or reuse)
    """True: base is a temporary directory of ours, removed at the end."""
    base = (
        Path(tempfile.mkdtemp(prefix="opsconsole-benchhist-", dir=workdir))
        if own
        else Path(workdir or ".")
    )
    try:
        t0 = time.perf_counter()
        kept = _kept_log(base, shape) if reuse else None
        if kept is not None:
            path, end_ms = kept
            _progress(f"reusing {path} (built earlier, same shape)")
        else:
            end_ms = int(time.time() * 1000)
            _progress(
                f"building a log of {shape.feeds} feeds x {shape.days} days "
                f"(~{shape.bytes_estimate() / 2**30:.1f} GB) in {base}"
            )
            path = build_log(base / "log", "bench-history", shape, end_ms)
            _remember(path, shape, end_ms)
        build_s = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
        _progress(f"built in {build_s:.0f} s, {size / 2**30:.2f} GB; measuring queries")
        result: dict[str, Any] = {
            "bench": "history",
            "feeds": shape.feeds,
            "days": shape.days,
            "raw_interval_s": shape.raw_interval_s,
            "query_feeds": shape.query_feeds,
            "long_days": shape.long_days,
            "raw_rows": shape.raw_rows(),
            "minute_rows": shape.minute_rows(),
            "build_s": round(build_s) if kept is None else None,
            "database_bytes": size,
        }
        result |= queries(path, shape, end_ms)
        _progress("sizing tables (dbstat)")
        tables = table_bytes(path)
        result["table_bytes"] = tables
        result["raw_bytes_per_row"] = round(tables.get("readings", 0) / max(shape.raw_rows(), 1), 1)
        result["minute_bytes_per_row"] = round(
            tables.get("readings_minute", 0) / max(shape.minute_rows(), 1), 1
        )
        if not keep:
            shutil.rmtree(path.parent, ignore_errors=True)  # the disk, before the next part
        _progress("bytes per summary in the outbox and at the hub")
        result["link_sizes"] = link_sizes(base)
        _progress("prune while ingesting")
        prune = prune_latency(base, prune_seconds, prune_rate, prune_days)
        result["prune"] = prune
        result["prune_latency_ms_p99"] = prune["latency_ms_p99_during"]
        result["targets"] = judge(
            result,
            {
                "minute_30d_ms": ("<", 200),
                "minute_365d_ms": ("<", 2000),
                "raw_1h_ms": ("<", 50),
                "prune_latency_ms_p99": ("<", 250),
            },
        )
        result["machine"] = machine()
        return result
    finally:
        if own:
            shutil.rmtree(base, ignore_errors=True)
        else:
            shutil.rmtree(base / "prune", ignore_errors=True)
            if not keep:
                shutil.rmtree(base / "log", ignore_errors=True)
            else:
                _progress(f"kept {base / 'log'} (measure it again with --reuse --dir {base})")

"""History queries on a site log, for the history view and exports.

Two tiers (docs/SIZING.md): raw readings for ``raw_days``, per-minute
aggregates (``readings_minute``) for years. A query reads

- **raw** readings when its span is at most ``raw_max_ms`` and starts inside
  the raw retention: raw points when there are at most ``max_points``,
  otherwise min/max/mean buckets computed in SQL;
- the **minute tier** otherwise, in buckets of whole minutes (at most
  ``max_points`` per feed). The minutes not yet summarized (the last one or
  two) come from raw readings and are merged into the same buckets, so the
  curve reaches the present.

A year of one feed is 525,600 minute rows; the buckets are computed by
SQLite with one range join per feed against a small temporary table of
bucket bounds (no sort: measured 2× faster than ``GROUP BY`` on an
expression, docs/PERFORMANCE.md). Runs on any thread with its own
connection (WAL readers never block the writer).
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, bindparam, text

from console.shared.series import Series

MINUTE_MS = 60_000


@dataclass(frozen=True)
class TierPolicy:
    """When to read the minute tier instead of raw readings."""

    raw_max_ms: int = 24 * 3_600_000
    """Spans longer than this read the minute tier."""
    raw_since_ms: int | None = None
    """Raw readings before this may have been pruned (None: all kept): spans starting
    earlier read the minute tier."""

    def tier(self, t0_ms: int, t1_ms: int) -> str:
        if t1_ms - t0_ms > self.raw_max_ms:
            return "minute"
        if self.raw_since_ms is not None and t0_ms < self.raw_since_ms:
            return "minute"
        return "raw"


class LoadCancelledError(Exception):
    """A history load was cancelled between feeds (the person asked for something else)."""


def _feed_ids(conn: Connection, feed_keys: Sequence[str]) -> dict[str, int]:
    return dict(
        conn.execute(
            text("SELECT feed_key, id FROM feeds WHERE feed_key IN :keys").bindparams(
                bindparam("keys", expanding=True)
            ),
            {"keys": list(feed_keys)},
        ).all()
    )


def load_history(
    engine: Engine,
    feed_keys: Sequence[str],
    t0_ms: int,
    t1_ms: int,
    max_points: int = 1500,
    policy: TierPolicy | None = None,
) -> list[Series]:
    return list(iter_history(engine, feed_keys, t0_ms, t1_ms, max_points, policy=policy))


def iter_history(
    engine: Engine,
    feed_keys: Sequence[str],
    t0_ms: int,
    t1_ms: int,
    max_points: int = 1500,
    cancel: threading.Event | None = None,
    *,
    policy: TierPolicy | None = None,
) -> Iterator[Series]:
    """One Series per feed, in order, as each query finishes (for progress); raises
    ``LoadCancelledError`` between feeds once ``cancel`` is set."""
    policy = policy or TierPolicy()
    minute = policy.tier(t0_ms, t1_ms) == "minute"
    with engine.connect() as conn:
        ids = _feed_ids(conn, feed_keys)
        buckets = _MinuteBuckets(conn, t0_ms, t1_ms, max_points) if minute else None
        for key in feed_keys:
            if cancel is not None and cancel.is_set():
                raise LoadCancelledError
            fid = ids.get(key)
            if fid is None:
                yield Series.empty(key)
            elif buckets is not None:
                yield buckets.series(key, fid)
            else:
                yield _raw(conn, key, fid, t0_ms, t1_ms, max_points)


def _raw(conn: Connection, key: str, fid: int, t0_ms: int, t1_ms: int, max_points: int) -> Series:
    n = conn.execute(
        text("SELECT count(*) FROM readings WHERE feed_id = :f AND ts_ms >= :a AND ts_ms < :b"),
        {"f": fid, "a": t0_ms, "b": t1_ms},
    ).scalar_one()
    if n <= max_points:
        rows = conn.execute(
            text(
                "SELECT ts_ms, value FROM readings WHERE feed_id = :f AND ts_ms >= :a AND ts_ms < :b "
                "ORDER BY ts_ms"
            ),
            {"f": fid, "a": t0_ms, "b": t1_ms},
        ).all()
        arr = np.array(rows, dtype=np.float64).reshape(-1, 2)
        v = arr[:, 1]
        return Series(key, 0, arr[:, 0] / 1000.0, v, v, v, np.ones(len(v), dtype=np.int64))
    bucket = max(1, -(-(t1_ms - t0_ms) // max_points))
    rows = conn.execute(
        text(
            "SELECT (ts_ms - :a) / :w AS b, avg(value), min(value), max(value), count(*) "
            "FROM readings WHERE feed_id = :f AND ts_ms >= :a AND ts_ms < :b "
            "GROUP BY b ORDER BY b"
        ),
        {"f": fid, "a": t0_ms, "b": t1_ms, "w": bucket},
    ).all()
    arr = np.array(rows, dtype=np.float64).reshape(-1, 5)
    return Series(
        key,
        bucket,
        (t0_ms + arr[:, 0] * bucket) / 1000.0,
        arr[:, 1],
        arr[:, 2],
        arr[:, 3],
        arr[:, 4].astype(np.int64),
    )


_TIER_SQL = text(
    "SELECT b.k, sum(r.n), sum(r.mean * r.n), min(r.vmin), max(r.vmax) "
    "FROM temp.history_buckets AS b JOIN readings_minute AS r "
    "ON r.feed_id = :f AND r.minute >= b.lo AND r.minute < b.hi GROUP BY b.k"
)
_TAIL_SQL = text(
    "SELECT (ts_ms / 60000 - :m0) / :wm AS k, count(*), sum(value), min(value), max(value) "
    "FROM readings WHERE feed_id = :f AND ts_ms >= :a AND ts_ms < :b GROUP BY k"
)


class _MinuteBuckets:
    """Buckets of ``wm`` whole minutes from minute ``m0``, as a temporary table on ``conn``."""

    def __init__(self, conn: Connection, t0_ms: int, t1_ms: int, max_points: int) -> None:
        self.conn = conn
        self.m0 = t0_ms // MINUTE_MS
        self.m1 = max(self.m0 + 1, -(-t1_ms // MINUTE_MS))
        self.wm = max(1, -(-(self.m1 - self.m0) // max_points))
        self.nb = -(-(self.m1 - self.m0) // self.wm)
        # In memory: a history query must work on a full disk too.
        conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
        conn.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS history_buckets "
            "(k INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)"
        )
        conn.exec_driver_sql("DELETE FROM temp.history_buckets")
        conn.exec_driver_sql(
            "INSERT INTO temp.history_buckets (k, lo, hi) VALUES (?, ?, ?)",
            [
                (k, self.m0 + k * self.wm, min(self.m1, self.m0 + (k + 1) * self.wm))
                for k in range(self.nb)
            ],
        )

    def series(self, key: str, fid: int) -> Series:
        n = np.zeros(self.nb, dtype=np.int64)
        total = np.zeros(self.nb)
        lo = np.full(self.nb, np.inf)
        hi = np.full(self.nb, -np.inf)
        for k, cnt, s, mn, mx in self.conn.execute(_TIER_SQL, {"f": fid}):
            n[k], total[k], lo[k], hi[k] = cnt, s, mn, mx
        # Minutes after the tier's newest for this feed: not summarized yet, read raw.
        newest = self.conn.execute(
            text(
                "SELECT max(minute) FROM readings_minute "
                "WHERE feed_id = :f AND minute >= :a AND minute < :b"
            ),
            {"f": fid, "a": self.m0, "b": self.m1},
        ).scalar()
        tail = self.m0 if newest is None else int(newest) + 1
        if tail < self.m1:
            p = {"f": fid, "m0": self.m0, "wm": self.wm, "a": tail * MINUTE_MS}
            p["b"] = self.m1 * MINUTE_MS
            for k, cnt, s, mn, mx in self.conn.execute(_TAIL_SQL, p):
                n[k] += cnt
                total[k] += s
                lo[k] = min(lo[k], mn)
                hi[k] = max(hi[k], mx)
        keep = n > 0
        ks = np.flatnonzero(keep)
        return Series(
            key,
            self.wm * MINUTE_MS,
            np.asarray((self.m0 + ks * self.wm) * 60.0, dtype=np.float64),
            np.asarray(total[keep] / n[keep], dtype=np.float64),
            lo[keep],
            hi[keep],
            n[keep],
        )


Recent = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int8]]
"""(ts in seconds, value, quality) of one feed, oldest first."""


def load_recent(
    engine: Engine, feed_keys: Sequence[str], since_ms: int, per_feed: int
) -> dict[str, Recent]:
    """Each feed's readings since ``since_ms`` (at most the newest ``per_feed``), or its
    last reading if it has none that recent: what a restarted window shows at once.

    Bounded: one indexed range scan per feed on the (feed, time) key, newest first."""
    out: dict[str, Recent] = {}
    with engine.connect() as conn:
        ids = _feed_ids(conn, feed_keys)
        for key in feed_keys:
            fid = ids.get(key)
            if fid is None:
                continue
            rows = conn.execute(
                text(
                    "SELECT ts_ms, value, quality FROM readings WHERE feed_id = :f "
                    "AND ts_ms >= :a ORDER BY ts_ms DESC LIMIT :n"
                ),
                {"f": fid, "a": since_ms, "n": per_feed},
            ).all()
            if not rows:
                rows = conn.execute(
                    text(
                        "SELECT ts_ms, value, quality FROM readings WHERE feed_id = :f "
                        "ORDER BY ts_ms DESC LIMIT 1"
                    ),
                    {"f": fid},
                ).all()
            if not rows:
                continue
            arr = np.array(rows[::-1], dtype=np.float64).reshape(-1, 3)
            out[key] = (arr[:, 0] / 1000.0, arr[:, 1], arr[:, 2].astype(np.int8))
    return out


@dataclass(frozen=True)
class CsvFeed:
    """What a CSV row says about its feed besides the id."""

    name: str
    unit: str
    decimals: int


def export_csv(
    series: Sequence[Series],
    path: Path,
    tz: ZoneInfo,
    feeds: Mapping[str, CsvFeed] | None = None,
) -> int:
    """Write what the history view shows; return the number of data rows.

    One row per point: feed id, name and unit, the time in the site's zone with its
    offset (and in UTC milliseconds), the bucket width, mean/min/max at the feed's
    decimals and the count. UTF-8 with a byte-order mark, so a spreadsheet opened by
    double-click shows Vietnamese names as written."""
    feeds = feeds or {}
    n = 0
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "feed",
                "name",
                "unit",
                "time_local",
                "time_utc_ms",
                "bucket_s",
                "mean",
                "min",
                "max",
                "count",
            ]
        )
        for s in series:
            meta = feeds.get(s.feed_key)
            name, unit = (meta.name, meta.unit) if meta else ("", "")

            def fmt(v: float, d: int | None = meta.decimals if meta else None) -> str:
                return repr(v) if d is None else f"{v:.{d}f}"

            for i in range(len(s.ts)):
                t = float(s.ts[i])
                w.writerow(
                    [
                        s.feed_key,
                        name,
                        unit,
                        datetime.fromtimestamp(t, tz).isoformat(timespec="seconds"),
                        round(t * 1000),
                        s.bucket_ms / 1000,
                        fmt(float(s.mean[i])),
                        fmt(float(s.min[i])),
                        fmt(float(s.max[i])),
                        int(s.count[i]),
                    ]
                )
                n += 1
    return n

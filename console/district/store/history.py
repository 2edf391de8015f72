"""History queries on a site log, for the history view and exports.

Long spans are reduced in SQL to at most ``max_points`` buckets per feed with
min/max/mean, so a week of one-second readings never leaves SQLite as
millions of rows. Runs on any thread with its own connection (WAL readers do
not block the writer).
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
    engine: Engine, feed_keys: Sequence[str], t0_ms: int, t1_ms: int, max_points: int = 1500
) -> list[Series]:
    return list(iter_history(engine, feed_keys, t0_ms, t1_ms, max_points))


def iter_history(
    engine: Engine,
    feed_keys: Sequence[str],
    t0_ms: int,
    t1_ms: int,
    max_points: int = 1500,
    cancel: threading.Event | None = None,
) -> Iterator[Series]:
    """One Series per feed, in order, as each query finishes (for progress); raises
    ``LoadCancelledError`` between feeds once ``cancel`` is set."""
    with engine.connect() as conn:
        ids = _feed_ids(conn, feed_keys)
        for key in feed_keys:
            if cancel is not None and cancel.is_set():
                raise LoadCancelledError
            fid = ids.get(key)
            if fid is None:
                yield Series.empty(key)
                continue
            n = conn.execute(
                text(
                    "SELECT count(*) FROM readings WHERE feed_id = :f AND ts_ms >= :a AND ts_ms < :b"
                ),
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
                yield Series(key, 0, arr[:, 0] / 1000.0, v, v, v, np.ones(len(v), dtype=np.int64))
                continue
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
            yield Series(
                key,
                bucket,
                (t0_ms + arr[:, 0] * bucket) / 1000.0,
                arr[:, 1],
                arr[:, 2],
                arr[:, 3],
                arr[:, 4].astype(np.int64),
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

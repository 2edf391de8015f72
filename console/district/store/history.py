"""History queries on a site log, for the history view and exports.

Long spans are reduced in SQL to at most ``max_points`` buckets per feed with
min/max/mean, so a week of one-second readings never leaves SQLite as
millions of rows. Runs on any thread with its own connection (WAL readers do
not block the writer).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Engine, bindparam, text

from console.shared.series import Series


def load_history(
    engine: Engine, feed_keys: Sequence[str], t0_ms: int, t1_ms: int, max_points: int = 1500
) -> list[Series]:
    out = []
    with engine.connect() as conn:
        ids: dict[str, int] = dict(
            conn.execute(
                text("SELECT feed_key, id FROM feeds WHERE feed_key IN :keys").bindparams(
                    bindparam("keys", expanding=True)
                ),
                {"keys": list(feed_keys)},
            ).all()
        )
        for key in feed_keys:
            fid = ids.get(key)
            if fid is None:
                out.append(Series.empty(key))
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
                out.append(
                    Series(key, 0, arr[:, 0] / 1000.0, v, v, v, np.ones(len(v), dtype=np.int64))
                )
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
            out.append(
                Series(
                    key,
                    bucket,
                    (t0_ms + arr[:, 0] * bucket) / 1000.0,
                    arr[:, 1],
                    arr[:, 2],
                    arr[:, 3],
                    arr[:, 4].astype(np.int64),
                )
            )
    return out


def export_csv(series: Sequence[Series], path: Path, tz: ZoneInfo) -> int:
    """Write what the history view shows; return the number of data rows."""
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["feed", "time_local", "time_utc_ms", "bucket_s", "mean", "min", "max", "count"])
        for s in series:
            for i in range(len(s.ts)):
                t = float(s.ts[i])
                w.writerow(
                    [
                        s.feed_key,
                        datetime.fromtimestamp(t, tz).isoformat(timespec="seconds"),
                        round(t * 1000),
                        s.bucket_ms / 1000,
                        repr(float(s.mean[i])),
                        repr(float(s.min[i])),
                        repr(float(s.max[i])),
                        int(s.count[i]),
                    ]
                )
                n += 1
    return n

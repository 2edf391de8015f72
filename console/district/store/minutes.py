"""The minute tier and the summaries for the hub: one job closes minutes into both.

``summary_pending`` holds the (feed, minute) pairs that got readings (written
with the readings). ``summarize_job`` turns every pair whose minute has closed
into a ``readings_minute`` row and, when the city link is configured, a
summary record in the outbox — and deletes the pair, all in one transaction.
So every committed reading is either summarized or still marked, across any
crash. A reading that arrives after its minute was summarized marks the pair
again: the row is rewritten and a revised summary follows (the hub keeps the
one with the highest seq).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Connection, text

from console.shared.records import MINUTE_MS, MinuteSummary, encode
from console.shared.vocab import Stream

log = logging.getLogger(__name__)

FeedMeta = tuple[str, str, str]
"""(feed key, kind, unit) of a feed's database id."""


class SummarySink(Protocol):
    """Where summary records go in the same transaction (the outbox)."""

    site_id: str

    def append_in(
        self, conn: Connection, stream: str, records: list[tuple[str, int, bytes]]
    ) -> Callable[[], None]:
        """Append inside ``conn``'s transaction; the callback runs after the commit."""
        ...


_SUMMARY_SQL = text(
    """
    SELECT a.feed_id, a.minute, a.n, a.vmin, a.vmax, a.mean, a.q0, a.q1, a.q2, a.last_ts, r2.value
    FROM (
        SELECT p.feed_id AS feed_id, p.minute AS minute, count(r.ts_ms) AS n,
               min(r.value) AS vmin, max(r.value) AS vmax, avg(r.value) AS mean,
               coalesce(sum(r.quality = 0), 0) AS q0, coalesce(sum(r.quality = 1), 0) AS q1,
               coalesce(sum(r.quality = 2), 0) AS q2, max(r.ts_ms) AS last_ts
        FROM (SELECT feed_id, minute FROM summary_pending WHERE minute < :cutoff
              ORDER BY minute, feed_id LIMIT :n) AS p
        LEFT JOIN readings AS r
               ON r.feed_id = p.feed_id AND r.ts_ms >= p.minute * 60000
              AND r.ts_ms < p.minute * 60000 + 60000
        GROUP BY p.feed_id, p.minute
    ) AS a
    LEFT JOIN readings AS r2 ON r2.feed_id = a.feed_id AND r2.ts_ms = a.last_ts
    ORDER BY a.minute, a.feed_id
    """
)

_UPSERT_SQL = (
    "INSERT OR REPLACE INTO readings_minute "
    "(feed_id, minute, n, vmin, vmax, mean, last, q_good, q_uncertain, q_bad) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def summarize_job(
    now_ms: int,
    feeds: dict[int, FeedMeta],
    *,
    sink: SummarySink | None = None,
    grace_ms: int = 5_000,
    max_pairs: int = 20_000,
) -> Callable[[Connection], Callable[[], None] | None]:
    """A writer job: every pending (feed, minute) whose minute ended ``grace_ms`` ago goes
    into the minute tier (and, with a ``sink``, into a summary record)."""
    cutoff = (now_ms - grace_ms) // MINUTE_MS  # minutes < cutoff are closed

    def job(conn: Connection) -> Callable[[], None] | None:
        rows = conn.execute(_SUMMARY_SQL, {"cutoff": cutoff, "n": max_pairs}).all()
        if not rows:
            return None
        tier = []
        records: list[tuple[str, int, bytes]] = []
        for feed_id, minute, n, vmin, vmax, mean, q0, q1, q2, last_ts, last in rows:
            if not n:
                continue  # readings pruned meanwhile (or never committed): nothing to summarize
            tier.append((feed_id, minute, n, vmin, vmax, mean, last, q0, q1, q2))
            meta = feeds.get(feed_id)
            if sink is None or meta is None:
                continue
            key, kind, unit = meta
            try:
                summary = MinuteSummary(
                    site=sink.site_id,
                    feed=key,
                    kind=kind,
                    unit=unit,
                    minute=minute * MINUTE_MS,
                    n=n,
                    min=vmin,
                    max=vmax,
                    mean=mean,
                    last=last,
                    last_ts=last_ts,
                    q=(q0, q1, q2),
                )
            except (TypeError, ValueError) as exc:
                # Cannot happen with validated readings; never let it stop the writer.
                log.error("summary of feed %s, minute %d not sent: %s", key, minute, exc)
                continue
            records.append((MinuteSummary.KIND, now_ms, encode(summary)))
        if tier:
            conn.exec_driver_sql(_UPSERT_SQL, tier)
        conn.exec_driver_sql(
            "DELETE FROM summary_pending WHERE feed_id = ? AND minute = ?",
            [(r[0], r[1]) for r in rows],
        )
        if sink is None:
            return None
        return sink.append_in(conn, Stream.SUMMARY, records)

    return job

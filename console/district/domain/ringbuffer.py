"""Per-feed ring buffers of recent readings, for live display.

One 2-D array per field (feeds × capacity) with a write count per feed: no
``np.roll``, no per-reading allocation. A global sequence number advances on
every write batch and each feed remembers the sequence of its last write, so a
GUI tick asks "what changed since N" and redraws only those feeds.

Thread model: one writer (the receiver thread), any number of readers; a lock
held for the duration of one batch write or one copy keeps readers from seeing
half a batch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Latest:
    """Newest reading per feed; ``count`` 0 means the feed has never reported."""

    ts: npt.NDArray[np.float64]
    value: npt.NDArray[np.float64]
    quality: npt.NDArray[np.int8]
    count: npt.NDArray[np.int64]
    seq: int


class RingBuffers:
    def __init__(self, n_feeds: int, capacity: int = 4096) -> None:
        if n_feeds < 1 or capacity < 2:
            raise ValueError("need at least one feed and a capacity of 2")
        self.n_feeds = n_feeds
        self.capacity = capacity
        self._ts = np.zeros((n_feeds, capacity), dtype=np.float64)
        self._val = np.full((n_feeds, capacity), np.nan, dtype=np.float64)
        self._q = np.zeros((n_feeds, capacity), dtype=np.int8)
        self._count = np.zeros(n_feeds, dtype=np.int64)
        self._feed_seq = np.zeros(n_feeds, dtype=np.int64)
        self._seq = 0
        self._lock = threading.Lock()

    @property
    def seq(self) -> int:
        return self._seq

    def extend(
        self,
        feed: npt.ArrayLike,
        ts: npt.ArrayLike,
        value: npt.ArrayLike,
        quality: npt.ArrayLike,
    ) -> int:
        """Append readings (any feed order, time order within a feed); return the new seq.

        ``ts`` is in seconds since the epoch (UTC), as the plots want it.
        """
        f = np.asarray(feed, dtype=np.int64)
        n = f.size
        if n == 0:
            return self._seq
        t = np.asarray(ts, dtype=np.float64)
        v = np.asarray(value, dtype=np.float64)
        q = np.asarray(quality, dtype=np.int8)
        cap = self.capacity
        # Rank of each reading within its feed, in arrival order.
        order = np.argsort(f, kind="stable")
        fs = f[order]
        uniq, starts, counts = np.unique(fs, return_index=True, return_counts=True)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - np.repeat(starts, counts)
        per_feed = np.zeros(self.n_feeds, dtype=np.int64)
        per_feed[uniq] = counts
        # More than `cap` readings for one feed in one batch: only the last `cap` matter.
        keep = rank >= per_feed[f] - cap
        if not keep.all():
            f, t, v, q, rank = f[keep], t[keep], v[keep], q[keep], rank[keep]
        with self._lock:
            pos = (self._count[f] + rank) % cap
            self._ts[f, pos] = t
            self._val[f, pos] = v
            self._q[f, pos] = q
            self._count[uniq] += counts
            self._seq += 1
            self._feed_seq[uniq] = self._seq
            return self._seq

    def backfill(
        self,
        feed: int,
        ts: npt.ArrayLike,
        value: npt.ArrayLike,
        quality: npt.ArrayLike,
    ) -> int:
        """Put older readings (from the log, after a restart) *before* what the feed has
        buffered; return how many were taken.

        Only readings strictly older than the oldest buffered one are taken, so
        readings that arrived live while the log was being read are kept and nothing
        is doubled; the newest ``capacity`` of the merged run stay. The feed counts
        as changed (the window redraws it)."""
        t = np.asarray(ts, dtype=np.float64)
        v = np.asarray(value, dtype=np.float64)
        q = np.asarray(quality, dtype=np.int8)
        cap = self.capacity
        with self._lock:
            c = int(self._count[feed])
            if c >= cap:
                return 0  # full of live readings: older ones would fall out at once
            n = c
            idx = np.arange(n)
            cur_t, cur_v, cur_q = self._ts[feed, idx], self._val[feed, idx], self._q[feed, idx]
            if n:
                keep = t < cur_t[0]
                t, v, q = t[keep], v[keep], q[keep]
            if t.size == 0:
                return 0
            all_t = np.concatenate([t, cur_t])[-cap:]
            all_v = np.concatenate([v, cur_v])[-cap:]
            all_q = np.concatenate([q, cur_q])[-cap:]
            m = all_t.size
            # Rewrite the row from slot 0: count m maps position k to slot k.
            self._ts[feed, :m] = all_t
            self._val[feed, :m] = all_v
            self._q[feed, :m] = all_q
            self._count[feed] = m
            self._seq += 1
            self._feed_seq[feed] = self._seq
            return int(m - n)

    def changed_since(self, seq: int) -> tuple[int, npt.NDArray[np.int64]]:
        """Return (current seq, indices of feeds written after ``seq``)."""
        with self._lock:
            return self._seq, np.flatnonzero(self._feed_seq > seq)

    def latest(self) -> Latest:
        with self._lock:
            count = self._count.copy()
            pos = (count - 1) % self.capacity
            rows = np.arange(self.n_feeds)
            ts = self._ts[rows, pos]
            val = self._val[rows, pos]
            q = self._q[rows, pos]
            seq = self._seq
        never = count == 0
        ts[never] = np.nan
        val[never] = np.nan
        return Latest(ts=ts, value=val, quality=q, count=count, seq=seq)

    def window(
        self, feed: int, since_ts: float | None = None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int8]]:
        """Copies of one feed's buffered readings, oldest first (optionally ts ≥ since_ts)."""
        with self._lock:
            c = int(self._count[feed])
            n = min(c, self.capacity)
            start = (c - n) % self.capacity
            idx = (np.arange(n) + start) % self.capacity
            t = self._ts[feed, idx]
            v = self._val[feed, idx]
            q = self._q[feed, idx]
        if since_ts is not None and n:
            i = int(np.searchsorted(t, since_ts, side="left"))
            t, v, q = t[i:], v[i:], q[i:]
        return t, v, q

    def total(self) -> int:
        return int(self._count.sum())

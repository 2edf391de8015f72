"""Semantic validation of decoded readings, then fan-out to display and log.

Runs in the receiver thread, once per drained batch. ``transport.feedproto``
has already checked structure, types, finiteness and clock skew; here the site
decides: is the feed configured, is the value physically plausible for it, is
the reading newer than the last one stored for that feed (so a gateway
replaying after a reconnect cannot create duplicates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from console.district.config import FeedConfig
from console.district.domain.alarms import AlarmEngine
from console.district.domain.rejects import RejectCounter
from console.district.domain.ringbuffer import RingBuffers
from transport.feedproto import Decoded

ReadingRow = tuple[int, int, float, int]
"""(feed's database id, ts ms, value, quality): one reading as the log stores it."""


class ReadingSink(Protocol):
    """Where accepted readings go to be logged (the store's writer, in the console)."""

    def submit_readings(
        self,
        rows: list[ReadingRow],
        minutes: list[tuple[int, int]] | None = None,
        *,
        keep: bool = False,
    ) -> bool:
        """True if the rows were queued for the log; False if it could not take them
        (dropped and counted: a full disk). ``keep``: never drop them."""
        ...


class Ingest:
    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        db_ids: dict[str, int],
        last_ts_ms: dict[int, int],
        buffers: RingBuffers,
        writer: ReadingSink,
        rejects: RejectCounter,
        alarms: AlarmEngine | None = None,
    ) -> None:
        self._index = {f.id: i for i, f in enumerate(feeds)}
        self._vmin = [f.valid_min for f in feeds]
        self._vmax = [f.valid_max for f in feeds]
        self._dbid = [db_ids[f.id] for f in feeds]
        self._dbid_arr = np.array(self._dbid, dtype=np.int64)
        self._last = [last_ts_ms.get(db_ids[f.id], -(2**62)) for f in feeds]
        self._feeds = list(feeds)
        self._buffers = buffers
        self._writer = writer
        self._rejects = rejects
        self._alarms = alarms
        self.frames = 0
        self.accepted = 0

    def accept(self, batch: Decoded) -> bool:
        """Validate, show, log and evaluate one batch. False if the log could not take its
        readings (they are shown live, not stored: a gateway may send them again)."""
        rejects = batch.rejects
        samples = batch.samples
        index = self._index
        vmin, vmax, last, dbid = self._vmin, self._vmax, self._last, self._dbid
        fi: list[int] = []
        ts: list[int] = []
        vs: list[float] = []
        qs: list[int] = []
        rows: list[ReadingRow] = []
        queued = True
        for feed, t, v, q in batch.readings:
            i = index.get(feed)
            if i is None:
                reason = "unknown_feed"
                if reason not in samples:
                    samples[reason] = f"feed {feed!r} is not configured for this site"
            elif v < vmin[i] or v > vmax[i]:
                reason = "out_of_range"
                if reason not in samples:
                    samples[reason] = (
                        f"{feed}: {v} outside the valid range {vmin[i]} .. {vmax[i]} "
                        f"{self._feeds[i].unit}"
                    )
            elif t <= last[i]:
                reason = "not_newer"
                if reason not in samples:
                    samples[reason] = f"{feed}: ts {t} is not after the last accepted {last[i]}"
            else:
                last[i] = t
                fi.append(i)
                ts.append(t)
                vs.append(v)
                qs.append(q)
                rows.append((dbid[i], t, v, q))
                continue
            rejects[reason] = rejects.get(reason, 0) + 1
        self.frames += batch.frames
        if fi:
            f_arr = np.array(fi, dtype=np.int64)
            t_arr = np.array(ts, dtype=np.int64)
            v_arr = np.array(vs, dtype=np.float64)
            self._buffers.extend(f_arr, t_arr / 1000.0, v_arr, qs)
            self.accepted += len(fi)
            # Readings first, then the alarm transitions they cause: the writer
            # keeps submission order, so a transition never outlives its cause.
            # One (feed, minute) pair per distinct minute, always: marked with the readings,
            # so retention never prunes a reading its minute tier has not summarized.
            keys = np.unique((self._dbid_arr[f_arr] << 32) | (t_arr // 60_000))
            minutes = [(k >> 32, k & 0xFFFFFFFF) for k in keys.tolist()]
            # An acknowledged-mode batch is kept (acked only once committed); others may be
            # dropped when the log cannot keep up.
            keep = batch.on_committed is not None
            if not self._writer.submit_readings(rows, minutes, keep=keep):
                # Not stored: a resend of these readings must not count as a replay.
                queued = False
                first: dict[int, int] = {}
                for i, t in zip(fi, ts, strict=True):
                    first.setdefault(i, t)
                for i, t in first.items():
                    last[i] = t - 1
            if self._alarms is not None:
                self._alarms.on_readings(f_arr, t_arr, v_arr)
        self._rejects.add(rejects, samples)
        return queued

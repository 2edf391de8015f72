"""The site status the hub receives: feed health and active alarms, every minute and on change.

Built in the engine's clock thread from the same objects the window shows
(ring-buffer latest values, the alarm engine), so the city sees what the
operator sees. A change is reported at most once per ``min_interval_s`` so a
flapping feed cannot flood the link; an unchanged status still goes out
every ``period_s`` as a sign of life. Each status also says that period (so
the city can tell a silent site from a quiet one) and, when the console has a
city link, its outbox backlog at that moment (``backlog``: a callable reading
in-memory positions, no I/O).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from msgspec import UNSET

from console.district.config import FeedConfig
from console.district.domain.alarms import (
    ACTIVE_ACK,
    ACTIVE_UNACK,
    CLEARED_UNACK,
    SHELVED,
    AlarmEngine,
)
from console.district.domain.feedstate import STATE_KEYS, feed_states, stale_after
from console.district.domain.ringbuffer import RingBuffers
from console.shared.records import ActiveAlarms, AlarmCounts, FeedCounts, SiteStatus


class SiteStatusReporter:
    def __init__(
        self,
        site_id: str,
        feeds: Sequence[FeedConfig],
        buffers: RingBuffers,
        alarms: AlarmEngine | None,
        *,
        period_s: float = 60.0,
        min_interval_s: float = 5.0,
        backlog: Callable[[], int] | None = None,
    ) -> None:
        self._site = site_id
        self._backlog = backlog
        self._buffers = buffers
        self._alarms = alarms
        self._stale = stale_after(feeds)
        self._period = period_s
        self._min_interval = min_interval_s
        self._last_sent = -1e18
        self._last_key: tuple[FeedCounts, AlarmCounts] | None = None

    def snapshot(self, now: float) -> SiteStatus:
        state, _ = feed_states(self._buffers.latest(), self._stale, now)
        counts = np.bincount(state, minlength=len(STATE_KEYS))
        feeds = {name: int(counts[k]) for k, name in STATE_KEYS.items()}
        active = [0, 0, 0]
        unack = shelved = 0
        if self._alarms is not None:
            for a in self._alarms.current():
                if a.state in (ACTIVE_UNACK, ACTIVE_ACK) and 1 <= a.severity <= 3:
                    active[a.severity - 1] += 1
                if a.state in (ACTIVE_UNACK, CLEARED_UNACK):
                    unack += 1
                if a.state == SHELVED:
                    shelved += 1
        return SiteStatus(
            site=self._site,
            ts=int(now * 1000),
            feeds=FeedCounts(**feeds, total=int(state.size)),
            alarms=AlarmCounts(
                active=ActiveAlarms(sev1=active[0], sev2=active[1], sev3=active[2]),
                unack=unack,
                shelved=shelved,
            ),
            backlog=max(0, self._backlog()) if self._backlog is not None else UNSET,
            period=int(self._period * 1000),
        )

    def due(self, now: float) -> SiteStatus | None:
        """The status to send now, or None (unchanged and not yet a period old)."""
        snap = self.snapshot(now)
        key = (snap.feeds, snap.alarms)
        elapsed = now - self._last_sent
        changed = key != self._last_key
        if elapsed >= self._period or (changed and elapsed >= self._min_interval):
            self._last_sent = now
            self._last_key = key
            return snap
        return None

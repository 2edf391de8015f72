"""Many consoles reporting into one hub, without sockets: typed records straight through
the hub store's commit path (``HubStore.commit``: dedupe, folds, views, change counter).

What the IOC window reads is exactly what real consoles would have produced: the
same record types, encoded and decoded, one stream per console, numbered and
committed as the hub's ROUTER loop commits them (statuses, minute summaries, alarm
transitions, escalations). Used by the IOC tests and
``opsconsole bench ioc`` (50 sites × 200 feeds); the city demo runs real consoles.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from msgspec import UNSET

from console.hub.store.store import HubStore
from console.shared import records
from console.shared.kinds import KINDS
from console.shared.records import (
    ActiveAlarms,
    AlarmCounts,
    AlarmTransition,
    Escalation,
    FeedCounts,
    MinuteSummary,
    SiteStatus,
)
from transport.streams import Batch, BatchResult

MINUTE_MS = records.MINUTE_MS

# Plausible centre and spread per kind (the IOC only needs believable shapes).
_LEVELS = {
    "river_level": (1.2, 0.4),
    "rainfall": (4.0, 3.0),
    "pm25": (28.0, 8.0),
    "traffic_flow": (35.0, 12.0),
    "traffic_speed": (38.0, 9.0),
    "cctv_events": (1.0, 1.0),
}


@dataclass(frozen=True)
class SimFeed:
    key: str
    kind: str
    unit: str


def site_feeds(site: str, n: int) -> list[SimFeed]:
    """``n`` feeds for ``site``, the kinds in turn (so every site has every kind)."""
    kinds = list(KINDS.values())
    return [
        SimFeed(f"{site}-{k.id.replace('_', '')}-{i:03d}", k.id, k.unit)
        for i in range(n)
        for k in [kinds[i % len(kinds)]]
    ]


class CityFeeder:
    """Records from one console per site (console id = site id, database ``sim``)."""

    def __init__(
        self,
        store: HubStore,
        sites: Sequence[str],
        feeds_per_site: int = 0,
        *,
        period_ms: int | None = 60_000,
        seed: int = 1,
    ) -> None:
        self.store = store
        self.sites = list(sites)
        self.feeds = {s: site_feeds(s, feeds_per_site) for s in self.sites}
        self.period_ms = period_ms
        self._seq: dict[tuple[str, str], int] = {}
        self._rng = random.Random(seed)

    def _batch(self, site: str, stream: str, recs: Iterable[tuple[str, int, bytes]]) -> Batch:
        out = []
        for kind, created, payload in recs:
            seq = self._seq.get((site, stream), 0) + 1
            self._seq[(site, stream)] = seq
            out.append((seq, kind, created, payload))
        return Batch(site, site, "sim", stream, out)

    def status_batch(
        self,
        site: str,
        ts_ms: int,
        *,
        sev: tuple[int, int, int] = (0, 0, 0),
        unack: int = 0,
        bad: int = 0,
        stale: int = 0,
        backlog: int | None = 0,
        total: int | None = None,
    ) -> Batch:
        total = len(self.feeds[site]) if total is None else total
        rec = SiteStatus(
            site=site,
            ts=ts_ms,
            feeds=FeedCounts(good=max(0, total - bad - stale), bad=bad, stale=stale, total=total),
            alarms=AlarmCounts(
                active=ActiveAlarms(sev1=sev[0], sev2=sev[1], sev3=sev[2]), unack=unack
            ),
            backlog=UNSET if backlog is None else backlog,
            period=UNSET if self.period_ms is None else self.period_ms,
        )
        return self._batch(site, "status", [(rec.KIND, ts_ms, records.encode(rec))])

    def status(self, site: str, ts_ms: int, **kw: Any) -> list[BatchResult]:
        """Commit one status of ``site`` (keywords as ``status_batch``)."""
        return self.store.commit([self.status_batch(site, ts_ms, **kw)])

    def minute_batch(
        self,
        site: str,
        minute_ms: int,
        values: dict[str, tuple[float, float, float]] | None = None,
    ) -> Batch:
        """One minute of every feed of ``site`` (``values``: feed → (min, max, mean) for
        the feeds to set; the rest follow a slow daily wave with noise)."""
        recs = []
        for f in self.feeds[site]:
            if values is not None and f.key in values:
                lo, hi, mean = values[f.key]
            else:
                centre, spread = _LEVELS.get(f.kind, (10.0, 2.0))
                wave = math.sin(minute_ms / 86_400_000 * 2 * math.pi)
                mean = max(0.0, centre + spread * (0.6 * wave + 0.4 * self._rng.uniform(-1, 1)))
                lo, hi = max(0.0, mean - spread * 0.2), mean + spread * 0.2
            rec = MinuteSummary(
                site=site,
                feed=f.key,
                kind=f.kind,
                unit=f.unit,
                minute=minute_ms,
                n=6,
                min=lo,
                max=hi,
                mean=mean,
                last=mean,
                last_ts=minute_ms + 59_000,
                q=(6, 0, 0),
            )
            recs.append((rec.KIND, minute_ms + 60_000, records.encode(rec)))
        return self._batch(site, "summary", recs)

    def minutes(
        self,
        site: str,
        minute_ms: int,
        values: dict[str, tuple[float, float, float]] | None = None,
    ) -> list[BatchResult]:
        return self.store.commit([self.minute_batch(site, minute_ms, values)])

    def escalation_batch(self, site: str, xml: bytes, incident: str = "", ts_ms: int = 0) -> Batch:
        """An escalation (the CAP alert ``xml``, sender = ``site``) on the site's
        ``escalation`` stream, as a console sends it."""
        rec = Escalation(cap=xml, incident=incident)
        return self._batch(site, "escalation", [(rec.KIND, ts_ms, records.encode(rec))])

    def escalation(
        self, site: str, xml: bytes, incident: str = "", ts_ms: int = 0
    ) -> list[BatchResult]:
        """Commit one escalation of ``site`` through the hub's commit path."""
        return self.store.commit([self.escalation_batch(site, xml, incident, ts_ms)])

    def alarm_batch(self, site: str, transitions: Sequence[AlarmTransition]) -> Batch:
        """Alarm transitions of ``site`` on its ``alarm`` stream, in order, as a console
        forwards its journal."""
        return self._batch(site, "alarm", [(t.KIND, t.ts, records.encode(t)) for t in transitions])

    def alarms(self, site: str, transitions: Sequence[AlarmTransition]) -> list[BatchResult]:
        """Commit alarm transitions of ``site`` through the hub's commit path."""
        return self.store.commit([self.alarm_batch(site, transitions)])

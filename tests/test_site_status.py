"""The site status a console reports: its period and outbox backlog ride along, and a
backlog that moves does not by itself make the console send a status."""

from __future__ import annotations

import msgspec

from console.district.config import SiteConfig
from console.district.domain.ringbuffer import RingBuffers
from console.district.domain.site_status import SiteStatusReporter


def test_status_carries_period_and_backlog_without_sending_more(small_site: SiteConfig) -> None:
    backlog = [0]
    rep = SiteStatusReporter(
        small_site.id,
        small_site.feeds,
        RingBuffers(len(small_site.feeds)),
        None,
        period_s=10.0,
        min_interval_s=1.0,
        backlog=lambda: backlog[0],
    )
    first = rep.due(100.0)
    assert first is not None and (first.period, first.backlog) == (10_000, 0)
    backlog[0] = 5_000  # summaries queue up; feeds and alarms unchanged
    assert rep.due(102.0) is None
    later = rep.due(110.0)  # the period's sign of life says how big the backlog is
    assert later is not None and later.backlog == 5_000


def test_without_a_city_link_the_backlog_is_not_reported(small_site: SiteConfig) -> None:
    rep = SiteStatusReporter(
        small_site.id, small_site.feeds, RingBuffers(len(small_site.feeds)), None
    )
    snap = rep.snapshot(100.0)
    assert snap.backlog is msgspec.UNSET and snap.period == 60_000

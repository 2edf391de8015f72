"""Per-minute summaries and site status from the real engine, through the link, into the hub."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.district.config import SiteConfig, load_site
from console.district.services.app import ConsoleApp
from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.hub.store.schema import feed_minutes
from tests.conftest import now_ms, wait_until
from tests.linkkit import LinkKit, make_kit
from tests.test_engine import push
from transport.feedproto import encode_batch


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


def start_hub(kit: LinkKit, database: str | None = None) -> Hub:
    cfg = load_hub_config(kit.hub_config)
    if database:
        cfg = dataclasses.replace(cfg, database=database)
    h = Hub(cfg)
    h.start()
    return h


def linked_engine(kit: LinkKit, site_path: Path, hub: Hub, data: Path) -> ConsoleApp:
    site = load_site(kit.site("test-site", hub.server.bound_endpoint, base=site_path))
    e = ConsoleApp(site, data)
    e.start()
    return e


def minutes_at_hub(hub: Hub) -> dict[tuple[str, int], dict[str, object]]:
    from sqlalchemy import select

    with hub.store.engine.connect() as c:
        return {
            (r.feed_key, r.minute_ms): dict(r._mapping) for r in c.execute(select(feed_minutes))
        }


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = start_hub(kit)
    yield h
    h.stop()


def test_closed_minutes_arrive_as_exact_summaries_and_late_readings_revise_them(
    kit: LinkKit, hub: Hub, small_site: SiteConfig, tmp_path: Path
) -> None:
    e = linked_engine(kit, small_site.path, hub, tmp_path / "data")
    try:
        m0 = (now_ms() // 60_000 - 10) * 60_000  # ten minutes ago, closed
        river = [(m0 + 1_000 * i, 1.0 + 0.01 * i) for i in range(0, 60, 7)]
        rain = [(m0 + 60_000 + 5_000 * i, float(i)) for i in range(12)]
        push(
            e.endpoints[0],
            encode_batch(
                [["river-1", t, v, 0] for t, v in river]
                + [["rain-1", t, v, 1 if v > 9 else 0] for t, v in rain]
            ),
        )
        wait_until(lambda: len(minutes_at_hub(hub)) == 2, 20, "two summaries at the hub")
        got = minutes_at_hub(hub)
        r = got[("river-1", m0)]
        vs = [v for _, v in river]
        assert (r["n"], r["vmin"], r["vmax"], r["last"]) == (len(vs), min(vs), max(vs), vs[-1])
        assert r["mean"] == pytest.approx(statistics.fmean(vs))
        g = got[("rain-1", m0 + 60_000)]
        assert (g["n"], g["q_good"], g["q_uncertain"], g["last"]) == (12, 10, 2, 11.0)
        first_seq = r["seq"]
        # A late reading for the river's closed minute: a revised summary replaces the first.
        push(e.endpoints[0], encode_batch([["river-1", m0 + 59_500, 9.0, 0]]))
        wait_until(lambda: minutes_at_hub(hub)[("river-1", m0)]["seq"] != first_seq, 20, "revision")
        r2 = minutes_at_hub(hub)[("river-1", m0)]
        assert (r2["n"], r2["vmax"], r2["last"]) == (len(vs) + 1, 9.0, 9.0)
        # The site status reached the hub too.
        wait_until(lambda: bool(hub.store.city()["sites"]), 20, "site status")
        s = hub.store.city()["sites"][0]
        assert s["site_id"] == "test-site" and s["feeds_total"] == 3
    finally:
        e.stop()


def test_postgresql_hub_over_the_link(
    kit: LinkKit, pg_url: str, small_site: SiteConfig, tmp_path: Path
) -> None:
    hub = start_hub(kit, pg_url)
    e = linked_engine(kit, small_site.path, hub, tmp_path / "data")
    try:
        m0 = (now_ms() // 60_000 - 30) * 60_000
        push(
            e.endpoints[0],
            encode_batch([["pm25-1", m0 + 10_000 * i, 30.0 + i, 0] for i in range(60)]),
        )
        wait_until(lambda: len(minutes_at_hub(hub)) == 10, 30, "ten summaries in PostgreSQL")
        assert e.flush_uplink(20)
        view = e.link_view()
        assert view.backlog == 0 and view.state == "online"
        for stream, sv in view.streams.items():
            assert hub.store.seqs("test-site", stream) == list(range(1, sv.last_seq + 1))
    finally:
        e.stop()
        hub.stop()


def test_a_backlog_above_the_limit_is_warned_about_and_kept(
    kit: LinkKit, small_site: SiteConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = kit.site("test-site", "tcp://127.0.0.1:9", base=small_site.path)  # no hub there
    path.write_text(path.read_text() + "backlog_warn = 2\n", "utf-8")
    e = ConsoleApp(load_site(path), tmp_path / "data")
    e.start()
    try:
        m0 = (now_ms() // 60_000 - 5) * 60_000
        push(
            e.endpoints[0],
            encode_batch([[f, m0 + 1000, 1.0, 0] for f in ("river-1", "rain-1", "pm25-1")]),
        )
        wait_until(lambda: e.link_view().backlog_high, 20, "backlog above the limit")
        wait_until(lambda: "above backlog_warn=2" in caplog.text, 5, "warning logged")
        assert e.link_view().state != "online"
        # Alarm transitions (their own stream) may cross the limit before the summaries
        # are written: wait for those too.
        wait_until(lambda: e.link_view().streams["summary"].last_seq == 3, 20, "summaries")
    finally:
        e.stop()
    assert e.link_view().streams["summary"].last_seq == 3  # kept, not discarded

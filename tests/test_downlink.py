"""The downlink in one process: the hub's directives and warnings reach a real console, once,
and what people do with them (and every alarm transition) comes back up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from console.district.config import SiteConfig, load_site
from console.district.services.app import ConsoleApp
from console.district.services.directives import DirectiveError
from console.district.store import action_log
from console.district.store.schema import inbox
from console.hub.config import load_hub_config
from console.hub.server import Hub
from console.hub.services.downlink import (
    DownlinkRefusedError,
    DownlinkService,
    build_warning,
)
from console.hub.store import downlink
from console.hub.store.schema import down_records
from console.shared import cap, records
from console.shared.records import CityWarning, Directive
from console.shared.session import os_session
from console.shared.vocab import DirectivePriority, DirectiveStep, Role, Stream
from tests.conftest import now_ms, wait_until
from tests.linkkit import LinkKit, make_kit
from tests.test_engine import push
from transport.feedproto import encode_batch

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OPERATOR = os_session(Role.OPERATOR)
IOC = os_session(Role.IOC_SUPERVISOR)


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub")


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = Hub(load_hub_config(kit.hub_config))
    h.start()
    yield h
    h.stop()


@pytest.fixture
def console(kit: LinkKit, hub: Hub, small_site: SiteConfig, tmp_path: Path) -> Iterator[ConsoleApp]:
    site = load_site(kit.site("test-site", hub.server.bound_endpoint, base=small_site.path))
    e = ConsoleApp(site, tmp_path / "data")
    e.start()
    yield e
    e.stop()


def service(kit: LinkKit, hub: Hub) -> DownlinkService:
    return DownlinkService(hub.store.engine, kit.registry)


def warning_xml(identifier: str, *, hours: float = 6, event: str = "Lũ trên sông Hàn") -> bytes:
    now = datetime.now(TZ).replace(microsecond=0)
    return build_warning(
        sender="ioc",
        identifier=identifier,
        event_vi=event,
        event_en="Flood on the Han river",
        area_vi="Phường Hải Châu 1",
        area_en="Hai Chau 1 ward",
        severity=cap.Severity.SEVERE,
        expires=now + timedelta(hours=hours),
        sent=now,
    )


def inbox_seqs(e: ConsoleApp, stream: str) -> list[int]:
    with e.db.engine.connect() as c:
        return [
            int(s)
            for (s,) in c.execute(
                select(inbox.c.seq).where(inbox.c.stream == stream).order_by(inbox.c.seq)
            )
        ]


def hub_seqs(hub: Hub, site: str, stream: str) -> list[int]:
    with hub.store.engine.connect() as c:
        return [
            int(s)
            for (s,) in c.execute(
                select(down_records.c.seq)
                .where(down_records.c.site_id == site, down_records.c.stream == stream)
                .order_by(down_records.c.seq)
            )
        ]


def test_a_directive_is_delivered_once_and_read_and_done_go_back_to_the_board(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    svc = service(kit, hub)
    due = now_ms() + 3_600_000
    issued = svc.issue_directive(
        IOC,
        "test-site",
        "Mở nhà tránh trú Hòa Xuân",
        priority=DirectivePriority.URGENT,
        due_ms=due,
        ref="test-site-3f2a9c1e-1",
    )
    assert issued.seqs == {"test-site": 1}
    d = console.services.directives
    wait_until(lambda: bool(d.items()), 20, "the directive at the console")
    (got,) = d.items()
    assert (got.id, got.text, got.priority, got.due_ms, got.ref) == (
        issued.id,
        "Mở nhà tránh trú Hòa Xuân",
        DirectivePriority.URGENT,
        due,
        "test-site-3f2a9c1e-1",
    )
    assert got.unread and d.unread() == 1
    wait_until(lambda: svc.board()[0]["sites"]["test-site"]["state"] == "delivered", 20, "acked")

    d.mark(OPERATOR, issued.id, DirectiveStep.READ)
    with pytest.raises(DirectiveError, match="was read by"):
        d.mark(OPERATOR, issued.id, DirectiveStep.READ)
    wait_until(lambda: svc.board()[0]["sites"]["test-site"]["state"] == "read", 20, "read at hub")
    site = svc.board()[0]["sites"]["test-site"]
    assert [r["user"] for r in site["read"]] == [OPERATOR.user_id]
    d.mark(OPERATOR, issued.id, DirectiveStep.DONE, note="đã mở lúc 14:05")
    wait_until(lambda: svc.board()[0]["sites"]["test-site"]["state"] == "done", 20, "done at hub")
    done = svc.board()[0]["sites"]["test-site"]["done"]
    assert done["user"] == OPERATOR.user_id and done["note"] == "đã mở lúc 14:05"
    # The action log has both steps, and the hub holds the downlink exactly once.
    steps = [
        e["action"]
        for e in action_log.search(
            console.db.engine, actions=["directive_read", "directive_done"], newest_first=False
        )
    ]
    assert steps == ["directive_read", "directive_done"]
    assert inbox_seqs(console, Stream.DIRECTIVE) == hub_seqs(hub, "test-site", Stream.DIRECTIVE)
    down = hub.store.stats()["downlink"]
    assert down["db"] == hub.downlink.identity()
    seen = down["sites"]["test-site"]["directive"]
    assert seen["last_seq"] == 1 and seen["consoles"]["test-site"]["acked_seq"] == 1
    assert console.link_view().inbox == {"esc_ack": 0, "directive": 1, "warning": 0}
    assert console.link_view().down == "online" and console.link_view().down_records == 1
    assert console.flush_uplink(20)
    assert hub.store.seqs("test-site", Stream.DIRECTIVE_STATE) == [1, 2]


def test_a_viewer_may_not_mark_a_directive(kit: LinkKit, hub: Hub, console: ConsoleApp) -> None:
    from console.district.domain.access import PermissionDeniedError

    issued = service(kit, hub).issue_directive(IOC, "all", "Báo cáo tình hình mỗi giờ")
    d = console.services.directives
    wait_until(lambda: bool(d.items()), 20, "the directive at the console")
    with pytest.raises(PermissionDeniedError):
        d.mark(os_session(Role.VIEWER), issued.id, DirectiveStep.READ)
    with pytest.raises(DirectiveError, match="no directive"):
        d.mark(OPERATOR, "ioc-00000000", DirectiveStep.READ)
    assert d.items()[0].unread


def test_directives_refuse_unknown_sites_empty_text_and_past_due(kit: LinkKit, hub: Hub) -> None:
    kit.console_keys("test-site")
    svc = service(kit, hub)
    with pytest.raises(DownlinkRefusedError, match="unknown site nowhere"):
        svc.issue_directive(IOC, "test-site,nowhere", "x")
    with pytest.raises(DownlinkRefusedError, match="empty"):
        svc.issue_directive(IOC, "test-site", " \n ")
    with pytest.raises(DownlinkRefusedError, match="not in the future"):
        svc.issue_directive(IOC, "test-site", "x", due_ms=now_ms() - 1)
    assert svc.board() == []


def test_a_city_warning_is_shown_until_it_expires_and_a_cancel_removes_it(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    svc = service(kit, hub)
    xml = warning_xml("ioc-w-1")
    svc.issue_warning(IOC, "test-site", xml)
    with pytest.raises(DownlinkRefusedError, match="already sent"):
        svc.issue_warning(IOC, "test-site", xml)
    w = console.services.warnings
    wait_until(lambda: bool(w.active()), 20, "the warning at the console")
    (got,) = w.active()
    assert (got.event, got.event_in("en"), got.severity, got.area) == (
        "Lũ trên sông Hàn",
        "Flood on the Han river",
        "Severe",
        "Phường Hải Châu 1",
    )
    assert w.active(got.expires_ms + 1) == []  # expired: off the strip, without a reload
    # A Cancel referencing it withdraws it.
    alert = cap.parse(xml)
    now = datetime.now(TZ).replace(microsecond=0)
    cancel = cap.build_xml(
        cap.CapAlert(
            identifier="ioc-w-2",
            sender="ioc",
            sent=now,
            status=cap.Status.ACTUAL,
            msg_type=cap.MsgType.CANCEL,
            scope=cap.Scope.RESTRICTED,
            restriction="IOC",
            references=(cap.reference_to(alert),),
        )
    )
    svc.issue_warning(IOC, "test-site", cancel)
    wait_until(lambda: not w.active(), 20, "the cancelled warning off the strip")
    assert inbox_seqs(console, Stream.WARNING) == [1, 2]


def test_invalid_cap_is_refused_by_the_hub_and_kept_unapplied_by_the_console(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    svc = service(kit, hub)
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&x;</identifier></alert>'
    )
    with pytest.raises(DownlinkRefusedError, match="DOCTYPE"):
        svc.issue_warning(IOC, "test-site", xxe)
    # A hub that did not check (or a hostile one) sends it anyway: the console keeps it with
    # its reason, acknowledges it, and the stream goes on.
    bad = records.encode(CityWarning(cap=xxe, by="x", name="x", ts=now_ms()))
    with hub.store.engine.begin() as c:
        downlink.append(c, "test-site", Stream.WARNING, [("cap", now_ms(), bad)])
    svc.issue_warning(IOC, "test-site", warning_xml("ioc-w-9"))
    w = console.services.warnings
    wait_until(lambda: len(w.active()) == 1, 20, "the valid warning after the bad one")
    with console.db.engine.connect() as c:
        problems = [str(p) for (p,) in c.execute(select(inbox.c.problem).order_by(inbox.c.seq))]
    assert problems[0].startswith("invalid: CityWarning: cap: DOCTYPE") and problems[1] == ""
    assert console.link_view().inbox_problems == {"invalid": 1}
    wait_until(
        lambda: all(s["state"] == "delivered" for x in svc.warnings() for s in x["sites"].values()),
        20,
        "both acknowledged",
    )


def test_alarm_transitions_reach_the_hub_with_who_acknowledged(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    alarms = console.services.alarms
    assert alarms is not None
    m0 = now_ms() - 60_000
    push(console.endpoints[0], encode_batch([["river-1", m0, 2.5, 0]]))
    wait_until(lambda: bool(alarms.current()), 20, "an active alarm")
    ids = [a.id for a in alarms.current()]
    alarms.acknowledge(OPERATOR, ids, note="đã kiểm tra")
    svc = service(kit, hub)
    wait_until(lambda: any(e["event"] == "ack" for e in svc.alarms()), 20, "the ack at the hub")
    events = svc.alarms(site="test-site")
    ack = next(e for e in events if e["event"] == "ack")
    assert (ack["user"], ack["note"], ack["prior"], ack["state"]) == (
        OPERATOR.user_id,
        "đã kiểm tra",
        "active_unack",
        "active_ack",
    )
    activate = next(e for e in events if e["event"] == "activate")
    assert activate["value"] == 2.5 and activate["user"] == "system"
    assert console.flush_uplink(20)
    assert hub.store.seqs("test-site", Stream.ALARM) == list(
        range(1, console.link_view().streams[Stream.ALARM].last_seq + 1)
    )


def test_the_same_directive_under_a_new_downlink_id_is_applied_once(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    svc = service(kit, hub)
    first = svc.issue_directive(IOC, "test-site", "Kiểm tra trạm bơm")
    d = console.services.directives
    wait_until(lambda: len(d.items()) == 1, 20, "the directive at the console")
    # The same record again on the stream (as after a hub restore + new downlink id).
    with hub.store.engine.begin() as c:
        (payload,) = c.execute(select(down_records.c.payload)).one()
        downlink.append(c, "test-site", Stream.DIRECTIVE, [("directive", now_ms(), payload)])
    second = svc.issue_directive(IOC, "test-site", "Báo cáo lúc 17:00")
    wait_until(lambda: len(d.items()) == 2, 20, "the second directive")
    assert {x.id for x in d.items()} == {first.id, second.id}
    assert inbox_seqs(console, Stream.DIRECTIVE) == [1, 2, 3]
    assert records.decode_as(Directive, payload).id == first.id


def test_the_downlink_on_a_postgresql_hub(
    kit: LinkKit, pg_url: str, small_site: SiteConfig, tmp_path: Path
) -> None:
    import dataclasses

    h = Hub(dataclasses.replace(load_hub_config(kit.hub_config), database=pg_url))
    h.start()
    site = load_site(kit.site("test-site", h.server.bound_endpoint, base=small_site.path))
    e = ConsoleApp(site, tmp_path / "data")
    e.start()
    try:
        svc = service(kit, h)
        issued = svc.issue_directive(IOC, "all", "Sơ tán hộ dân ven sông Cu Đê")
        svc.issue_warning(IOC, "test-site", warning_xml("ioc-w-pg"))
        d = e.services.directives
        wait_until(lambda: bool(d.items()) and bool(e.services.warnings.active()), 20, "both")
        d.mark(OPERATOR, issued.id, DirectiveStep.DONE, note="xong")
        wait_until(lambda: svc.board()[0]["sites"]["test-site"]["state"] == "done", 20, "done")
        assert [r["user"] for r in svc.board()[0]["sites"]["test-site"]["read"]] == [
            OPERATOR.user_id
        ]
        assert inbox_seqs(e, Stream.WARNING) == hub_seqs(h, "test-site", Stream.WARNING) == [1]
        assert svc.warnings()[0]["sites"]["test-site"]["state"] == "delivered"
    finally:
        e.stop()
        h.stop()

"""Escalation over real sockets: a supervisor escalates at a Cẩm Lệ console, the hub stores the
CAP once, an IOC person takes, assigns and acknowledges it (service and command line), and
the console shows it acknowledged; hostile and repeated acknowledgements change nothing."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.cli.main import main
from console.district.config import demo_sites_dir, load_site
from console.district.domain.escalation import EscalationRequest
from console.district.domain.incidents import NewIncident
from console.district.services.app import ConsoleApp
from console.district.services.escalations import ACKNOWLEDGED, DELIVERED
from console.hub.config import SiteNames, load_hub_config
from console.hub.server import Hub
from console.hub.services.escalations import EscalationRefusedError, EscalationWork
from console.hub.store.schema import down_records, escalation_events, escalations, ioc_action_log
from console.shared import cap
from console.shared.access import PermissionDeniedError
from console.shared.session import Session
from console.shared.vocab import Role, Stream, TimelineKind
from tests.conftest import wait_until
from tests.linkkit import LinkKit, make_kit

SUP = Session("ha", "Trần Thu Hà", Role.SUPERVISOR, "oc-2", authenticated=False)
IOC = Session("minh", "Lê Văn Minh", Role.IOC_SUPERVISOR, "ioc-1", authenticated=False)
AGENCIES = {"pccc": SiteNames("Cảnh sát PCCC&CNCH", "Fire and rescue police")}


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    return make_kit(tmp_path / "hub", agencies=AGENCIES)


@pytest.fixture
def hub(kit: LinkKit) -> Iterator[Hub]:
    h = Hub(load_hub_config(kit.hub_config))
    h.start()
    yield h
    h.stop()


@pytest.fixture
def console(kit: LinkKit, hub: Hub, tmp_path: Path) -> Iterator[ConsoleApp]:
    path = kit.site("cam-le", hub.server.bound_endpoint, base=demo_sites_dir() / "cam-le.toml")
    e = ConsoleApp(load_site(path), tmp_path / "data")
    e.start()
    yield e
    e.stop()


def escalate(console: ConsoleApp) -> tuple[str, str]:
    new = NewIncident(
        type="flood", severity=2, title="Ngập sâu Hòa Xuân", ward="Hòa Xuân",
        feed_keys=("cl-river-02",),
    )  # fmt: skip
    iid = console.services.incidents.open(SUP, new)
    view = console.services.escalations.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
    return iid, view.identifier


def stored(hub: Hub, identifier: str) -> int:
    with hub.store.engine.connect() as c:
        return int(
            c.execute(
                select(func.count()).where(escalations.c.identifier == identifier)
            ).scalar_one()
        )


def test_escalate_store_acknowledge_and_the_console_shows_it(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    iid, ident = escalate(console)
    esc = console.services.escalations
    work = EscalationWork(hub.store.engine, AGENCIES)
    wait_until(lambda: stored(hub, ident) == 1, 20, "the escalation at the hub")
    wait_until(lambda: esc.state(esc.items()[0]) == DELIVERED, 20, "delivered at the console")
    (item,) = work.items()
    assert (item["site"], item["identifier"], item["state"]) == ("cam-le", ident, "open")
    # Only IOC people whose role grants it act on an escalation; a refusal writes nothing.
    viewer = Session("xem", "Người Xem", Role.IOC_VIEWER, "ioc-1", authenticated=False)
    operator = Session("an", "Phan Văn An", Role.IOC_OPERATOR, "ioc-1", authenticated=False)
    for who in (viewer, SUP):  # SUP: a district supervisor's role means nothing here
        with pytest.raises(PermissionDeniedError):
            work.take(who, ident)
        with pytest.raises(PermissionDeniedError):
            work.acknowledge(who, ident, "không được")
    with pytest.raises(PermissionDeniedError):
        work.assign(operator, ident, "pccc")
    assert work.items()[0]["state"] == "open" and work.events(ident) == []
    assert (item["msg_type"], item["incident"], item["event"]) == ("Alert", iid, "Ngập lụt")
    with pytest.raises(EscalationRefusedError, match="unknown agency 'police'"):
        work.assign(IOC, ident, "police")
    work.take(IOC, ident)
    work.assign(IOC, ident, "pccc")
    (item,) = work.items(state="taken")
    assert (item["taken_by"], item["agency"]) == ("minh", "pccc")
    done = work.acknowledge(IOC, ident, "đã điều xuồng từ Hòa Vang")
    assert (done.site, done.seq) == ("cam-le", 1)
    with pytest.raises(EscalationRefusedError, match="acknowledged already"):
        work.acknowledge(IOC, ident, "lần hai")
    wait_until(lambda: esc.state(esc.items()[0]) == ACKNOWLEDGED, 20, "acknowledged at console")
    (got,) = esc.items()
    assert (got.ack_by, got.ack_name, got.ack_note) == (
        "minh",
        "Lê Văn Minh",
        "đã điều xuồng từ Hòa Vang",
    )
    d = console.services.incidents.get(iid)
    assert d is not None
    steps = [e.after for e in d.timeline if e.kind == TimelineKind.ESCALATION]
    assert steps == ["sent", "delivered", "acknowledged"]
    wait_until(
        lambda: work.items()[0]["ack_delivered_ms"] is not None, 20, "the ack delivered (hub)"
    )
    assert [e["action"] for e in work.events(ident)] == ["take", "assign", "acknowledge"]
    with hub.store.engine.connect() as c:
        logged = c.execute(
            select(
                ioc_action_log.c.action, ioc_action_log.c.user_id, ioc_action_log.c.object_id
            ).order_by(ioc_action_log.c.seq)
        ).all()
    assert [tuple(r) for r in logged] == [
        ("escalation_taken", "minh", ident),
        ("escalation_assigned", "minh", ident),
        ("escalation_acknowledged", "minh", ident),
    ]
    # An Update references the first; the hub keeps both, once each.
    upd = esc.update(SUP, iid, EscalationRequest(reason="nước lên 2,8 m"))
    wait_until(lambda: stored(hub, upd.identifier) == 1, 20, "the update at the hub")
    assert console.flush_uplink(20)
    newest = work.items()[0]
    assert (newest["msg_type"], newest["references"], newest["state"]) == (
        "Update",
        [ident],
        "open",
    )
    assert stored(hub, ident) == 1
    with hub.store.engine.connect() as c:
        xml = c.execute(
            select(escalations.c.xml).where(escalations.c.identifier == upd.identifier)
        ).scalar_one()
    cap.validate(bytes(xml))


def test_the_command_line_lists_and_acknowledges_with_honest_exit_codes(
    kit: LinkKit, hub: Hub, console: ConsoleApp, capsys: pytest.CaptureFixture[str]
) -> None:
    _iid, ident = escalate(console)
    wait_until(lambda: stored(hub, ident) == 1, 20, "the escalation at the hub")
    cfg = ["--config", str(kit.hub_config)]
    assert main(["hub", "escalations", *cfg, "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["identifier"], item["state"], item["site"]) == (ident, "open", "cam-le")
    assert main(["hub", "ack", *cfg, ident, "--by", "minh"]) == 2
    assert "needs --name" in capsys.readouterr().err
    assert main(["hub", "ack", *cfg, "cam-le-00000000-9", "--by", "minh", "--name", "M"]) == 3
    assert "no escalation 'cam-le-00000000-9' was received" in capsys.readouterr().err
    args = ["hub", "ack", *cfg, ident, "--by", "minh", "--name", "Lê Văn Minh"]
    assert main([*args, "--note", "đã nhận", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "sender": "cam-le",
        "identifier": ident,
        "site": "cam-le",
        "seq": 1,
    }
    assert main([*args, "--note", "lại"]) == 3
    assert "acknowledged already (by Lê Văn Minh)" in capsys.readouterr().err
    assert main(["hub", "escalations", *cfg, "--state", "acknowledged", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["acknowledged_by"], item["note"]) == ("minh", "đã nhận")
    esc = console.services.escalations
    wait_until(lambda: esc.state(esc.items()[0]) == ACKNOWLEDGED, 20, "acknowledged at console")
    with hub.store.engine.connect() as c:
        n = c.execute(select(func.count()).select_from(escalation_events)).scalar_one()
    assert n == 1, "the refused second acknowledgement wrote nothing"


def test_people_acknowledging_at_once_send_one_acknowledgement(
    kit: LinkKit, hub: Hub, console: ConsoleApp
) -> None:
    _iid, ident = escalate(console)
    wait_until(lambda: stored(hub, ident) == 1, 20, "the escalation at the hub")
    work = EscalationWork(hub.store.engine, AGENCIES)
    results: list[str] = []

    def ack(n: int) -> None:
        who = Session(f"ioc-{n}", f"IOC {n}", Role.IOC_SUPERVISOR, "ioc", authenticated=False)
        try:
            work.acknowledge(who, ident, f"lần {n}")
            results.append("done")
        except EscalationRefusedError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=ack, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 4 and results.count("done") == 1, results
    assert all("acknowledged already" in r for r in results if r != "done"), results
    with hub.store.engine.connect() as c:
        acks = c.execute(
            select(func.count())
            .select_from(down_records)
            .where(down_records.c.stream == Stream.ESCALATION_ACK.value)
        ).scalar_one()
    assert acks == 1
    esc = console.services.escalations
    wait_until(lambda: esc.state(esc.items()[0]) == ACKNOWLEDGED, 20, "acknowledged at console")


def test_an_escalation_goes_when_it_is_written_not_at_the_link_loops_next_turn(
    kit: LinkKit, hub: Hub, tmp_path: Path
) -> None:
    """The outbox wakes the uplink when it commits: with the link's loop asleep for up to
    30 s (heartbeats 30 s apart), the escalation is at the hub long before."""
    path = kit.site(
        "cam-le", hub.server.bound_endpoint, base=demo_sites_dir() / "cam-le.toml",
        heartbeat_s=30.0,
    )  # fmt: skip
    app = ConsoleApp(load_site(path), tmp_path / "data")
    assert app.link is not None
    app.link.client.settings = dataclasses.replace(app.link.client.settings, poll_s=30.0)
    app.start()
    try:
        wait_until(lambda: app.services.link.view().state == "online", 10, "online")
        wait_until(lambda: app.services.link.view().backlog == 0, 10, "the first records")
        _iid, identifier = escalate(app)
        wait_until(lambda: stored(hub, identifier) == 1, 10, "the escalation at the hub")
    finally:
        app.stop()

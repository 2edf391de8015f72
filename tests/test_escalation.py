"""Escalating an incident to the city IOC, console side, on simulated time (Cẩm Lệ demo site).

The CAP 1.2 alert built from the incident (XSD-valid, both languages, the SOP's request,
the linked feeds' values, the area), queued on the ``escalation`` stream in the same
transaction as the status change, the timeline and the action log; refusals that change
nothing; Update and Cancel referencing the earlier messages; the delivery state (queued →
delivered → acknowledged) and the alarm when the IOC does not answer in time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from console.district.config import SiteConfig, demo_sites_dir, load_site
from console.district.domain.access import PermissionDeniedError
from console.district.domain.escalation import EscalationRequest
from console.district.domain.incidents import NewIncident
from console.district.services.app import ConsoleApp
from console.district.services.escalations import (
    ACKNOWLEDGED,
    DELIVERED,
    QUEUED,
    EscalationError,
    alarm_id,
)
from console.district.store import action_log
from console.district.store.schema import outbox
from console.shared import cap, records
from console.shared.clock import SimClock
from console.shared.records import Escalation, EscalationAck
from console.shared.session import Session, os_session
from console.shared.vocab import AlarmState, IncidentStatus, Role, Stream, TimelineKind
from tests.linkkit import make_kit
from transport.feedproto import Decoded
from transport.streams import Batch

S = IncidentStatus
RIVER = "cl-river-02"
SUP = Session("ha", "Trần Thu Hà", Role.SUPERVISOR, "oc-2", authenticated=False)
OPERATOR = os_session(Role.OPERATOR)
T0 = 1_780_000_000.0  # 2026-05-28, 03:06 UTC


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    """Cẩm Lệ with a city link to a hub that never answers (acks are driven by hand)."""
    kit = make_kit(tmp_path / "hub")
    path = kit.site("cam-le", "tcp://127.0.0.1:9", base=demo_sites_dir() / "cam-le.toml")
    s = load_site(path)
    esc = dataclasses.replace(s.escalation, ack_timeout_s=300.0, ioc_duty_phone="0236 3 888 999")
    return dataclasses.replace(
        s, endpoints=dataclasses.replace(s.endpoints, feeds_pull=()), escalation=esc
    )


def make(site: SiteConfig, data: Path, t: float = T0) -> ConsoleApp:
    app = ConsoleApp(site, data, clock=SimClock(t), feeds_pull=[])
    app.start(receive=False)
    return app


@pytest.fixture
def app(site: SiteConfig, tmp_path: Path) -> Iterator[ConsoleApp]:
    a = make(site, tmp_path / "data")
    yield a
    a.stop()


def flood(app: ConsoleApp, **kw: Any) -> str:
    """A severity-2 flood at Hòa Xuân with the river gauge linked, the river at 2.4 m."""
    t = int(app.clock.time() * 1000)
    app.accept(Decoded(readings=[(RIVER, t - 1000, 2.35, 0), (RIVER, t, 2.4, 0)]))
    assert app.flush(10)
    new = NewIncident(
        type="flood",
        severity=kw.pop("severity", 2),
        title="Ngập sâu đường Hòa Xuân",
        ward="Hòa Xuân",
        feed_keys=(RIVER,),
        **kw,
    )
    return app.services.incidents.open(SUP, new)


def outbox_records(app: ConsoleApp) -> list[tuple[int, bytes]]:
    assert app.flush(10)
    with app.db.engine.connect() as c:
        rows = c.execute(
            select(outbox.c.seq, outbox.c.payload)
            .where(outbox.c.stream == Stream.ESCALATION.value)
            .order_by(outbox.c.seq)
        ).all()
    return [(int(s), bytes(p)) for s, p in rows]


def sent_alert(app: ConsoleApp, index: int = -1) -> tuple[Escalation, cap.CapAlert]:
    _seq, payload = outbox_records(app)[index]
    rec = records.decode_as(Escalation, payload)
    return rec, cap.parse(rec.cap)


def ack(app: ConsoleApp, seq: int, ref: str, name: str = "Lê Minh IOC", note: str = "") -> Any:
    assert app.inbox is not None
    rec = EscalationAck(ref=ref, by="minh", name=name, ts=int(app.clock.time() * 1000), note=note)
    batch = Batch("hub", "cam-le", "hub-db-1", Stream.ESCALATION_ACK.value,
                  [(seq, "ack", rec.ts, records.encode(rec))])  # fmt: skip
    (res,) = app.inbox.commit([batch])
    return res


def escalation_entries(app: ConsoleApp, iid: str) -> list[tuple[str, str]]:
    d = app.services.incidents.get(iid)
    assert d is not None
    return [(e.before, e.after) for e in d.timeline if e.kind == TimelineKind.ESCALATION]


def test_a_supervisor_escalates_and_a_valid_cap_alert_is_queued_with_everything(
    app: ConsoleApp,
) -> None:
    iid = flood(app)
    n_log = len(action_log.search(app.db.engine))
    esc = app.services.escalations
    view = esc.escalate(SUP, iid, EscalationRequest(reason="nước lên nhanh, cần xuồng"))
    assert esc.state(view) == QUEUED
    rec, alert = sent_alert(app)
    cap.validate(rec.cap)  # the OASIS CAP 1.2 schema, again, on what was queued
    assert rec.incident == iid
    assert alert.identifier == view.identifier and alert.identifier.startswith("cam-le-")
    assert alert.sender == "cam-le" and alert.msg_type is cap.MsgType.ALERT
    assert alert.status is cap.Status.ACTUAL and alert.scope is cap.Scope.RESTRICTED
    assert alert.sent.utcoffset() is not None and alert.sent.utcoffset().total_seconds() == 7 * 3600
    assert alert.incidents == (iid,)
    vi, en = alert.infos
    assert (vi.language, en.language) == ("vi-VN", "en-US")
    assert vi.categories == (cap.Category.MET,) and vi.event == "Ngập lụt" and en.event == "Flood"
    assert vi.severity is cap.Severity.MODERATE and vi.urgency is cap.Urgency.EXPECTED
    assert vi.headline == "Ngập sâu đường Hòa Xuân"
    assert vi.instruction is not None and "nhà tránh trú" in vi.instruction
    assert en.instruction is not None and en.instruction.startswith("Coordinate rescue")
    assert "nước lên nhanh, cần xuồng" in vi.description
    # The incident's status in each block's language (the Vietnamese block said "escalated").
    assert vi.description is not None and en.description is not None
    (vi_status,) = [ln for ln in vi.description.splitlines() if "trạng thái" in ln]
    (en_status,) = [ln for ln in en.description.splitlines() if "; status " in ln]
    assert vi_status.endswith(
        ("trạng thái mới.", "trạng thái đang xử lý.", "trạng thái đã tiếp nhận.")
    )
    assert not any(w in vi_status for w in ("new", "in_progress", "escalated", "acknowledged"))
    assert en_status.split("; status ")[1].rstrip(".") in ("new", "in progress", "acknowledged")
    params = {p.value_name: p.value for p in vi.parameters}
    assert params[f"{RIVER}/river_level"] == "2.40 m"
    (area,) = vi.areas
    assert "Hòa Xuân" in area.area_desc and (area.polygons or area.circles)
    # One transaction: status, timeline, action log, outbox.
    d = app.services.incidents.get(iid)
    assert d is not None and d.incident.status == S.ESCALATED
    assert escalation_entries(app, iid) == [("Alert", "sent")]
    new = action_log.search(app.db.engine)[: len(action_log.search(app.db.engine)) - n_log]
    assert [e["action"] for e in new] == ["escalated"]
    assert view.identifier in new[0]["note"]


def test_an_operator_is_refused_and_nothing_changes(app: ConsoleApp) -> None:
    iid = flood(app)
    n_log = len(action_log.search(app.db.engine))
    with pytest.raises(PermissionDeniedError) as err:
        app.services.escalations.escalate(OPERATOR, iid, EscalationRequest(reason="cần hỗ trợ"))
    assert err.value.code == "role"
    assert outbox_records(app) == []
    assert len(action_log.search(app.db.engine)) == n_log
    d = app.services.incidents.get(iid)
    assert d is not None and d.incident.status != S.ESCALATED
    assert app.services.escalations.items() == []


def test_refusals_say_why(app: ConsoleApp) -> None:
    iid = flood(app)
    esc = app.services.escalations
    with pytest.raises(EscalationError) as err:
        esc.escalate(SUP, iid, EscalationRequest(reason="   "))
    assert err.value.code == "empty_reason"
    with pytest.raises(EscalationError) as err:
        esc.update(SUP, iid, EscalationRequest(reason="mới"))
    assert err.value.code == "not_escalated"
    with pytest.raises(EscalationError) as err:
        esc.escalate(SUP, "CL-2026-9999", EscalationRequest(reason="x"))
    assert err.value.code == "unknown_incident"
    esc.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
    with pytest.raises(EscalationError) as err:
        esc.escalate(SUP, iid, EscalationRequest(reason="lần nữa"))
    assert err.value.code == "already_escalated"
    assert len(outbox_records(app)) == 1


def test_update_and_cancel_reference_the_earlier_messages(app: ConsoleApp) -> None:
    iid = flood(app)
    esc = app.services.escalations
    first = esc.escalate(
        SUP, iid, EscalationRequest(reason="cần xuồng", status=cap.Status.EXERCISE)
    )
    app.services.incidents.update(SUP, iid, severity=3)
    second = esc.update(SUP, iid, EscalationRequest(reason="nước lên tiếp", life_at_risk=True))
    _rec, upd = sent_alert(app)
    assert upd.msg_type is cap.MsgType.UPDATE
    assert [r.identifier for r in upd.references] == [first.identifier]
    assert upd.references[0].sender == "cam-le"
    assert upd.infos[0].severity is cap.Severity.EXTREME  # severity 3, lives at risk
    assert upd.infos[0].urgency is cap.Urgency.IMMEDIATE
    third = esc.cancel(SUP, iid, EscalationRequest(reason="nước đã rút"))
    _rec, can = sent_alert(app)
    assert can.msg_type is cap.MsgType.CANCEL
    assert [r.identifier for r in can.references] == [first.identifier, second.identifier]
    assert can.infos[0].urgency is cap.Urgency.PAST and can.note == "nước đã rút"
    _rec, alert1 = sent_alert(app, 0)
    assert alert1.status is cap.Status.EXERCISE
    assert len({first.identifier, second.identifier, third.identifier}) == 3
    d = app.services.incidents.get(iid)
    assert d is not None and d.incident.status == S.IN_PROGRESS
    assert escalation_entries(app, iid) == [
        ("Alert", "sent"),
        ("Update", "sent"),
        ("Cancel", "sent"),
    ]
    actions = [e["action"] for e in action_log.search(app.db.engine, newest_first=False)]
    assert [a for a in actions if "escalat" in a] == [
        "escalated",
        "escalation_updated",
        "escalation_cancelled",
    ]
    assert not esc.of_incident(iid).active


def test_delivered_then_acknowledged_and_shown_on_the_incident(app: ConsoleApp) -> None:
    iid = flood(app)
    esc = app.services.escalations
    view = esc.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
    assert app.outbox is not None
    app.outbox.acked(Stream.ESCALATION.value, view.out_seq)  # the hub's ACK of its seq
    assert app.flush(10)
    (got,) = esc.items()
    assert esc.state(got) == DELIVERED and got.delivered_ms > 0
    assert escalation_entries(app, iid)[-1] == ("Alert", "delivered")
    res = ack(app, 1, view.identifier, note="đã điều 2 xuồng từ Hòa Vang")
    assert res.through == 1
    (got,) = esc.items()
    assert esc.state(got) == ACKNOWLEDGED
    assert (got.ack_name, got.ack_note) == ("Lê Minh IOC", "đã điều 2 xuồng từ Hòa Vang")
    d = app.services.incidents.get(iid)
    assert d is not None
    last = d.timeline[-1]
    assert (last.kind, last.after, last.user_name, last.text) == (
        TimelineKind.ESCALATION,
        "acknowledged",
        "Lê Minh IOC",
        "đã điều 2 xuồng từ Hòa Vang",
    )
    # A second acknowledgement of the same message changes nothing.
    ack(app, 2, view.identifier, name="Người khác")
    (again,) = esc.items()
    assert again.ack_name == "Lê Minh IOC"


def test_no_acknowledgement_in_time_raises_an_alarm_the_ack_clears(app: ConsoleApp) -> None:
    iid = flood(app)
    esc = app.services.escalations
    view = esc.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
    assert app.alarms is not None
    aid = alarm_id(iid)
    app.scheduler.advance(299)
    assert aid not in app.alarms.alarms or not app.alarms.view(aid).active
    app.scheduler.advance(2)
    alarm = app.alarms.view(aid)
    assert alarm.active and alarm.state is AlarmState.ACTIVE_UNACK
    assert alarm.origin is not None and "0236 3 888 999" in alarm.origin.name.en
    assert "gọi trực ban IOC" in alarm.origin.name.vi
    assert escalation_entries(app, iid)[-1] == ("Alert", "overdue")
    ack(app, 1, view.identifier)
    app.scheduler.advance(1)
    assert not app.alarms.view(aid).active


def test_an_ack_for_an_unknown_ref_is_counted_not_applied_and_loses_nothing(
    app: ConsoleApp,
) -> None:
    iid = flood(app)
    view = app.services.escalations.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
    assert app.inbox is not None
    good = EscalationAck(ref=view.identifier, by="minh", name="Lê Minh", ts=1, note="")
    bad = EscalationAck(ref="cam-le-00000000-77", by="minh", name="Lê Minh", ts=1, note="")
    batch = Batch("hub", "cam-le", "hub-db-1", Stream.ESCALATION_ACK.value, [
        (1, "ack", 1, records.encode(bad)), (2, "ack", 1, records.encode(good)),
    ])  # fmt: skip
    (res,) = app.inbox.commit([batch])
    assert res.through == 2 and res.stored == 2
    assert app.inbox.problems == {"invalid": 1}
    (got,) = app.services.escalations.items()
    assert app.services.escalations.state(got) == ACKNOWLEDGED


def test_state_survives_a_restart(site: SiteConfig, tmp_path: Path) -> None:
    a = make(site, tmp_path / "data")
    try:
        iid = flood(a)
        view = a.services.escalations.escalate(SUP, iid, EscalationRequest(reason="cần xuồng"))
        a.scheduler.advance(400)
        assert a.alarms is not None and a.alarms.view(alarm_id(iid)).active
    finally:
        a.stop()
    b = make(site, tmp_path / "data", T0 + 500)
    try:
        (got,) = b.services.escalations.items()
        assert got.identifier == view.identifier and got.overdue_ms > 0
        assert b.alarms is not None and b.alarms.view(alarm_id(iid)).active
        ack(b, 1, view.identifier)
        b.scheduler.advance(1)
        assert not b.alarms.view(alarm_id(iid)).active
        nxt = b.services.escalations.update(SUP, iid, EscalationRequest(reason="thêm"))
        assert nxt.number == 2 and nxt.identifier != view.identifier
    finally:
        b.stop()


REF = st.one_of(
    st.sampled_from(["KNOWN-0", "KNOWN-1"]),
    st.text(st.characters(min_codepoint=33, max_codepoint=0x1EF9), min_size=1, max_size=40).filter(
        lambda r: r.isprintable() and not r.startswith("KNOWN-")
    ),
)


def test_hostile_acknowledgements_are_counted_and_nothing_good_is_lost(
    site: SiteConfig, tmp_path: Path
) -> None:
    """Any mix of acknowledgements, of this console's messages and of refs it never sent, in
    one batch: every record is stored, each unknown ref is counted (``invalid``) and applied to
    nothing, and each message keeps the first acknowledgement it got."""
    app = make(site, tmp_path / "data")
    try:
        known = []
        for _ in range(2):
            iid = flood(app)
            known.append(app.services.escalations.escalate(SUP, iid, EscalationRequest("xuồng")))
        assert app.inbox is not None
        inbox = app.inbox
        first: dict[str, str] = {}
        batches = iter(range(10_000))

        @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
        @given(st.lists(st.tuples(REF, st.sampled_from(["An", "Bình", "Chi"])), max_size=12))
        def check(acks: list[tuple[str, str]]) -> None:
            db = f"hub-{next(batches)}"
            recs = []
            unknown = 0
            for i, (given_ref, name) in enumerate(acks, 1):
                ref = given_ref
                if ref.startswith("KNOWN-"):
                    ref = known[int(ref[-1])].identifier
                else:
                    unknown += 1
                rec = EscalationAck(ref=ref, by="x", name=name, ts=1, note="")
                recs.append((i, "ack", 1, records.encode(rec)))
            if not recs:
                return
            before = inbox.problems.get("invalid", 0)
            (res,) = inbox.commit([Batch("hub", "cam-le", db, Stream.ESCALATION_ACK.value, recs)])
            assert (res.through, res.stored, res.failed) == (len(recs), len(recs), "")
            assert inbox.problems.get("invalid", 0) - before == unknown
            for ref, name in acks:
                if ref.startswith("KNOWN-"):
                    first.setdefault(known[int(ref[-1])].identifier, name)
            got = {v.identifier: v.ack_name for v in app.services.escalations.items()}
            assert got == {k.identifier: first.get(k.identifier, "") for k in known}

        check()
    finally:
        app.stop()

"""Incidents through the Qt-free services, on simulated time (Cẩm Lệ demo site).

Ids per site and year, the lifecycle and its refusals, permissions per role,
the checklist with time limits, overdue steps raised as alarms through the
alarm engine, linked alarms on the timeline, every change in the action log
in the same transaction, restart, the shift handover and the CLI.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from console.district.config import SiteConfig, demo_sites_dir, load_site
from console.district.domain.access import LoginRefusedError, PermissionDeniedError
from console.district.domain.incidents import (
    IncidentError,
    IncidentFilter,
    NewIncident,
    procedure_alarm_id,
)
from console.district.services.app import ConsoleApp
from console.district.store import action_log
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.session import Session, os_session
from console.shared.vocab import (
    AlarmRule,
    AlarmState,
    IncidentStatus,
    Role,
    StepState,
    TimelineKind,
)

S = IncidentStatus
PW = "mật-khẩu-ca-trực-9"
RIVER = "cl-river-02"  # Hòa Xuân


@pytest.fixture
def site() -> SiteConfig:
    s = load_site(demo_sites_dir() / "cam-le.toml")
    return dataclasses.replace(s, endpoints=dataclasses.replace(s.endpoints, feeds_pull=()))


def make(site: SiteConfig, data: Path, clock: SimClock | None = None) -> ConsoleApp:
    app = ConsoleApp(
        site, data, clock=clock or SimClock(), passwords=Passwords(FAST_FOR_TESTS), feeds_pull=[]
    )
    app.start(receive=False)
    return app


@pytest.fixture
def app(site: SiteConfig, tmp_path: Path) -> Iterator[ConsoleApp]:
    a = make(site, tmp_path)
    yield a
    a.stop()


def entries(app: ConsoleApp) -> list[dict[str, Any]]:
    assert app.flush(10)
    return action_log.search(app.db.engine, newest_first=False)


def log_in(app: ConsoleApp, user: str, roles: str, name: str) -> Session:
    access = app.services.access
    otp = access.add_user(os_session(Role.ADMIN), user, name, roles)
    with pytest.raises(LoginRefusedError):
        access.log_in(user, otp)
    return access.log_in(user, otp, new_password=PW)


def river(app: ConsoleApp, feed: str, value: float, seconds: float = 30.0) -> None:
    """The river at ``value`` long enough to pass the on-delay (10 s)."""
    assert app.alarms is not None
    i = app.alarms.index[feed]
    t = int(app.clock.time() * 1000)
    ts = np.array([t, t + int(seconds * 500), t + int(seconds * 1000)])
    app.alarms.on_readings(np.full(3, i), ts, np.full(3, value))


def opened(app: ConsoleApp, who: Session, **kw: Any) -> str:
    new = NewIncident(type=kw.pop("type", "flood"), severity=kw.pop("severity", 1),
                      title=kw.pop("title", "Ngập đường Hòa Xuân"), **kw)  # fmt: skip
    return app.services.incidents.open(who, new)


def test_ids_are_readable_per_site_and_year(app: ConsoleApp, site: SiteConfig) -> None:
    op = os_session(Role.OPERATOR)
    assert [opened(app, op) for _ in range(3)] == ["CL-2026-0001", "CL-2026-0002", "CL-2026-0003"]
    assert isinstance(app.clock, SimClock)
    app.clock.advance(366 * 86_400)  # the next year, in the site's time zone
    assert opened(app, op) == "CL-2027-0001"


def test_the_prefix_comes_from_the_site_file(site: SiteConfig, tmp_path: Path) -> None:
    a = make(dataclasses.replace(site, incident_prefix="CLE"), tmp_path)
    try:
        assert opened(a, os_session(Role.OPERATOR)) == "CLE-2026-0001"
    finally:
        a.stop()


def test_the_lifecycle_and_its_refusals(app: ConsoleApp) -> None:
    inc = app.services.incidents
    sup = os_session(Role.SUPERVISOR)
    iid = opened(app, sup, severity=1)
    n = len(entries(app))
    for bad in (S.CLOSED, S.NEW):
        with pytest.raises(IncidentError) as err:
            inc.transition(sup, iid, bad)
        assert err.value.code == "illegal_transition"
    assert len(entries(app)) == n, "a refused transition writes nothing"
    for target in (S.ACKNOWLEDGED, S.IN_PROGRESS, S.ESCALATED, S.IN_PROGRESS, S.RESOLVED):
        inc.transition(sup, iid, target, note=f"→ {target}")
    with pytest.raises(IncidentError) as err:
        inc.transition(sup, iid, S.CLOSED)
    assert err.value.code == "required_steps"
    assert "verify, notify-ward, all-clear" in str(err.value)
    d = inc.get(iid)
    assert d is not None and d.incident.status == S.RESOLVED
    with pytest.raises(IncidentError, match="needs a reason") as err:
        inc.step_skip(sup, iid, "verify", "  ")
    for step in ("verify", "notify-ward"):
        inc.step_done(sup, iid, step, "đã báo")
    inc.step_skip(sup, iid, "all-clear", "nước đã rút trước khi có cảnh báo")
    with pytest.raises(IncidentError) as err:
        inc.step_done(sup, iid, "all-clear")
    assert err.value.code == "step_not_pending"
    with pytest.raises(IncidentError) as err:
        inc.step_done(sup, iid, "no-such-step")
    assert err.value.code == "unknown_step"
    inc.transition(sup, iid, S.CLOSED, note="đã xử lý xong")
    with pytest.raises(IncidentError) as err:
        inc.note(sup, iid, "sau khi đóng")
    assert err.value.code == "closed"
    inc.transition(sup, iid, S.IN_PROGRESS, note="nước lên lại")  # reopen
    d = inc.get(iid)
    assert d is not None and d.incident.status == S.IN_PROGRESS
    assert d.incident.closed_ms == 0 and d.incident.resolved_ms == 0
    statuses = [(e.before, e.after) for e in d.timeline if e.kind == TimelineKind.STATUS]
    assert statuses == [
        ("new", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "escalated"),
        ("escalated", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
        ("closed", "in_progress"),
    ]
    actions = [e["action"] for e in entries(app) if e["object_id"].startswith(iid)]
    assert actions == [
        "incident_opened", "incident_status", "incident_status", "escalated", "incident_status",
        "incident_status", "step_done", "step_done", "step_skipped", "incident_closed",
        "incident_status",
    ]  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_what_the_table_says(app: ConsoleApp, role: Role) -> None:
    inc = app.services.incidents
    me = os_session(role)
    sup = Session("ha", "Trần Thu Hà", Role.SUPERVISOR, "oc-2", authenticated=False)
    can_work = role in (Role.OPERATOR, Role.SUPERVISOR)
    n = len(entries(app))
    if can_work:
        opened(app, me, severity=1)
        assert len(entries(app)) == n + 1
    else:
        with pytest.raises(PermissionDeniedError) as err:
            opened(app, me)
        assert err.value.code == "role"
        assert len(entries(app)) == n and inc.page().total == 0
    iid = opened(app, sup, severity=3)
    n = len(entries(app))

    def attempt(fn: Any, *args: Any, allowed: bool, **kw: Any) -> None:
        before = len(entries(app))
        if allowed:
            fn(me, iid, *args, **kw)
            assert len(entries(app)) > before
        else:
            with pytest.raises((PermissionDeniedError, IncidentError)):
                fn(me, iid, *args, **kw)
            assert len(entries(app)) == before

    attempt(inc.note, "đang theo dõi", allowed=can_work)
    attempt(inc.take, allowed=can_work)
    attempt(inc.step_done, "verify", allowed=can_work)
    # A supervisor's step (evacuation at alert level III).
    attempt(inc.step_done, "evacuation", allowed=role == Role.SUPERVISOR)
    attempt(inc.transition, S.ESCALATED, allowed=role == Role.SUPERVISOR)
    inc.transition(sup, iid, S.RESOLVED) if role != Role.SUPERVISOR else inc.transition(
        me, iid, S.RESOLVED
    )
    for st in (inc.get(iid) or pytest.fail()).steps:
        if st.state == StepState.PENDING and st.required:
            inc.step_skip(sup, iid, st.step_id, "bài kiểm tra")
    attempt(inc.transition, S.CLOSED, allowed=role == Role.SUPERVISOR)
    assert len(entries(app)) > n


def test_every_change_names_the_person_and_role_in_the_timeline_and_the_action_log(
    app: ConsoleApp,
) -> None:
    an = log_in(app, "an", "operator", "Nguyễn Văn An")
    inc = app.services.incidents
    iid = opened(app, an, note="Người dân gọi: nước ngập 30 cm đường Trường Sơn",
                 ward="Hòa Xuân", location="đường Trường Sơn")  # fmt: skip
    inc.transition(an, iid, S.ACKNOWLEDGED)
    inc.step_done(an, iid, "verify", "camera xác nhận")
    inc.note(an, iid, "Đã báo UBND phường Hòa Xuân", handover=True)
    inc.update(an, iid, title="Ngập sâu đường Trường Sơn, Hòa Xuân")
    d = inc.get(iid)
    assert d is not None
    kinds = [e.kind for e in d.timeline]
    assert kinds == [
        TimelineKind.OPENED, TimelineKind.NOTE, TimelineKind.STATUS, TimelineKind.STEP_DONE,
        TimelineKind.NOTE, TimelineKind.UPDATED,
    ]  # fmt: skip
    assert {(e.user_id, e.user_name, e.roles) for e in d.timeline} == {
        ("an", "Nguyễn Văn An", "operator")
    }
    assert d.timeline[4].handover and not d.timeline[1].handover
    assert d.steps[0].state == StepState.DONE and d.steps[0].by_user == "an"
    assert d.incident.steps_open == 2 and d.incident.owner == "an"
    log = [e for e in entries(app) if e["object_id"].startswith(iid)]
    assert [(e["action"], e["user_id"], e["roles"], e["authenticated"]) for e in log] == [
        ("incident_opened", "an", "operator", True),
        ("incident_status", "an", "operator", True),
        ("step_done", "an", "operator", True),
        ("incident_note", "an", "operator", True),
        ("incident_updated", "an", "operator", True),
    ]
    assert log[2]["object_id"] == f"{iid}/verify" and log[2]["note"] == "camera xác nhận"
    assert app.services.audit.verify(an).ok
    # Same transaction: the incident's rows and their entries commit together or not at all.
    con = sqlite3.connect(app.db.path)
    n_timeline = con.execute(
        "SELECT count(*) FROM incident_timeline WHERE incident_id = ?", (iid,)
    ).fetchone()[0]
    con.close()
    assert n_timeline == len(d.timeline)


def test_opening_from_alarms_prefills_and_links_and_their_changes_reach_the_timeline(
    app: ConsoleApp,
) -> None:
    river(app, RIVER, 1.9)  # alert level II at Hòa Xuân
    river(app, "cl-rain-01", 120.0, seconds=60)  # very heavy rain, Hòa Xuân too
    assert app.alarms is not None and app.services.alarms is not None
    ids = [f"{RIVER}:high", "cl-rain-01:high"]
    assert {a.id for a in app.alarms.current()} >= set(ids)
    inc = app.services.incidents
    draft = inc.draft(ids)
    assert (draft.type, draft.severity, draft.ward) == ("flood", 2, "Hòa Xuân")
    assert draft.title.vi == "Ngập lụt — Hòa Xuân" and draft.lat is not None
    assert set(draft.feed_keys) == {RIVER, "cl-rain-01"}
    an = log_in(app, "an", "operator", "Nguyễn Văn An")
    iid = inc.open(an, draft.new_incident("vi"))
    d = inc.get(iid)
    assert d is not None and set(d.alarms) == set(ids) and set(d.feeds) == {RIVER, "cl-rain-01"}
    # Level II brought its steps: warn the residents.
    assert "warn-residents" in [s.step_id for s in d.steps]
    app.services.alarms.acknowledge(an, [f"{RIVER}:high"], "đã thấy")
    river(app, RIVER, 2.6)  # level III: the alarm escalates
    river(app, RIVER, 0.2)  # and falls back: it clears
    assert app.flush(10)
    d = inc.get(iid)
    assert d is not None
    alarm_entries = [(e.ref, e.text, e.user_id) for e in d.timeline if e.kind == TimelineKind.ALARM]
    assert (f"{RIVER}:high", "ack: đã thấy", "an") in alarm_entries
    assert (f"{RIVER}:high", "severity", "system") in alarm_entries
    assert (f"{RIVER}:high", "clear", "system") in alarm_entries
    # An alarm linked to an existing incident; an unknown one refused.
    river(app, "cl-river-03", 1.9)
    assert inc.link_alarms(an, iid, ["cl-river-03:high"]) == ["cl-river-03:high"]
    assert inc.link_alarms(an, iid, ["cl-river-03:high"]) == []
    with pytest.raises(IncidentError) as err:
        inc.link_alarms(an, iid, ["nope:high"])
    assert err.value.code == "unknown_alarm"


def test_an_overdue_step_raises_an_alarm_through_the_alarm_engine(
    app: ConsoleApp, site: SiteConfig, tmp_path: Path
) -> None:
    an = log_in(app, "an", "operator", "Nguyễn Văn An")
    inc = app.services.incidents
    alarms = app.services.alarms
    assert alarms is not None
    iid = opened(app, an, severity=2, ward="Hòa Xuân")
    aid = procedure_alarm_id(iid, "verify")
    app.scheduler.advance(4 * 60)
    assert aid not in {a.id for a in alarms.current()}
    app.scheduler.advance(61)  # 'verify' is due within 5 minutes
    view = alarms.view(aid)
    assert (view.state, view.severity, view.rule, view.feed) == (
        AlarmState.ACTIVE_UNACK, 2, AlarmRule.PROCEDURE, -1,
    )  # fmt: skip
    assert view.origin is not None and view.origin.area == "Hòa Xuân"
    assert view.origin.name.vi.startswith(f"{iid}: Xác minh")
    # Journalled and acknowledged like any alarm.
    alarms.acknowledge(an, [aid], "đang xác minh")
    assert app.flush(10)
    journal = [r["event"] for r in alarms.journal() if r["alarm_id"] == aid]
    assert journal == ["ack", "activate"]
    d = inc.get(iid)
    assert d is not None
    overdue = [e for e in d.timeline if e.kind == TimelineKind.STEP_OVERDUE]
    assert [(e.ref, e.after) for e in overdue] == [("verify", aid)]
    assert d.steps[0].overdue_ms > 0 and d.steps[0].overdue(int(app.clock.time() * 1000))
    # Restarted: the alarm is back, labelled, still active and acknowledged.
    app.stop()
    app2 = make(site, tmp_path, clock=app.clock)  # type: ignore[arg-type]
    try:
        alarms2 = app2.services.alarms
        assert alarms2 is not None
        v = alarms2.view(aid)
        assert (v.state, v.active) == (AlarmState.ACTIVE_ACK, True)
        assert v.origin is not None and v.origin.name.en.startswith(f"{iid}: Verify")
        # Doing the step clears it; the next overdue one (notify-ward, 10 min) follows.
        ha = log_in(app2, "ha", "supervisor", "Trần Thu Hà")
        app2.services.incidents.step_done(ha, iid, "verify", "đã xác minh")
        assert alarms2.view(aid).state == AlarmState.NORMAL
        app2.scheduler.advance(5 * 60)
        nxt = alarms2.view(procedure_alarm_id(iid, "notify-ward"))
        assert nxt.state == AlarmState.ACTIVE_UNACK
        # Resolving the incident clears what is left; the latch waits for an acknowledgement.
        app2.services.incidents.transition(ha, iid, S.RESOLVED)
        assert alarms2.view(procedure_alarm_id(iid, "notify-ward")).state == (
            AlarmState.CLEARED_UNACK
        )
        app2.scheduler.advance(3600)
        states = {a.id: a.state for a in alarms2.current() if a.rule == AlarmRule.PROCEDURE}
        assert set(states) == {procedure_alarm_id(iid, "notify-ward")}, "no alarm once resolved"
    finally:
        app2.stop()


def test_time_limits_follow_the_consoles_time_scale(site: SiteConfig, tmp_path: Path) -> None:
    app = ConsoleApp(site, tmp_path, clock=SimClock(), time_scale=60.0, feeds_pull=[])
    app.start(receive=False)
    try:
        iid = opened(app, os_session(Role.OPERATOR))
        d = app.services.incidents.get(iid)
        assert d is not None
        assert d.steps[0].due_ms - d.incident.opened_ms == 5_000  # 5 min at 60×
    finally:
        app.stop()


def test_a_higher_severity_brings_the_steps_that_now_apply(app: ConsoleApp) -> None:
    inc = app.services.incidents
    op = os_session(Role.OPERATOR)
    iid = opened(app, op, severity=1)
    d = inc.get(iid)
    assert d is not None and len(d.steps) == 5
    assert inc.update(op, iid, severity=3) == ["severity"]
    d = inc.get(iid)
    assert d is not None
    assert [s.step_id for s in d.steps][5:] == ["warn-residents", "barriers", "evacuation",
                                                 "report-city"]  # fmt: skip
    assert d.timeline[-1].kind == TimelineKind.STEPS_ADDED
    assert d.incident.steps_open == 6
    with pytest.raises(IncidentError) as err:
        inc.update(op, iid, severity=4)
    assert err.value.code == "bad_severity"


def test_the_panel_filters_and_searches_without_diacritics(app: ConsoleApp) -> None:
    inc = app.services.incidents
    op = os_session(Role.OPERATOR)
    a = opened(app, op, title="Ngập đường Trường Sơn", ward="Hòa Xuân", severity=1)
    b = opened(app, op, type="traffic_accident", title="Va chạm cầu Cẩm Lệ", ward="Khuê Trung",
               severity=3)  # fmt: skip
    c = opened(app, op, type="fire", title="Cháy kho", ward="Hòa An", severity=2)
    sup = os_session(Role.SUPERVISOR)
    inc.transition(sup, c, S.RESOLVED)
    assert [r.id for r in inc.page().rows] == [b, a, c], "open first, by severity"
    assert [r.id for r in inc.page(IncidentFilter(open_only=True)).rows] == [b, a]
    assert [r.id for r in inc.page(IncidentFilter(text="hoa xuan")).rows] == [a]
    assert [r.id for r in inc.page(IncidentFilter(text="HÒA  xuân ngap")).rows] == [a]
    assert [r.id for r in inc.page(IncidentFilter(text="tai nan")).rows] == [b], "type names"
    assert [r.id for r in inc.page(IncidentFilter(text="50%")).rows] == []
    assert [r.id for r in inc.page(IncidentFilter(ward="Hòa An")).rows] == [c]
    assert [r.id for r in inc.page(IncidentFilter(types=("fire", "flood"))).rows] == [a, c]
    got = inc.page(IncidentFilter(statuses=(S.RESOLVED,)))
    assert [r.id for r in got.rows] == [c] and got.total == 1
    page = inc.page(IncidentFilter(limit=2))
    assert len(page.rows) == 2 and page.total == 3
    assert "Hòa Xuân" in inc.wards()


def test_the_shift_handover_report_prepared_and_taken_over(app: ConsoleApp) -> None:
    an = log_in(app, "an", "operator", "Nguyễn Văn An")
    inc = app.services.incidents
    alarms = app.services.alarms
    assert alarms is not None
    river(app, RIVER, 1.5)  # above alert level I (1.3 m)
    iid = inc.open(an, inc.draft([f"{RIVER}:high"]).new_incident("vi"))
    inc.note(an, iid, "Mực nước sông Cẩm Lệ đang lên, theo dõi Hòa Xuân", handover=True)
    inc.note(an, iid, "ghi chú thường")
    closed = opened(app, an, type="general", title="Cây đổ", severity=1)
    for st in ("verify", "notify", "outcome"):
        inc.step_done(an, closed, st)
    inc.transition(an, closed, S.RESOLVED)
    river(app, "cl-river-03", 1.3)
    alarms.shelve(an, "cl-river-03:high", "đo kiểm hiệu chuẩn", 4 * 3600)
    handover = app.services.handover
    report = handover.report(an)
    # Resolved is not closed: it is handed over until a supervisor closes it.
    assert [(i["id"], i["status"]) for i in report["open_incidents"]] == [
        (iid, "new"),
        (closed, "resolved"),
    ]
    steps = report["open_incidents"][0]["steps"]
    assert steps[0]["id"] == "verify" and not steps[0]["overdue"]
    assert report["closed_incidents"] == []
    assert [n["text"] for n in report["notes"]] == [
        "Mực nước sông Cẩm Lệ đang lên, theo dõi Hòa Xuân"
    ]
    shelved = report["alarms"]["shelved"]
    assert [(a["id"], a["reason"], a["by"]) for a in shelved] == [
        ("cl-river-03:high", "đo kiểm hiệu chuẩn", "an")
    ]
    assert f"{RIVER}:high" in [a["id"] for a in report["alarms"]["active"]]
    assert len(report["sensors"]) == len(app.site.feeds), "nothing has reported: all silent"
    assert report["link"]["configured"] is False
    # A supervisor closes the other one; an out-of-service alarm names who and why.
    ha = log_in(app, "ha", "supervisor", "Trần Thu Hà")
    inc.transition(ha, closed, S.CLOSED)
    alarms.remove_from_service(ha, "cl-river-04:stale", "trạm đo hỏng, chờ thay")
    app.scheduler.advance(5 * 60 + 1)  # 'verify' of the open incident is now overdue
    h = handover.prepare(ha)
    assert [i["id"] for i in h.report["closed_incidents"]] == [closed]
    assert [i["id"] for i in h.report["open_incidents"]] == [iid]
    assert h.report["open_incidents"][0]["steps"][0]["overdue"] is True
    oos = h.report["alarms"]["out_of_service"]
    assert [(a["id"], a["by"], a["reason"]) for a in oos] == [
        ("cl-river-04:stale", "ha", "trạm đo hỏng, chờ thay")
    ]
    with pytest.raises(IncidentError) as err:
        handover.acknowledge(ha, h.id)
    assert err.value.code == "own_handover"
    an2 = app.services.access.log_in("an", PW)
    got = handover.acknowledge(an2, h.id, "đã đọc")
    assert got.acked_by == "an" and got.digest == h.digest
    with pytest.raises(IncidentError) as err:
        handover.acknowledge(an2, h.id)
    assert err.value.code == "already_acknowledged"
    log = [e for e in entries(app) if e["action"].startswith("handover_")]
    assert [(e["action"], e["user_id"], e["after_value"]) for e in log] == [
        ("handover_prepared", "ha", h.digest),
        ("handover_acknowledged", "an", h.digest),
    ]
    viewer = os_session(Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        handover.prepare(viewer)


def test_the_cli_lists_incidents_and_writes_the_handover(
    app: ConsoleApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.cli.main import main

    op = os_session(Role.OPERATOR)
    a = opened(app, op, title="Ngập đường Trường Sơn", ward="Hòa Xuân", severity=2)
    b = opened(app, op, type="fire", title="Cháy kho", ward="Hòa An", severity=3)
    app.services.incidents.note(op, a, "Mực nước tại Hòa Xuân 1,2 m", handover=True)
    app.services.incidents.transition(os_session(Role.SUPERVISOR), b, S.RESOLVED)
    assert app.flush(10)
    data = str(tmp_path)
    assert main(["incidents", "--data-dir", data, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 2 and [i["id"] for i in out["incidents"]] == [a, b]
    assert out["incidents"][0]["type_name"] == {"vi": "Ngập lụt", "en": "Flood"}
    assert main(["incidents", "--data-dir", data, "--status", "open", "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)["incidents"]] == [a]
    assert main(["incidents", "--data-dir", data, "--text", "hoa xuan", "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)["incidents"]] == [a]
    assert main(["incidents", "--data-dir", data, "--id", a, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)["incident"]
    assert one["steps"][0]["id"] == "verify" and one["timeline"][0]["kind"] == "opened"
    assert main(["incidents", "--data-dir", data, "--id", "CL-2026-9999"]) == 1
    assert main(["incidents", "--data-dir", data, "--status", "bogus"]) == 2
    capsys.readouterr()
    pdf = tmp_path / "ban-giao.pdf"
    # The simulated clock stands at 2026-01-01: the shift started the day before.
    assert main(["handover", "--data-dir", data, "--since", "2025-12-31T00:00", "--pdf",
                 str(pdf), "--json"]) == 0  # fmt: skip
    rep = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in rep["report"]["open_incidents"]] == [a, b], "b: resolved, not closed"
    assert rep["report"]["notes"][0]["text"] == "Mực nước tại Hòa Xuân 1,2 m"
    assert len(rep["digest"]) == 64 and rep["report"]["link"]["state"] == "unknown"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("Bàn giao ca", "Mực nước tại Hòa Xuân", "Ngập đường Trường Sơn",
                  "Sự cố chưa đóng", "Cảm biến mất tín hiệu"):  # fmt: skip
        assert words in text, words


def test_the_docs_name_every_action_the_log_records() -> None:
    from console.shared.vocab import AuditAction

    root = Path(__file__).resolve().parent.parent
    roles = (root / "docs" / "ROLES.md").read_text(encoding="utf-8").split("## The action log")[1]
    row = next(
        line
        for line in (root / "docs" / "PROTOCOL.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `action` |")
    )
    from console.shared.vocab import IOC_ACTIONS

    for a in AuditAction:
        assert f"`{a.value}`" in roles, f"docs/ROLES.md does not describe {a.value}"
        if a in IOC_ACTIONS:  # the IOC's own log stays in the hub database: never sent
            assert f"`{a.value}`" not in row, f"docs/PROTOCOL.md §2.6 lists {a.value}"
        else:
            assert f"`{a.value}`" in row, f"docs/PROTOCOL.md §2.6 does not list {a.value}"


def test_the_incident_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    from console.bench.incidents import run_incident_bench

    r = run_incident_bench(incidents=2000, timeline=20_000, big=1000)
    for key in ("panel_open_ms", "filter_ms", "incident_open_ms"):
        assert r[key] > 0 and r[f"{key[:-3]}_sql_ms"] > 0 and key in r["targets"]
    assert r["filters"]["search_without_diacritics"]["matches"] > 0
    assert r["filters"]["ward_open"]["matches"] > 0

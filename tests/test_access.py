"""Roles, log-in and duty through the Qt-free services, on simulated time.

Each role is tried on every command per the table of docs/ROLES.md: an allowed
command changes the alarm and appends one action-log entry naming the person
and roles; a refused one raises PermissionDeniedError and changes nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from console.district.config import AccessConfig, SiteConfig
from console.district.domain.access import (
    DISTRICT_PERMISSIONS,
    PERMISSIONS,
    ROLES,
    AccountError,
    LoginRefusedError,
    PermissionDeniedError,
    check_password,
)
from console.district.services.access import AccessService
from console.district.services.app import ConsoleApp, ConsoleServices
from console.district.store import action_log
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.session import Session, os_session
from console.shared.vocab import AlarmState, AuditAction, Permission, Role

AID = "river-1:high"
PW = "mật-khẩu-đủ-dài-1"
WAIT_S = 600.0
IDLE_S = 300.0
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(small_site: SiteConfig, tmp_path: Path) -> Iterator[ConsoleApp]:
    site = dataclasses.replace(
        small_site,
        access=AccessConfig(idle_lock_s=IDLE_S, max_failed_logins=5, login_wait_s=WAIT_S),
    )
    c = ConsoleApp(site, tmp_path, clock=SimClock(), passwords=Passwords(FAST_FOR_TESTS))
    c.start(receive=False)
    yield c
    c.stop()


def entries(app: ConsoleApp) -> list[dict[str, Any]]:
    assert app.flush(10)
    return action_log.search(app.db.engine, newest_first=False)


def add_person(app: ConsoleApp, user: str, roles: str, name: str = "Nguyễn Văn An") -> None:
    otp = app.services.access.add_user(os_session(Role.ADMIN), user, name, roles)
    with pytest.raises(LoginRefusedError) as err:
        app.services.access.log_in(user, otp)
    assert err.value.code == "must_change_password"
    app.services.access.log_in(user, otp, new_password=PW)


_TS = [0]


def reading(app: ConsoleApp, value: float) -> None:
    assert app.alarms is not None
    _TS[0] += 1
    ts = int(app.clock.time() * 1000) + _TS[0]
    app.alarms.on_readings(np.array([0]), np.array([ts]), np.array([value]))


def activate(app: ConsoleApp) -> None:
    """River above level II: the alarm is active and unacknowledged."""
    reading(app, 2.5)


def state(app: ConsoleApp) -> AlarmState:
    assert app.alarms is not None
    return app.alarms.view(AID).state


# What each permission is tried with, and the alarm state the command needs first.
def _set_state(app: ConsoleApp, want: AlarmState) -> None:
    eng = app.alarms
    assert eng is not None
    now = int(app.clock.time() * 1000)
    if eng.view(AID).state == AlarmState.OUT_OF_SERVICE:
        eng.return_to_service(AID, "system", now)
    if eng.view(AID).state == AlarmState.SHELVED:
        eng.unshelve(AID, "system", now)
    reading(app, 0.5)  # back to normal (acknowledging a latched alarm)
    eng.acknowledge([AID], "system", now)
    assert eng.view(AID).state == AlarmState.NORMAL
    activate(app)
    if want == AlarmState.SHELVED:
        eng.shelve(AID, "system", "chuẩn bị", now + 3_600_000, now)
    elif want == AlarmState.OUT_OF_SERVICE:
        eng.remove_from_service(AID, "system", "chuẩn bị", now)


Command = Callable[[ConsoleServices, Session], object]
ALARM_COMMANDS: list[tuple[str, Permission, AlarmState, Command, AlarmState]] = [
    (
        "acknowledge",
        Permission.ACKNOWLEDGE,
        AlarmState.ACTIVE_UNACK,
        lambda s, p: s.alarms.acknowledge(p, [AID], "đã báo") if s.alarms else None,
        AlarmState.ACTIVE_ACK,
    ),
    (
        "shelve",
        Permission.SHELVE,
        AlarmState.ACTIVE_UNACK,
        lambda s, p: s.alarms.shelve(p, AID, "cảm biến hiệu chỉnh", 600) if s.alarms else None,
        AlarmState.SHELVED,
    ),
    (
        "unshelve",
        Permission.SHELVE,
        AlarmState.SHELVED,
        lambda s, p: s.alarms.unshelve(p, AID) if s.alarms else None,
        AlarmState.ACTIVE_UNACK,
    ),
    (
        "out_of_service",
        Permission.OUT_OF_SERVICE,
        AlarmState.ACTIVE_UNACK,
        lambda s, p: s.alarms.remove_from_service(p, AID, "bảo trì") if s.alarms else None,
        AlarmState.OUT_OF_SERVICE,
    ),
    (
        "return_to_service",
        Permission.OUT_OF_SERVICE,
        AlarmState.OUT_OF_SERVICE,
        lambda s, p: s.alarms.return_to_service(p, AID) if s.alarms else None,
        AlarmState.ACTIVE_UNACK,
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_and_refused_per_the_table(app: ConsoleApp, role: Role) -> None:
    add_person(app, "nguoi", role.value)
    me = app.services.access.duty().session
    assert me is not None and me.authenticated and me.roles == {role}
    for name, perm, before, command, after in ALARM_COMMANDS:
        _set_state(app, before)
        n = len(entries(app))
        allowed = perm in PERMISSIONS[role]
        if allowed:
            command(app.services, me)
            assert state(app) == after, name
            new = entries(app)[n:]
            assert [(e["action"], e["user_id"], e["roles"], e["authenticated"]) for e in new] == [
                (name, "nguoi", role.value, True)
            ], name
            assert (new[0]["object_id"], new[0]["before_value"], new[0]["after_value"]) == (
                AID,
                before.value,
                after.value,
            )
        else:
            with pytest.raises(PermissionDeniedError) as err:
                command(app.services, me)
            assert err.value.code == "role" and err.value.permission == perm
            assert f"no role of nguoi ({role.value}) may {perm.value}" in str(err.value)
            assert state(app) == before, f"{name}: a refused command changed the alarm"
            assert len(entries(app)) == n, f"{name}: a refused command wrote an entry"
    # Accounts: only an administrator.
    n = len(entries(app))
    if Permission.MANAGE_USERS in PERMISSIONS[role]:
        assert app.services.access.add_user(me, "moi", "Người Mới", "viewer")
        assert entries(app)[-1]["action"] == "user_added"
    else:
        with pytest.raises(PermissionDeniedError):
            app.services.access.add_user(me, "moi", "Người Mới", "viewer")
        assert len(entries(app)) == n
        with pytest.raises(PermissionDeniedError):
            app.services.access.users(me)
    # The action log: every role reads it once logged in.
    assert app.services.audit.search(me)
    assert app.services.audit.verify(me).ok


@pytest.fixture(scope="module")
def bare_access() -> AccessService:
    """The check alone: it reads no database (``authorize`` is memory only)."""
    return AccessService(None, None, SimClock(), AccessConfig(), "ws", Passwords(FAST_FOR_TESTS))  # type: ignore[arg-type]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Permission))
def test_the_one_check_follows_the_table_for_every_permission(
    bare_access: AccessService, role: Role, perm: Permission
) -> None:
    """Incidents, escalation and configuration have no command yet; their check exists."""
    who = os_session(role)
    if perm in PERMISSIONS.get(role, frozenset()):  # the IOC's roles grant nothing here
        bare_access.authorize(who, perm)
    else:
        with pytest.raises(PermissionDeniedError) as err:
            bare_access.authorize(who, perm)
        assert err.value.code == "role"


def test_docs_roles_table_is_the_code_table() -> None:
    text = (ROOT / "docs" / "ROLES.md").read_text(encoding="utf-8")
    table = text.split("<!-- permissions -->")[1].split("<!-- /permissions -->")[0]
    rows = [r for r in table.strip().splitlines() if r.startswith("|")][2:]
    seen = set()
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        perm = Permission(re.findall(r"`([a-z_]+)`", cells[0])[0])
        seen.add(perm)
        for role, cell in zip(ROLES, cells[1:], strict=True):
            assert (cell == "✓") == (perm in PERMISSIONS[role]), (perm, role, cell)
    assert seen == DISTRICT_PERMISSIONS
    assert ROLES == (Role.VIEWER, Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


def test_a_district_account_cannot_hold_an_ioc_role(app: ConsoleApp) -> None:
    me = os_session(Role.ADMIN)
    for roles in ("ioc_operator", "operator,ioc_supervisor"):
        with pytest.raises(AccountError) as err:
            app.services.access.add_user(me, "lan", "Võ Thị Lan", roles)
        assert (
            err.value.code == "bad_roles"
            and "known: viewer, operator, supervisor, admin" in str(err.value)
        )
    assert [a.user_id for a in app.services.access.users(me)] == []


def test_a_session_that_is_not_on_duty_is_refused(app: ConsoleApp) -> None:
    activate(app)
    add_person(app, "an", "operator")
    an = app.services.access.duty().session
    assert an is not None
    app.services.access.log_out(an)
    assert app.services.access.duty().session is None
    for who, code in ((an, "not_on_duty"), (None, "not_logged_in")):
        with pytest.raises(PermissionDeniedError) as err:
            app.services.alarms.acknowledge(who, [AID])  # type: ignore[union-attr]
        assert err.value.code == code
    assert state(app) == AlarmState.ACTIVE_UNACK
    assert entries(app)[-1]["action"] == "logout"


def test_hand_over_switches_the_person_without_a_gap(app: ConsoleApp) -> None:
    activate(app)
    add_person(app, "an", "operator")
    add_person(app, "ha", "supervisor", "Trần Thu Hà")  # logs in while An is on duty
    duty = app.services.access.duty()
    assert duty.session is not None and duty.session.user_id == "ha"
    last = entries(app)[-1]
    assert (last["action"], last["user_id"], last["before_value"], last["after_value"]) == (
        "handover",
        "ha",
        "an",
        "ha",
    )


def test_five_failures_make_the_account_wait_then_it_may_try_again(app: ConsoleApp) -> None:
    add_person(app, "an", "operator")
    acc = app.services.access
    for k in range(1, 5):
        with pytest.raises(LoginRefusedError) as err:
            acc.log_in("an", "sai-mật-khẩu")
        assert (err.value.code, err.value.failures) == ("bad_credentials", k)
    with pytest.raises(LoginRefusedError) as err:
        acc.log_in("an", "sai-mật-khẩu")
    assert err.value.code == "waiting"
    until = err.value.until_ms
    assert until == int(app.clock.time() * 1000) + int(WAIT_S * 1000)
    # While it waits even the right password is not tried; the refusal is logged.
    app.scheduler.advance(WAIT_S - 1)
    with pytest.raises(LoginRefusedError) as err:
        acc.log_in("an", PW)
    assert err.value.code == "waiting"
    app.scheduler.advance(2)
    assert acc.log_in("an", PW).user_id == "an"
    log = [
        (e["action"], e["note"], e["after_value"]) for e in entries(app) if e["object_id"] == "an"
    ]
    assert log[3:] == [
        *[("login_failed", "wrong_password", str(k)) for k in range(1, 5)],
        ("login_failed", f"wrong_password; waiting until {_iso(until)}", "5"),
        ("lock", "idle", ""),  # An, still on duty, left the keyboard meanwhile
        ("login_refused", "waiting", _iso(until)),
        ("login", "", "on_duty"),  # it ends the idle lock
    ]
    assert acc.failed_logins == 6


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")


def test_unknown_users_and_disabled_accounts_are_refused_and_logged(app: ConsoleApp) -> None:
    acc = app.services.access
    with pytest.raises(LoginRefusedError) as err:
        acc.log_in("khong-co", PW)
    assert err.value.code == "bad_credentials"
    add_person(app, "an", "operator")
    add_person(app, "quan", "admin", "Lê Minh Quân")
    admin = acc.duty().session
    assert admin is not None
    acc.set_disabled(admin, "an", True)
    with pytest.raises(LoginRefusedError) as err:
        acc.log_in("an", PW)
    assert err.value.code == "disabled"
    with pytest.raises(AccountError) as aerr:
        acc.set_disabled(admin, "quan", True)
    assert aerr.value.code == "last_admin"
    got = [(e["action"], e["object_id"], e["note"]) for e in entries(app)]
    assert ("login_failed", "khong-co", "unknown_user") in got
    assert ("user_disabled", "an", "") in got
    assert ("login_refused", "an", "disabled") in got


def test_idle_lock_keeps_the_person_on_duty_but_refuses_commands(app: ConsoleApp) -> None:
    activate(app)
    add_person(app, "an", "operator")
    acc = app.services.access
    me = acc.duty().session
    app.scheduler.advance(IDLE_S - 5)
    acc.touch()  # a key press
    app.scheduler.advance(IDLE_S - 5)
    assert not acc.duty().locked
    app.scheduler.advance(10)
    duty = acc.duty()
    assert duty.locked and duty.lock_reason == "idle" and duty.session == me
    with pytest.raises(PermissionDeniedError) as err:
        app.services.alarms.acknowledge(me, [AID])  # type: ignore[union-attr]
    assert err.value.code == "locked"
    assert state(app) == AlarmState.ACTIVE_UNACK
    # Ingest and alarms went on meanwhile: the engine still evaluates.
    assert app.alarms is not None and app.alarms.transitions >= 1
    again = acc.log_in("an", PW)
    app.services.alarms.acknowledge(again, [AID])  # type: ignore[union-attr]
    assert state(app) == AlarmState.ACTIVE_ACK
    got = [(e["action"], e["note"], e["before_value"], e["after_value"]) for e in entries(app)]
    assert got[-3:] == [
        ("lock", "idle", "", ""),
        ("login", "", "locked", "on_duty"),
        ("acknowledge", "", "active_unack", "active_ack"),
    ]


def test_the_first_administrator_and_the_entries_all_verify(app: ConsoleApp) -> None:
    acc = app.services.access
    assert not acc.has_users()
    me = acc.create_first_admin("quan", "Lê Minh Quân", PW)
    assert me.roles == {Role.ADMIN} and acc.has_users()
    with pytest.raises(LoginRefusedError) as err:
        acc.create_first_admin("khac", "Người Khác", PW)
    assert err.value.code == "exists"
    with pytest.raises(AccountError) as aerr:
        acc.add_user(me, "an", "Nguyễn Văn An", "operator,chief")
    assert aerr.value.code == "bad_roles"
    otp = acc.add_user(me, "an", "Nguyễn Văn An", "operator,supervisor")
    for weak in ("ngắn-quá", otp):  # too short; the one-time password itself
        with pytest.raises(LoginRefusedError) as err:
            acc.log_in("an", otp, new_password=weak)
        assert err.value.code == "weak_password"
    with pytest.raises(AccountError) as aerr:
        check_password("quan", "QUAN-2026-mới")
    assert aerr.value.code == "weak_password"
    check_password("an", "sông-hàn-an-toàn")  # a 2-letter id may appear inside a password
    s = acc.log_in("an", otp, new_password=PW)
    assert s.roles == {Role.OPERATOR, Role.SUPERVISOR} and s.roles_text == "operator+supervisor"
    report = app.services.audit.verify(s)
    assert report.ok and report.entries == len(entries(app))
    actions = [e["action"] for e in entries(app)]
    assert actions == [
        "config_loaded",
        "user_added",
        "login",
        "user_added",
        "password_changed",
        "handover",
    ]


def test_production_password_hashes_state_their_parameters() -> None:
    prod, fast = Passwords(), Passwords(FAST_FOR_TESTS)
    h = prod.hash("một mật khẩu dài")
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert fast.verify(h, "một mật khẩu dài") and not fast.verify(h, "một mật khẩu khác")
    assert prod.needs_rehash(fast.hash("x" * 12)) and not prod.needs_rehash(h)


def test_a_restart_forgets_nobody_s_failures(small_site: SiteConfig, tmp_path: Path) -> None:
    """The failure count and the wait are in the log, not in memory."""
    clock = SimClock()
    site = dataclasses.replace(small_site, access=AccessConfig(max_failed_logins=2))
    fast = Passwords(FAST_FOR_TESTS)
    a = ConsoleApp(site, tmp_path, clock=clock, passwords=fast)
    a.start(receive=False)
    try:
        add_person(a, "an", "operator")
        with pytest.raises(LoginRefusedError):
            a.services.access.log_in("an", "sai")
    finally:
        a.stop()
    b = ConsoleApp(site, tmp_path, clock=clock, passwords=fast)
    b.start(receive=False)
    try:
        with pytest.raises(LoginRefusedError) as err:
            b.services.access.log_in("an", "sai")
        assert err.value.code == "waiting"
        loads = [e for e in entries(b) if e["action"] == AuditAction.CONFIG_LOADED]
        assert len(loads) == 1, "the same site file is recorded once"
    finally:
        b.stop()

"""The city IOC's people in the hub database: accounts, roles, duty, the idle lock and the
IOC's hash-chained action log; every IOC command checked per role in the Qt-free services
(a refused command writes nothing and says why)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.cli.main import main
from console.hub.config import HubConfig, load_hub_config
from console.hub.services.access import CHAIN, PERMISSIONS, ROLES, cli_session, verify
from console.hub.services.downlink import DownlinkService, build_warning
from console.hub.services.workstation import IocWorkstation
from console.hub.store.schema import directives, down_records, ioc_action_log
from console.hub.store.store import HubStore
from console.shared import cap
from console.shared.access import AccountError, PermissionDeniedError
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.session import Session, os_session
from console.shared.vocab import AuditAction, Permission, Role
from tests.linkkit import LinkKit, make_kit

T0 = 1_767_225_600.0  # 2026-01-01T00:00Z
ROOT = Path(__file__).resolve().parent.parent
NEW_PW = "mat-khau-moi-2026"


@pytest.fixture
def kit(tmp_path: Path) -> LinkKit:
    k = make_kit(tmp_path / "hub")
    for site in ("hai-chau", "cam-le"):
        k.console_keys(site)
    return k


@pytest.fixture
def cfg(kit: LinkKit) -> Iterator[HubConfig]:
    c = load_hub_config(kit.hub_config)
    HubStore(c.database).close()  # the hub made its database
    yield c


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0)


@pytest.fixture
def desk(cfg: HubConfig, clock: SimClock) -> Iterator[IocWorkstation]:
    d = IocWorkstation.open(
        cfg, clock=clock, passwords=Passwords(FAST_FOR_TESTS), workstation="ioc-1"
    )
    yield d
    d.close()


def person(desk: IocWorkstation, uid: str, roles: str) -> Session:
    """Create an account (as the CLI does) and put it on duty at ``desk``."""
    pw = desk.access.add_user(cli_session(Role.ADMIN), uid, f"Người {uid}", roles)
    return desk.access.log_in(uid, pw, new_password=NEW_PW)


def counts(desk: IocWorkstation) -> tuple[int, int, int]:
    """(directives, downlink records, entries in the IOC's log)."""
    with desk.city.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (directives, down_records, ioc_action_log)
        )


def warning_xml(identifier: str) -> bytes:
    from datetime import UTC, datetime, timedelta

    sent = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    return build_warning(
        sender="ioc",
        identifier=identifier,
        event_vi="Lũ",
        area_vi="Hòa Xuân",
        severity=cap.Severity.SEVERE,
        expires=sent + timedelta(hours=6),
        sent=sent,
    )


def test_the_docs_ioc_table_is_the_code_table() -> None:
    doc = (ROOT / "docs" / "ROLES.md").read_text(encoding="utf-8")
    block = doc.split("<!-- ioc-permissions -->")[1].split("<!-- /ioc-permissions -->")[0]
    rows = [r for r in block.strip().splitlines() if r.startswith("| ") and "`" in r]
    header = [c.strip() for c in block.strip().splitlines()[0].strip("|").split("|")][1:]
    assert header == [r.value for r in ROLES]
    assert ROLES == (Role.IOC_VIEWER, Role.IOC_OPERATOR, Role.IOC_SUPERVISOR, Role.ADMIN)
    seen = set()
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        perm = Permission(re.findall(r"`([a-z_]+)`", cells[0])[0])
        seen.add(perm)
        for role, cell in zip(ROLES, cells[1:], strict=True):
            assert (cell == "✓") == (perm in PERMISSIONS[role]), (perm, role, cell)
    assert seen == frozenset().union(*PERMISSIONS.values())


@pytest.mark.parametrize("role", ROLES)
def test_each_ioc_role_is_allowed_and_refused_per_the_table(
    desk: IocWorkstation, role: Role
) -> None:
    me = person(desk, "nguoi", role.value)
    may = PERMISSIONS[role]
    before = counts(desk)
    # A directive to one site.
    if Permission.ISSUE_DIRECTIVES in may:
        issued = desk.send_directive(me, ["hai-chau"], "Kiểm tra trạm bơm Hòa Xuân")
        assert list(issued.seqs) == ["hai-chau"]
        d, r, e = counts(desk)
        assert (d, r, e) == (before[0] + 1, before[1] + 1, before[2] + 1)
        with desk.city.engine.connect() as conn:
            last = CHAIN.last_entry(conn, AuditAction.DIRECTIVE_ISSUED)
        assert last is not None and last["object_id"] == issued.id
        assert last["user_id"] == "nguoi" and last["authenticated"]
        assert last["after_value"] == "hai-chau" and "Kiểm tra trạm bơm" in last["note"]
    else:
        with pytest.raises(PermissionDeniedError) as err:
            desk.send_directive(me, ["hai-chau"], "Kiểm tra trạm bơm")
        assert err.value.code == "role" and "may issue_directives" in str(err.value)
        assert counts(desk) == before
    # A city warning.
    before = counts(desk)
    if Permission.ISSUE_WARNINGS in may:
        desk.downlink.issue_warning(me, "all", warning_xml("ioc-w-1"))
        assert counts(desk)[1:] == (before[1] + 2, before[2] + 1)
    else:
        with pytest.raises(PermissionDeniedError) as err:
            desk.downlink.issue_warning(me, "all", warning_xml("ioc-w-1"))
        assert err.value.code == "role"
        assert counts(desk) == before
    # Accounts.
    if Permission.MANAGE_USERS in may:
        assert [a.user_id for a in desk.access.users(me)] == ["nguoi"]
    else:
        with pytest.raises(PermissionDeniedError):
            desk.access.users(me)
        with pytest.raises(PermissionDeniedError):
            desk.access.add_user(me, "khac", "Người khác", "ioc_viewer")
    # Everyone reads the IOC's log.
    assert desk.access.search_log(me, actions=["login"])[0]["user_id"] == "nguoi"


def test_a_locked_screen_refuses_until_a_log_in_and_the_city_is_still_read(
    desk: IocWorkstation, clock: SimClock
) -> None:
    me = person(desk, "hoa", "ioc_operator")
    clock.advance(desk.access.settings.idle_lock_s - 1)
    assert not desk.access.check_idle()
    clock.advance(2)
    assert desk.access.check_idle()
    d = desk.access.duty()
    assert d.locked and d.lock_reason == "idle" and d.session == me
    before = counts(desk)
    with pytest.raises(PermissionDeniedError) as err:
        desk.send_directive(me, ["hai-chau"], "Báo cáo mỗi giờ")
    assert err.value.code == "locked"
    desk.commit.run(lambda conn: None)  # the lock's entry is written behind
    assert counts(desk)[:2] == before[:2]
    assert desk.city.snapshot().counter >= 0  # the picture reads while locked
    again = desk.access.log_in("hoa", NEW_PW)
    desk.send_directive(again, ["hai-chau"], "Báo cáo mỗi giờ")
    with pytest.raises(PermissionDeniedError) as err:
        desk.send_directive(me, ["hai-chau"], "phiên cũ")  # the session before the lock
    assert err.value.code == "not_on_duty"
    actions = [e["action"] for e in CHAIN.search(desk.city.engine, newest_first=False)]
    assert actions == [
        "user_added",
        "password_changed",
        "login",
        "lock",
        "login",
        "directive_issued",
    ]


def test_a_hand_over_passes_the_workstation_in_one_step(desk: IocWorkstation) -> None:
    first = person(desk, "an", "ioc_operator")
    pw = desk.access.add_user(cli_session(Role.ADMIN), "binh", "Phạm Bình", "ioc_supervisor")
    second = desk.access.log_in("binh", pw, new_password=NEW_PW)
    with pytest.raises(PermissionDeniedError) as err:
        desk.send_directive(first, ["cam-le"], "x")
    assert err.value.code == "not_on_duty"
    desk.send_directive(second, ["cam-le"], "Sơ tán hộ dân ven sông Cu Đê")
    handover = desk.access.search_log(second, actions=["handover"])[0]
    assert (handover["before_value"], handover["after_value"]) == ("an", "binh")


def test_nobody_on_duty_is_refused_and_the_cli_acts_as_the_os_account(
    desk: IocWorkstation, cfg: HubConfig
) -> None:
    with pytest.raises(PermissionDeniedError) as err:
        desk.send_directive(None, ["hai-chau"], "x")
    assert err.value.code == "not_logged_in"
    # The command line: the OS account with the IOC supervisor's roles, not logged in.
    svc = DownlinkService(desk.city.engine, cfg.registry)
    issued = svc.issue_directive(cli_session(), "all", "Báo cáo tình hình")
    with desk.city.engine.connect() as conn:
        e = CHAIN.last_entry(conn, AuditAction.DIRECTIVE_ISSUED)
    assert e is not None and e["object_id"] == issued.id and not e["authenticated"]
    assert e["roles"] == "ioc_supervisor" and e["after_value"] == "cam-le,hai-chau"
    # A district role grants nothing at the IOC.
    with pytest.raises(PermissionDeniedError):
        svc.issue_directive(os_session(Role.SUPERVISOR), "all", "x")


def test_an_ioc_account_holds_only_ioc_roles(desk: IocWorkstation) -> None:
    admin = cli_session(Role.ADMIN)
    for roles in ("operator", "ioc_operator,supervisor", "viewer"):
        with pytest.raises(AccountError) as err:
            desk.access.add_user(admin, "lan", "Võ Thị Lan", roles)
        assert err.value.code == "bad_roles"
        assert "known: ioc_viewer, ioc_operator, ioc_supervisor, admin" in str(err.value)
    assert desk.access.users(admin) == []


def test_the_ioc_chain_verifies_and_names_the_first_edited_entry(
    desk: IocWorkstation, cfg: HubConfig
) -> None:
    me = person(desk, "hoa", "ioc_supervisor")
    desk.send_directive(me, ["hai-chau"], "Một")
    desk.send_directive(me, ["cam-le"], "Hai")
    report = verify(desk.city.engine)
    assert report.ok and report.entries == 5 and report.head.seq == 5
    assert report.as_dict()["chain"].startswith("ioc-")
    db = cfg.database.removeprefix("sqlite:///")
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE ioc_action_log SET note = 'đã sửa' WHERE seq = 4")
    bad = verify(desk.city.engine)
    assert not bad.ok and bad.first_bad is not None
    assert (bad.first_bad.seq, bad.first_bad.kind) == (4, "edited")
    assert main(["hub", "audit", "verify", "--config", str(cfg.path)]) == 1


def test_hub_users_on_the_command_line(cfg: HubConfig, capsys: pytest.CaptureFixture[str]) -> None:
    c = str(cfg.path)
    assert main(["hub", "users", "add", "hoa", "--name", "Trần Thị Hoa", "--roles",
                 "ioc_supervisor", "--config", c, "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["user_id"] == "hoa" and len(out["one_time_password"]) == 12
    assert not out["authenticated"]
    assert main(["hub", "users", "add", "hoa", "--name", "X", "--roles", "ioc_viewer",
                 "--config", c]) == 4  # fmt: skip
    assert "exists already" in capsys.readouterr().err
    assert main(["hub", "users", "add", "lan", "--name", "Lan", "--roles", "operator",
                 "--config", c]) == 4  # fmt: skip
    assert "unknown role 'operator'" in capsys.readouterr().err
    assert main(["hub", "users", "passwd", "hoa", "--config", c]) == 0
    assert "one-time password" in capsys.readouterr().out
    assert main(["-v", "hub", "users", "disable", "hoa", "--config", c]) == 0
    assert capsys.readouterr().out.strip() == "hoa: disabled"
    assert main(["hub", "users", "list", "--config", c, "--json"]) == 0
    users = json.loads(capsys.readouterr().out)["users"]
    assert [(u["user_id"], u["roles"], u["disabled"]) for u in users] == [
        ("hoa", "ioc_supervisor", True)
    ]
    assert "password_hash" not in users[0]
    assert main(["hub", "audit", "--config", c, "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in entries] == ["user_disabled", "user_password_reset", "user_added"]
    assert all(e["note"].startswith("cli: opsconsole hub users") for e in entries)
    assert main(["hub", "audit", "verify", "--config", c]) == 0
    assert "intact: 3 entries" in capsys.readouterr().out


def test_the_migration_makes_the_tables_of_the_schema_and_goes_back(tmp_path: Path) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, inspect

    from console.hub.store.schema import metadata
    from console.hub.store.store import MIGRATIONS
    from console.shared.sql import alembic_config

    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    HubStore(url).close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        ours = [d for d in diff if "ioc_" in repr(d)]
        assert ours == [], ours
        cfg = alembic_config(MIGRATIONS)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "h0005")
        tables = set(inspect(engine).get_table_names())
        assert not {"ioc_users", "ioc_action_log"} & tables
    finally:
        engine.dispose()
    HubStore(url).close()  # upgrades again: a new chain id
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert chain_id_of(conn).startswith("ioc-")
    finally:
        engine.dispose()


def chain_id_of(conn: object) -> str:
    from console.hub.services.access import chain_id

    return chain_id(conn)  # type: ignore[arg-type]


def test_a_warning_draft_the_service_refuses_writes_nothing(desk: IocWorkstation) -> None:
    from console.hub.services.downlink import DownlinkRefusedError
    from console.hub.services.workstation import WarningDraft

    me = person(desk, "sup", "ioc_supervisor")
    before = counts(desk)
    with pytest.raises(DownlinkRefusedError, match="event and area in Vietnamese"):
        desk.send_warning(me, ["cam-le"], WarningDraft(" ", "Hòa Xuân", cap.Severity.SEVERE))
    with pytest.raises(DownlinkRefusedError, match="unknown site nowhere"):
        desk.send_warning(me, ["nowhere"], WarningDraft("Lũ", "Hòa Xuân", cap.Severity.SEVERE))
    assert counts(desk) == before
    issued = desk.send_warning(me, ["cam-le"], WarningDraft("Lũ", "Hòa Xuân", cap.Severity.MINOR))
    assert issued.id.startswith("ioc,ioc-w-") and list(issued.seqs) == ["cam-le"]


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_cfg(request: pytest.FixtureRequest, cfg: HubConfig) -> HubConfig:
    """The hub file, on SQLite or on a PostgreSQL database several workstations share."""
    import dataclasses

    if request.param == "sqlite":
        return cfg
    return dataclasses.replace(cfg, database=str(request.getfixturevalue("pg_url")))


def test_two_workstations_append_to_one_chain_and_see_each_others_directives(
    shared_cfg: HubConfig,
) -> None:
    import threading

    HubStore(shared_cfg.database).close()
    fast = Passwords(FAST_FOR_TESTS)
    desks = [
        IocWorkstation.open(shared_cfg, passwords=fast, workstation=f"ioc-{n}") for n in (1, 2)
    ]
    try:
        people = [person(desks[0], "an", "ioc_operator")]
        pw = desks[1].access.add_user(cli_session(Role.ADMIN), "binh", "Phạm Bình", "ioc_operator")
        people.append(desks[1].access.log_in("binh", pw, new_password=NEW_PW))
        errors: list[BaseException] = []

        def send(n: int) -> None:
            try:
                for i in range(10):
                    desks[n].send_directive(people[n], ["hai-chau"], f"ws{n + 1} chỉ đạo {i}")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=send, args=(n,)) for n in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        board = desks[0].downlink.board()
        assert len(board) == 20 and {d["issued_by"] for d in board} == {"an", "binh"}
        report = verify(desks[1].city.engine)
        assert report.ok, report.problems
        # 2 accounts, 2 password changes, 2 log-ins, 20 directives: one chain, no fork.
        assert report.entries == 26 and report.head.seq == 26
    finally:
        for d in desks:
            d.close()


def test_a_hub_without_ioc_accounts_makes_its_first_administrator(desk: IocWorkstation) -> None:
    from console.shared.access import LoginRefusedError

    assert not desk.access.has_users()
    quan = desk.access.create_first_admin("quan", "Võ Minh Quân", "cau-hoi-bi-mat-2026")
    assert quan.roles == frozenset({Role.ADMIN}) and desk.access.duty().session == quan
    assert [a.user_id for a in desk.access.users(quan)] == ["quan"]
    with pytest.raises(LoginRefusedError) as err:
        desk.access.create_first_admin("lan", "Võ Thị Lan", "mat-khau-moi-9999")
    assert err.value.code == "exists"
    with pytest.raises(PermissionDeniedError) as denied:  # an administrator does not operate
        desk.send_directive(quan, ["hai-chau"], "x")
    assert denied.value.code == "role"

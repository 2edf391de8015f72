"""The action log: one transaction with its change, tampering by hand found and named by
``opsconsole audit verify``, ``audit --since --json``, and the chain at the hub."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, func, select

from console.cli.main import main as cli
from console.district.config import SiteConfig
from console.district.domain.alarms import AlarmEngine
from console.district.store.action_log import append, forward_job, verify
from console.district.store.alarm_log import alarm_job
from console.district.store.database import SiteDatabase, open_site_database
from console.district.store.outbox import Outbox
from console.district.store.schema import action_log, alarm_events
from console.hub.store.store import HubStore
from console.shared.audit import GENESIS, ActionEntry, entry_hash
from console.shared.session import Session, os_session
from console.shared.vocab import UPLINK_PRIORITY, AuditAction, Role, Stream
from transport.streams import Batch

T0 = 1_796_000_000_000  # 2026-11-30T00:53:20Z
AN = Session("an", "Nguyễn Văn An", Role.OPERATOR, "oc-hc-01", True, session_id="s1")


def open_db(tmp: Path, site: SiteConfig) -> SiteDatabase:
    return open_site_database(tmp, site.id, [(f.id, f.kind, f.unit) for f in site.feeds])


def write(engine: Engine, n: int, t0: int = T0, who: Session = AN) -> None:
    actions = [AuditAction.LOGIN, AuditAction.ACKNOWLEDGE, AuditAction.SHELVE]
    with engine.begin() as conn:
        append(
            conn,
            [
                ActionEntry.of(
                    who,
                    actions[k % 3],
                    t0 + k * 60_000,
                    obj=f"hc-river-0{k % 4}:high",
                    before="active_unack",
                    after="active_ack",
                    note=f"ghi chú {k}",
                )
                for k in range(n)
            ],
        )


def forward(db: SiteDatabase) -> list[tuple[int, str, int, bytes]]:
    """Run the forwarding job; return the audit records the outbox holds."""
    ob = Outbox(db.engine, db.site_id, db.stream_id, UPLINK_PRIORITY, lambda job: None)
    with db.engine.begin() as conn:
        after = forward_job(ob)(conn)
    if after is not None:
        after()
    return ob.read(Stream.AUDIT, 0, 10_000)


def sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for s in statements:
            con.execute(s)
    con.close()


def run_verify(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, dict]:
    rc = cli(["audit", "verify", "--data-dir", str(data)])
    text = capsys.readouterr().out
    rc2 = cli(["audit", "--data-dir", str(data), "verify", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == rc2
    return rc, text, report


@pytest.fixture
def log8(tmp_path: Path, small_site: SiteConfig) -> Path:
    """A data dir whose log holds 8 entries, the first 6 forwarded to the city."""
    db = open_db(tmp_path / "src", small_site)
    write(db.engine, 6)
    assert len(forward(db)) == 6
    write(db.engine, 2, T0 + 3_600_000)
    db.engine.dispose()
    return tmp_path / "src"


def tamper_case(log8: Path, tmp_path: Path, name: str, statements: list[str]) -> tuple[Path, Path]:
    data = tmp_path / name
    shutil.copytree(log8, data)
    path = data / "test-site.sqlite3"
    sql(path, *statements)
    return data, path


def _recompute_from(path: Path, start: int, stop: int = 10**9) -> None:
    """What someone who knows the algorithm does: re-hash entries ``start``..``stop``."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    chain = con.execute("SELECT value FROM meta WHERE key = 'stream_id'").fetchone()[0]
    rows = con.execute("SELECT * FROM action_log ORDER BY seq").fetchall()
    prev = GENESIS
    with con:
        for r in rows:
            if start <= r["seq"] <= stop:
                fields = {
                    "v": 1, "chain": chain, "seq": r["seq"], "ts": r["ts_ms"],
                    "user": r["user_id"], "name": r["user_name"], "roles": r["roles"],
                    "auth": bool(r["authenticated"]), "ws": r["workstation"],
                    "action": r["action"], "object": r["object_id"],
                    "before": r["before_value"], "after": r["after_value"],
                    "note": r["note"], "prev": prev,
                }  # fmt: skip
                h = entry_hash(fields)
                con.execute(
                    "UPDATE action_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                    (prev, h, r["seq"]),
                )
                prev = h
            else:
                prev = r["hash"]
    con.close()


COLS = (
    "ts_ms, user_id, user_name, roles, authenticated, workstation, action, object_id, "
    "before_value, after_value, note"
)


@pytest.mark.parametrize(
    ("case", "statements", "after", "bad", "kind"),
    [
        (
            "edited",
            ["UPDATE action_log SET note = 'không có gì' WHERE seq = 3"],
            None,
            3,
            "edited",
        ),
        (
            "edited-and-rehashed",
            ["UPDATE action_log SET user_id = 'ha' WHERE seq = 3"],
            lambda p: _recompute_from(p, 3, 3),
            3,
            "differs_from_sent",  # entry 3 had been forwarded: its copy is in the outbox
        ),
        (
            "edited-and-rehashed-unsent",
            ["UPDATE action_log SET user_id = 'ha' WHERE seq = 7"],
            lambda p: _recompute_from(p, 7, 7),
            8,
            "relinked",  # entry 8 no longer links to it
        ),
        ("deleted", ["DELETE FROM action_log WHERE seq = 4"], None, 5, "missing"),
        (
            "inserted",
            [
                "UPDATE action_log SET seq = seq + 100 WHERE seq >= 7",
                "UPDATE action_log SET seq = seq - 99 WHERE seq >= 107",
                f"INSERT INTO action_log (seq, {COLS}, prev_hash, hash) SELECT 7, {COLS}, "
                "hash, hash FROM action_log WHERE seq = 6",
            ],
            lambda p: _recompute_from(p, 7, 7),  # a well-formed forgery, correctly hashed
            8,
            "relinked",
        ),
        (
            "reordered",
            [
                "UPDATE action_log SET seq = -3 WHERE seq = 3",
                "UPDATE action_log SET seq = 3 WHERE seq = 4",
                "UPDATE action_log SET seq = 4 WHERE seq = -3",
            ],
            None,
            3,
            "relinked",
        ),
        ("cut", ["DELETE FROM action_log WHERE seq >= 5"], None, 5, "cut"),
        (
            "rewritten",
            ["UPDATE action_log SET note = 'đã sửa' WHERE seq = 2"],
            lambda p: _recompute_from(p, 2),
            2,
            "differs_from_sent",
        ),
    ],
)
def test_tampering_by_hand_is_found_and_the_first_bad_entry_named(
    log8: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    statements: list[str],
    after: Callable[[Path], object] | None,
    bad: int,
    kind: str,
) -> None:
    rc, text, _ = run_verify(log8, capsys)
    assert rc == 0 and "action log intact: 8 entries, head seq 8" in text
    data, path = tamper_case(log8, tmp_path, case, statements)
    if after is not None:
        after(path)
    rc, text, report = run_verify(data, capsys)
    assert rc == 1, text
    assert f"first bad entry {bad}:" in text, text
    assert report["ok"] is False
    assert (report["first_bad"]["seq"], report["first_bad"]["kind"]) == (bad, kind), report


def test_a_rewritten_tail_past_what_was_sent_is_only_caught_against_a_trusted_head(
    log8: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries not yet forwarded, edited and re-hashed by someone who knows the algorithm,
    make a consistent chain: the local check passes, which is why the head goes to the city."""
    data, path = tamper_case(
        log8, tmp_path, "tail", ["UPDATE action_log SET note = 'x' WHERE seq = 8"]
    )
    _recompute_from(path, 8)
    rc, _text, report = run_verify(data, capsys)
    assert rc == 0 and report["forwarded_seq"] == 6


def test_audit_since_json_lists_entries_oldest_first(
    log8: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    since = "2026-11-30T08:30:00"  # site time (+07:00): after the first six, before the last two
    assert cli(["audit", "--data-dir", str(log8), "--since", since, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["seq"] for e in out["entries"]] == [7, 8]
    e = out["entries"][0]
    assert (e["user"], e["name"], e["roles"], e["authenticated"], e["workstation"]) == (
        "an", "Nguyễn Văn An", "operator", True, "oc-hc-01",
    )  # fmt: skip
    assert e["time"].endswith("+07:00") and len(e["hash"]) == 64
    assert cli(["audit", "--data-dir", str(log8), "--action", "shelve"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all("shelve" in x for x in lines)
    assert cli(["audit", "--data-dir", str(log8), "--since", "yesterday"]) == 2


def test_an_alarm_command_and_its_entry_commit_together_or_not_at_all(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    db = open_db(tmp_path, small_site)
    got: list[tuple[list, list]] = []
    eng = AlarmEngine(small_site.feeds, sink=lambda trs, rows: got.append((trs, rows)))
    eng.on_readings(np.array([0]), np.array([T0]), np.array([2.5]))
    eng.acknowledge(["river-1:high"], "an", T0 + 1000, "đã báo", actor=AN)
    trs = [t for batch, _ in got for t in batch]
    rows = [r for _, batch in got for r in batch]
    job = alarm_job(trs, rows)

    def counts() -> tuple[int, int]:
        with db.engine.connect() as c:
            return (
                c.execute(select(func.count()).select_from(alarm_events)).scalar_one(),
                c.execute(select(func.count()).select_from(action_log)).scalar_one(),
            )

    with db.engine.connect() as conn:
        job(conn)
        conn.rollback()
    assert counts() == (0, 0)
    with db.engine.begin() as conn:
        job(conn)
    assert counts() == (2, 1), "activation + acknowledgement in the journal, one action"
    assert verify(db.engine).ok
    db.engine.dispose()


def test_the_chain_reaches_the_hub_which_checks_it_and_sees_a_replaced_log(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    hub = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    db = open_db(tmp_path / "c", small_site)

    def deliver(db: SiteDatabase, after: int = 0) -> None:
        recs = [r for r in forward(db) if r[0] > after]
        hub.commit([Batch("test-site", "test-site", db.stream_id, Stream.AUDIT, recs)])

    write(db.engine, 5)
    deliver(db)
    local = verify(db.engine)
    (chain,) = hub.city()["audit"]
    assert (chain["seq"], chain["hash"], chain["entries"], chain["first_bad_seq"]) == (
        5, local.head.hash, 5, 0,
    )  # fmt: skip
    # An entry edited before it was forwarded: the hub's re-hash names it.
    write(db.engine, 3, T0 + 3_600_000)
    sql(db.path, "UPDATE action_log SET note = 'sửa lén' WHERE seq = 7")
    deliver(db, after=5)
    (chain,) = hub.city()["audit"]
    assert (chain["seq"], chain["first_bad_seq"]) == (8, 7)
    assert "does not match its hash" in chain["bad_reason"]
    # The local log is deleted: the next database is a new chain; the old head stays.
    db.engine.dispose()
    shutil.rmtree(tmp_path / "c")
    db2 = open_db(tmp_path / "c", small_site)
    write(db2.engine, 2, T0 + 7_200_000, os_session(Role.ADMIN))
    deliver(db2)
    heads = {h["chain"]: h for h in hub.city()["audit"]}
    assert heads[db.stream_id]["seq"] == 8 and heads[db2.stream_id]["seq"] == 2
    assert heads[db2.stream_id]["first_bad_seq"] == 0
    db2.engine.dispose()
    hub.close()

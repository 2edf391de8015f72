"""Backups of a running console's log and restoring one, end to end with a hub.

The backup is taken while readings keep arriving; the restored log opens,
passes integrity_check and resumes its outbox where the backup was, under a
new database id (docs/PROTOCOL.md §2.4): the lost log went on after the
backup and the hub holds numbers it used. The hub ends with every stream of
both ids numbered 1..N, no gap, no duplicate within an id.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from console.cli.main import main
from console.district.config import SiteConfig, load_site
from console.district.services.app import ConsoleApp
from console.hub.server import Hub
from tests.conftest import now_ms, wait_until
from tests.linkkit import make_kit
from tests.test_engine import push
from tests.test_summaries import minutes_at_hub, start_hub
from transport.feedproto import encode_batch


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {"error": err})


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class Feeder:
    """Pushes readings of the three test feeds at ~2,000/s from a thread, timestamps rising."""

    def __init__(self, endpoint: str, start_ms: int) -> None:
        self.endpoint = endpoint
        self.t = start_ms
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = [
                [f, self.t + i, 1.0 + (i % 7) / 10, 0]
                for i in range(100)
                for f in ("river-1", "rain-1", "pm25-1")
            ]
            self.t += 100
            push(self.endpoint, encode_batch(frame))
            self.sent += len(frame)
            time.sleep(0.1)

    def __enter__(self) -> Feeder:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)


def test_backup_under_load_restore_refusals_and_the_replaced_log_is_kept(
    small_site: SiteConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    app = ConsoleApp(small_site, data)
    app.start()
    backup = tmp_path / "backups" / "b1.sqlite3"
    try:
        with Feeder(app.endpoints[0], now_ms() - 3_600_000) as feeder:
            wait_until(lambda: app.stats().readings_stored > 3000, 20, "readings stored")
            code, got = cli_json(
                capsys, "backup", "--data-dir", str(data), "--out", str(backup), "--check", "full"
            )
            assert code == 0, got
            stored_at_backup = got
            time.sleep(0.3)
            assert feeder.sent > 0
        assert app.flush(20)
        # A console runs on the log: restore refuses.
        code, got = cli_json(capsys, "restore", "--from", str(backup), "--data-dir", str(data))
        assert code == 3 and "is in use by opsconsole console" in str(got["error"])
        assert app.stats().readings_stored > 3000, "the console kept running meanwhile"
    finally:
        app.stop()
    assert stored_at_backup["integrity"] == "ok" and stored_at_backup["site_id"] == "test-site"
    n_backup = rows(backup, "SELECT count(*) FROM readings")[0][0]
    n_live = rows(app.db.path, "SELECT count(*) FROM readings")[0][0]
    assert 3000 < n_backup < n_live, "a snapshot taken while ingest went on"
    assert rows(backup, "PRAGMA journal_mode") == [("delete",)], "one self-contained file"
    # Refusals: a backup of another site, a damaged file, no file.
    other = tmp_path / "other.toml"
    other.write_text(small_site.path.read_text("utf-8").replace('"test-site"', '"other"'), "utf-8")
    code, got = cli_json(
        capsys, "restore", "--from", str(backup), "--data-dir", str(data), "--site", str(other)
    )
    assert code == 3 and "a backup of site 'test-site', not of 'other'" in str(got["error"])
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(backup.read_bytes()[:8192] + b"\0" * 8192)
    code, got = cli_json(capsys, "restore", "--from", str(broken), "--data-dir", str(data))
    assert code == 3 and str(broken) in str(got["error"])
    code, got = cli_json(
        capsys, "restore", "--from", str(tmp_path / "nope"), "--data-dir", str(data)
    )
    assert code == 3 and "no such backup file" in str(got["error"])
    # The restore: the replaced log is kept beside it; the restored one passes integrity_check.
    code, got = cli_json(
        capsys,
        "restore",
        "--from",
        str(backup),
        "--data-dir",
        str(data),
        "--site",
        str(small_site.path),
    )
    assert code == 0, got
    assert got["integrity"] == "ok" and got["restored"] == str(app.db.path)
    kept = [Path(p) for p in got["replaced_log_kept_as"]]  # type: ignore[union-attr]
    assert kept and rows(kept[0], "SELECT count(*) FROM readings") == [(n_live,)]
    assert rows(app.db.path, "SELECT count(*) FROM readings") == [(n_backup,)]
    assert rows(app.db.path, "PRAGMA integrity_check") == [("ok",)]
    assert got["backup_check"] == {"check": "full", "result": "ok"}
    again = ConsoleApp(small_site, data)
    try:
        assert again.stats().readings_stored == 0
        assert again.db.stream_id == got["stream_id"]
    finally:
        again.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_restored_log_resumes_its_outbox_under_a_new_database_id(
    tmp_path: Path, small_site: SiteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fixed port: the hub is stopped and started again on the same endpoint.
    kit = make_kit(tmp_path / "hub", bind=f"tcp://127.0.0.1:{free_port()}")
    hub: Hub = start_hub(kit)
    site = load_site(kit.site("test-site", hub.server.bound_endpoint, base=small_site.path))
    data = tmp_path / "data"
    backup = tmp_path / "b.sqlite3"
    m0 = (now_ms() // 60_000 - 50) * 60_000  # fifty minutes ago: every minute closed

    def minutes(first: int, n: int) -> bytes:
        return encode_batch(
            [
                ["river-1", m0 + (first + k) * 60_000 + 1000 * j, float(k), 0]
                for k in range(n)
                for j in range(3)
            ]
        )

    try:
        a = ConsoleApp(site, data)
        a.start()
        try:
            push(a.endpoints[0], minutes(0, 10))
            wait_until(lambda: len(minutes_at_hub(hub)) == 10, 30, "ten summaries at the hub")
            assert a.flush_uplink(20)
            old_db = a.db.stream_id
            # The hub goes away; ten more minutes wait in the outbox, unacknowledged, and
            # the backup is taken under load (another ten minutes arriving meanwhile).
            hub.stop()
            push(a.endpoints[0], minutes(10, 10))
            wait_until(
                lambda: a.link_view().streams["summary"].last_seq >= 20, 30, "summaries written"
            )
            push(a.endpoints[0], minutes(20, 5))
            code, got = cli_json(capsys, "backup", "--data-dir", str(data), "--out", str(backup))
            assert code == 0, got
            at_backup = got["outbox"]["summary"]  # type: ignore[index]
            assert at_backup["acked_seq"] == 10 and at_backup["last_seq"] >= 20
            # The hub is back; the lost log delivers everything and goes on.
            hub = start_hub(kit)
            push(a.endpoints[0], minutes(25, 5))
            wait_until(lambda: len(minutes_at_hub(hub)) == 30, 30, "thirty summaries at the hub")
            assert a.flush_uplink(20)
            held = a.link_view().streams["summary"].last_seq
        finally:
            a.stop()
        assert held > at_backup["last_seq"], "the hub holds numbers the backup never used"
        # The disk is replaced; the backup comes back under a new database id.
        code, got = cli_json(capsys, "restore", "--from", str(backup), "--data-dir", str(data))
        assert code == 0, got
        assert got["previous_stream_id"] == old_db and got["stream_id"] != old_db
        unacked = at_backup["last_seq"] - at_backup["acked_seq"]
        assert got["outbox_resent_under_new_id"]["summary"] == unacked  # type: ignore[index]
        b = ConsoleApp(site, data)
        try:
            new_db = b.db.stream_id
            assert new_db == got["stream_id"]
            b.start()
            push(b.endpoints[0], minutes(35, 5))  # new minutes after the restore
            wait_until(
                lambda: len(minutes_at_hub(hub)) == 35, 30, "the restored console's summaries"
            )
            assert b.flush_uplink(20)
            view = b.link_view()
            assert view.state == "online" and view.backlog == 0
        finally:
            b.stop()
        with hub.store.engine.connect() as conn:
            seqs = {
                (db, stream): [int(s) for (s,) in rows]
                for db, stream in conn.exec_driver_sql(
                    "SELECT DISTINCT db_id, stream FROM hub_records"
                ).all()
                for rows in [
                    conn.exec_driver_sql(
                        "SELECT seq FROM hub_records WHERE db_id = ? AND stream = ? ORDER BY seq",
                        (db, stream),
                    ).all()
                ]
            }
        assert seqs[(old_db, "summary")] == list(range(1, held + 1))
        new_last = view.streams["summary"].last_seq
        # The backup's unacknowledged summaries, the minutes still pending in it (summarized
        # by the restored console), and the five new minutes.
        assert new_last >= unacked + 5
        assert seqs[(new_db, "summary")] == list(range(1, new_last + 1)), "resumed from 1, no gap"
        for (db, _stream), got_seqs in seqs.items():
            assert got_seqs == list(range(1, len(got_seqs) + 1)), db
        # The city picture has every minute once: the resent ones (minutes 10-24, stored
        # under both ids, as docs/BACKUP.md says) replace nothing new.
        assert len(minutes_at_hub(hub)) == 35
        assert rows(b.db.path, "PRAGMA integrity_check") == [("ok",)]
    finally:
        hub.stop()


def test_a_restore_that_fails_midway_leaves_the_log_in_place_untouched(
    small_site: SiteConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (or any failure) while the restored copy is built: one BackupError,
    the current log neither renamed nor replaced by a half-built copy."""
    import console.district.store.backup as backup_mod

    data = tmp_path / "data"
    app = ConsoleApp(small_site, data)
    app.stop()
    log_path = app.db.path
    backup = tmp_path / "b.sqlite3"
    backup_mod.backup_log(log_path, backup)
    before = log_path.read_bytes()

    def disk_full(_engine: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_mod, "new_database_id", disk_full)
    with pytest.raises(backup_mod.BackupError, match=r"disk is full.*log in place is untouched"):
        backup_mod.restore_log(backup, data)
    assert log_path.read_bytes() == before
    assert sorted(p.name for p in data.iterdir() if "sqlite3" in p.name) == sorted(
        p.name for p in data.iterdir() if p.name.endswith((".sqlite3", ".lock"))
    ), "no .replaced-… and no .restoring… file left behind"
    monkeypatch.undo()
    got = backup_mod.restore_log(backup, data)
    assert got["integrity"] == "ok" and len(got["replaced_log_kept_as"]) == 1
    assert rows(log_path, "PRAGMA integrity_check") == [("ok",)]
    assert not log_path.with_name(log_path.name + ".restoring").exists()


def test_a_backup_to_a_place_it_cannot_write_is_one_line_and_exit_3(
    small_site: SiteConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ConsoleApp(small_site, data).stop()
    a_dir = tmp_path / "backups"
    a_dir.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", "utf-8")
    for out, expected in (
        (a_dir, "is a directory; --out names the backup file to write"),
        (blocker / "b.sqlite3", "cannot write the backup there"),
    ):
        code, got = cli_json(capsys, "backup", "--data-dir", str(data), "--out", str(out))
        err = str(got["error"])
        assert code == 3 and expected in err and err.count("\n") == 1, err
    assert sorted(p.name for p in a_dir.iterdir()) == [], "no .partial left behind"
    code, got = cli_json(capsys, "backup", "--data-dir", str(data), "--out", str(a_dir / "b"))
    assert code == 0
    code, got = cli_json(
        capsys, "restore", "--from", str(a_dir / "b"), "--data-dir", str(blocker / "data")
    )
    err = str(got["error"])
    assert code == 3 and "cannot be the data directory" in err and err.count("\n") == 1, err

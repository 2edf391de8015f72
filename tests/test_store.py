"""The site log: migrations, identity checks, the group-commit writer."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import OperationalError

from console.district.store.database import (
    MIGRATIONS,
    DatabaseRefusedError,
    count_readings,
    database_path,
    head_revision,
    last_timestamps,
    open_site_database,
)
from console.district.store.schema import meta
from console.district.store.writer import StoreWriter
from console.shared.sql import alembic_config

FEEDS = [("a", "pm25", "µg/m³"), ("b", "rainfall", "mm/h")]


def test_new_database_is_at_head_in_wal_with_identity(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    assert db.path == database_path(tmp_path, "site-x")
    assert uuid.UUID(db.stream_id)
    assert set(db.feed_ids) == {"a", "b"}
    db.engine.dispose()
    raw = sqlite3.connect(db.path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    raw.close()
    again = open_site_database(tmp_path, "site-x", [*FEEDS, ("c", "pm25", "µg/m³")])
    assert again.stream_id == db.stream_id, "the stream id is made once, at creation"
    assert again.feed_ids["a"] == db.feed_ids["a"] and "c" in again.feed_ids
    again.engine.dispose()


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    db.engine.dispose()
    with pytest.raises(
        DatabaseRefusedError, match="schema revision 'f00dcafe', written by a newer opsconsole"
    ):
        open_site_database(tmp_path, "site-x", FEEDS)


def test_log_of_another_site_is_refused(tmp_path: Path) -> None:
    open_site_database(tmp_path, "site-x", FEEDS).engine.dispose()
    database_path(tmp_path, "site-x").rename(database_path(tmp_path, "site-y"))
    with pytest.raises(DatabaseRefusedError, match="belongs to site 'site-x', not 'site-y'"):
        open_site_database(tmp_path, "site-y", FEEDS)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    database_path(tmp_path, "site-x").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseRefusedError, match="cannot open the site log"):
        open_site_database(tmp_path, "site-x", FEEDS)


def test_every_older_revision_is_upgraded_keeping_data(tmp_path: Path) -> None:
    import alembic.command

    from console.district.store.database import make_engine

    script = ScriptDirectory.from_config(alembic_config(MIGRATIONS))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for i, rev in enumerate(["base", *revisions[:-1]]):
        d = tmp_path / f"r{i}"
        d.mkdir()
        path = database_path(d, "site-x")
        engine = make_engine(path)
        cfg = alembic_config(MIGRATIONS)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            alembic.command.upgrade(cfg, rev) if rev != "base" else None
        engine.dispose()
        db = open_site_database(d, "site-x", FEEDS)
        with db.engine.connect() as conn:
            assert (
                conn.execute(select(meta.c.value).where(meta.c.key == "site_id")).scalar_one()
                == "site-x"
            )
        db.engine.dispose()
        raw = sqlite3.connect(path)
        assert (
            raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        )
        raw.close()


def test_writer_group_commits_everything_and_ignores_replays(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    a, b = db.feed_ids["a"], db.feed_ids["b"]
    w = StoreWriter(db.engine)
    w.start()
    for k in range(200):
        w.submit_readings([(a, 1000 + k, float(k), 0), (b, 1000 + k, 1.0, 1)])
    assert w.flush(10)
    assert w.rows_committed == 400
    assert w.commits < 200, "batches queued together share a commit"
    w.submit_readings([(a, 1000, 99.0, 0), (a, 5000, 1.0, 0)])  # first one was stored already
    w.stop()
    assert w.rows_committed == 401 and w.rows_ignored == 1
    assert count_readings(db.engine) == 401
    assert last_timestamps(db.engine) == {a: 5000, b: 1199}
    db.engine.dispose()


def test_writer_keeps_order_of_jobs_and_readings(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    a = db.feed_ids["a"]
    seen: list[int] = []
    w = StoreWriter(db.engine)
    w.start()
    w.submit_readings([(a, 1, 1.0, 0)])
    w.submit_job(
        lambda conn: seen.append(conn.execute(text("SELECT count(*) FROM readings")).scalar_one())
    )
    w.submit_readings([(a, 2, 1.0, 0)])
    w.stop()
    assert seen == [1]
    assert count_readings(db.engine) == 2
    db.engine.dispose()


def test_writer_retries_a_failed_commit_without_losing_rows(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    a = db.feed_ids["a"]
    failures = iter([True, True, False])

    def flaky(conn: Connection) -> None:
        if next(failures):
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))

    w = StoreWriter(db.engine)
    w.start()
    w.submit_readings([(a, 1, 1.0, 0)])
    w.submit_job(flaky)
    w.submit_readings([(a, 2, 1.0, 0)])
    w.stop()
    assert w.commit_failures == 2 and "disk I/O error" in w.last_error
    assert w.rows_committed == 2 and count_readings(db.engine) == 2
    db.engine.dispose()


def test_full_queue_blocks_the_producer_instead_of_dropping(tmp_path: Path) -> None:
    db = open_site_database(tmp_path, "site-x", FEEDS)
    a = db.feed_ids["a"]
    gate = threading.Event()
    busy = threading.Event()
    w = StoreWriter(db.engine, max_queued_rows=2)
    w.start()
    w.submit_job(lambda conn: (busy.set(), gate.wait(10)))  # the writer is stuck in this
    assert busy.wait(10)
    w.submit_readings([(a, 1, 1.0, 0)])
    w.submit_readings([(a, 2, 1.0, 0)])
    third = threading.Thread(target=w.submit_readings, args=([(a, 3, 1.0, 0)],))
    third.start()
    third.join(0.2)
    assert third.is_alive(), "the producer waits while the queue is full"
    gate.set()
    third.join(10)
    w.stop()
    assert count_readings(db.engine) == 3
    db.engine.dispose()

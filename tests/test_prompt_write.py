"""``console.shared.sql.prompt_write``: a person's write at the hub takes SQLite's write
lock as soon as it is free (not at the busy handler's next backed-off try), gives up after
the busy timeout, rolls back on error, and makes its reads and writes one step."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from console.shared import sql
from console.shared.sql import prompt_write, sqlite_durable


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    e = sqlite_durable(create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    with e.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)")
        c.exec_driver_sql("INSERT INTO t VALUES ('a', 0)")
    yield e
    e.dispose()


def _holder(path: str) -> sqlite3.Connection:
    """Another connection (the hub's), holding the write lock."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE t SET n = n + 100")
    return con


def _n(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.exec_driver_sql("SELECT n FROM t").scalar_one())


def test_it_waits_for_the_lock_and_writes_once_it_is_free(engine: Engine) -> None:
    assert engine.url.database is not None
    holder = _holder(engine.url.database)
    entered = threading.Event()

    def write() -> None:
        with prompt_write(engine) as c:
            entered.set()
            c.exec_driver_sql("UPDATE t SET n = n + 1")

    t = threading.Thread(target=write)
    t.start()
    try:
        assert not entered.wait(0.3), "in the transaction while another held the lock"
        holder.execute("COMMIT")
        assert entered.wait(10)
    finally:
        t.join(10)
        holder.close()
    assert _n(engine) == 101
    with engine.connect() as c:  # the pooled connection waits as before for other writes
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == sql.BUSY_TIMEOUT_MS


def test_it_gives_up_after_the_busy_timeout(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql, "BUSY_TIMEOUT_MS", 100)
    assert engine.url.database is not None
    holder = _holder(engine.url.database)
    try:
        with pytest.raises(OperationalError, match="locked"), prompt_write(engine):
            pytest.fail("entered a transaction another connection holds the lock of")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with prompt_write(engine) as c:  # and the next one goes
        c.exec_driver_sql("UPDATE t SET n = 7")
    assert _n(engine) == 7


def test_an_error_inside_rolls_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), prompt_write(engine) as c:
        c.exec_driver_sql("UPDATE t SET n = 5")
        raise RuntimeError("refused halfway")
    assert _n(engine) == 0
    with prompt_write(engine) as c:
        c.exec_driver_sql("UPDATE t SET n = 6")
    assert _n(engine) == 6


def test_its_reads_and_writes_are_one_step(engine: Engine) -> None:
    """Read, then write what was read plus one, from two threads: no update is lost (a
    transaction begun at its first write would read outside it and lose some)."""
    barrier = threading.Barrier(2)

    def bump() -> None:
        barrier.wait()
        for _ in range(150):
            with prompt_write(engine) as c:
                n = c.exec_driver_sql("SELECT n FROM t").scalar_one()
                c.exec_driver_sql("UPDATE t SET n = ?", (n + 1,))

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert _n(engine) == 300


def test_on_postgresql_it_is_a_plain_transaction(pg_url: str) -> None:
    e = create_engine(pg_url)
    try:
        with e.begin() as c:
            c.exec_driver_sql("CREATE TABLE prompt_t (n INTEGER)")
        with prompt_write(e) as c:
            c.exec_driver_sql("INSERT INTO prompt_t VALUES (1)")
        with pytest.raises(RuntimeError), prompt_write(e) as c:
            c.exec_driver_sql("INSERT INTO prompt_t VALUES (2)")
            raise RuntimeError("refused")
        with e.connect() as c:
            assert c.exec_driver_sql("SELECT n FROM prompt_t").scalars().all() == [1]
    finally:
        with e.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS prompt_t")
        e.dispose()

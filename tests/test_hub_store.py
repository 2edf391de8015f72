"""Hub storage on SQLite and on a real PostgreSQL server: dedupe, gaps, city picture, restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgpack
import pytest
from sqlalchemy import select

from console.hub.store.schema import hub_quarantine
from console.hub.store.store import HubStore, HubStoreError
from tests.hubfault import inject_commit_failure
from transport.streams import Batch

MIN = 29_000_000


def minute(seq: int, feed: str, m: int, mean: float) -> tuple[int, str, int, bytes]:
    p = {"site": "s1", "feed": feed, "kind": "rainfall", "unit": "mm/h", "minute": m * 60_000, "n": 2,
         "min": mean - 1, "max": mean + 1, "mean": mean, "last": mean, "last_ts": 0, "q": [2, 0, 0]}  # fmt: skip
    return (seq, "minute", 0, msgpack.packb(p))


def status(seq: int, ts: int, stale: int) -> tuple[int, str, int, bytes]:
    p = {"site": "s1", "ts": ts, "feeds": {"total": 5, "good": 5 - stale, "stale": stale},
         "alarms": {"active": {"3": 1}, "unack": 1, "shelved": 0}}  # fmt: skip
    return (seq, "status", ts, msgpack.packb(p))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubStore]:
    url = (
        f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    s = HubStore(url)
    yield s
    s.close()


def test_dedupe_gap_and_city_picture_in_one_transaction(store: HubStore) -> None:
    b1 = Batch(
        "c1",
        "s1",
        "db1",
        "summary",
        [minute(1, "rain-1", MIN, 10.0), minute(2, "rain-2", MIN, 20.0)],
    )
    b2 = Batch("c1", "s1", "db1", "status", [status(1, 1000, 1)])
    r = store.commit([b1, b2])
    assert [(x.through, x.stored, x.duplicates, x.gap) for x in r] == [
        (2, 2, 0, False),
        (1, 1, 0, False),
    ]
    # A resend overlapping what is stored, plus a revision of minute MIN for rain-1.
    r = store.commit(
        [
            Batch(
                "c1",
                "s1",
                "db1",
                "summary",
                [minute(2, "rain-2", MIN, 20.0), minute(3, "rain-1", MIN, 12.0)],
            )
        ]
    )
    assert (r[0].through, r[0].stored, r[0].duplicates) == (3, 1, 1)
    # A gap stores nothing and says where to resume.
    r = store.commit([Batch("c1", "s1", "db1", "summary", [minute(9, "rain-1", MIN + 1, 1.0)])])
    assert (r[0].through, r[0].stored, r[0].gap) == (3, 0, True)
    # An older status does not overwrite a newer one.
    store.commit([Batch("c1", "s1", "db1", "status", [status(2, 500, 4)])])
    assert store.positions("c1", "db1") == {"summary": 3, "status": 2}
    assert store.seqs("c1", "summary") == [1, 2, 3]
    city = store.city()
    assert city["sites"][0]["feeds_stale"] == 1 and city["sites"][0]["alarms_sev3"] == 1
    rain = city["kinds"]["rainfall"]
    assert rain["feeds"] == 2 and rain["mean"] == pytest.approx(
        16.0
    )  # the revision (12) replaced 10
    stats = store.stats()["consoles"]["c1"]["streams"]["summary"]
    assert (stats["records_stored"], stats["duplicates_dropped"], stats["last_seq"]) == (3, 1, 3)


def test_marks_survive_a_new_store_on_the_same_database(store: HubStore) -> None:
    store.commit(
        [Batch("c1", "s1", "db1", "summary", [minute(s, "f", MIN + s, 1.0) for s in range(1, 51)])]
    )
    again = HubStore(store.url)
    try:
        r = again.commit(
            [
                Batch(
                    "c1",
                    "s1",
                    "db1",
                    "summary",
                    [minute(s, "f", MIN + s, 1.0) for s in range(40, 61)],
                )
            ]
        )
        assert (r[0].through, r[0].stored, r[0].duplicates) == (60, 10, 11)
        assert again.seqs("c1", "summary") == list(range(1, 61))
    finally:
        again.close()


def test_a_bad_payload_is_kept_raw_and_does_not_block_the_stream(store: HubStore) -> None:
    recs = [
        minute(1, "f", MIN, 1.0),
        (2, "minute", 0, b"\xc1garbage"),
        minute(3, "f", MIN + 1, 2.0),
    ]
    r = store.commit([Batch("c1", "s1", "db1", "summary", recs)])
    assert (r[0].through, r[0].stored) == (3, 3)
    assert store.bad_payloads == 1
    assert store.city()["kinds"]["rainfall"]["minute_ms"] == (MIN + 1) * 60_000


def test_unusable_urls_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(HubStoreError, match="use sqlite"):
        HubStore("mysql://x/y")
    with pytest.raises(HubStoreError, match=r"cannot open|unable to open"):
        HubStore(f"sqlite:///{tmp_path}/no/such/dir/hub.sqlite3")


def test_payloads_the_columns_cannot_hold_are_kept_raw_and_never_fail_the_commit(
    store: HubStore,
) -> None:
    """A count beyond INTEGER, a NaN (NULL in SQLite), a NUL (refused by PostgreSQL) or an
    over-long id would fail the whole transaction — every console's batch with it."""

    def minute_with(seq: int, **bad: object) -> tuple[int, str, int, bytes]:
        s, kind, ts, payload = minute(seq, "f", MIN + seq, 1.0)
        return (s, kind, ts, msgpack.packb({**msgpack.unpackb(payload), **bad}))

    hostile = [
        minute_with(1, n=2**40),
        minute_with(2, mean=float("nan")),
        minute_with(3, feed="f\x00"),
        minute_with(4, feed="f" * 65),
        minute_with(5, minute=2**63),
        minute(6, "f", MIN, 3.0),
    ]
    other = Batch("c2", "s2", "db2", "status", [status(1, 1000, 0)])
    r = store.commit([Batch("c1", "s1", "db1", "summary", hostile), other])
    assert [(x.through, x.stored) for x in r] == [(6, 6), (1, 1)]
    assert store.bad_payloads == 5
    assert store.seqs("c1", "summary") == [1, 2, 3, 4, 5, 6]
    city = store.city()
    assert city["kinds"]["rainfall"]["feeds"] == 1 and [s["site_id"] for s in city["sites"]] == [
        "s2"
    ]


def test_what_cannot_be_stored_as_intended_is_quarantined_raw_with_its_reason(
    store: HubStore,
) -> None:
    good = minute(1, "f", MIN, 1.0)
    recs = [
        good,
        (2, "minute", 2**64 - 1, good[3]),  # created_ms beyond BIGINT
        (3, "min\x00ute", 0, good[3]),  # a NUL in the kind (PostgreSQL refuses it)
        (4, "minute", 0, msgpack.packb({**msgpack.unpackb(good[3]), "mean": float("nan")})),
        (5, "minute", 0, b"\xc1"),
        (6, "hourly", 0, msgpack.packb({"x": 1})),  # a kind this hub has no schema for
        minute(7, "f", MIN + 1, 2.0),
    ]
    other = Batch("c2", "s2", "db2", "status", [status(1, 1000, 0)])
    r = store.commit([Batch("c1", "s1", "db1", "summary", recs), other])
    assert [(x.through, x.stored, x.quarantined, x.failed) for x in r] == [
        (7, 7, 4, ""),
        (1, 1, 0, ""),
    ]
    assert store.seqs("c1", "summary", quarantined=False) == [1, 6, 7]
    assert store.seqs("c1", "summary") == list(range(1, 8))
    held = {q["seq"]: q for q in store.quarantine("c1")}
    assert {s: q["reason"] for s, q in held.items()} == {
        2: "bad_created_ms",
        3: "bad_kind",
        4: "invalid",
        5: "malformed",
    }
    assert "\x00" not in held[3]["detail"] and "\\x00" in held[3]["detail"]
    stats = store.stats()
    assert stats["consoles"]["c1"]["quarantined"] == {
        "bad_created_ms": 1,
        "bad_kind": 1,
        "invalid": 1,
        "malformed": 1,
    }
    assert stats["consoles"]["c2"]["quarantined"] == {}
    assert stats["bad_payloads"] == 2 and sum(stats["quarantined"].values()) == 4
    # Kept raw: the record exactly as the console sent it.
    with store.engine.connect() as conn:
        raw = conn.execute(
            select(hub_quarantine.c.record).where(hub_quarantine.c.seq == 2)
        ).scalar_one()
    assert msgpack.unpackb(raw) == [2, "minute", 2**64 - 1, good[3]]
    assert store.city()["kinds"]["rainfall"]["minute_ms"] == (MIN + 1) * 60_000


def test_a_commit_failure_caused_by_one_console_never_holds_up_another(store: HubStore) -> None:
    """The database refuses some valid records of one console: they are quarantined as
    storage_error, the rest of its stream is stored and acked, the other console's batch
    is stored whole, and nothing is reported as a failed commit."""
    inject_commit_failure(store.engine, "bad", every=7)
    good = Batch(
        "good", "s1", "db1", "summary", [minute(s, "g", MIN + s, 1.0) for s in range(1, 101)]
    )
    bad = Batch(
        "bad", "s2", "db2", "summary", [minute(s, "b", MIN + s, 1.0) for s in range(1, 101)]
    )
    r = store.commit([good, bad])
    assert [(x.through, x.stored, x.quarantined, x.failed) for x in r] == [
        (100, 100, 0, ""),
        (100, 100, 14, ""),
    ]
    assert store.seqs("good", "summary", quarantined=False) == list(range(1, 101))
    assert store.seqs("bad", "summary", quarantined=False) == [s for s in range(1, 101) if s % 7]
    assert {q["reason"] for q in store.quarantine("bad")} == {"storage_error"}
    assert "injected commit failure" in store.quarantine("bad")[0]["detail"]
    # The marks moved with what was stored: a resend is all duplicates.
    again = store.commit([Batch("bad", "s2", "db2", "summary", bad.records[90:])])
    assert (again[0].through, again[0].stored, again[0].duplicates) == (100, 0, 10)


def test_a_batch_that_cannot_even_be_quarantined_fails_alone(store: HubStore) -> None:
    inject_commit_failure(store.engine, "bad", every=5)
    inject_commit_failure(store.engine, "bad", table="hub_quarantine", every=5)
    good = Batch(
        "good", "s1", "db1", "summary", [minute(s, "g", MIN + s, 1.0) for s in range(1, 21)]
    )
    bad = Batch("bad", "s2", "db2", "summary", [minute(s, "b", MIN + s, 1.0) for s in range(1, 21)])
    r = store.commit([bad, good])
    assert (r[0].through, r[0].stored) == (4, 4) and "seq 5" in r[0].failed
    assert (r[1].through, r[1].stored, r[1].failed) == (20, 20, "")
    assert store.positions("bad", "db2") == {"summary": 4}

"""Numbered streams without sockets: the sender's window and the receiver's rule, and the two
together over a channel that loses, duplicates and reorders nothing but whole batches."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transport.streams import Record, Sender, SendFn, StreamBroken, intake


class MemorySource:
    """An OutboxSource in memory: streams in priority order, records numbered from ``first``."""

    def __init__(self, streams: dict[str, int], first: dict[str, int] | None = None) -> None:
        first = first or {}
        self.records = {
            s: [(q, "k", 0, b"%d" % q) for q in range(first.get(s, 1), n + 1)]
            for s, n in streams.items()
        }
        self.acks = dict.fromkeys(streams, 0)
        self.acked_calls: list[tuple[str, int]] = []

    def identity(self) -> tuple[str, str]:
        return "scope", "db"

    def positions(self) -> dict[str, tuple[int, int]]:
        return {s: (r[-1][0] if r else 0, self.acks[s]) for s, r in self.records.items()}

    def read(self, stream: str, after: int, limit: int) -> list[Record]:
        return [r for r in self.records[stream] if r[0] > after][:limit]

    def acked(self, stream: str, through: int) -> None:
        self.acked_calls.append((stream, through))
        self.acks[stream] = max(self.acks[stream], through)

    def oldest_unsent_ms(self) -> int | None:
        return None

    def append(self, stream: str, n: int) -> None:
        last = self.positions()[stream][0]
        self.records[stream] += [(q, "k", 0, b"") for q in range(last + 1, last + n + 1)]


def sender(src: MemorySource, acks: dict[str, object] | None = None, batch: int = 10) -> Sender:
    return Sender(src, acks or {}, batch_records=batch, ack_timeout_s=20.0)


def collect(out: list[tuple[str, list[Record]]]) -> SendFn:
    def send(stream: str, records: list[Record]) -> bool:
        out.append((stream, records))
        return True

    return send


# -- receiver rule -----------------------------------------------------------------------
def recs(first: int, last: int) -> list[Record]:
    return [(q, "k", 0, b"") for q in range(first, last + 1)]


def test_intake_drops_duplicates_refuses_gaps_and_accepts_the_rest() -> None:
    got = intake(10, recs(5, 12))
    assert ([r[0] for r in got.fresh], got.duplicates, got.gap) == ([11, 12], 6, False)
    assert got.result(10).through == 12 and got.result(10).stored == 2
    gap = intake(10, recs(13, 15))
    assert (gap.fresh, gap.duplicates, gap.gap) == ([], 0, True)
    assert (gap.result(10).through, gap.result(10).gap) == (10, True)
    old = intake(10, recs(1, 10))
    assert (old.fresh, old.duplicates, old.gap, old.result(10).through) == ([], 10, False, 10)


@given(st.integers(0, 100), st.integers(1, 120), st.integers(0, 30))
def test_intake_never_stores_a_seq_twice_or_leaves_a_hole(last: int, first: int, n: int) -> None:
    got = intake(last, recs(first, first + n - 1))
    res = got.result(last)
    if got.gap:
        assert first > last + 1 and res.through == last and res.stored == 0
    else:
        assert [r[0] for r in got.fresh] == list(range(last + 1, res.through + 1))
    assert res.duplicates == sum(1 for q in range(first, first + n) if q <= last)


# -- sender --------------------------------------------------------------------------------
def test_the_window_is_per_stream_and_higher_streams_go_first() -> None:
    src = MemorySource({"high": 25, "low": 100})
    s = sender(src)
    out: list[tuple[str, list[Record]]] = []
    assert s.pump(2, 0.0, collect(out))
    assert [(st, r[0][0], r[-1][0]) for st, r in out] == [
        ("high", 1, 10),
        ("high", 11, 20),
        ("low", 1, 10),
        ("low", 11, 20),
    ]
    out.clear()
    assert not s.pump(2, 0.0, collect(out))  # credit used up
    assert s.ack("high", 20, resend=False) == (20, False)
    assert src.acks["high"] == 20
    s.pump(2, 0.0, collect(out))
    assert [(st, r[0][0], r[-1][0]) for st, r in out] == [("high", 21, 25)]


def test_a_record_of_a_higher_stream_written_while_a_lower_one_sends_goes_next() -> None:
    """An escalation written while summary batches go is not sent after all of them."""
    src = MemorySource({"high": 0, "low": 100})
    s = sender(src)
    out: list[tuple[str, list[Record]]] = []

    def send(stream: str, records: list[Record]) -> bool:
        out.append((stream, records))
        if len(out) == 2:
            src.append("high", 1)  # written by another thread between two batches
        return True

    assert s.pump(5, 0.0, send)
    assert [(st, r[0][0]) for st, r in out] == [
        ("low", 1),
        ("low", 11),
        ("high", 1),
        ("low", 21),
        ("low", 31),
        ("low", 41),
    ]


def test_a_full_transport_keeps_the_batch_for_later() -> None:
    src = MemorySource({"s": 30})
    s = sender(src)
    calls = 0

    def refuse_second(stream: str, records: list[Record]) -> bool:
        nonlocal calls
        calls += 1
        return calls == 1

    assert s.pump(8, 0.0, refuse_second)
    out: list[tuple[str, list[Record]]] = []
    s.pump(8, 0.0, collect(out))
    assert [r[0][0] for _, r in out] == [11, 21]


def test_a_gap_rewinds_once_per_ack_and_resends_from_it() -> None:
    src = MemorySource({"s": 40})
    s = sender(src)
    out: list[tuple[str, list[Record]]] = []
    s.pump(4, 0.0, collect(out))
    assert s.ack("s", 10, resend=True) == (10, True)
    assert s.ack("s", 10, resend=True) == (0, False)  # the same gap again: already rewound
    out.clear()
    s.pump(4, 0.0, collect(out))
    assert out[0][1][0][0] == 11


def test_starting_from_the_receivers_acks_and_what_cannot_continue() -> None:
    src = MemorySource({"s": 30})
    s = sender(src, {"s": 12, "other": 99})
    assert src.acked_calls == [("s", 12)]
    out: list[tuple[str, list[Record]]] = []
    s.pump(1, 0.0, collect(out))
    assert out[0][1][0][0] == 13
    with pytest.raises(StreamBroken) as ahead:
        sender(src, {"s": 31})
    assert (ahead.value.reason, ahead.value.peer_seq, ahead.value.local_seq) == ("ahead", 31, 30)
    pruned = MemorySource({"s": 30}, first={"s": 21})
    with pytest.raises(StreamBroken) as gone:
        sender(pruned, {"s": 5}).pump(1, 0.0, collect([]))
    assert (gone.value.reason, gone.value.peer_seq, gone.value.local_seq) == ("pruned", 6, 21)


def test_an_unacknowledged_batch_times_out() -> None:
    s = sender(MemorySource({"s": 5}))
    s.pump(1, 100.0, collect([]))
    assert not s.overdue(119.0)
    assert s.overdue(121.0)
    s.ack("s", 5, resend=False)
    assert not s.overdue(500.0)


# -- both ends --------------------------------------------------------------------------------
@settings(max_examples=60)
@given(st.integers(0, 2**32))
def test_sender_and_receiver_over_a_lossy_channel_store_everything_exactly_once(
    seed: int,
) -> None:
    """Batches lost, duplicated or delivered late; sessions restarted from the receiver's acks.
    The receiver's store ends up equal to the source, in order, nothing twice."""
    rnd = random.Random(seed)
    src = MemorySource({"a": 0, "b": 0})
    stored: dict[str, list[int]] = {"a": [], "b": []}
    in_flight: list[tuple[str, list[Record]]] = []

    def receive(stream: str, records: list[Record]) -> tuple[int, bool]:
        last = stored[stream][-1] if stored[stream] else 0
        got = intake(last, records)
        stored[stream] += [r[0] for r in got.fresh]
        res = got.result(last)
        return res.through, res.gap

    s = sender(src, batch=rnd.randint(1, 7))
    for _ in range(300):
        if rnd.random() < 0.3:
            src.append(rnd.choice("ab"), rnd.randint(1, 9))
        s.pump(rnd.randint(1, 4), 0.0, collect(in_flight))
        rnd.shuffle(in_flight)
        for stream, records in in_flight[: rnd.randint(0, len(in_flight))]:
            if rnd.random() < 0.15:
                continue  # lost
            through, gap = receive(stream, records)
            if rnd.random() < 0.1:
                continue  # the ack is lost
            s.ack(stream, through, gap)
        in_flight = [b for b in in_flight if rnd.random() < 0.2]  # some arrive much later
        if rnd.random() < 0.05:  # the session ends; the next starts from the receiver's marks
            in_flight.clear()
            s = sender(src, {k: (v[-1] if v else 0) for k, v in stored.items()}, batch=5)
    for _ in range(200):  # then a clean channel drains everything
        s = sender(src, {k: (v[-1] if v else 0) for k, v in stored.items()}, batch=5)
        s.pump(4, 0.0, collect(in_flight))
        for stream, records in in_flight:
            s.ack(stream, *receive(stream, records))
        in_flight.clear()
    for name, (last, acked) in src.positions().items():
        assert stored[name] == list(range(1, last + 1))
        assert acked == last

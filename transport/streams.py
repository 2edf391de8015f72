"""Numbered streams, in either direction: the sender's window and the receiver's dedupe rule.

A stream is a sequence of records its source numbers 1, 2, 3… in the
transaction that stores them, so a record and its number exist together or
not at all. Exactly-once storage is then two small rules:

- the **sender** (``Sender``) resends from the receiver's cumulative ack,
  keeps at most ``credit`` unacknowledged batches in flight per stream,
  serves streams in the source's priority order, and rewinds once when the
  receiver reports a gap;
- the **receiver** (``intake``) drops what it already has (seq ≤ its mark),
  refuses a batch that would leave a gap (and asks for a resend), and stores
  the rest together with the new mark, in one transaction.

The ports say what each end needs from its storage: ``OutboxSource`` (the
sending side's numbered records and acks) and ``InboxSink`` (the receiving
side's transactional commit and marks). Nothing here knows sockets, SQL,
clocks, stream names or which product is at either end; the socket loops
(``uplink_client``, ``uplink_hub``) drive these pieces, and the hub → console
direction (the downlink) uses the same ones with the roles swapped: the hub keeps
a ``Sender`` per console session over an ``OutboxSource`` of its database, the
console an ``InboxSink`` whose marks commit with the records.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

Record = tuple[int, str, int, bytes]
"""(seq, kind, created ts ms, payload bytes): one numbered record of a stream."""


# -- ports -----------------------------------------------------------------------------
class OutboxSource(Protocol):
    """The sending side's durable, numbered records (the console: its outbox)."""

    def identity(self) -> tuple[str, str]:
        """(scope, database id): the receiver keys dedupe by peer, database and stream."""
        ...

    def positions(self) -> dict[str, tuple[int, int]]:
        """Per stream, highest priority first: (last committed seq, last acknowledged seq)."""
        ...

    def read(self, stream: str, after: int, limit: int) -> list[Record]:
        """Committed records with seq > after, ascending, at most ``limit``."""
        ...

    def acked(self, stream: str, through: int) -> None:
        """The receiver has committed everything up to ``through`` (made durable soon)."""
        ...

    def oldest_unsent_ms(self) -> int | None:
        """Creation time of the oldest record not yet acknowledged, or None."""
        ...


@dataclass(frozen=True)
class Batch:
    """Consecutive records of one stream from one peer, as received."""

    peer: str
    """Who sent it, as authenticated (the hub: the console id of the CURVE key)."""
    scope: str
    """What the session was admitted for (the hub: the site the key is registered for)."""
    db: str
    """The sender's database id: numbering restarts only with a new database."""
    stream: str
    records: list[Record]


@dataclass(frozen=True)
class BatchResult:
    through: int
    """The stream's last stored seq after this batch (the cumulative ack)."""
    stored: int
    """Records of this batch now held by the receiver (``quarantined`` included)."""
    duplicates: int
    gap: bool
    """The batch started after through+1: something before it was lost; resend."""
    quarantined: int = 0
    """Records held but not applied as intended (the receiver's quarantine); acknowledged."""
    failed: str = ""
    """Set when the storage refused (part of) this batch for reasons of its own data and
    could not even quarantine it: records after ``through`` were not stored. Other
    batches of the same commit are unaffected."""


class InboxSink(Protocol):
    """The receiving side's storage (the hub: its database; the console: its inbox)."""

    def positions(self, peer: str, db: str) -> dict[str, int]:
        """Last stored seq per stream of this peer's database."""
        ...

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        """Store every batch (``intake`` per batch, marks included), one result per batch.

        A commit that fails because of one peer's data must not fail the others' batches:
        the sink isolates the culprit (and keeps it aside, acknowledged, when it can) and
        reports a batch it could not store at all with ``failed``. It raises only when the
        storage as a whole cannot commit (then nothing of any batch is stored)."""
        ...

    def healthy(self) -> bool:
        """Can the storage commit again (after a failure)?"""
        ...


class DownlinkInbox(InboxSink, Protocol):
    """An ``InboxSink`` that takes one peer's downlink (the console's inbox of the hub's
    records): its marks are per (the peer's database id, stream)."""

    def hello(self) -> tuple[str, dict[str, int]]:
        """(the peer database id its newest marks are of, or ""; {stream: last seq held of
        it}) for every stream it takes, highest priority first: what HELLO says."""
        ...


# -- receiver ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Intake:
    """What a receiver whose mark is ``last`` does with one batch."""

    fresh: list[Record]
    """Records to store (seq last+1, last+2, …); empty on a gap."""
    duplicates: int
    """Records at or below the mark: dropped (and re-acked)."""
    gap: bool
    """The first new record is not last+1: store nothing, ack ``last`` asking for a resend."""

    def result(self, last: int, quarantined: int = 0) -> BatchResult:
        """The ack for this batch, given the stream's mark ``last`` before it."""
        through = self.fresh[-1][0] if self.fresh else last
        return BatchResult(through, len(self.fresh), self.duplicates, self.gap, quarantined)


def intake(last: int, records: Sequence[Record]) -> Intake:
    """The receiver's rule: drop seq ≤ ``last``, refuse a gap, accept the fresh rest."""
    fresh = [r for r in records if r[0] > last]
    duplicates = len(records) - len(fresh)
    if fresh and fresh[0][0] != last + 1:
        return Intake([], duplicates, gap=True)
    return Intake(fresh, duplicates, gap=False)


# -- sender ------------------------------------------------------------------------------
class StreamBroken(Exception):  # noqa: N818 (a state of the stream, reported to an operator)
    """The stream cannot continue from what the receiver holds; a person must act.

    ``ahead``: the receiver holds ``peer_seq`` but this source ends at
    ``local_seq`` (the source's database was replaced and would reuse numbers).
    ``pruned``: the receiver asks from ``peer_seq`` but this source starts at
    ``local_seq`` (the receiver lost records it had acknowledged).
    """

    def __init__(self, stream: str, reason: str, peer_seq: int, local_seq: int) -> None:
        super().__init__(f"stream {stream}: {reason} (peer {peer_seq}, local {local_seq})")
        self.stream = stream
        self.reason = reason
        self.peer_seq = peer_seq
        self.local_seq = local_seq


@dataclass
class _Window:
    sent: int
    """Highest seq handed to the transport in this session."""
    inflight: deque[tuple[int, int, float]] = field(default_factory=deque)
    """(first, last, sent at) per unacknowledged batch."""
    rewound_at: int = -1


SendFn = Callable[[str, list[Record]], bool]
"""Hand one batch of a stream to the transport; False when it cannot take it now."""


class Sender:
    """The sending end of a source's streams for one session, opened from the peer's acks."""

    def __init__(
        self,
        source: OutboxSource,
        acks: Mapping[str, object],
        *,
        batch_records: int,
        ack_timeout_s: float,
    ) -> None:
        """``acks``: the receiver's last stored seq per stream. Raises StreamBroken."""
        self._source = source
        self._batch = max(1, batch_records)
        self._timeout = ack_timeout_s
        self._windows: dict[str, _Window] = {}
        for name, (last, acked) in source.positions().items():
            held = acks.get(name, 0)
            if not isinstance(held, int):
                held = 0
            if held > last:
                raise StreamBroken(name, "ahead", held, last)
            if held > acked:
                source.acked(name, held)
            self._windows[name] = _Window(sent=held)

    def pump(self, credit: int, now: float, send: SendFn) -> bool:
        """Send what ``credit`` allows, streams in priority order. True if anything went.

        One batch at a time, looking again from the highest-priority stream after each:
        a record written while lower streams' batches go (an escalation during a
        summary backlog) is next, not after them."""
        went = False
        while True:
            pos = self._source.positions()
            for name, w in self._windows.items():
                if len(w.inflight) < credit and w.sent < pos.get(name, (0, 0))[0]:
                    records = self._source.read(name, w.sent, self._batch)
                    if records:
                        break
            else:
                return went
            if records[0][0] != w.sent + 1:
                raise StreamBroken(name, "pruned", w.sent + 1, records[0][0])
            if not send(name, records):
                return went
            w.inflight.append((records[0][0], records[-1][0], now))
            w.sent = records[-1][0]
            went = True

    def ack(self, stream: str, through: int, resend: bool) -> tuple[int, bool]:
        """A cumulative ack. Returns (records newly acknowledged, rewound for a resend)."""
        w = self._windows.get(stream)
        if w is None:
            return 0, False
        acked = self._source.positions().get(stream, (0, 0))[1]
        newly = max(0, through - acked)
        if newly:
            self._source.acked(stream, through)
        while w.inflight and w.inflight[0][1] <= through:
            w.inflight.popleft()
        if resend and through != w.rewound_at and w.sent > through:
            # The receiver saw a gap: everything after ``through`` is resent, once.
            w.rewound_at = through
            w.sent = through
            w.inflight.clear()
            return newly, True
        return newly, False

    def sent(self, stream: str) -> int | None:
        """The highest seq of ``stream`` handed to the transport (None: not one of the
        source's streams). A receiver cannot acknowledge more than this."""
        w = self._windows.get(stream)
        return None if w is None else w.sent

    def overdue(self, now: float) -> bool:
        """Some batch has waited longer than the ack timeout (end the session, resume)."""
        return any(
            w.inflight and now - w.inflight[0][2] > self._timeout for w in self._windows.values()
        )

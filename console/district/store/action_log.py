"""The action log in the site database: append in the caller's transaction, forward, verify.

``append`` is called inside the transaction of the change it records (a
writer job, or the CLI's own transaction): it takes the database's write lock
first, reads the chain head, and inserts the entries with the next seqs and
their hashes (console.shared.audit). Two writers can therefore never fork the
chain: the second waits for the first to commit and then sees its head.

``forward_job`` copies entries not yet forwarded into the outbox stream
``audit`` (one ``entry`` record each, in seq order) in one transaction with the
forwarded mark. ``verify`` walks the chain and names the first entry that is
not what was written; it also compares the log with what was already
forwarded (the mark, and the copies still in the outbox), which catches a
log cut at its end or rewritten with recomputed hashes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import msgspec
from sqlalchemy import Connection, Engine, select

from console.district.store.outbox import Outbox
from console.district.store.schema import action_log, meta
from console.shared import records
from console.shared.audit import GENESIS, ActionEntry, clean, entry_hash
from console.shared.records import AuditEntry
from console.shared.vocab import AuditAction, Stream

log = logging.getLogger(__name__)

FORWARDED_KEY = "audit_forwarded_seq"
"""``meta`` key: the last action-log seq copied into the outbox."""
FORWARD_BATCH = 500
_HEX = re.compile(r"^[0-9a-f]{64}$")
_LOCK_SQL = "UPDATE action_log SET seq = seq WHERE 0"
"""Changes nothing, but makes SQLite take the write lock now (before the head is read)."""


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str
    ts_ms: int = 0


def chain_id(conn: Connection) -> str:
    """The chain's id: the database's stream id (a new database starts a new chain)."""
    return str(conn.execute(select(meta.c.value).where(meta.c.key == "stream_id")).scalar_one())


def _meta_int(conn: Connection, key: str) -> int:
    v = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def read_head(conn: Connection) -> ChainHead:
    row = conn.execute(
        select(action_log.c.seq, action_log.c.hash, action_log.c.ts_ms)
        .order_by(action_log.c.seq.desc())
        .limit(1)
    ).first()
    return ChainHead(0, GENESIS) if row is None else ChainHead(int(row[0]), str(row[1]), row[2])


def fields_of(chain: str, row: Any) -> dict[str, Any]:
    """The entry as hashed and sent: the ``entry`` record's fields without ``hash``."""
    return {
        "v": records.VERSION,
        "chain": chain,
        "seq": row.seq,
        "ts": row.ts_ms,
        "user": row.user_id,
        "name": row.user_name,
        "roles": row.roles,
        "auth": bool(row.authenticated),
        "ws": row.workstation,
        "action": row.action,
        "object": row.object_id,
        "before": row.before_value,
        "after": row.after_value,
        "note": row.note,
        "prev": row.prev_hash,
    }


@dataclass(frozen=True)
class _Row:
    """An entry as ``fields_of`` reads it, before it is stored."""

    seq: int
    ts_ms: int
    user_id: str
    user_name: str
    roles: str
    authenticated: bool
    workstation: str
    action: str
    object_id: str
    before_value: str
    after_value: str
    note: str
    prev_hash: str


def append(conn: Connection, entries: Sequence[ActionEntry]) -> ChainHead:
    """Chain ``entries`` after the head, inside the caller's transaction; return the new head."""
    if not entries:
        return read_head(conn)
    conn.exec_driver_sql(_LOCK_SQL)
    head = read_head(conn)
    chain = chain_id(conn)
    seq, prev = head.seq, head.hash
    rows = []
    for e in entries:
        seq += 1
        r = _Row(
            seq,
            e.ts_ms,
            e.user,
            e.name,
            e.roles,
            e.authenticated,
            e.workstation,
            e.action,
            e.object,
            e.before,
            e.after,
            e.note,
            prev,
        )
        h = entry_hash(fields_of(chain, r))
        rows.append({**asdict(r), "hash": h})
        prev = h
    conn.execute(action_log.insert(), rows)
    return ChainHead(seq, prev, entries[-1].ts_ms)


def append_job(entries: Sequence[ActionEntry]) -> Callable[[Connection], None]:
    """A store-writer job appending ``entries`` (a change with no other rows, e.g. a log-out)."""
    items = list(entries)

    def job(conn: Connection) -> None:
        append(conn, items)

    return job


def last_entry(conn: Connection, action: AuditAction) -> dict[str, Any] | None:
    row = conn.execute(
        select(action_log)
        .where(action_log.c.action == action.value)
        .order_by(action_log.c.seq.desc())
        .limit(1)
    ).first()
    return None if row is None else dict(row._mapping)


# -- forwarding to the hub ---------------------------------------------------------------
def record_of(chain: str, row: Any) -> AuditEntry:
    """The ``entry`` record of a stored row. Never raises: a row edited by hand into
    something the record cannot carry is sent cleaned (the hub's re-hash then fails,
    which is how the city learns of it)."""
    fields = fields_of(chain, row)
    fields["hash"] = row.hash
    try:
        return msgspec.convert(fields, AuditEntry)
    except (msgspec.ValidationError, ValueError) as exc:
        log.warning("action-log entry %s is not a valid record (%s); sent cleaned", row.seq, exc)
    for k, limit in (("user", 64), ("name", 128), ("roles", 64), ("ws", 64), ("action", 32)):
        fields[k] = clean(str(fields[k]), limit)
    for k in ("user", "roles", "action"):
        fields[k] = fields[k] or "?"
    fields["object"] = clean(str(fields["object"]), 128)
    for k in ("before", "after", "note"):
        fields[k] = clean(str(fields[k]), 1000)
    for k in ("prev", "hash"):
        v = str(fields[k])
        fields[k] = v if _HEX.match(v) else "f" * 64
    fields["seq"] = min(max(_int(fields["seq"]), 1), records.JSON_INT_MAX)
    fields["ts"] = min(max(_int(fields["ts"]), 0), records.JSON_INT_MAX)
    fields["auth"] = bool(fields["auth"])
    fields["chain"] = clean(chain, 64) or "?"
    return msgspec.convert(fields, AuditEntry)


def _int(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError, OverflowError):
        return 0


def forward_job(outbox: Outbox) -> Callable[[Connection], Callable[[], None] | None]:
    """A store-writer job: entries after the forwarded mark into the ``audit`` stream."""

    def job(conn: Connection) -> Callable[[], None] | None:
        done = _meta_int(conn, FORWARDED_KEY)
        rows = conn.execute(
            select(action_log)
            .where(action_log.c.seq > done)
            .order_by(action_log.c.seq)
            .limit(FORWARD_BATCH)
        ).all()
        if not rows:
            return None
        chain = chain_id(conn)
        recs = [
            (AuditEntry.KIND.value, _int(r.ts_ms), records.encode(record_of(chain, r)))
            for r in rows
        ]
        mark = str(int(rows[-1].seq))
        updated = conn.execute(meta.update().where(meta.c.key == FORWARDED_KEY).values(value=mark))
        if not updated.rowcount:
            conn.execute(meta.insert().values(key=FORWARDED_KEY, value=mark))
        return outbox.append_job(Stream.AUDIT, recs)(conn)

    return job


# -- reading -------------------------------------------------------------------------------
def search(
    engine: Engine,
    *,
    text: str = "",
    since_ms: int | None = None,
    until_ms: int | None = None,
    actions: Sequence[str] = (),
    user: str = "",
    limit: int = 10_000,
    newest_first: bool = True,
) -> list[dict[str, Any]]:
    """Entries filtered in SQL (the log grows for years)."""
    c = action_log.c
    q = select(action_log).limit(limit)
    q = q.order_by(c.seq.desc() if newest_first else c.seq)
    if since_ms is not None:
        q = q.where(c.ts_ms >= since_ms)
    if until_ms is not None:
        q = q.where(c.ts_ms < until_ms)
    if actions:
        q = q.where(c.action.in_(list(actions)))
    if user:
        q = q.where(c.user_id == user)
    if text:
        like = f"%{text}%"
        q = q.where(
            c.user_id.like(like)
            | c.user_name.like(like)
            | c.object_id.like(like)
            | c.note.like(like)
            | c.action.like(like)
            | c.workstation.like(like)
        )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def head(engine: Engine) -> ChainHead:
    with engine.connect() as conn:
        return read_head(conn)


# -- verification ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    seq: int
    """The entry named (for a cut end: the first missing seq)."""
    kind: str
    """``edited``, ``missing``, ``relinked`` (inserted/reordered/removed before it),
    ``misnumbered``, ``cut`` (entries forwarded to the city are gone from the end),
    ``differs_from_sent`` (not what was forwarded to the city)."""
    detail: str


@dataclass(frozen=True)
class VerifyReport:
    chain: str
    entries: int
    head: ChainHead
    forwarded_seq: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "chain": self.chain,
            "entries": self.entries,
            "head": {"seq": self.head.seq, "hash": self.head.hash, "ts_ms": self.head.ts_ms},
            "forwarded_seq": self.forwarded_seq,
            "first_bad": None if self.first_bad is None else asdict(self.first_bad),
            "problems": [asdict(p) for p in self.problems],
        }


def _describe(row: Any) -> str:
    return f"{row.action} by {row.user_id} on {row.object_id or '-'} at ts {row.ts_ms}"


def _rows(conn: Connection, chunk: int = 5000) -> Iterator[Any]:
    after: int | None = None
    while True:
        q = select(action_log).order_by(action_log.c.seq).limit(chunk)
        if after is not None:
            q = q.where(action_log.c.seq > after)
        rows = conn.execute(q).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def _sent_copies(conn: Connection) -> dict[int, str]:
    """entry seq → hash, of the ``audit`` records still in the outbox."""
    out: dict[int, str] = {}
    for (payload,) in conn.exec_driver_sql(
        "SELECT payload FROM outbox WHERE stream = ? ORDER BY seq", (Stream.AUDIT.value,)
    ):
        try:
            rec = records.decode_as(AuditEntry, bytes(payload))
        except records.RecordError:
            continue
        out.setdefault(rec.seq, rec.hash)
    return out


def _hash_or_none(chain: str, row: Any) -> str | None:
    try:
        return entry_hash(fields_of(chain, row))
    except (TypeError, ValueError):  # a value edited into something JSON cannot carry
        return None


def verify(engine: Engine) -> VerifyReport:
    """Walk the chain; every problem in seq order (the first is the first bad entry)."""
    problems: list[Problem] = []
    with engine.connect() as conn:
        chain = chain_id(conn)
        forwarded = _meta_int(conn, FORWARDED_KEY)
        sent = _sent_copies(conn)
        expected, prev, n = 1, GENESIS, 0
        last: Any = None
        for row in _rows(conn):
            n += 1
            seq = row.seq
            if seq < expected:
                problems.append(
                    Problem(seq, "misnumbered", f"entry {seq} is numbered before entry {expected}")
                )
            elif seq > expected:
                gone = f"{expected}" if seq == expected + 1 else f"{expected}-{seq - 1}"
                problems.append(
                    Problem(
                        seq,
                        "missing",
                        f"entry {seq} follows entry {expected - 1}: "
                        f"entry {gone} is missing (deleted)",
                    )
                )
            elif row.prev_hash != prev:
                problems.append(
                    Problem(
                        seq,
                        "relinked",
                        f"entry {seq} ({_describe(row)}) does not link to "
                        f"entry {seq - 1}: an entry was inserted, removed or moved here, or entry "
                        f"{seq - 1} was changed and its hash recomputed",
                    )
                )
            elif _hash_or_none(chain, row) != row.hash:
                problems.append(
                    Problem(
                        seq,
                        "edited",
                        f"entry {seq} ({_describe(row)}) does not match its "
                        "hash: it was changed after it was written",
                    )
                )
            elif seq in sent and sent[seq] != row.hash:
                problems.append(
                    Problem(
                        seq,
                        "differs_from_sent",
                        f"entry {seq} ({_describe(row)}) is not "
                        "the entry forwarded to the city: the chain was rewritten",
                    )
                )
            expected = max(expected, seq) + 1
            prev = row.hash
            last = row
        last_seq = 0 if last is None else int(last.seq)
        if forwarded > last_seq:
            gone = f"{last_seq + 1}" if forwarded == last_seq + 1 else f"{last_seq + 1}-{forwarded}"
            problems.append(
                Problem(
                    last_seq + 1,
                    "cut",
                    f"entries {gone} were forwarded to the city but "
                    "are missing here (deleted from the end)",
                )
            )
    problems.sort(key=lambda p: p.seq)
    h = ChainHead(0, GENESIS) if last is None else ChainHead(last_seq, last.hash, last.ts_ms)
    return VerifyReport(chain, n, h, forwarded, problems)

"""An action log in a database table: append in the caller's transaction, search, verify.

Both products keep one: the district console in its site log (table
``action_log``, its chain forwarded to the city), the city IOC in the hub
database (table ``ioc_action_log``). ``ActionChain`` is given the table (made
by ``action_log_table``, so the columns are the same) and how to read the
chain's id; the hashing is console.shared.audit's.

``append`` takes the table's write lock first — SQLite: a no-op UPDATE makes
the connection the writer; PostgreSQL: ``LOCK TABLE … IN SHARE ROW EXCLUSIVE
MODE``, which readers pass and a second appender waits on — then reads the head
and inserts the entries with the next seqs and their hashes. Two writers (two
IOC workstations on one PostgreSQL database) therefore never fork the chain:
the second waits for the first to commit and then sees its head.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)

from console.shared import records
from console.shared.audit import GENESIS, ActionEntry, entry_hash
from console.shared.vocab import AuditAction


def action_log_table(metadata: MetaData, name: str) -> Table:
    """The columns of an action log (docs/ROLES.md, "The action log"), and its time index."""
    t = Table(
        name,
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("ts_ms", BigInteger, nullable=False),
        Column("user_id", String(64), nullable=False),
        Column("user_name", String(128), nullable=False),
        Column("roles", String(64), nullable=False),
        Column("authenticated", Boolean, nullable=False),
        Column("workstation", String(64), nullable=False),
        Column("action", String(32), nullable=False),
        Column("object_id", String(128), nullable=False),
        Column("before_value", Text, nullable=False),
        Column("after_value", Text, nullable=False),
        Column("note", Text, nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    )
    Index(f"ix_{name}_ts", t.c.ts_ms)
    return t


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str
    ts_ms: int = 0


def fields_of(chain: str, row: Any) -> dict[str, Any]:
    """The entry as hashed (and, at the district, sent): the ``entry`` record's fields
    (docs/PROTOCOL.md §2.6) without ``hash``."""
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


# -- verification -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    seq: int
    """The entry named (for a cut end: the first missing seq)."""
    kind: str
    """``edited``, ``missing``, ``relinked`` (inserted/reordered/removed before it),
    ``misnumbered``, ``cut`` (entries forwarded elsewhere are gone from the end),
    ``differs_from_sent`` (not what was forwarded)."""
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


class ActionChain:
    """One action log: its table and the id of its chain (read in the transaction)."""

    def __init__(self, table: Table, chain_id: Callable[[Connection], str]) -> None:
        self.table = table
        self.chain_id = chain_id

    def _lock(self, conn: Connection) -> None:
        name = self.table.name
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE")
        else:  # changes nothing, but makes SQLite take the write lock now
            conn.exec_driver_sql(f"UPDATE {name} SET seq = seq WHERE 0")

    def read_head(self, conn: Connection) -> ChainHead:
        c = self.table.c
        row = conn.execute(select(c.seq, c.hash, c.ts_ms).order_by(c.seq.desc()).limit(1)).first()
        return ChainHead(0, GENESIS) if row is None else ChainHead(int(row[0]), str(row[1]), row[2])

    def append(self, conn: Connection, entries: Sequence[ActionEntry]) -> ChainHead:
        """Chain ``entries`` after the head, inside the caller's transaction; the new head."""
        if not entries:
            return self.read_head(conn)
        self._lock(conn)
        head = self.read_head(conn)
        chain = self.chain_id(conn)
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
        conn.execute(self.table.insert(), rows)
        return ChainHead(seq, prev, entries[-1].ts_ms)

    def last_entry(self, conn: Connection, action: AuditAction) -> dict[str, Any] | None:
        c = self.table.c
        row = conn.execute(
            select(self.table).where(c.action == action.value).order_by(c.seq.desc()).limit(1)
        ).first()
        return None if row is None else dict(row._mapping)

    def head(self, engine: Engine) -> ChainHead:
        with engine.connect() as conn:
            return self.read_head(conn)

    def search(
        self,
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
        """Entries filtered in SQL (a log grows for years)."""
        c = self.table.c
        q = select(self.table).limit(limit)
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

    def _rows(self, conn: Connection, chunk: int = 5000) -> Iterator[Any]:
        c = self.table.c
        after: int | None = None
        while True:
            q = select(self.table).order_by(c.seq).limit(chunk)
            if after is not None:
                q = q.where(c.seq > after)
            rows = conn.execute(q).all()
            if not rows:
                return
            yield from rows
            after = rows[-1].seq

    def verify(
        self, conn: Connection, *, sent: Mapping[int, str] | None = None, forwarded: int = 0
    ) -> VerifyReport:
        """Walk the chain; every problem in seq order (the first is the first bad entry).

        ``sent``: seq → hash of copies forwarded elsewhere and still at hand;
        ``forwarded``: the last seq forwarded (entries cut from the end past it show).
        """
        sent = sent or {}
        chain = self.chain_id(conn)
        problems: list[Problem] = []
        expected, prev, n = 1, GENESIS, 0
        last: Any = None
        for row in self._rows(conn):
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


def _hash_or_none(chain: str, row: Any) -> str | None:
    try:
        return entry_hash(fields_of(chain, row))
    except (TypeError, ValueError):  # a value edited into something JSON cannot carry
        return None

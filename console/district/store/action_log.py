"""The action log in the site database: append in the caller's transaction, forward, verify.

``append`` is called inside the transaction of the change it records (a
writer job, or the CLI's own transaction); the chain itself — the write lock
taken first, the head read, the entries inserted with the next seqs and their
hashes — is console.shared.action_chain's, the same code as the city IOC's
log. Two writers can therefore never fork the chain.

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
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from sqlalchemy import Connection, Engine, select

from console.district.store.outbox import Outbox
from console.district.store.schema import action_log, meta
from console.shared import records
from console.shared.action_chain import (
    ActionChain,
    ChainHead,
    Problem,
    VerifyReport,
    fields_of,
)
from console.shared.audit import ActionEntry, clean
from console.shared.records import AuditEntry
from console.shared.vocab import AuditAction, Stream

log = logging.getLogger(__name__)

FORWARDED_KEY = "audit_forwarded_seq"
"""``meta`` key: the last action-log seq copied into the outbox."""
FORWARD_BATCH = 500
_HEX = re.compile(r"^[0-9a-f]{64}$")


def chain_id(conn: Connection) -> str:
    """The chain's id: the database's stream id (a new database starts a new chain)."""
    return str(conn.execute(select(meta.c.value).where(meta.c.key == "stream_id")).scalar_one())


def _meta_int(conn: Connection, key: str) -> int:
    v = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


CHAIN = ActionChain(action_log, chain_id)
"""The site's action log (console.shared.action_chain)."""


def read_head(conn: Connection) -> ChainHead:
    return CHAIN.read_head(conn)


def append(conn: Connection, entries: Sequence[ActionEntry]) -> ChainHead:
    """Chain ``entries`` after the head, inside the caller's transaction; return the new head."""
    return CHAIN.append(conn, entries)


def append_job(entries: Sequence[ActionEntry]) -> Callable[[Connection], None]:
    """A store-writer job appending ``entries`` (a change with no other rows, e.g. a log-out)."""
    items = list(entries)

    def job(conn: Connection) -> None:
        append(conn, items)

    return job


def last_entry(conn: Connection, action: AuditAction) -> dict[str, Any] | None:
    return CHAIN.last_entry(conn, action)


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
    return CHAIN.search(
        engine,
        text=text,
        since_ms=since_ms,
        until_ms=until_ms,
        actions=actions,
        user=user,
        limit=limit,
        newest_first=newest_first,
    )


def head(engine: Engine) -> ChainHead:
    return CHAIN.head(engine)


# -- verification ---------------------------------------------------------------------------
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


def verify(engine: Engine) -> VerifyReport:
    """Walk the chain; every problem in seq order (the first is the first bad entry). The
    forwarded mark and the copies still in the outbox are compared too."""
    with engine.connect() as conn:
        return CHAIN.verify(conn, sent=_sent_copies(conn), forwarded=_meta_int(conn, FORWARDED_KEY))


__all__ = ["ChainHead", "Problem", "VerifyReport", "append", "fields_of", "search", "verify"]

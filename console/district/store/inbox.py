"""The console's inbox: the hub's downlink records, stored exactly once, and what they mean.

``ConsoleInbox`` is the transport's ``DownlinkInbox``: the uplink thread hands it
each downlink DATA and sends the ACK only after ``commit`` returns. One writer
job does, in ONE transaction: read the stream's mark, apply the receiver's rule
(``transport.streams.intake``: drop seq ≤ mark, refuse a gap), validate and
apply every fresh record (a directive, a city warning…), keep each raw in
``inbox`` and move the mark. A record that does not validate is kept with its
problem and acknowledged like the others (the stream must not block); it
changes nothing else.

Applying is idempotent by the item's own key (a directive's id, a warning's
sender and identifier), so the same item arriving under another hub database
id (``hub new-downlink-id``) is applied once.

``store_warning`` is also what ``opsconsole cap import`` calls (in its own
transaction, with or without a console running); every change to directives
or warnings bumps ``meta.inbox_rev``, which the running console polls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.district.store.commit import Commit
from console.district.store.schema import city_warnings, directives, inbox, inbox_marks, meta
from console.shared import cap, records
from console.shared.clock import Clock, time_ms
from console.shared.records import CityWarning, Directive, EscalationAck, LinkRecord, RecordError
from console.shared.vocab import DOWNLINK_PRIORITY
from transport.streams import Batch, BatchResult, intake

log = logging.getLogger(__name__)

REV_KEY = "inbox_rev"
"""``meta`` key: bumped by every transaction that changes directives or city warnings."""
DEFAULT_LIFETIME = timedelta(hours=24)
"""A warning whose info blocks give no ``expires`` is shown this long after ``sent``."""
PROBLEM_MAX = 500

Apply = Callable[[Connection, Any, int], bool]
"""(transaction, decoded record, now ms) → whether directives or warnings changed."""

APPLIERS: dict[tuple[str, str], tuple[type[LinkRecord], Apply]] = {}
"""(stream, kind) → (record type, how the console applies it)."""


def applies(cls: type[LinkRecord]) -> Callable[[Apply], Apply]:
    def register(fn: Apply) -> Apply:
        APPLIERS[(cls.STREAM.value, cls.KIND.value)] = (cls, fn)
        return fn

    return register


def bump_rev(conn: Connection) -> None:
    """One more change to directives or warnings (the running console polls this)."""
    done = conn.exec_driver_sql(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ?",
        (REV_KEY,),
    )
    if not done.rowcount:
        conn.execute(meta.insert().values(key=REV_KEY, value="1"))


def lock_now(conn: Connection) -> None:
    """Take SQLite's write lock before reading (a CLI writing beside a running console: its
    reads then see the writer's last commit, and its writes cannot fail on a stale read)."""
    conn.exec_driver_sql("UPDATE meta SET value = value WHERE 0")


def read_rev(engine: Engine) -> int:
    with engine.connect() as conn:
        v = conn.execute(select(meta.c.value).where(meta.c.key == REV_KEY)).scalar()
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


# -- applying each kind -------------------------------------------------------------------
@applies(Directive)
def _directive(conn: Connection, rec: Directive, now: int) -> bool:
    stmt = sqlite_insert(directives).values(
        directive_id=rec.id,
        text=rec.text,
        priority=rec.priority.value,
        due_ms=rec.due,
        ref=rec.ref,
        sites=",".join(rec.sites),
        issued_by=rec.by,
        issued_name=rec.name,
        issued_ms=rec.ts,
        received_ms=now,
        read_by="",
        read_name="",
        read_ms=0,
        done_by="",
        done_name="",
        done_ms=0,
        done_note="",
    )
    return bool(conn.execute(stmt.on_conflict_do_nothing(index_elements=["directive_id"])).rowcount)


@applies(CityWarning)
def _warning(conn: Connection, rec: CityWarning, now: int) -> bool:
    try:
        version, alert = cap.parse_versioned(rec.cap, max_bytes=records.MAX_CAP_BYTES)
    except cap.CapError as exc:
        raise RecordError("invalid", f"CityWarning: cap: {exc}") from None
    return store_warning(conn, rec.cap, version, alert, "hub", now)


@applies(EscalationAck)
def _escalation_ack(conn: Connection, rec: EscalationAck, now: int) -> bool:
    """Kept in the inbox (validated); the escalation work applies it to its escalations."""
    return False


def _info(alert: cap.CapAlert, lang: str) -> cap.CapInfo | None:
    for info in alert.infos:
        if info.language.lower().startswith(lang):
            return info
    return None


def store_warning(
    conn: Connection, xml: bytes, version: str, alert: cap.CapAlert, source: str, now: int
) -> bool:
    """Keep a validated CAP warning once per (sender, identifier); an Update supersedes and a
    Cancel cancels the messages it references. False when it was already held."""
    if len(alert.sender) > 200 or len(alert.identifier) > 200:
        raise RecordError("invalid", "CityWarning: cap: sender or identifier over 200 characters")
    exists = conn.execute(
        select(city_warnings.c.sender).where(
            city_warnings.c.sender == alert.sender, city_warnings.c.identifier == alert.identifier
        )
    ).first()
    if exists is not None:
        return False
    vi = _info(alert, "vi")
    en = _info(alert, "en")
    main = vi or en or (alert.infos[0] if alert.infos else None)
    sent_ms = int(alert.sent.timestamp() * 1000)
    expires = [i.expires for i in alert.infos if i.expires is not None]
    expires_ms = (
        int(max(expires).timestamp() * 1000)
        if expires
        else sent_ms + int(DEFAULT_LIFETIME.total_seconds() * 1000)
    )

    def area(info: cap.CapInfo | None) -> str:
        return "; ".join(a.area_desc for a in info.areas) if info is not None else ""

    conn.execute(
        city_warnings.insert().values(
            sender=alert.sender,
            identifier=alert.identifier,
            source=source,
            cap_version=version,
            status=alert.status.value,
            msg_type=alert.msg_type.value,
            sent_ms=sent_ms,
            event=main.event if main else "",
            event_en=en.event if en else "",
            severity=main.severity.value if main else "",
            urgency=main.urgency.value if main else "",
            certainty=main.certainty.value if main else "",
            headline=(main.headline or "") if main else "",
            headline_en=(en.headline or "") if en else "",
            area=area(main),
            area_en=area(en),
            expires_ms=expires_ms,
            received_ms=now,
            cancelled_ms=0,
            superseded_by="",
            xml=xml,
        )
    )
    for ref in alert.references:
        where = (city_warnings.c.sender == ref.sender) & (
            city_warnings.c.identifier == ref.identifier
        )
        if alert.msg_type is cap.MsgType.CANCEL:
            conn.execute(update(city_warnings).where(where).values(cancelled_ms=now))
        elif alert.msg_type is cap.MsgType.UPDATE:
            conn.execute(
                update(city_warnings)
                .where(where)
                .values(superseded_by=f"{alert.sender},{alert.identifier}")
            )
    return True


# -- the DownlinkInbox ------------------------------------------------------------------------
class ConsoleInbox:
    """The transport's ``DownlinkInbox`` over the site log (commits through ``commit``: the
    store writer in a running console)."""

    def __init__(self, engine: Engine, commit: Commit, clock: Clock) -> None:
        self.engine = engine
        self._commit = commit
        self._clock = clock
        self._lock = threading.Lock()
        self.problems: dict[str, int] = {}
        """Records kept but not applied since start, by reason (a bad record from the hub)."""
        self.applied = 0
        self._recent: tuple[str, dict[str, int]] = ("", {})
        self._load()

    def _load(self) -> None:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    inbox_marks.c.source_db,
                    inbox_marks.c.stream,
                    inbox_marks.c.last_seq,
                    inbox_marks.c.updated_ms,
                )
            ).all()
        newest = max(rows, key=lambda r: int(r.updated_ms), default=None)
        db = "" if newest is None else str(newest.source_db)
        marks = {str(r.stream): int(r.last_seq) for r in rows if r.source_db == db}
        with self._lock:
            self._recent = (db, marks)

    def hello(self) -> tuple[str, dict[str, int]]:
        with self._lock:
            db, marks = self._recent
        return db, {s.value: marks.get(s.value, 0) for s in DOWNLINK_PRIORITY}

    def positions(self, peer: str, db: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(inbox_marks.c.stream, inbox_marks.c.last_seq).where(
                    inbox_marks.c.source_db == db
                )
            ).all()
        return {str(s): int(n) for s, n in rows}

    def healthy(self) -> bool:
        return True

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        now = time_ms(self._clock)

        def job(conn: Connection) -> tuple[list[BatchResult], dict[str, int], int]:
            results: list[BatchResult] = []
            problems: dict[str, int] = {}
            applied = 0
            for b in batches:
                res, n = self._store(conn, b, now, problems)
                results.append(res)
                applied += n
            return results, problems, applied

        results, problems, applied = self._commit.run(job)
        with self._lock:
            for k, v in problems.items():
                self.problems[k] = self.problems.get(k, 0) + v
            self.applied += applied
            db, marks = self._recent
            for b, r in zip(batches, results, strict=True):
                if b.db != db:
                    db, marks = b.db, {}
                marks = {**marks, b.stream: max(marks.get(b.stream, 0), r.through)}
            self._recent = (db, marks)
        return results

    def _store(
        self, conn: Connection, b: Batch, now: int, problems: dict[str, int]
    ) -> tuple[BatchResult, int]:
        last = conn.execute(
            select(inbox_marks.c.last_seq).where(
                inbox_marks.c.source_db == b.db, inbox_marks.c.stream == b.stream
            )
        ).scalar()
        last = int(last or 0)
        got = intake(last, b.records)
        if not got.fresh:
            return got.result(last), 0
        rows = []
        changed = False
        applied = 0
        for seq, kind, created, payload in got.fresh:
            problem = ""
            entry = APPLIERS.get((b.stream, kind))
            try:
                if entry is None:
                    records.check_msgpack(payload)
                    raise RecordError("unknown_kind", f"no record type for {b.stream}/{kind}")
                cls, fn = entry
                changed = fn(conn, records.decode_as(cls, payload), now) or changed
                applied += 1
            except RecordError as exc:
                problem = f"{exc.code}: {exc.detail}"[:PROBLEM_MAX]
                problems[exc.code] = problems.get(exc.code, 0) + 1
                log.warning("downlink %s seq %d kept, not applied: %s", b.stream, seq, problem)
            rows.append(
                {
                    "source_db": b.db,
                    "stream": b.stream,
                    "seq": seq,
                    "kind": kind,
                    "created_ms": created,
                    "received_ms": now,
                    "payload": payload,
                    "problem": problem,
                }
            )
        conn.execute(inbox.insert(), rows)
        through = got.fresh[-1][0]
        stmt = sqlite_insert(inbox_marks).values(
            source_db=b.db, stream=b.stream, last_seq=through, updated_ms=now
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["source_db", "stream"],
                set_={"last_seq": through, "updated_ms": now},
            )
        )
        if changed:
            bump_rev(conn)
        return got.result(last), applied

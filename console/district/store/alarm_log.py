"""Persisting alarm transitions and state; reading them back for restarts, the CLI and the journal.

A transition an operator commanded (it carries the acting session) is also
appended to the action log, in the same transaction as the journal row and
the new state: the record of who did it cannot exist without the change, nor
the change without the record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.district.store.action_log import append
from console.district.store.schema import alarm_events, alarm_state
from console.shared.audit import ActionEntry
from console.shared.text import fold
from console.shared.vocab import AlarmEvent, AuditAction

ACTIONS = {
    AlarmEvent.ACK: AuditAction.ACKNOWLEDGE,
    AlarmEvent.SHELVE: AuditAction.SHELVE,
    AlarmEvent.UNSHELVE: AuditAction.UNSHELVE,
    AlarmEvent.REMOVE: AuditAction.OUT_OF_SERVICE,
    AlarmEvent.RESTORE: AuditAction.RETURN_TO_SERVICE,
}
"""The action-log action of each operator command on an alarm."""


def action_entries(transitions: Sequence[Any]) -> list[ActionEntry]:
    """One entry per transition an operator commanded (it carries the acting session)."""
    out = []
    for t in transitions:
        actor = getattr(t, "actor", None)
        if actor is None or t.event not in ACTIONS:
            continue
        out.append(
            ActionEntry.of(
                actor,
                ACTIONS[t.event],
                t.ts_ms,
                obj=t.alarm_id,
                before=str(t.prior or ""),
                after=str(t.state),
                note=t.note,
            )
        )
    return out


FOLD_SQL = "opsconsole_fold"
"""A SQL function registered per connection: text lower-cased without Vietnamese
diacritics (console.shared.text.fold), so the journal matches "da bao" to "đã báo"."""


def alarm_job(
    transitions: Sequence[Any], rows: Sequence[dict[str, Any]]
) -> Callable[[Connection], None]:
    """A writer job: journal rows and state upserts, committed with the readings around them."""
    events = [
        {
            "ts_ms": t.ts_ms,
            "alarm_id": t.alarm_id,
            "feed_key": t.feed_key,
            "rule": t.rule,
            "event": t.event,
            "state": t.state,
            "severity": t.severity,
            "value": None if t.value != t.value else t.value,
            "user": t.user,
            "workstation": t.workstation,
            "note": t.note,
        }
        for t in transitions
    ]
    states = [dict(r) for r in rows]
    actions = action_entries(transitions)

    def apply(conn: Connection) -> None:
        if actions:
            append(conn, actions)
        if events:
            conn.execute(alarm_events.insert(), events)
        if states:
            stmt = sqlite_insert(alarm_state)
            stmt = stmt.on_conflict_do_update(
                index_elements=["alarm_id"],
                set_={
                    c.name: stmt.excluded[c.name]
                    for c in alarm_state.columns
                    if c.name != "alarm_id"
                },
            )
            conn.execute(stmt, states)

    return apply


def load_alarm_state(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(alarm_state))]


def _fold_or_empty(value: object) -> str:
    return fold(value) if isinstance(value, str) else ""


def load_journal(
    engine: Engine,
    *,
    text: str = "",
    feed_keys: Sequence[str] = (),
    text_feeds: Sequence[str] = (),
    text_events: Sequence[str] = (),
    min_severity: int = 0,
    t0_ms: int | None = None,
    t1_ms: int | None = None,
    limit: int = 100_000,
) -> list[dict[str, Any]]:
    """Journal rows, newest first, filtered in SQL (it may hold millions of rows).

    ``text`` matches the alarm id, user and note ignoring case and diacritics; a row
    also matches it when its feed is in ``text_feeds`` or its event in ``text_events``.
    ``feed_keys`` (if any) restricts to those feeds."""
    q = (
        select(alarm_events)
        .order_by(alarm_events.c.ts_ms.desc(), alarm_events.c.id.desc())
        .limit(limit)
    )
    if feed_keys:
        q = q.where(alarm_events.c.feed_key.in_(list(feed_keys)))
    if min_severity:
        q = q.where(alarm_events.c.severity >= min_severity)
    if t0_ms is not None:
        q = q.where(alarm_events.c.ts_ms >= t0_ms)
    if t1_ms is not None:
        q = q.where(alarm_events.c.ts_ms < t1_ms)
    matches = []
    if text:
        like = f"%{fold(text)}%"
        folded = getattr(func, FOLD_SQL)
        matches += [
            folded(alarm_events.c.alarm_id).like(like),
            folded(alarm_events.c.note).like(like),
            folded(alarm_events.c.user).like(like),
            alarm_events.c.event.like(like),
        ]
    if text_feeds:
        matches.append(alarm_events.c.feed_key.in_(list(text_feeds)))
    if text_events:
        matches.append(alarm_events.c.event.in_(list(text_events)))
    if matches:
        q = q.where(or_(*matches))
    with engine.connect() as conn:
        if text:
            raw = conn.connection.driver_connection
            raw.create_function(FOLD_SQL, 1, _fold_or_empty, deterministic=True)  # type: ignore[union-attr]
        return [dict(r._mapping) for r in conn.execute(q)]

"""Persisting alarm transitions and state; reading them back for restarts, the CLI and the journal.

A transition an operator commanded (it carries the acting session) is also
appended to the action log, in the same transaction as the journal row and
the new state: the record of who did it cannot exist without the change, nor
the change without the record. With a city link, every transition is also
appended to the outbox's ``alarm`` stream in that same transaction, so the hub
learns each one exactly once (docs/PROTOCOL.md §2.6).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.district.store.action_log import append
from console.district.store.outbox import NewRecord
from console.district.store.schema import alarm_events, alarm_state
from console.shared import records
from console.shared.audit import ActionEntry, clean
from console.shared.records import AlarmTransition
from console.shared.text import fold
from console.shared.vocab import AlarmEvent, AuditAction

log = logging.getLogger(__name__)

Forward = Callable[[Connection, list[NewRecord]], Callable[[], None] | None]
"""Appends records to the outbox's ``alarm`` stream in the caller's transaction (returns the
outbox's after-commit callback)."""

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


def alarm_records(site: str, transitions: Sequence[Any]) -> list[NewRecord]:
    """One ``alarm``/``event`` record per transition (a transition that cannot be one is
    logged and left out: it never stops the writer)."""
    out: list[NewRecord] = []
    for t in transitions:
        value = t.value if isinstance(t.value, float | int) and math.isfinite(t.value) else None
        try:
            rec = AlarmTransition(
                site=site,
                alarm=clean(str(t.alarm_id), 100),
                feed=clean(str(t.feed_key), 64),
                rule=clean(str(t.rule), 16),
                event=clean(str(t.event), 16),
                state=clean(str(t.state), 16),
                prior=clean(str(t.prior or ""), 16),
                severity=int(t.severity),
                value=None if value is None else float(value),
                ts=int(t.ts_ms),
                user=clean(str(t.user or ""), 64),
                ws=clean(str(t.workstation or ""), 64),
                note=clean(str(t.note or ""), 1000),
            )
        except (TypeError, ValueError) as exc:
            log.error("alarm transition %s not forwarded to the hub: %s", t.alarm_id, exc)
            continue
        out.append((AlarmTransition.KIND.value, int(t.ts_ms), records.encode(rec)))
    return out


FOLD_SQL = "opsconsole_fold"
"""A SQL function registered per connection: text lower-cased without Vietnamese
diacritics (console.shared.text.fold), so the journal matches "da bao" to "đã báo"."""


def alarm_job(
    transitions: Sequence[Any],
    rows: Sequence[dict[str, Any]],
    forward: Forward | None = None,
    site: str = "",
) -> Callable[[Connection], Callable[[], None] | None]:
    """A writer job: journal rows and state upserts, committed with the readings around them;
    with ``forward``, each transition also goes into the outbox in the same transaction."""
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
    up = alarm_records(site, transitions) if forward is not None else []

    def apply(conn: Connection) -> Callable[[], None] | None:
        done = None
        if actions:
            append(conn, actions)
        if events:
            conn.execute(alarm_events.insert(), events)
        if up and forward is not None:
            done = forward(conn, up)
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
        return done

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

"""The alarm service: what an operator may do to alarms, and what the alarm views read.

Commands take the acting ``Session`` (who, with what role, from which
workstation) and the time from the console's clock. Each first passes the
console's one permission check (``AccessService.authorize``): a refused
command raises ``PermissionDeniedError`` and changes nothing. The engine then
takes its lock and hands the transition, with the session, to the writer,
which appends the action-log entry in the same transaction; so a command does
no I/O and is safe on the GUI thread. ``journal`` reads the log (SQL): call it
off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from console.district.domain.alarms import AlarmEngine, AlarmView, Transition
from console.district.services.access import AccessService
from console.district.store.alarm_log import load_journal
from console.shared.clock import Clock, time_ms
from console.shared.session import Session
from console.shared.vocab import AlarmRule, AlarmState, Permission

SHOWN_ON_FEED = (AlarmState.ACTIVE_UNACK, AlarmState.ACTIVE_ACK, AlarmState.CLEARED_UNACK)
"""Alarm states a feed's tile, browser row and legend entry show (shelved and out-of-service
alarms are deliberately quiet; they stay in the alarm table)."""


@dataclass(frozen=True)
class FeedAlarm:
    """The alarm a feed is shown with: its most important one, and whether any of the
    feed's alarms still waits for an acknowledgement."""

    severity: int
    state: AlarmState
    rule: AlarmRule
    active: bool
    unacknowledged: bool
    count: int
    """Alarms of this feed in a shown state."""


def alarms_by_feed(alarms: Iterable[AlarmView]) -> dict[int, FeedAlarm]:
    """One pass over the current alarms → what each feed in alarm shows, keyed by feed index.

    Most important first: an active alarm before a cleared one, then higher severity,
    then unacknowledged."""
    best: dict[int, AlarmView] = {}
    unack: dict[int, bool] = {}
    count: dict[int, int] = {}
    for a in alarms:
        if a.state not in SHOWN_ON_FEED or a.feed < 0:
            continue  # (a system alarm, e.g. the log's disk, belongs to no feed)
        f = a.feed
        count[f] = count.get(f, 0) + 1
        unack[f] = unack.get(f, False) or a.state.unacknowledged
        cur = best.get(f)
        if cur is None or _rank(a) > _rank(cur):
            best[f] = a
    return {
        f: FeedAlarm(
            a.severity, a.state, a.rule, a.state != AlarmState.CLEARED_UNACK, unack[f], count[f]
        )
        for f, a in best.items()
    }


def _rank(a: AlarmView) -> tuple[bool, int, bool]:
    return (a.state != AlarmState.CLEARED_UNACK, a.severity, a.state.unacknowledged)


class AlarmService:
    def __init__(
        self, engine: AlarmEngine, db: Engine, clock: Clock, access: AccessService
    ) -> None:
        self._engine = engine
        self._db = db
        self._clock = clock
        self._access = access

    def _allow(self, session: Session | None, permission: Permission) -> Session:
        self._access.authorize(session, permission)
        assert session is not None
        self._access.touch()
        return session

    # -- views (in memory) ----------------------------------------------------------
    @property
    def seq(self) -> int:
        """Sequence number of the newest transition (``recent_since`` takes it)."""
        return self._engine.seq

    @property
    def transitions(self) -> int:
        return self._engine.transitions

    def current(self) -> list[AlarmView]:
        """Every alarm not in plain normal."""
        return self._engine.current()

    def view(self, alarm_id: str) -> AlarmView:
        return self._engine.view(alarm_id)

    def recent_since(self, seq: int) -> tuple[int, list[Transition]]:
        return self._engine.recent_since(seq)

    # -- commands ------------------------------------------------------------------------
    def acknowledge(self, session: Session | None, ids: Sequence[str], note: str = "") -> list[str]:
        """Acknowledge each alarm that needs it; return those acknowledged."""
        s = self._allow(session, Permission.ACKNOWLEDGE)
        return self._engine.acknowledge(
            ids, s.label, time_ms(self._clock), note, s.workstation, actor=s
        )

    def shelve(
        self, session: Session | None, alarm_id: str, reason: str, duration_s: float
    ) -> None:
        s = self._allow(session, Permission.SHELVE)
        now = time_ms(self._clock)
        self._engine.shelve(
            alarm_id, s.label, reason, now + int(duration_s * 1000), now, s.workstation, actor=s
        )

    def unshelve(self, session: Session | None, alarm_id: str) -> None:
        s = self._allow(session, Permission.SHELVE)
        self._engine.unshelve(alarm_id, s.label, time_ms(self._clock), s.workstation, actor=s)

    def remove_from_service(self, session: Session | None, alarm_id: str, reason: str) -> None:
        s = self._allow(session, Permission.OUT_OF_SERVICE)
        self._engine.remove_from_service(
            alarm_id, s.label, reason, time_ms(self._clock), s.workstation, actor=s
        )

    def return_to_service(self, session: Session | None, alarm_id: str) -> None:
        s = self._allow(session, Permission.OUT_OF_SERVICE)
        self._engine.return_to_service(
            alarm_id, s.label, time_ms(self._clock), s.workstation, actor=s
        )

    # -- the journal (SQL: not on the GUI thread) ------------------------------------
    def journal(
        self,
        *,
        text: str = "",
        feed_keys: Sequence[str] = (),
        text_feeds: Sequence[str] = (),
        text_events: Sequence[str] = (),
        min_severity: int = 0,
        last_s: float = 0.0,
        limit: int = 100_000,
    ) -> list[dict[str, Any]]:
        """Journal rows, newest first; ``last_s`` 0 means all time.

        ``text`` matches alarm id, user and note with or without diacritics; a row also
        matches when its feed is in ``text_feeds`` or its event in ``text_events`` (what
        the window found the search words in: feed names, event names in its language).
        ``feed_keys`` restricts to those feeds."""
        t0 = time_ms(self._clock) - int(last_s * 1000) if last_s else None
        return load_journal(
            self._db,
            text=text,
            feed_keys=feed_keys,
            text_feeds=text_feeds,
            text_events=text_events,
            min_severity=min_severity,
            t0_ms=t0,
            limit=limit,
        )

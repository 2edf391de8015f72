"""What the incident service watches on its own: time limits, and the alarms of incidents.

``check`` (a scheduler job, on the console's clock) finds the steps past their
time limit in one writer transaction, marks them and adds a timeline entry;
after the commit it raises one *procedure* alarm per step through the alarm
engine: an external alarm ``<incident>/<step>:procedure`` with the incident's
severity, labelled with the step's text and the incident's ward, annunciated,
acknowledged, shelved, journalled and restored like a feed's alarm. ``after``
(each committed command) clears the alarm of a step done or skipped, or of an
incident resolved or closed, and follows a changed severity.

``alarm_timeline`` turns the transitions of alarms linked to incidents not
closed (and of their own procedure alarms) into timeline entries, as a writer
job the console composes into the alarm engine's job: one transaction.

Memory only where the hot path needs it: which alarms are linked (the alarm
path asks for every batch of transitions) and the next time limit (the
scheduler asks every second); both are reloaded from the log after commits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from console.district.config import Names
from console.district.domain.alarms import AlarmEngine, AlarmOrigin
from console.district.domain.incidents import (
    IncidentRow,
    StepRow,
    incident_of,
    procedure_alarm_id,
    step_of,
)
from console.district.store import incidents as store
from console.district.store.commit import Commit
from console.shared.audit import clean
from console.shared.clock import Clock, time_ms
from console.shared.session import Session
from console.shared.vocab import AlarmRule, IncidentStatus, StepState, TimelineKind

log = logging.getLogger(__name__)

LABEL_CHARS = 40
"""A procedure alarm is named by its incident and the start of its step's text."""
SYSTEM = "system"
"""The timeline's person for what the console did itself (an overdue step)."""
K = TimelineKind


def _names(session: Session | None) -> dict[str, str]:
    if session is None:
        return {"user_id": SYSTEM, "user_name": "", "roles": "", "workstation": ""}
    return {
        "user_id": session.user_id,
        "user_name": session.display_name,
        "roles": session.roles_text,
        "workstation": session.workstation,
    }


def timeline_row(
    incident_id: str,
    ts_ms: int,
    kind: TimelineKind,
    session: Session | None,
    *,
    ref: str = "",
    before: str = "",
    after: str = "",
    text: str = "",
    handover: bool = False,
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "ts_ms": ts_ms,
        "kind": kind.value,
        **_names(session),
        "ref": ref,
        "before": before,
        "after": after,
        "text": text,
        "handover": handover,
    }


class IncidentWatch:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        alarms: AlarmEngine | None,
        changed: Callable[[str], None],
    ) -> None:
        self._engine = engine
        self._commit = commit
        self._clock = clock
        self._alarms = alarms
        self._changed = changed
        self._lock = threading.Lock()
        self._links: dict[str, set[str]] = {}
        """alarm id → incidents not yet closed it is linked to (the timeline follows it)."""
        self._next_due = 0
        """Earliest time limit of a pending step whose alarm is not raised (0: none)."""

    def _now(self) -> int:
        return time_ms(self._clock)

    def start(self) -> None:
        """Load what the scheduler and the alarm path need; put the procedure alarms of
        steps still overdue back under their labels, and clear those no longer overdue."""
        with self._engine.connect() as conn:
            links = store.alarm_links_of_open(conn)
            timed = [(incident_of(r), step_of(r)) for r in store.timed_steps(conn)]
        with self._lock:
            self._links = links
        overdue = set()
        for inc, st in timed:
            if st.overdue_ms:
                aid = procedure_alarm_id(inc.id, st.step_id)
                overdue.add(aid)
                self._define(inc, st.step_id, st.text)
        if self._alarms is not None:
            now = time_ms(self._clock)
            for view in self._alarms.current():
                if view.rule == AlarmRule.PROCEDURE and view.id not in overdue and view.active:
                    self._alarms.set_external(view.id, False, view.severity, now)
        self._refresh_next_due()

    def after(self, incident_id: str) -> None:
        """After a commit: what the alarm path and the overdue check keep in memory."""
        with self._engine.connect() as conn:
            raw = store.get(conn, incident_id)
            row = None if raw is None else incident_of(raw)
            alarms = store.linked(conn, incident_id, "alarm") if row is not None else set()
            steps = (
                [step_of(r) for r in store.steps_of(conn, incident_id)] if row is not None else []
            )
        if row is not None:
            with self._lock:
                for aid, ids in list(self._links.items()):
                    ids.discard(incident_id)
                    if not ids:
                        del self._links[aid]
                if row.status != IncidentStatus.CLOSED:
                    for aid in alarms:
                        self._links.setdefault(aid, set()).add(incident_id)
            self._settle_alarms(row, steps)
        self._refresh_next_due()

    def _settle_alarms(self, row: IncidentRow, steps: Sequence[StepRow]) -> None:
        """Clear the procedure alarm of every step that no longer needs one."""
        if self._alarms is None:
            return
        now = self._now()
        for st in steps:
            if not st.overdue_ms:
                continue
            aid = procedure_alarm_id(row.id, st.step_id)
            still = st.state == StepState.PENDING and row.status.open
            if aid not in self._alarms.alarms:
                continue
            if not still:
                self._alarms.set_external(aid, False, row.severity, now)
                if row.status == IncidentStatus.CLOSED:
                    self._alarms.forget_external(aid)
            elif self._alarms.view(aid).severity != row.severity:
                self._alarms.set_external(aid, True, row.severity, now)

    def _refresh_next_due(self) -> None:
        with self._engine.connect() as conn:
            due = store.next_due(conn)
        with self._lock:
            self._next_due = due

    def _define(self, inc: IncidentRow, step_id: str, text: Names) -> str:
        aid = procedure_alarm_id(inc.id, step_id)
        if self._alarms is not None:
            # An alarm's name, not the instructions: the checklist has the whole text.
            label = Names(
                vi=f"{inc.id}: {clean(text.vi, LABEL_CHARS)}",
                en=f"{inc.id}: {clean(text.en, LABEL_CHARS)}",
            )
            self._alarms.define_external(
                aid, inc.id, AlarmRule.PROCEDURE, AlarmOrigin(label, inc.ward)
            )
        return aid

    # -- time limits (a scheduler job) ---------------------------------------------------------------
    def check(self, now_ms: int) -> int:
        """Raise the procedure alarm of every step past its time limit; return how many."""
        with self._lock:
            due = self._next_due
        if not due or now_ms < due:
            return 0

        def job(conn: Connection) -> list[tuple[IncidentRow, str, Names]]:
            timed = [(incident_of(r), step_of(r)) for r in store.timed_steps(conn)]
            late = [(inc, st) for inc, st in timed if not st.overdue_ms and st.due_ms <= now_ms]
            entries = []
            for inc, st in late:
                store.set_step(conn, inc.id, st.step_id, overdue_ms=now_ms)
                entries.append(
                    timeline_row(
                        inc.id,
                        now_ms,
                        K.STEP_OVERDUE,
                        None,
                        ref=st.step_id,
                        after=procedure_alarm_id(inc.id, st.step_id),
                    )
                )
            store.add_timeline(conn, entries)
            return [(inc, st.step_id, st.text) for inc, st in late]

        late = self._commit.run(job)
        for inc, step_id, text in late:
            aid = self._define(inc, step_id, text)
            if self._alarms is not None:
                self._alarms.set_external(aid, True, inc.severity, now_ms)
            log.warning("%s: step %s is past its time limit", inc.id, step_id)
        self._refresh_next_due()
        for iid in dict.fromkeys(inc.id for inc, _s, _t in late):
            self._changed(iid)
        return len(late)

    # -- the alarm path ---------------------------------------------------------------------------------
    def alarm_timeline(self, transitions: Sequence[Any]) -> Callable[[Connection], Any] | None:
        """A writer job adding linked alarms' transitions to their incidents' timelines
        (None when none is linked): composed into the alarm engine's job, one transaction."""
        with self._lock:
            links = {t.alarm_id: set(self._links.get(t.alarm_id, ())) for t in transitions}
        entries = []
        touched = set()
        for t in transitions:
            targets = set(links.get(t.alarm_id) or ())
            if t.rule == AlarmRule.PROCEDURE:
                targets.add(t.feed_key)
            for iid in targets:
                touched.add(iid)
                entries.append(
                    {
                        "incident_id": iid,
                        "ts_ms": t.ts_ms,
                        "kind": K.ALARM.value,
                        "user_id": t.user,
                        "user_name": t.actor.display_name if t.actor else "",
                        "roles": t.actor.roles_text if t.actor else "",
                        "workstation": t.workstation,
                        "ref": t.alarm_id,
                        "before": str(t.prior or ""),
                        "after": str(t.state),
                        "text": str(t.event) + (f": {t.note}" if t.note else ""),
                        "handover": False,
                    }
                )
        if not entries:
            return None

        def job(conn: Connection) -> Callable[[], None]:
            store.add_timeline(conn, entries)

            def done() -> None:
                for iid in touched:
                    self._changed(iid)

            return done

        return job

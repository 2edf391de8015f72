"""The incident service: open, link, move through the lifecycle, work the checklist, note, read.

Every command takes the acting ``Session`` and passes the one permission check
(``AccessService.authorize``) before anything is written. It then runs one
function in one transaction of the store writer (``Commit.run``) that reads the
incident, refuses what does not apply (``IncidentError``, nothing written),
and writes the change, its timeline entries and its action-log entries
together (synchronous=FULL). Commands wait for that commit: call them from a
worker thread in the window, never the GUI thread. Reads (``page``, ``get``)
are SQL too.

Time limits: a step's limit counts from the incident's opening (divided by the
console's ``time_scale``, as alarm durations are, so the 60× demo keeps its
proportions). A step past its limit raises a *procedure* alarm through the
alarm engine, and linked alarms' transitions reach the timeline in the
transaction that journals them: both are ``IncidentWatch``'s (incident_watch.py).

Extension point (escalation to the city): ``record_event`` appends an entry
of kind ``escalation`` (or any ``TimelineKind``) to an incident's timeline,
with or without a person, and ``listen`` calls back after every committed
change with the incident's id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from console.district.config import Names, SiteConfig
from console.district.domain.alarms import AlarmEngine
from console.district.domain.incidents import (
    Draft,
    IncidentDetail,
    IncidentError,
    IncidentFilter,
    IncidentRow,
    NewIncident,
    StepRow,
    detail_of,
    draft_from_alarms,
    format_incident_id,
    incident_of,
    permission_for,
    step_of,
)
from console.district.domain.sops import SopLibrary, SopStep
from console.district.services.access import AccessService
from console.district.services.incident_watch import IncidentWatch, timeline_row
from console.district.store import incidents as store
from console.district.store.action_log import append
from console.district.store.commit import Commit
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.session import Session
from console.shared.vocab import (
    AuditAction,
    IncidentStatus,
    Permission,
    Role,
    StepState,
    TimelineKind,
)

log = logging.getLogger(__name__)

A = AuditAction
S = IncidentStatus
K = TimelineKind
CHECK_S = 1.0
"""How often the scheduler looks for steps past their time limit."""
MAX_TITLE = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class IncidentPage:
    rows: list[IncidentRow]
    total: int
    """Incidents matching the filter in all (``rows`` holds at most the filter's limit)."""


class IncidentService:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        access: AccessService,
        site: SiteConfig,
        sops: SopLibrary,
        alarms: AlarmEngine | None,
        *,
        time_scale: float = 1.0,
    ) -> None:
        self._engine = engine
        self._commit = commit
        self._clock = clock
        self._access = access
        self.site = site
        self.sops = sops
        self._alarms = alarms
        self._scale = float(time_scale)
        self._tz = ZoneInfo(site.timezone)
        self._prefix = site.incident_id_prefix
        self._feeds = {f.id: f for f in site.feeds}
        self._lock = threading.Lock()
        self._version = 0
        self._listeners: list[Callable[[str], None]] = []
        self.watch = IncidentWatch(engine, commit, clock, alarms, self._changed)

    # -- start -------------------------------------------------------------------------------
    def start(self) -> None:
        """Load what the alarm path and the overdue check need (``IncidentWatch.start``)."""
        self.watch.start()

    @property
    def version(self) -> int:
        """Changes so far (committed commands and timeline entries): the window reloads
        what it shows when this moves."""
        return self._version

    def listen(self, fn: Callable[[str], None]) -> None:
        """``fn(incident_id)`` after every committed change (any thread; keep it short)."""
        self._listeners.append(fn)

    def _changed(self, incident_id: str) -> None:
        with self._lock:
            self._version += 1
        for fn in self._listeners:
            try:
                fn(incident_id)
            except Exception:
                log.exception("incident listener failed")

    # -- helpers ---------------------------------------------------------------------------------
    def _allow(self, session: Session | None, permission: Permission) -> Session:
        self._access.authorize(session, permission)
        assert session is not None
        self._access.touch()
        return session

    def _now(self) -> int:
        return time_ms(self._clock)

    def type_names(self, type_: str) -> Names:
        return self.sops.get(type_).name if type_ in self.sops else Names(type_, type_)

    def _get(self, conn: Connection, incident_id: str) -> IncidentRow:
        row = store.get(conn, incident_id)
        if row is None:
            raise IncidentError("unknown_incident", f"no incident {incident_id!r}")
        return incident_of(row)

    @staticmethod
    def _steps(conn: Connection, incident_id: str) -> list[StepRow]:
        return [step_of(r) for r in store.steps_of(conn, incident_id)]

    @staticmethod
    def _not_closed(row: IncidentRow) -> None:
        if row.status == S.CLOSED:
            raise IncidentError("closed", f"{row.id} is closed: reopen it first")

    def _due(self, opened_ms: int, step: SopStep) -> int:
        if step.within_s is None:
            return 0
        return opened_ms + int(step.within_s * 1000 / self._scale)

    def _step_rows(
        self, incident_id: str, steps: Sequence[SopStep], start_ord: int, base_ms: int
    ) -> list[dict[str, Any]]:
        return [
            {
                "incident_id": incident_id,
                "step_id": st.id,
                "ord": start_ord + k,
                "text_vi": st.text.vi,
                "text_en": st.text.en,
                "required": st.required,
                "role": st.role.value,
                "due_ms": self._due(base_ms, st),
                "state": StepState.PENDING.value,
                "by_user": "",
                "by_name": "",
                "at_ms": 0,
                "note": "",
                "overdue_ms": 0,
            }
            for k, st in enumerate(steps)
        ]

    def _check_alarms(self, alarm_ids: Sequence[str]) -> None:
        known = self._alarms.alarms if self._alarms is not None else {}
        for aid in alarm_ids:
            if aid not in known:
                raise IncidentError("unknown_alarm", f"no alarm {aid!r}")

    def _feeds_of(self, alarm_ids: Sequence[str]) -> list[str]:
        if self._alarms is None:
            return []
        out = []
        for aid in alarm_ids:
            a = self._alarms.alarms.get(aid)
            if a is not None and a.feed_key in self._feeds:
                out.append(a.feed_key)
        return out

    def _run(self, incident_id: str, fn: Callable[[Connection], Any]) -> Any:
        result = self._commit.run(fn)
        self._after(incident_id)
        return result

    def _after(self, incident_id: str) -> None:
        """After a commit: the watch's memory, then whoever listens."""
        self.watch.after(incident_id)
        self._changed(incident_id)

    # -- reading (SQL: not on the GUI thread) --------------------------------------------------
    def page(self, flt: IncidentFilter = IncidentFilter()) -> IncidentPage:  # noqa: B008
        rows, total = store.list_incidents(
            self._engine,
            statuses=flt.statuses,
            types=flt.types,
            ward=flt.ward,
            text=flt.text,
            open_only=flt.open_only,
            limit=flt.limit,
        )
        return IncidentPage([incident_of(r) for r in rows], total)

    def get(self, incident_id: str, limit: int = store.TIMELINE_LIMIT) -> IncidentDetail | None:
        d = store.detail(self._engine, incident_id, limit)
        return None if d is None else detail_of(d)

    def status_counts(self) -> dict[str, int]:
        return store.status_counts(self._engine)

    def wards(self) -> list[str]:
        """Wards of the site's feeds, then any other ward incidents were opened in."""
        out = list(dict.fromkeys(f.area for f in self.site.feeds if f.area))
        return out + [w for w in store.wards(self._engine) if w not in out]

    def draft(self, alarm_ids: Sequence[str]) -> Draft:
        """What the selected alarms suggest for a new incident (memory only)."""
        if self._alarms is None:
            raise IncidentError("nothing_to_link", "this console has no alarms")
        self._check_alarms(alarm_ids)
        views = [self._alarms.view(a) for a in alarm_ids]
        return draft_from_alarms(views, self.site.feeds, self.sops)

    # -- commands ------------------------------------------------------------------------------------
    def open(self, session: Session | None, new: NewIncident) -> str:
        """Open an incident (linking its alarms and feeds); return its id."""
        s = self._allow(session, Permission.OPEN_INCIDENT)
        if new.type not in self.sops:
            raise IncidentError(
                "unknown_type",
                f"no procedure for incident type {new.type!r} (known: {', '.join(self.sops.types)})",
            )
        if new.severity not in (1, 2, 3):
            raise IncidentError("bad_severity", f"severity {new.severity}: use 1, 2 or 3")
        title = clean(new.title.strip(), MAX_TITLE)
        if not title:
            raise IncidentError("empty_title", "an incident needs a title")
        self._check_alarms(new.alarm_ids)
        for key in new.feed_keys:
            if key not in self._feeds:
                raise IncidentError("unknown_feed", f"no feed {key!r} in this site")
        sop = self.sops.get(new.type)
        now = self._now()
        year = datetime.fromtimestamp(now / 1000, self._tz).year
        feeds = list(dict.fromkeys([*new.feed_keys, *self._feeds_of(new.alarm_ids)]))
        ward = clean(new.ward.strip(), 64)
        location = clean(new.location.strip(), MAX_TEXT)
        note = new.note.strip()

        def job(conn: Connection) -> str:
            number = store.next_number(conn, year)
            iid = format_incident_id(self._prefix, year, number)
            steps = self._step_rows(iid, sop.steps_for(new.severity), 0, now)
            row = {
                "id": iid,
                "year": year,
                "number": number,
                "type": new.type,
                "severity": new.severity,
                "title": title,
                "ward": ward,
                "location": location,
                "lat": new.lat,
                "lon": new.lon,
                "status": S.NEW.value,
                "list_rank": 0,
                "owner": s.user_id,
                "owner_name": s.display_name,
                "opened_ms": now,
                "opened_by": s.user_id,
                "updated_ms": now,
                "resolved_ms": 0,
                "closed_ms": 0,
                "sop_version": sop.version,
                "steps_open": sum(1 for st in steps if st["required"]),
                "next_due_ms": min((st["due_ms"] for st in steps if st["due_ms"]), default=0),
            }
            row["search"] = store.search_text(row, sop.name)
            pairs = [
                (k, r)
                for k, refs in (("alarm", new.alarm_ids), ("feed", feeds))
                for r in dict.fromkeys(refs)
            ]
            links = [
                {"incident_id": iid, "kind": k, "ref": r, "linked_ms": now, "linked_by": s.user_id}
                for k, r in pairs
            ]
            store.insert_incident(conn, row, steps, links)
            entries = [timeline_row(iid, now, K.OPENED, s, after=S.NEW.value, text=title)]
            if note:
                entries.append(timeline_row(iid, now, K.NOTE, s, text=clean(note, MAX_TEXT)))
            entries += [timeline_row(iid, now, K.LINKED, s, ref=r, before=k) for k, r in pairs]
            store.add_timeline(conn, entries)
            actions = [
                ActionEntry.of(
                    s,
                    A.INCIDENT_OPENED,
                    now,
                    obj=iid,
                    after=S.NEW.value,
                    note=f"{new.type} {new.severity}: {title}",
                )
            ]
            if pairs:
                actions.append(
                    ActionEntry.of(
                        s,
                        A.INCIDENT_LINKED,
                        now,
                        obj=iid,
                        after=", ".join(r for _k, r in pairs),
                    )
                )
            append(conn, actions)
            return iid

        result = self._commit.run(job)
        iid = str(result)
        self._after(iid)
        log.info(
            "%s opened %s (%s, severity %d): %s", s.user_id, iid, new.type, new.severity, title
        )
        return iid

    def link_alarms(
        self, session: Session | None, incident_id: str, alarm_ids: Sequence[str]
    ) -> list[str]:
        """Link alarms (and their feeds) to an incident not yet closed; return those new."""
        s = self._allow(session, Permission.WORK_INCIDENT)
        if not alarm_ids:
            raise IncidentError("nothing_to_link", "select at least one alarm")
        self._check_alarms(alarm_ids)
        feeds = self._feeds_of(alarm_ids)
        now = self._now()

        def job(conn: Connection) -> list[str]:
            row = self._get(conn, incident_id)
            self._not_closed(row)
            new = store.add_links(conn, incident_id, "alarm", alarm_ids, now, s.user_id)
            new_feeds = store.add_links(conn, incident_id, "feed", feeds, now, s.user_id)
            store.add_timeline(
                conn,
                [timeline_row(incident_id, now, K.LINKED, s, ref=r, before="alarm") for r in new]
                + [
                    timeline_row(incident_id, now, K.LINKED, s, ref=r, before="feed")
                    for r in new_feeds
                ],
            )
            if new or new_feeds:
                store.set_fields(conn, incident_id, updated_ms=now)
                append(
                    conn,
                    [
                        ActionEntry.of(
                            s,
                            A.INCIDENT_LINKED,
                            now,
                            obj=incident_id,
                            after=", ".join(new + new_feeds),
                        )
                    ],
                )
            return new

        return list(self._run(incident_id, job))

    def transition(
        self, session: Session | None, incident_id: str, target: IncidentStatus, note: str = ""
    ) -> None:
        """Move the incident to ``target`` (the lifecycle and the permissions decide)."""
        if session is None:
            self._allow(session, Permission.WORK_INCIDENT)  # raises: nobody is logged in
        assert session is not None
        s = session
        target = IncidentStatus(target)
        now = self._now()
        note = clean(note.strip(), MAX_TEXT)

        def job(conn: Connection) -> None:
            row = self._get(conn, incident_id)
            permission = permission_for(row.status, target)
            self._allow(s, permission)
            if target == S.CLOSED:
                pending = [
                    st.step_id
                    for st in self._steps(conn, incident_id)
                    if st.required and st.state == StepState.PENDING
                ]
                if pending:
                    raise IncidentError(
                        "required_steps",
                        f"{incident_id} has required steps not done or skipped: {', '.join(pending)}",
                    )
            values: dict[str, Any] = {"status": target.value, "updated_ms": now}
            if target == S.RESOLVED:
                values["resolved_ms"] = now
            if target == S.CLOSED:
                values["closed_ms"] = now
            if row.status in (S.RESOLVED, S.CLOSED) and target.open:  # reopened
                values.update(resolved_ms=0, closed_ms=0)
                for st in self._steps(conn, incident_id):
                    if st.state == StepState.PENDING and st.overdue_ms:
                        store.set_step(conn, incident_id, st.step_id, overdue_ms=0)
            store.set_fields(conn, incident_id, **values)
            store.add_timeline(
                conn,
                [
                    timeline_row(
                        incident_id,
                        now,
                        K.STATUS,
                        s,
                        before=row.status.value,
                        after=target.value,
                        text=note,
                    )
                ],
            )
            action = {S.CLOSED: A.INCIDENT_CLOSED, S.ESCALATED: A.ESCALATED}.get(
                target, A.INCIDENT_STATUS
            )
            append(
                conn,
                [
                    ActionEntry.of(
                        s,
                        action,
                        now,
                        obj=incident_id,
                        before=row.status.value,
                        after=target.value,
                        note=note,
                    )
                ],
            )

        self._run(incident_id, job)

    def take(self, session: Session | None, incident_id: str) -> None:
        """The acting person becomes the incident's owner."""
        s = self._allow(session, Permission.WORK_INCIDENT)
        now = self._now()

        def job(conn: Connection) -> None:
            row = self._get(conn, incident_id)
            self._not_closed(row)
            if row.owner == s.user_id:
                return
            store.set_fields(
                conn, incident_id, owner=s.user_id, owner_name=s.display_name, updated_ms=now
            )
            store.add_timeline(
                conn,
                [
                    timeline_row(
                        incident_id,
                        now,
                        K.UPDATED,
                        s,
                        ref="owner",
                        before=row.owner,
                        after=s.user_id,
                    )
                ],
            )
            append(
                conn,
                [
                    ActionEntry.of(
                        s,
                        A.INCIDENT_UPDATED,
                        now,
                        obj=incident_id,
                        before=f"owner={row.owner}",
                        after=f"owner={s.user_id}",
                    )
                ],
            )

        self._run(incident_id, job)

    def update(
        self,
        session: Session | None,
        incident_id: str,
        *,
        severity: int | None = None,
        title: str | None = None,
        ward: str | None = None,
        location: str | None = None,
    ) -> list[str]:
        """Change fields; a higher severity adds the procedure's steps that now apply.
        Return the names of the fields that changed."""
        s = self._allow(session, Permission.WORK_INCIDENT)
        if severity is not None and severity not in (1, 2, 3):
            raise IncidentError("bad_severity", f"severity {severity}: use 1, 2 or 3")
        if title is not None:
            title = clean(title.strip(), MAX_TITLE)
            if not title:
                raise IncidentError("empty_title", "an incident needs a title")
        ward = None if ward is None else clean(ward.strip(), 64)
        location = None if location is None else clean(location.strip(), MAX_TEXT)
        now = self._now()

        def job(conn: Connection) -> list[str]:
            row = self._get(conn, incident_id)
            self._not_closed(row)
            wanted = {"severity": severity, "title": title, "ward": ward, "location": location}
            changes = {k: v for k, v in wanted.items() if v is not None and v != getattr(row, k)}
            if not changes:
                return []
            store.set_fields(conn, incident_id, updated_ms=now, **changes)
            entries = [
                timeline_row(
                    incident_id, now, K.UPDATED, s, ref=k, before=str(getattr(row, k)), after=str(v)
                )
                for k, v in changes.items()
            ]
            actions = [
                ActionEntry.of(
                    s,
                    A.INCIDENT_UPDATED,
                    now,
                    obj=incident_id,
                    before=f"{k}={getattr(row, k)}",
                    after=f"{k}={v}",
                )
                for k, v in changes.items()
            ]
            if "severity" in changes and row.type in self.sops:
                have = {st.step_id for st in self._steps(conn, incident_id)}
                add = [
                    st
                    for st in self.sops.get(row.type).steps_for(int(changes["severity"]))
                    if st.id not in have
                ]
                if add:
                    # Their time limits count from now: they did not apply before.
                    store.insert_steps(conn, self._step_rows(incident_id, add, len(have), now))
                    entries.append(
                        timeline_row(
                            incident_id, now, K.STEPS_ADDED, s, after=", ".join(st.id for st in add)
                        )
                    )
                store.refresh_counters(conn, incident_id)
            if {"title", "ward", "location"} & changes.keys():
                store.update_search(conn, incident_id, self.type_names(row.type))
            store.add_timeline(conn, entries)
            append(conn, actions)
            return list(changes)

        return list(self._run(incident_id, job))

    def step_done(
        self, session: Session | None, incident_id: str, step_id: str, note: str = ""
    ) -> None:
        self._step(session, incident_id, step_id, StepState.DONE, note)

    def step_skip(
        self, session: Session | None, incident_id: str, step_id: str, reason: str
    ) -> None:
        """Skip a step; a reason is required (it goes to the timeline and the action log)."""
        if not reason.strip():
            self._allow(session, Permission.WORK_INCIDENT)
            raise IncidentError("needs_reason", "skipping a step needs a reason")
        self._step(session, incident_id, step_id, StepState.SKIPPED, reason)

    def _step(
        self, session: Session | None, incident_id: str, step_id: str, state: StepState, text: str
    ) -> None:
        s = self._allow(session, Permission.WORK_INCIDENT)
        now = self._now()
        text = clean(text.strip(), MAX_TEXT)

        def job(conn: Connection) -> None:
            row = self._get(conn, incident_id)
            self._not_closed(row)
            step = next(
                (st for st in self._steps(conn, incident_id) if st.step_id == step_id), None
            )
            if step is None:
                raise IncidentError("unknown_step", f"{incident_id} has no step {step_id!r}")
            if step.state != StepState.PENDING:
                raise IncidentError(
                    "step_not_pending", f"step {step_id} of {incident_id} is {step.state} already"
                )
            if step.role == Role.SUPERVISOR and Role.SUPERVISOR not in s.roles:
                raise IncidentError(
                    "step_role", f"step {step_id} of {incident_id} is a supervisor's"
                )
            store.set_step(
                conn,
                incident_id,
                step_id,
                state=state.value,
                by_user=s.user_id,
                by_name=s.display_name,
                at_ms=now,
                note=text,
            )
            store.refresh_counters(conn, incident_id)
            store.set_fields(conn, incident_id, updated_ms=now)
            kind = K.STEP_DONE if state == StepState.DONE else K.STEP_SKIPPED
            store.add_timeline(
                conn, [timeline_row(incident_id, now, kind, s, ref=step_id, text=text)]
            )
            action = A.STEP_DONE if state == StepState.DONE else A.STEP_SKIPPED
            append(
                conn,
                [
                    ActionEntry.of(
                        s,
                        action,
                        now,
                        obj=f"{incident_id}/{step_id}",
                        before="pending",
                        after=state.value,
                        note=text,
                    )
                ],
            )

        self._run(incident_id, job)

    def note(
        self, session: Session | None, incident_id: str, text: str, *, handover: bool = False
    ) -> None:
        """A note on the timeline; ``handover``: the shift report lists it."""
        s = self._allow(session, Permission.WORK_INCIDENT)
        text = clean(text.strip(), MAX_TEXT)
        if not text:
            raise IncidentError("empty_note", "the note is empty")
        now = self._now()

        def job(conn: Connection) -> None:
            row = self._get(conn, incident_id)
            self._not_closed(row)
            store.set_fields(conn, incident_id, updated_ms=now)
            store.add_timeline(
                conn, [timeline_row(incident_id, now, K.NOTE, s, text=text, handover=handover)]
            )
            append(
                conn,
                [
                    ActionEntry.of(
                        s,
                        A.INCIDENT_NOTE,
                        now,
                        obj=incident_id,
                        after="handover" if handover else "",
                        note=text,
                    )
                ],
            )

        self._run(incident_id, job)

    def record_event(
        self,
        incident_id: str,
        text: str,
        *,
        kind: TimelineKind = K.ESCALATION,
        session: Session | None = None,
        ref: str = "",
        before: str = "",
        after: str = "",
    ) -> None:
        """Append an entry to the timeline (the escalation's extension point): the caller
        has checked its own permission and writes its own action-log entries."""
        now = self._now()

        def job(conn: Connection) -> None:
            self._get(conn, incident_id)
            store.add_timeline(
                conn,
                [
                    timeline_row(
                        incident_id,
                        now,
                        kind,
                        session,
                        ref=ref,
                        before=before,
                        after=after,
                        text=clean(text, MAX_TEXT),
                    )
                ],
            )

        self._run(incident_id, job)

    # -- time limits and the alarm path (IncidentWatch) -----------------------------------------------
    def check(self, now_ms: int) -> int:
        """Scheduler job: raise the procedure alarm of every step past its time limit."""
        return self.watch.check(now_ms)

    def alarm_timeline(self, transitions: Sequence[Any]) -> Callable[[Connection], Any] | None:
        """Linked alarms' transitions for their incidents' timelines (see IncidentWatch)."""
        return self.watch.alarm_timeline(transitions)

"""The shift handover report nobody has to write by hand, and its acknowledgement.

The report says what the next person inherits: incidents still open (with
their pending and overdue steps), incidents closed during the shift, alarms
active, shelved (reason, expiry, by whom) and out of service (by whom, why),
sensors silent or reporting bad data, the city link and its backlog, and the
notes operators marked "for handover". It is a plain JSON-able dict of
values and codes (``build_report``); the window and the CLI render it (and
write the PDF) in the reader's language.

Two sources: a running console (``HandoverService``: the alarm engine, the
ring buffers and the link as the operator sees them) and a log on disk
(``report_from_log``: alarm state, the last stored readings and the outbox,
for ``opsconsole handover`` with no console running).

``prepare`` stores the report with its SHA-256 and records
``handover_prepared``; the incoming person's ``acknowledge`` records
``handover_acknowledged`` with that digest, so the action log says which
report was taken over, by whom and when.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from console.district.config import FeedConfig, SiteConfig
from console.district.domain.alarms import AlarmEngine, AlarmView
from console.district.domain.feedstate import BAD, NODATA, STALE, STATE_KEYS, stale_after
from console.district.domain.incidents import (
    IncidentError,
    IncidentRow,
    entry_of,
    incident_of,
    step_of,
)
from console.district.domain.sops import SopLibrary
from console.district.services.access import AccessService
from console.district.services.link import LinkService
from console.district.services.live import LiveService
from console.district.store import handover as hstore
from console.district.store import incidents as istore
from console.district.store.action_log import append
from console.district.store.commit import Commit
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.session import Session
from console.shared.vocab import AlarmState, AuditAction, Permission

REPORT_VERSION = 1
DEFAULT_SHIFT_S = 12 * 3600.0
"""A report with no shift start covers this much."""
ACTIVE = ("active_unack", "active_ack", "cleared_unack")


def digest(report: dict[str, Any]) -> str:
    """SHA-256 of the report's canonical JSON (keys sorted, UTF-8)."""
    body = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AlarmLine:
    """One alarm as the report needs it (from the engine or from the stored state)."""

    id: str
    source: str
    rule: str
    state: str
    severity: int
    since_ms: int
    value: float | None
    note: str
    shelved_until_ms: int
    name_vi: str = ""
    name_en: str = ""
    ward: str = ""


def alarm_lines_of(views: Sequence[AlarmView], feeds: Sequence[FeedConfig]) -> list[AlarmLine]:
    out = []
    for a in views:
        if 0 <= a.feed < len(feeds):
            f = feeds[a.feed]
            vi, en, ward = f.name.vi, f.name.en, f.area
        elif a.origin is not None:
            vi, en, ward = a.origin.name.vi, a.origin.name.en, a.origin.area
        else:
            vi = en = a.feed_key
            ward = ""
        out.append(
            AlarmLine(
                a.id, a.feed_key, a.rule, a.state, a.severity, a.since_ms,
                None if math.isnan(a.value) else a.value, a.note, a.shelved_until_ms, vi, en, ward,
            )
        )  # fmt: skip
    return out


def alarm_lines_of_rows(
    rows: Sequence[dict[str, Any]], feeds: Sequence[FeedConfig]
) -> list[AlarmLine]:
    by_key = {f.id: f for f in feeds}
    out = []
    for r in rows:
        f = by_key.get(r["feed_key"])
        vi = f.name.vi if f else r["feed_key"]
        en = f.name.en if f else r["feed_key"]
        out.append(
            AlarmLine(
                r["alarm_id"], r["feed_key"], r["rule"], r["state"], int(r["severity"]),
                int(r["since_ms"]), r["value"], r["note"] or "", int(r["shelved_until_ms"] or 0),
                vi, en, f.area if f else "",
            )
        )  # fmt: skip
    return out


def _incident(r: IncidentRow, sops: SopLibrary) -> dict[str, Any]:
    names = sops.get(r.type).name if r.type in sops else None
    return {
        "id": r.id,
        "type": r.type,
        "type_vi": names.vi if names else r.type,
        "type_en": names.en if names else r.type,
        "severity": r.severity,
        "title": r.title,
        "ward": r.ward,
        "status": r.status.value,
        "owner": r.owner,
        "owner_name": r.owner_name,
        "opened_ms": r.opened_ms,
        "closed_ms": r.closed_ms,
    }


def build_report(
    conn: Connection,
    site: SiteConfig,
    sops: SopLibrary,
    *,
    now_ms: int,
    since_ms: int,
    alarms: Sequence[AlarmLine],
    sensors: list[dict[str, Any]],
    link: dict[str, Any],
    by: Session | None,
) -> dict[str, Any]:
    """The report as values and codes (JSON-able); rendering is the reader's business."""
    open_rows = [incident_of(r) for r in istore.open_incidents(conn)]
    pending: dict[str, list[Any]] = {}
    for sr in istore.pending_steps(conn, [r.id for r in open_rows]):
        pending.setdefault(sr["incident_id"], []).append(step_of(sr))
    open_incidents = []
    for r in open_rows:
        item = _incident(r, sops)
        item["steps"] = [
            {
                "id": st.step_id,
                "text_vi": st.text.vi,
                "text_en": st.text.en,
                "required": st.required,
                "due_ms": st.due_ms,
                "overdue": st.overdue(now_ms),
            }
            for st in pending.get(r.id, [])
        ]
        open_incidents.append(item)
    closed = [_incident(incident_of(r), sops) for r in istore.closed_since(conn, since_ms)]
    shelved_ids = [a.id for a in alarms if a.state == AlarmState.SHELVED]
    oos_ids = [a.id for a in alarms if a.state == AlarmState.OUT_OF_SERVICE]
    who = hstore.last_commands(conn, shelved_ids, ["shelve"])
    who |= hstore.last_commands(conn, oos_ids, ["remove"])

    def line(a: AlarmLine) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": a.id,
            "source": a.source,
            "name_vi": a.name_vi,
            "name_en": a.name_en,
            "ward": a.ward,
            "rule": a.rule,
            "severity": a.severity,
            "state": a.state,
            "since_ms": a.since_ms,
            "value": a.value,
        }
        if a.state in (AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE):
            d["reason"] = a.note
            d["by"], d["at_ms"] = who.get(a.id, ("", 0))
        if a.state == AlarmState.SHELVED:
            d["until_ms"] = a.shelved_until_ms
        return d

    order = sorted(alarms, key=lambda a: (-a.severity, -a.since_ms, a.id))
    notes = [
        {
            "incident": r["incident_id"],
            "ts_ms": e.ts_ms,
            "user_id": e.user_id,
            "user_name": e.user_name,
            "text": e.text,
        }
        for r in istore.handover_notes(conn, since_ms)
        for e in (entry_of(r),)
    ]
    return {
        "version": REPORT_VERSION,
        "site": {
            "id": site.id,
            "name_vi": site.name.vi,
            "name_en": site.name.en,
            "timezone": site.timezone,
        },
        "generated_ms": now_ms,
        "since_ms": since_ms,
        "prepared_by": None
        if by is None
        else {
            "user_id": by.user_id,
            "name": by.display_name,
            "roles": by.roles_text,
            "workstation": by.workstation,
            "authenticated": by.authenticated,
        },
        "open_incidents": open_incidents,
        "closed_incidents": closed,
        "alarms": {
            "active": [line(a) for a in order if a.state in ACTIVE],
            "shelved": [line(a) for a in order if a.state == AlarmState.SHELVED],
            "out_of_service": [line(a) for a in order if a.state == AlarmState.OUT_OF_SERVICE],
        },
        "sensors": sensors,
        "link": link,
        "notes": notes,
    }


def sensor_lines(
    feeds: Sequence[FeedConfig], states: Sequence[int], ages: Sequence[float]
) -> list[dict[str, Any]]:
    """Feeds silent (no data for 3 × their interval, or never) or reporting bad quality."""
    out = []
    for f, st, age in zip(feeds, states, ages, strict=True):
        if st in (STALE, NODATA, BAD):
            out.append(
                {
                    "feed": f.id,
                    "name_vi": f.name.vi,
                    "name_en": f.name.en,
                    "ward": f.area,
                    "kind": f.kind,
                    "state": STATE_KEYS[int(st)].value,
                    "age_s": None if age is None or math.isnan(age) else round(float(age), 1),
                }
            )
    return out


def report_from_log(
    engine: Engine,
    site: SiteConfig,
    sops: SopLibrary,
    *,
    now_ms: int,
    since_ms: int,
) -> dict[str, Any]:
    """The report from a log on disk (no console running): stored alarm state, each
    feed's last stored reading judged against its interval, the outbox backlog."""
    with engine.connect() as conn:
        alarms = alarm_lines_of_rows(hstore.alarm_rows(conn), site.feeds)
        last = hstore.last_readings(conn)
        stale = stale_after(site.feeds)
        states, ages = [], []
        for i, f in enumerate(site.feeds):
            got = last.get(f.id)
            if got is None:
                states.append(NODATA)
                ages.append(math.nan)
                continue
            age = (now_ms - got[0]) / 1000
            states.append(STALE if age > stale[i] else got[1] + 1)
            ages.append(age)
        streams, backlog = hstore.outbox_backlog(conn)
        link = {
            # The demo's link is given on its command line, not in the site file.
            "configured": site.uplink is not None or streams > 0,
            "state": "unknown",
            "backlog": backlog,
            "oldest_unsent_age_s": None,
        }
        return build_report(
            conn, site, sops,
            now_ms=now_ms, since_ms=since_ms, alarms=alarms,
            sensors=sensor_lines(site.feeds, states, ages), link=link, by=None,
        )  # fmt: skip


@dataclass(frozen=True)
class Handover:
    id: int
    report: dict[str, Any]
    digest: str
    created_ms: int
    by_user: str
    by_name: str
    acked_by: str = ""
    acked_name: str = ""
    acked_ms: int = 0
    acked_note: str = ""


def _handover(row: dict[str, Any]) -> Handover:
    return Handover(
        id=int(row["id"]),
        report=json.loads(row["body"]),
        digest=row["digest"],
        created_ms=int(row["created_ms"]),
        by_user=row["by_user"],
        by_name=row["by_name"],
        acked_by=row["acked_by"],
        acked_name=row["acked_name"],
        acked_ms=int(row["acked_ms"]),
        acked_note=row["acked_note"],
    )


class HandoverService:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        clock: Clock,
        access: AccessService,
        site: SiteConfig,
        sops: SopLibrary,
        alarms: AlarmEngine | None,
        live: LiveService,
        link: LinkService,
    ) -> None:
        self._engine = engine
        self._commit = commit
        self._clock = clock
        self._access = access
        self.site = site
        self._sops = sops
        self._alarms = alarms
        self._live = live
        self._link = link

    def shift_start_ms(self, session: Session | None) -> int:
        """Since when the report covers: the person's duty start, else the last 12 h."""
        now = time_ms(self._clock)
        if session is not None and session.started_ms:
            return session.started_ms
        return now - int(DEFAULT_SHIFT_S * 1000)

    def report(self, session: Session | None, since_ms: int | None = None) -> dict[str, Any]:
        """The report now, as the console sees it (SQL: not on the GUI thread)."""
        # Every command given so far is committed first (the writer keeps order): the
        # journal then names who shelved what a moment ago.
        self._commit.run(lambda _conn: None)
        now = time_ms(self._clock)
        since = self.shift_start_ms(session) if since_ms is None else since_ms
        views = self._alarms.current() if self._alarms is not None else []
        state, age = self._live.states(now / 1000)
        view = self._link.view()
        link = {
            "configured": view.configured,
            "state": view.state,
            "backlog": view.backlog,
            "oldest_unsent_age_s": view.oldest_unsent_age_s,
        }
        with self._engine.connect() as conn:
            return build_report(
                conn, self.site, self._sops,
                now_ms=now, since_ms=since,
                alarms=alarm_lines_of(views, self.site.feeds),
                sensors=sensor_lines(self.site.feeds, [int(x) for x in state], list(np.asarray(age, dtype=float))),
                link=link, by=session,
            )  # fmt: skip

    def prepare(self, session: Session | None, since_ms: int | None = None) -> Handover:
        """Build the report, store it with its digest, record ``handover_prepared``."""
        self._access.authorize(session, Permission.SHIFT_HANDOVER)
        assert session is not None
        self._access.touch()
        report = self.report(session, since_ms)
        d = digest(report)
        now = int(report["generated_ms"])
        body = json.dumps(report, ensure_ascii=False, sort_keys=True)

        def job(conn: Connection) -> int:
            hid = istore.insert_handover(
                conn,
                {
                    "created_ms": now,
                    "since_ms": int(report["since_ms"]),
                    "by_user": session.user_id,
                    "by_name": session.display_name,
                    "workstation": session.workstation,
                    "digest": d,
                    "body": body,
                },
            )
            append(
                conn,
                [
                    ActionEntry.of(
                        session, AuditAction.HANDOVER_PREPARED, now, obj=f"handover-{hid}", after=d
                    )
                ],
            )
            return hid

        hid = int(self._commit.run(job))
        return Handover(hid, report, d, now, session.user_id, session.display_name)

    def latest(self) -> Handover | None:
        with self._engine.connect() as conn:
            row = istore.latest_handover(conn)
        return None if row is None else _handover(row)

    def acknowledge(self, session: Session | None, handover_id: int, note: str = "") -> Handover:
        """The incoming person takes the report over (not the one who prepared it)."""
        self._access.authorize(session, Permission.SHIFT_HANDOVER)
        assert session is not None
        self._access.touch()
        now = time_ms(self._clock)
        note = clean(note.strip(), 1000)

        def job(conn: Connection) -> dict[str, Any]:
            row = istore.get_handover(conn, handover_id)
            if row is None:
                raise IncidentError("unknown_handover", f"no handover report {handover_id}")
            if row["acked_ms"]:
                raise IncidentError(
                    "already_acknowledged",
                    f"handover report {handover_id} was taken over by {row['acked_by']} already",
                )
            if row["by_user"] == session.user_id:
                raise IncidentError(
                    "own_handover", "the person taking over acknowledges the report, not its author"
                )
            values = {
                "acked_by": session.user_id,
                "acked_name": session.display_name,
                "acked_ms": now,
                "acked_note": note,
            }
            istore.ack_handover(conn, handover_id, **values)
            append(
                conn,
                [
                    ActionEntry.of(
                        session,
                        AuditAction.HANDOVER_ACKNOWLEDGED,
                        now,
                        obj=f"handover-{handover_id}",
                        before=row["by_user"],
                        after=row["digest"],
                        note=note,
                    )
                ],
            )
            return {**row, **values}

        return _handover(self._commit.run(job))

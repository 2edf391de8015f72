"""Incidents in the site log: the rows each command writes inside its transaction, and the reads.

Writes take the caller's connection (a store-writer job, so the incident's
rows, its timeline entries and the action-log entries commit together, with
synchronous=FULL). Reads take the engine and their own connection (WAL: they
never wait for the writer); the window calls them from worker threads.

The panel lists up to 100,000 incidents: it reads one page ordered by the
``ix_incidents_list`` index (open first, by severity, newest first) and
stops at the page's end; the search words match ``incidents.search``, the
folded text of id, title, ward, location and type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select, update

from console.district.config import Names
from console.district.store.schema import (
    handovers,
    incident_links,
    incident_steps,
    incident_timeline,
    incidents,
)
from console.shared.text import fold
from console.shared.vocab import IncidentStatus, StepState

Row = dict[str, Any]
"""A row as a plain mapping of column → value (the services make domain values of it)."""

TIMELINE_LIMIT = 20_000
"""Newest timeline entries an incident view reads (the log keeps them all)."""

i_c = incidents.c
s_c = incident_steps.c
t_c = incident_timeline.c
l_c = incident_links.c


def _rows(result: Any) -> list[Row]:
    keys = list(result.keys())
    return [dict(zip(keys, r, strict=True)) for r in result.all()]


# -- writes (inside the caller's transaction) ----------------------------------------------------
def next_number(conn: Connection, year: int) -> int:
    n = conn.execute(select(func.max(i_c.number)).where(i_c.year == year)).scalar()
    return int(n or 0) + 1


def get(conn: Connection, incident_id: str) -> Row | None:
    r = conn.execute(select(incidents).where(i_c.id == incident_id)).first()
    return None if r is None else dict(r._mapping)


def steps_of(conn: Connection, incident_id: str) -> list[Row]:
    q = select(incident_steps).where(s_c.incident_id == incident_id).order_by(s_c.ord)
    return _rows(conn.execute(q))


def insert_incident(
    conn: Connection,
    row: dict[str, Any],
    steps: Sequence[dict[str, Any]],
    links: Sequence[dict[str, Any]],
) -> None:
    conn.execute(incidents.insert(), [row])
    if steps:
        conn.execute(incident_steps.insert(), list(steps))
    if links:
        conn.execute(incident_links.insert(), list(links))


def insert_steps(conn: Connection, steps: Sequence[dict[str, Any]]) -> None:
    if steps:
        conn.execute(incident_steps.insert(), list(steps))


def set_fields(conn: Connection, incident_id: str, **values: Any) -> None:
    if "status" in values:
        values["list_rank"] = IncidentStatus(values["status"]).rank
    conn.execute(update(incidents).where(i_c.id == incident_id).values(**values))


def set_step(conn: Connection, incident_id: str, step_id: str, **values: Any) -> None:
    conn.execute(
        update(incident_steps)
        .where(and_(s_c.incident_id == incident_id, s_c.step_id == step_id))
        .values(**values)
    )


def refresh_counters(conn: Connection, incident_id: str) -> tuple[int, int]:
    """Recompute ``steps_open`` and ``next_due_ms`` from the checklist; return them."""
    pending = s_c.state == StepState.PENDING.value
    row = conn.execute(
        select(
            func.count().filter(s_c.required.is_(True)),
            func.min(s_c.due_ms).filter(s_c.due_ms > 0),
        ).where(and_(s_c.incident_id == incident_id, pending))
    ).one()
    steps_open, next_due = int(row[0] or 0), int(row[1] or 0)
    conn.execute(
        update(incidents)
        .where(i_c.id == incident_id)
        .values(steps_open=steps_open, next_due_ms=next_due)
    )
    return steps_open, next_due


def linked(conn: Connection, incident_id: str, kind: str) -> set[str]:
    q = select(l_c.ref).where(and_(l_c.incident_id == incident_id, l_c.kind == kind))
    return {r[0] for r in conn.execute(q)}


def add_links(
    conn: Connection, incident_id: str, kind: str, refs: Iterable[str], ts_ms: int, by: str
) -> list[str]:
    """Link ``refs`` not linked yet; return those newly linked, in order."""
    have = linked(conn, incident_id, kind)
    new = [r for r in dict.fromkeys(refs) if r not in have]
    if new:
        conn.execute(
            incident_links.insert(),
            [
                {
                    "incident_id": incident_id,
                    "kind": kind,
                    "ref": r,
                    "linked_ms": ts_ms,
                    "linked_by": by,
                }
                for r in new
            ],
        )
    return new


def add_timeline(conn: Connection, entries: Sequence[dict[str, Any]]) -> None:
    if entries:
        conn.execute(incident_timeline.insert(), list(entries))


def update_search(conn: Connection, incident_id: str, type_names: Names) -> None:
    r = get(conn, incident_id)
    if r is not None:
        set_fields(conn, incident_id, search=search_text(r, type_names))


def search_text(r: Row, type_names: Names) -> str:
    """The folded text the panel's search matches (no diacritics: "hoa xuan")."""
    parts = (r["id"], r["title"], r["ward"], r["location"], type_names.vi, type_names.en)
    return fold(" ".join(str(x) for x in parts if x))


# -- reads (own connection; a worker thread) -----------------------------------------------------
def _filtered(
    q: Any,
    statuses: Sequence[IncidentStatus],
    types: Sequence[str],
    ward: str,
    text: str,
    open_only: bool,
) -> Any:
    if statuses:
        ranks = sorted({s.rank for s in statuses})
        q = q.where(i_c.list_rank.in_(ranks))
        if len(set(statuses)) < sum(1 for s in IncidentStatus if s.rank in ranks):
            q = q.where(i_c.status.in_([s.value for s in statuses]))
    elif open_only:
        q = q.where(i_c.list_rank == 0)
    if types:
        q = q.where(i_c.type.in_(list(types)))
    if ward:
        q = q.where(i_c.ward == ward)
    for word in fold(text).split():
        esc = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(i_c.search.like(f"%{esc}%", escape="\\"))
    return q


def list_query(
    *,
    statuses: Sequence[IncidentStatus] = (),
    types: Sequence[str] = (),
    ward: str = "",
    text: str = "",
    open_only: bool = False,
    limit: int = 1000,
) -> Any:
    """The panel's page: open first, then resolved, then closed; by severity, newest first
    (the order of ``ix_incidents_list``: a page is read without sorting the table)."""
    q = select(incidents).order_by(i_c.list_rank, i_c.severity.desc(), i_c.opened_ms.desc())
    return _filtered(q, statuses, types, ward, text, open_only).limit(limit)


def count_query(
    *,
    statuses: Sequence[IncidentStatus] = (),
    types: Sequence[str] = (),
    ward: str = "",
    text: str = "",
    open_only: bool = False,
) -> Any:
    """How many incidents the filter matches in all."""
    q = select(func.count()).select_from(incidents)
    return _filtered(q, statuses, types, ward, text, open_only)


def list_incidents(
    engine: Engine,
    *,
    statuses: Sequence[IncidentStatus] = (),
    types: Sequence[str] = (),
    ward: str = "",
    text: str = "",
    open_only: bool = False,
    limit: int = 1000,
) -> tuple[list[Row], int]:
    """One page of incidents and how many match in all."""
    q = list_query(
        statuses=statuses, types=types, ward=ward, text=text, open_only=open_only, limit=limit
    )
    with engine.connect() as conn:
        rows = _rows(conn.execute(q))
        total = len(rows)
        if total >= limit:
            count = count_query(
                statuses=statuses, types=types, ward=ward, text=text, open_only=open_only
            )
            total = int(conn.execute(count).scalar_one())
    return rows, total


def status_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        q = select(i_c.status, func.count()).group_by(i_c.status)
        return {str(s): int(n) for s, n in conn.execute(q)}


def wards(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        q = select(i_c.ward).where(i_c.ward != "").distinct().order_by(i_c.ward)
        return [str(r[0]) for r in conn.execute(q)]


TIMELINE_COLUMNS = (
    "id", "ts_ms", "kind", "user_id", "user_name", "roles", "workstation", "ref", "before",
    "after", "text", "handover",
)  # fmt: skip
"""The order of a timeline tuple from ``detail`` (that of ``TimelineEntry``)."""


def detail_queries(incident_id: str, limit: int = TIMELINE_LIMIT) -> tuple[Any, ...]:
    """The statements ``detail`` runs: row, checklist, newest timeline entries, links."""
    return (
        select(incidents).where(i_c.id == incident_id),
        select(incident_steps).where(s_c.incident_id == incident_id).order_by(s_c.ord),
        select(*(t_c[k] for k in TIMELINE_COLUMNS))
        .where(t_c.incident_id == incident_id)
        .order_by(t_c.id.desc())
        .limit(limit),
        select(l_c.kind, l_c.ref).where(l_c.incident_id == incident_id).order_by(l_c.linked_ms),
    )


def _tuples(conn: Connection, q: Any) -> list[tuple[Any, ...]]:
    """Rows as plain tuples straight from the driver: an incident's ten thousand timeline
    entries cost a third of the time SQLAlchemy's result rows do."""
    compiled = q.compile(dialect=conn.dialect)
    params = [compiled.params[k] for k in compiled.positiontup or ()]
    cur = conn.connection.driver_connection.execute(str(compiled), params)  # type: ignore[union-attr]
    return list(cur.fetchall())


def detail(engine: Engine, incident_id: str, limit: int = TIMELINE_LIMIT) -> dict[str, Any] | None:
    """The incident, its checklist, its newest ``limit`` timeline entries (oldest first, as
    tuples in ``TIMELINE_COLUMNS`` order), its links and how many entries it has in all."""
    q_row, q_steps, q_timeline, q_links = detail_queries(incident_id, limit)
    with engine.connect() as conn:
        r = conn.execute(q_row).first()
        if r is None:
            return None
        steps = _rows(conn.execute(q_steps))
        timeline = _tuples(conn, q_timeline)
        timeline.reverse()
        total = len(timeline)
        if total >= limit:
            total = int(
                conn.execute(
                    select(func.count()).where(t_c.incident_id == incident_id)
                ).scalar_one()
            )
        links = conn.execute(q_links).all()
    return {
        "incident": dict(r._mapping),
        "steps": steps,
        "timeline": timeline,
        "alarms": [ref for k, ref in links if k == "alarm"],
        "feeds": [ref for k, ref in links if k == "feed"],
        "timeline_total": total,
    }


def open_incidents(conn: Connection) -> list[Row]:
    """Incidents not closed: being handled, or resolved and waiting to be closed."""
    q = (
        select(incidents)
        .where(i_c.list_rank < 2)
        .order_by(i_c.list_rank, i_c.severity.desc(), i_c.opened_ms.desc())
    )
    return _rows(conn.execute(q))


def timed_steps(conn: Connection) -> list[Row]:
    """Pending steps with a time limit of incidents still being handled, joined with their
    incident's columns (no column name is shared), earliest limit first."""
    q = (
        select(incidents, incident_steps)
        .join(incident_steps, s_c.incident_id == i_c.id)
        .where(and_(s_c.state == StepState.PENDING.value, s_c.due_ms > 0, i_c.list_rank == 0))
        .order_by(s_c.due_ms)
    )
    return _rows(conn.execute(q))


def next_due(conn: Connection) -> int:
    """The earliest time limit of a pending step not yet overdue, of incidents still being
    handled (0: none). One aggregate: asked after every incident change."""
    q = (
        select(func.min(s_c.due_ms))
        .join(incidents, s_c.incident_id == i_c.id)
        .where(
            and_(
                s_c.state == StepState.PENDING.value,
                s_c.due_ms > 0,
                s_c.overdue_ms == 0,
                i_c.list_rank == 0,
            )
        )
    )
    return int(conn.execute(q).scalar() or 0)


def pending_steps(conn: Connection, incident_ids: Sequence[str]) -> list[Row]:
    if not incident_ids:
        return []
    q = (
        select(incident_steps)
        .where(
            and_(
                s_c.incident_id.in_(list(incident_ids)),
                s_c.state == StepState.PENDING.value,
            )
        )
        .order_by(s_c.incident_id, s_c.ord)
    )
    return _rows(conn.execute(q))


def alarm_links_of_open(conn: Connection) -> dict[str, set[str]]:
    """alarm id → ids of the incidents not closed yet it is linked to."""
    q = (
        select(l_c.ref, l_c.incident_id)
        .join(incidents, i_c.id == l_c.incident_id)
        .where(and_(l_c.kind == "alarm", i_c.list_rank < 2))
    )
    out: dict[str, set[str]] = {}
    for ref, iid in conn.execute(q):
        out.setdefault(ref, set()).add(iid)
    return out


def closed_since(conn: Connection, since_ms: int) -> list[Row]:
    q = (
        select(incidents)
        .where(i_c.closed_ms >= since_ms)
        .where(i_c.status == IncidentStatus.CLOSED.value)
        .order_by(i_c.closed_ms)
    )
    return _rows(conn.execute(q))


def handover_notes(conn: Connection, since_ms: int) -> list[Row]:
    q = (
        select(incident_timeline)
        .where(and_(t_c.handover.is_(True), t_c.ts_ms >= since_ms))
        .order_by(t_c.ts_ms, t_c.id)
    )
    return _rows(conn.execute(q))


# -- handover reports ---------------------------------------------------------------------------
def insert_handover(conn: Connection, row: dict[str, Any]) -> int:
    res = conn.execute(
        handovers.insert().values(acked_by="", acked_name="", acked_ms=0, acked_note="", **row)
    )
    pk = res.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def latest_handover(conn: Connection) -> dict[str, Any] | None:
    r = conn.execute(select(handovers).order_by(handovers.c.id.desc()).limit(1)).first()
    return None if r is None else dict(r._mapping)


def get_handover(conn: Connection, handover_id: int) -> dict[str, Any] | None:
    r = conn.execute(select(handovers).where(handovers.c.id == handover_id)).first()
    return None if r is None else dict(r._mapping)


def ack_handover(conn: Connection, handover_id: int, **values: Any) -> None:
    conn.execute(update(handovers).where(handovers.c.id == handover_id).values(**values))

"""Reading the sites' alarm transitions the hub keeps (``alarm_events``, the ``alarm`` stream).

One query for every reader — the command line (``opsconsole hub alarms``) and the
IOC window's drill-down — so they list the same transitions in the same order:
newest first by the site's own time, then by the console's sequence number (two
transitions of one millisecond keep the order the console journalled them in).
With a site, it walks ``ix_alarm_events_site_ts`` backwards: the newest ``limit``
rows cost the same however long the site's history is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from console.hub.store.schema import alarm_events


def newest(conn: Connection, *, site: str | None = None, limit: int = 200) -> Sequence[Row[Any]]:
    """The newest ``limit`` rows of ``alarm_events`` (of ``site``, or of every site)."""
    e = alarm_events.c
    q = select(alarm_events).order_by(e.ts_ms.desc(), e.seq.desc())
    if site is not None:
        q = q.where(e.site_id == site)
    return conn.execute(q.limit(limit)).all()

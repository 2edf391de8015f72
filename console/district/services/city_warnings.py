"""City warnings at this site: the active ones the strip shows, and importing a CAP file.

Warnings come down from the hub (``console.district.store.inbox``) or are imported
from a file (``import_xml``: ``opsconsole cap import``, which writes in its own
transaction with or without a console running). Either way the log's inbox
revision moves; the running console's scheduler sees it within a second and
reloads the list (SQL, off the GUI thread). ``active`` filters that list by the
console's clock, so an expired warning leaves the strip without any reload.

Shown: CAP ``Alert`` and ``Update`` messages of status ``Actual`` or
``Exercise``, not cancelled, not superseded by an Update, not expired (``expires``
of the info blocks; without one, 24 h after ``sent``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from console.district.services.access import AccessService
from console.district.store.action_log import append
from console.district.store.commit import Commit
from console.district.store.inbox import bump_rev, lock_now, store_warning
from console.district.store.schema import city_warnings
from console.shared import cap, records
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.session import Session
from console.shared.vocab import AuditAction, Permission

SEVERITY_RANK = {"Extreme": 4, "Severe": 3, "Moderate": 2, "Minor": 1}
SHOWN_STATUS = ("Actual", "Exercise")
SHOWN_TYPES = ("Alert", "Update")
MAX_KEY = 200
"""Characters of a CAP sender or identifier the log's key columns hold."""


@dataclass(frozen=True)
class WarningView:
    sender: str
    identifier: str
    source: str
    """``hub`` (came down the city link) or ``import`` (from a file)."""
    status: str
    msg_type: str
    sent_ms: int
    event: str
    """Vietnamese when the alert has a Vietnamese block, else its first block's."""
    event_en: str
    severity: str
    urgency: str
    certainty: str
    headline: str
    headline_en: str
    area: str
    area_en: str
    expires_ms: int
    received_ms: int

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, 0)

    def event_in(self, lang: str) -> str:
        return self.event_en if lang == "en" and self.event_en else self.event

    def area_in(self, lang: str) -> str:
        return self.area_en if lang == "en" and self.area_en else self.area


@dataclass(frozen=True)
class Imported:
    stored: bool
    """False: this alert (sender, identifier) was held already; nothing changed."""
    version: str
    alert: cap.CapAlert


def _view(r: Any) -> WarningView:
    return WarningView(
        sender=r.sender,
        identifier=r.identifier,
        source=r.source,
        status=r.status,
        msg_type=r.msg_type,
        sent_ms=int(r.sent_ms),
        event=r.event,
        event_en=r.event_en,
        severity=r.severity,
        urgency=r.urgency,
        certainty=r.certainty,
        headline=r.headline,
        headline_en=r.headline_en,
        area=r.area,
        area_en=r.area_en,
        expires_ms=int(r.expires_ms),
        received_ms=int(r.received_ms),
    )


class WarningService:
    def __init__(self, engine: Engine, commit: Commit, access: AccessService, clock: Clock) -> None:
        self._engine = engine
        self._commit = commit
        self._access = access
        self._clock = clock
        self._lock = threading.Lock()
        self._items: list[WarningView] = []
        self.rev = 0

    def now_ms(self) -> int:
        """The console's clock (what ``active`` judges expiry by)."""
        return time_ms(self._clock)

    def reload(self) -> None:
        """The warnings not cancelled, superseded or expired (SQL: not on the GUI thread)."""
        c = city_warnings.c
        now = time_ms(self._clock)
        q = select(city_warnings).where(
            c.cancelled_ms == 0,
            c.superseded_by == "",
            c.msg_type.in_(SHOWN_TYPES),
            c.status.in_(SHOWN_STATUS),
            c.expires_ms > now,
        )
        with self._engine.connect() as conn:
            rows = conn.execute(q).all()
        items = sorted((_view(r) for r in rows), key=lambda w: (-w.rank, -w.sent_ms))
        with self._lock:
            if items != self._items:
                self._items = items
                self.rev += 1

    def active(self, now_ms: int | None = None) -> list[WarningView]:
        """The warnings to show now, most severe first (memory only)."""
        now = time_ms(self._clock) if now_ms is None else now_ms
        with self._lock:
            return [w for w in self._items if w.expires_ms > now]

    def import_xml(self, session: Session | None, xml: bytes, origin: str) -> Imported:
        """Validate and store a CAP alert from outside (``origin``: e.g. the file name).

        Raises CapError (which element, which rule) for an invalid one: nothing is
        stored. Waits for the commit."""
        self._access.authorize(session, Permission.IMPORT_WARNINGS)
        assert session is not None
        version, alert = cap.parse_versioned(xml, max_bytes=records.MAX_CAP_BYTES)
        for name in ("sender", "identifier"):
            if len(getattr(alert, name)) > MAX_KEY:
                raise cap.CapError(f"alert/{name}", f"longer than {MAX_KEY} characters")
        now = time_ms(self._clock)

        def job(conn: Connection) -> bool:
            lock_now(conn)
            stored = store_warning(conn, xml, version, alert, "import", now)
            if stored:
                append(
                    conn,
                    [
                        ActionEntry.of(
                            session,
                            AuditAction.WARNING_IMPORTED,
                            now,
                            obj=clean(f"{alert.sender},{alert.identifier}", 128),
                            after=f"CAP {version} {alert.msg_type.value}",
                            note=clean(origin, 1000),
                        )
                    ],
                )
                bump_rev(conn)
            return stored

        return Imported(self._commit.run(job), version, alert)

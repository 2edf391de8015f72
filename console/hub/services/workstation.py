"""One IOC workstation's services: the city it reads, the person on duty, what it sends.

The IOC window's composition root builds this (Qt-free, testable without a
window): ``city`` (snapshots, drill-down), ``access`` (log-in, hand-over, idle
lock, accounts, the IOC's action log — console.hub.services.access) and
``downlink`` (directives and city warnings) and ``escalations`` (the inbox: take,
assign, acknowledge), each checked by ``access``: a person must be on duty,
unlocked, with a role that grants the command. Writes of duty
changes go through one ``QueuedCommit`` thread, so the GUI thread never waits
for the database; ``close`` drains and joins it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from console.hub.config import HubConfig, SiteNames
from console.hub.services.access import IocAccess
from console.hub.services.changes import POLL_S
from console.hub.services.downlink import (
    DownlinkRefusedError,
    DownlinkService,
    Issued,
    build_warning,
    warning_identifier,
)
from console.hub.services.escalations import Acknowledged, EscalationWork
from console.hub.services.ioc import CityService
from console.shared import cap
from console.shared.clock import Clock
from console.shared.commit import QueuedCommit
from console.shared.passwords import Passwords
from console.shared.session import Session
from console.shared.vocab import DirectivePriority, Permission

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""CAP times are written with the city's offset (+07:00)."""


@dataclass(frozen=True)
class DirectiveView:
    sites: list[str]
    """Sites with an allowed console (the registry): where a directive can go."""
    board: list[dict[str, Any]]
    """``DownlinkService.board``: newest first, each with its state per site."""


@dataclass(frozen=True)
class WarningView:
    sites: list[str]
    """Sites with an allowed console (the registry): where a warning can go."""
    warnings: list[dict[str, Any]]
    """``DownlinkService.warnings``: newest first, with delivery per site."""


@dataclass(frozen=True)
class WarningDraft:
    """A city warning as the IOC writes it (built into CAP 1.2 by ``build_warning``)."""

    event_vi: str
    area_vi: str
    severity: cap.Severity
    urgency: cap.Urgency = cap.Urgency.EXPECTED
    expires_h: float = 6.0
    event_en: str = ""
    area_en: str = ""
    headline_vi: str = ""
    instruction_vi: str = ""
    exercise: bool = False


@dataclass(frozen=True)
class EscalationDetail:
    """The message chosen in the inbox: its CAP alert (None: it could not be read again)
    and who at the IOC did what with it, oldest first."""

    sender: str
    identifier: str
    alert: cap.CapAlert | None
    events: list[dict[str, Any]]
    problem: str = ""


@dataclass(frozen=True)
class InboxView:
    items: list[dict[str, Any]]
    """``EscalationWork.items``: newest first, with state and handling."""
    detail: EscalationDetail | None
    """Of the message asked for (None: none asked, or it is not in the hub)."""


@dataclass
class IocWorkstation:
    city: CityService
    access: IocAccess
    downlink: DownlinkService
    commit: QueuedCommit
    escalations: EscalationWork
    hub_id: str = "ioc"

    @classmethod
    def open(
        cls,
        cfg: HubConfig,
        *,
        clock: Clock | None = None,
        passwords: Passwords | None = None,
        workstation: str = "",
        poll_s: float = POLL_S,
    ) -> IocWorkstation:
        """Over ``cfg``'s database (migrated, or refused as the hub would refuse it)."""
        city = CityService.open(cfg, clock=clock, poll_s=poll_s)
        commit = QueuedCommit(city.engine, name="ioc-commit")
        access = IocAccess(
            city.engine, commit, city.clock, cfg.access, workstation, passwords=passwords
        )
        downlink = DownlinkService(city.engine, cfg.registry, clock=city.clock, access=access)
        work = EscalationWork(city.engine, cfg.agencies, clock=city.clock, access=access)
        return cls(city, access, downlink, commit, work, cfg.id)

    def close(self) -> None:
        """Finish the queued writes, join their thread, dispose of the engine."""
        self.commit.close()
        self.city.close()

    # -- reads and commands (I/O: a worker thread) ---------------------------------------
    def directive_view(self, limit: int = 100) -> DirectiveView:
        """The sites a directive can go to, and the board of the newest ``limit``."""
        return DirectiveView(self.downlink.known_sites(), self.downlink.board(limit=limit))

    def warning_view(self, limit: int = 50) -> WarningView:
        """The sites a warning can go to, and the newest ``limit`` warnings sent."""
        return WarningView(self.downlink.known_sites(), self.downlink.warnings(limit=limit))

    def inbox_view(self, chosen: tuple[str, str] | None = None, limit: int = 200) -> InboxView:
        """The escalations received (newest ``limit``) and, for ``chosen`` (sender,
        identifier), its CAP alert and events."""
        items = self.escalations.items(limit=limit)
        detail = None
        if chosen is not None and any((i["sender"], i["identifier"]) == chosen for i in items):
            sender, ident = chosen
            alert, problem = None, ""
            try:
                alert = self.escalations.alert(ident, sender)
            except cap.CapError as exc:  # validated on receipt: a changed schema, not data
                problem = str(exc)
            events = self.escalations.events(ident, sender)
            detail = EscalationDetail(sender, ident, alert, events, problem)
        return InboxView(items, detail)

    @property
    def agencies(self) -> dict[str, SiteNames]:
        """The hub file's ``[agencies]``: those an escalation can be assigned to."""
        return dict(self.escalations.agencies)

    # -- commands (I/O: a worker thread) ------------------------------------------------
    def take_escalation(self, session: Session | None, sender: str, identifier: str) -> None:
        """``session`` handles the message from now (refused unless on duty and allowed)."""
        self.access.authorize(session, Permission.HANDLE_ESCALATIONS)
        assert session is not None
        self.escalations.take(session, identifier, sender=sender)

    def assign_escalation(
        self, session: Session | None, sender: str, identifier: str, agency: str
    ) -> None:
        """Assign the message to one of the hub file's agencies (a supervisor's)."""
        self.access.authorize(session, Permission.ASSIGN_ESCALATIONS)
        assert session is not None
        self.escalations.assign(session, identifier, agency, sender=sender)

    def acknowledge_escalation(
        self, session: Session | None, sender: str, identifier: str, note: str
    ) -> Acknowledged:
        """Acknowledge the message; the acknowledgement (with the note) goes down to the site."""
        self.access.authorize(session, Permission.HANDLE_ESCALATIONS)
        assert session is not None
        return self.escalations.acknowledge(session, identifier, note, sender=sender)

    def send_directive(
        self,
        session: Session | None,
        sites: Sequence[str],
        text: str,
        *,
        priority: DirectivePriority = DirectivePriority.NORMAL,
        due_ms: int | None = None,
        ref: str = "",
    ) -> Issued:
        """Refused (nothing written) unless ``session`` is on duty and may issue directives."""
        self.access.authorize(session, Permission.ISSUE_DIRECTIVES)
        assert session is not None  # authorize refuses None
        return self.downlink.issue_directive(
            session,
            list(sites),
            text,
            priority=priority,
            due_ms=due_ms,
            ref=ref,
            hub_id=self.hub_id,
        )

    def send_warning(
        self, session: Session | None, sites: Sequence[str], d: WarningDraft
    ) -> Issued:
        """Build a CAP 1.2 city warning (Vietnamese block, English if an English event is
        given; identifier ``<hub>-w-<UTC time>-<hex>``), then send it as ``session``.
        Refused (nothing written) unless ``session`` may issue warnings; a draft CAP
        refuses is a ``DownlinkRefusedError`` naming the problem."""
        self.access.authorize(session, Permission.ISSUE_WARNINGS)
        assert session is not None  # authorize refuses None
        now = datetime.fromtimestamp(self.city.clock.time(), CITY_TZ).replace(microsecond=0)
        if not d.event_vi.strip() or not d.area_vi.strip():
            raise DownlinkRefusedError("a warning needs its event and area in Vietnamese")
        try:
            xml = build_warning(
                sender=self.hub_id,
                identifier=warning_identifier(self.hub_id, now),
                event_vi=d.event_vi.strip(),
                event_en=d.event_en.strip(),
                area_vi=d.area_vi.strip(),
                area_en=d.area_en.strip(),
                severity=d.severity,
                urgency=d.urgency,
                expires=now + timedelta(hours=d.expires_h),
                sent=now,
                headline_vi=d.headline_vi.strip() or None,
                instruction_vi=d.instruction_vi.strip() or None,
                status=cap.Status.EXERCISE if d.exercise else cap.Status.ACTUAL,
            )
        except cap.CapError as exc:
            raise DownlinkRefusedError(f"not a valid CAP alert: {exc}") from None
        return self.downlink.issue_warning(session, list(sites), xml)

"""What the city IOC sends down to the sites, and what it learns back: directives, city
warnings, the directive board, the sites' alarm transitions.

Qt-free; the command line (``opsconsole hub directive|warn|directives|warnings|
alarms``) and the IOC window call the same methods. Each command writes in ONE
transaction of the hub database: the directive (or warning), its targets, one
downlink record per target site, numbered on that site's stream
(``console.hub.store.downlink.append``), its entry in the IOC's action log and a
bump of the change counter (so every IOC window's board moves). The running hub
notices the new marks and delivers; nothing here talks to a socket.

Whoever acts is a ``Session`` (the CLI: the OS account, judged by its roles; the
IOC window: the person on duty, judged by the window's ``IocAccess``). The
permission check comes first (``PermissionDeniedError``); other refusals are
``DownlinkRefusedError`` with one line saying why. A refusal changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from console.hub.registry import Registry
from console.hub.services.access import CHAIN, Checker, RolesOnly
from console.hub.store import alarm_events as alarm_log
from console.hub.store import downlink
from console.hub.store.schema import (
    alarm_events,
    city_warnings,
    directive_events,
    directive_targets,
    directives,
    down_records,
    warning_targets,
)
from console.hub.store.store import touch_city
from console.shared import cap, records
from console.shared.audit import ActionEntry
from console.shared.clock import Clock, SystemClock, time_ms
from console.shared.errors import ActionRefusedError
from console.shared.records import CityWarning, Directive
from console.shared.session import Session
from console.shared.sql import prompt_write
from console.shared.vocab import AuditAction, DirectivePriority, DirectiveStep, Permission, Stream

ALL = "all"


class DownlinkRefusedError(ActionRefusedError):
    """A directive or warning that was not issued: nothing was written."""


@dataclass(frozen=True)
class Issued:
    """What one command wrote: the item's id and, per target site, its downlink seq."""

    id: str
    seqs: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "sites": self.seqs}


class DownlinkService:
    def __init__(
        self,
        engine: Engine,
        registry: Path,
        *,
        clock: Clock | None = None,
        access: Checker | None = None,
    ) -> None:
        self.engine = engine
        self.registry = Registry(registry)
        self.clock = clock or SystemClock()
        self.access: Checker = access or RolesOnly()

    # -- targets ----------------------------------------------------------------------
    def known_sites(self) -> list[str]:
        """Every site with a console allowed in the registry (revoked keys left out)."""
        return sorted({e.allowed_site for e in self.registry.entries() if not e.revoked})

    def targets(self, to: str | Sequence[str]) -> list[str]:
        """``all``, or site ids (a comma-separated string or a list): each must be the site of
        an allowed console, so nothing is queued for a site no console can fetch."""
        names = [to] if isinstance(to, str) else list(to)
        wanted = [p.strip() for n in names for p in n.split(",")]
        if any(not w for w in wanted) or not wanted:
            raise DownlinkRefusedError("--to: a site id is empty")
        known = self.known_sites()
        if wanted == [ALL]:
            if not known:
                raise DownlinkRefusedError(
                    "no console is allowed in the registry: no site to send to"
                )
            return known
        unknown = sorted(set(wanted) - set(known))
        if unknown:
            raise DownlinkRefusedError(
                f"unknown site {', '.join(unknown)}: no allowed console reports for it "
                f"(known: {', '.join(known) or 'none'})"
            )
        return sorted(set(wanted))

    # -- directives ---------------------------------------------------------------------
    def issue_directive(
        self,
        session: Session,
        to: str | Sequence[str],
        text: str,
        *,
        priority: DirectivePriority = DirectivePriority.NORMAL,
        due_ms: int | None = None,
        ref: str = "",
        hub_id: str = "ioc",
    ) -> Issued:
        self.access.authorize(session, Permission.ISSUE_DIRECTIVES)
        sites = self.targets(to)
        now = time_ms(self.clock)
        body = _one_paragraph(text)
        if not body:
            raise DownlinkRefusedError("the directive's text is empty")
        if len(body) > records.MAX_DIRECTIVE_TEXT:
            raise DownlinkRefusedError(
                f"the directive's text has {len(body)} characters; at most "
                f"{records.MAX_DIRECTIVE_TEXT}"
            )
        if due_ms is not None and due_ms <= now:
            raise DownlinkRefusedError("the due time is not in the future")
        directive_id = f"{hub_id}-{secrets.token_hex(4)}"
        try:
            rec = Directive(
                id=directive_id,
                text=body,
                priority=priority,
                sites=tuple(sites),
                due=due_ms,
                ref=ref.strip(),
                by=session.user_id,
                name=_one_paragraph(session.display_name)[:128],
                ts=now,
            )
        except (TypeError, ValueError) as exc:
            raise DownlinkRefusedError(f"not a valid directive: {exc}") from None
        payload = records.encode(rec)

        def write(conn: Connection) -> dict[str, int]:
            conn.execute(
                directives.insert().values(
                    directive_id=rec.id,
                    text=rec.text,
                    priority=rec.priority.value,
                    due_ms=rec.due,
                    ref=rec.ref,
                    sites=",".join(sites),
                    issued_by=rec.by,
                    issued_name=rec.name,
                    issued_ms=now,
                )
            )
            seqs = {}
            for site in sites:
                (seq,) = downlink.append(
                    conn, site, Stream.DIRECTIVE, [(Directive.KIND.value, now, payload)]
                )
                seqs[site] = seq
            conn.execute(
                directive_targets.insert(),
                [{"directive_id": rec.id, "site_id": s, "down_seq": q} for s, q in seqs.items()],
            )
            entry = ActionEntry.of(
                session,
                AuditAction.DIRECTIVE_ISSUED,
                now,
                obj=rec.id,
                after=",".join(sites),
                note=_directive_note(rec),
            )
            CHAIN.append(conn, [entry])
            touch_city(conn)
            return seqs

        with prompt_write(self.engine) as conn:
            return Issued(rec.id, write(conn))

    def board(self, *, limit: int = 200) -> list[dict[str, Any]]:
        """The newest directives, each with its state per target site: ``queued`` (not yet
        in a console's inbox), ``delivered`` (when), ``read`` (by whom, when), ``done``."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(directives).order_by(directives.c.issued_ms.desc()).limit(limit)
            ).all()
            ids = [r.directive_id for r in rows]
            targets = conn.execute(
                select(
                    directive_targets.c.directive_id,
                    directive_targets.c.site_id,
                    directive_targets.c.down_seq,
                    down_records.c.delivered_ms,
                )
                .join(
                    down_records,
                    (down_records.c.site_id == directive_targets.c.site_id)
                    & (down_records.c.stream == Stream.DIRECTIVE.value)
                    & (down_records.c.seq == directive_targets.c.down_seq),
                )
                .where(directive_targets.c.directive_id.in_(ids))
            ).all()
            steps = conn.execute(
                select(directive_events)
                .where(directive_events.c.directive_id.in_(ids))
                .order_by(directive_events.c.ts_ms)
            ).all()
        per: dict[str, dict[str, dict[str, Any]]] = {}
        for d_id, site, seq, delivered in targets:
            per.setdefault(d_id, {})[site] = {
                "state": "delivered" if delivered else "queued",
                "seq": int(seq),
                "delivered_ms": int(delivered) or None,
                "read": [],
                "done": None,
            }
        for e in steps:
            t = per.get(e.directive_id, {}).get(e.site_id)
            if t is None:
                continue
            who = {
                "user": e.user_id,
                "name": e.user_name,
                "roles": e.roles,
                "workstation": e.workstation,
                "ts_ms": int(e.ts_ms),
                "note": e.note,
            }
            if e.step == DirectiveStep.DONE.value:
                if t["done"] is None:
                    t["done"] = who
            elif all(r["user"] != e.user_id for r in t["read"]):
                t["read"].append(who)
        for sites in per.values():
            for t in sites.values():
                if t["done"] is not None:
                    t["state"] = "done"
                elif t["read"]:
                    t["state"] = "read"
        return [
            {
                "id": r.directive_id,
                "text": r.text,
                "priority": r.priority,
                "due_ms": r.due_ms,
                "ref": r.ref,
                "issued_by": r.issued_by,
                "issued_name": r.issued_name,
                "issued_ms": int(r.issued_ms),
                "sites": per.get(r.directive_id, {}),
            }
            for r in rows
        ]

    # -- city warnings ------------------------------------------------------------------
    def issue_warning(self, session: Session, to: str | Sequence[str], xml: bytes) -> Issued:
        """Send a CAP alert (1.2, or 1.1 as received from outside) to sites. It is validated
        here (schema and CAP's rules, hardened parse) and again by each console. The same
        message (sender, identifier) may go to more sites later; other content under the
        same identifier is refused (an Update is a new message with its own identifier)."""
        self.access.authorize(session, Permission.ISSUE_WARNINGS)
        sites = self.targets(to)
        try:
            _version, alert = cap.parse_versioned(xml, max_bytes=records.MAX_CAP_BYTES)
        except cap.CapError as exc:
            raise DownlinkRefusedError(f"not a valid CAP alert: {exc}") from None
        if len(alert.sender) > 200 or len(alert.identifier) > 200:
            raise DownlinkRefusedError("CAP sender and identifier: at most 200 characters each")
        now = time_ms(self.clock)
        rec = CityWarning(
            cap=xml, by=session.user_id, name=_one_paragraph(session.display_name)[:128], ts=now
        )
        payload = records.encode(rec)
        key = (alert.sender, alert.identifier)
        info = _first_info(alert)

        with prompt_write(self.engine) as conn:
            old = conn.execute(
                select(city_warnings.c.xml, city_warnings.c.sites).where(
                    city_warnings.c.sender == key[0], city_warnings.c.identifier == key[1]
                )
            ).first()
            if old is not None and bytes(old.xml) != xml:
                raise DownlinkRefusedError(
                    f"a different warning {key[0]},{key[1]} was sent already; an Update needs "
                    "an identifier of its own"
                )
            have = set(old.sites.split(",")) if old is not None and old.sites else set()
            new_sites = [s for s in sites if s not in have]
            if not new_sites:
                raise DownlinkRefusedError(
                    f"warning {key[0]},{key[1]} was already sent to {', '.join(sites)}"
                )
            if old is None:
                conn.execute(
                    city_warnings.insert().values(
                        sender=key[0],
                        identifier=key[1],
                        sent_ms=int(alert.sent.timestamp() * 1000),
                        status=alert.status.value,
                        msg_type=alert.msg_type.value,
                        event=(info.event if info else "")[:200],
                        severity=info.severity.value if info else "",
                        expires_ms=_expires_ms(alert),
                        sites=",".join(new_sites),
                        xml=xml,
                        issued_by=session.user_id,
                        issued_name=_one_paragraph(session.display_name)[:128],
                        issued_ms=now,
                    )
                )
            else:
                conn.execute(
                    city_warnings.update()
                    .where(city_warnings.c.sender == key[0], city_warnings.c.identifier == key[1])
                    .values(sites=",".join(sorted(have | set(new_sites))))
                )
            seqs = {}
            for site in new_sites:
                (seq,) = downlink.append(
                    conn, site, Stream.WARNING, [(CityWarning.KIND.value, now, payload)]
                )
                seqs[site] = seq
            conn.execute(
                warning_targets.insert(),
                [
                    {"sender": key[0], "identifier": key[1], "site_id": s, "down_seq": q}
                    for s, q in seqs.items()
                ],
            )
            entry = ActionEntry.of(
                session,
                AuditAction.WARNING_ISSUED,
                now,
                obj=f"{key[0]},{key[1]}",
                after=",".join(new_sites),
                note=f"{info.severity.value if info else ''} {info.event if info else ''}".strip(),
            )
            CHAIN.append(conn, [entry])
            touch_city(conn)
        return Issued(f"{key[0]},{key[1]}", seqs)

    def warnings(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The newest city warnings sent, with delivery per site."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(city_warnings).order_by(city_warnings.c.issued_ms.desc()).limit(limit)
            ).all()
            targets = conn.execute(
                select(
                    warning_targets.c.sender,
                    warning_targets.c.identifier,
                    warning_targets.c.site_id,
                    warning_targets.c.down_seq,
                    down_records.c.delivered_ms,
                ).join(
                    down_records,
                    (down_records.c.site_id == warning_targets.c.site_id)
                    & (down_records.c.stream == Stream.WARNING.value)
                    & (down_records.c.seq == warning_targets.c.down_seq),
                )
            ).all()
        per: dict[tuple[str, str], dict[str, Any]] = {}
        for sender, ident, site, seq, delivered in targets:
            per.setdefault((sender, ident), {})[site] = {
                "state": "delivered" if delivered else "queued",
                "seq": int(seq),
                "delivered_ms": int(delivered) or None,
            }
        return [
            {
                "sender": r.sender,
                "identifier": r.identifier,
                "sent_ms": int(r.sent_ms),
                "status": r.status,
                "msg_type": r.msg_type,
                "event": r.event,
                "severity": r.severity,
                "expires_ms": r.expires_ms,
                "issued_by": r.issued_by,
                "issued_ms": int(r.issued_ms),
                "sites": per.get((r.sender, r.identifier), {}),
            }
            for r in rows
        ]

    # -- what the sites send back ----------------------------------------------------------
    def alarms(self, *, site: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """The newest alarm transitions of every site (or one), newest first."""
        with self.engine.connect() as conn:
            rows = alarm_log.newest(conn, site=site, limit=limit)
            counts: dict[str, int] = dict(
                conn.execute(
                    select(alarm_events.c.site_id, func.count()).group_by(alarm_events.c.site_id)
                ).all()
            )
        return [
            {
                "site": r.site_id,
                "console_id": r.console_id,
                "ts_ms": int(r.ts_ms),
                "alarm": r.alarm_id,
                "feed": r.feed_key,
                "rule": r.rule,
                "event": r.event,
                "state": r.state,
                "prior": r.prior_state,
                "severity": int(r.severity),
                "value": r.value,
                "user": r.user_id,
                "workstation": r.workstation,
                "note": r.note,
                "total_at_site": int(counts.get(r.site_id, 0)),
            }
            for r in rows
        ]


def _directive_note(rec: Directive) -> str:
    """The entry's note: priority, due time, reference and the text, as sent."""
    parts = [rec.priority.value]
    if rec.due is not None:
        parts.append(
            "due " + datetime.fromtimestamp(rec.due / 1000, UTC).isoformat(timespec="minutes")
        )
    if rec.ref:
        parts.append(f"ref {rec.ref}")
    return "; ".join(parts) + ": " + rec.text


def _one_paragraph(text: str) -> str:
    """Printable text on one line: line breaks and runs of white space become one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _first_info(alert: cap.CapAlert) -> cap.CapInfo | None:
    """The Vietnamese info block if there is one, else the first."""
    for info in alert.infos:
        if info.language.lower().startswith("vi"):
            return info
    return alert.infos[0] if alert.infos else None


def _expires_ms(alert: cap.CapAlert) -> int | None:
    times = [i.expires for i in alert.infos if i.expires is not None]
    return int(max(times).timestamp() * 1000) if times else None


def build_warning(
    *,
    sender: str,
    identifier: str,
    event_vi: str,
    event_en: str = "",
    area_vi: str,
    area_en: str = "",
    severity: cap.Severity,
    urgency: cap.Urgency = cap.Urgency.EXPECTED,
    certainty: cap.Certainty = cap.Certainty.LIKELY,
    category: cap.Category = cap.Category.MET,
    expires: datetime,
    sent: datetime,
    headline_vi: str | None = None,
    headline_en: str | None = None,
    instruction_vi: str | None = None,
    instruction_en: str | None = None,
    status: cap.Status = cap.Status.ACTUAL,
) -> bytes:
    """A CAP 1.2 city warning from fields: an info block in Vietnamese and, when an English
    event is given, one in English; scope Restricted to the city's operations centres.
    Raises CapError (the builder validates against the schema)."""
    infos = [
        cap.CapInfo(
            language="vi-VN",
            categories=(category,),
            event=event_vi,
            urgency=urgency,
            severity=severity,
            certainty=certainty,
            effective=sent,
            expires=expires,
            sender_name="Trung tâm giám sát điều hành thông minh Đà Nẵng",
            headline=headline_vi,
            instruction=instruction_vi,
            areas=(cap.CapArea(area_desc=area_vi),),
        )
    ]
    if event_en:
        infos.append(
            cap.CapInfo(
                language="en-US",
                categories=(category,),
                event=event_en,
                urgency=urgency,
                severity=severity,
                certainty=certainty,
                effective=sent,
                expires=expires,
                sender_name="Da Nang Intelligent Operations Centre",
                headline=headline_en,
                instruction=instruction_en,
                areas=(cap.CapArea(area_desc=area_en or area_vi),),
            )
        )
    alert = cap.CapAlert(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=status,
        msg_type=cap.MsgType.ALERT,
        scope=cap.Scope.RESTRICTED,
        restriction="Da Nang IOC and district operations centres",
        infos=tuple(infos),
    )
    return cap.build_xml(alert)


def warning_identifier(hub_id: str, now: datetime) -> str:
    """``<hub id>-w-<UTC yyyymmddhhmmss>-<4 hex>``: unique, no character CAP forbids."""
    return f"{hub_id}-w-{now.astimezone(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(2)}"

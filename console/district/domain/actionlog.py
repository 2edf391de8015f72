"""An action-log entry before it takes its place in the chain: who, what, on what, when.

Every state-changing action builds one ``ActionEntry`` from the acting
``Session`` and hands it to the store in the transaction of the change
(``console.district.store.action_log.append``). Text is made safe for the
chain here, once: control characters become spaces and fields are cut to the
bounds of the ``entry`` record (docs/PROTOCOL.md §2.6), so what is hashed
locally is exactly what the hub can store and re-hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.shared.session import Session
from console.shared.vocab import AuditAction

LIMITS = {"user": 64, "name": 128, "roles": 64, "ws": 64, "object": 128, "text": 1000}


def clean(text: str, limit: int) -> str:
    """Printable text of at most ``limit`` characters (``…`` marks a cut)."""
    out = "".join(c if c.isprintable() else " " for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


@dataclass(frozen=True)
class ActionEntry:
    ts_ms: int
    user: str
    name: str
    roles: str
    authenticated: bool
    workstation: str
    action: str
    object: str = ""
    before: str = ""
    after: str = ""
    note: str = ""

    @classmethod
    def of(
        cls,
        session: Session,
        action: AuditAction,
        ts_ms: int,
        *,
        obj: str = "",
        before: str = "",
        after: str = "",
        note: str = "",
    ) -> ActionEntry:
        t = LIMITS["text"]
        return cls(
            ts_ms=max(0, ts_ms),
            user=clean(session.user_id, LIMITS["user"]) or "unknown",
            name=clean(session.display_name, LIMITS["name"]),
            roles=clean(session.roles_text, LIMITS["roles"]),
            authenticated=session.authenticated,
            workstation=clean(session.workstation, LIMITS["ws"]),
            action=action.value,
            object=clean(obj, LIMITS["object"]),
            before=clean(before, t),
            after=clean(after, t),
            note=clean(note, t),
        )

"""The action log's hash chain: one canonical encoding, one hash, shared by console and hub.

Each entry is a flat map of strings, integers and booleans (the ``entry`` record
of the ``audit`` stream, docs/PROTOCOL.md §2.6). Its ``hash`` is

    SHA-256( canonical(entry without "hash") )   as 64 lower-case hex digits

where the entry includes ``prev``, the previous entry's hash (``GENESIS`` for
the first), and ``chain``, the id of the database that wrote it. Changing,
removing, inserting or reordering an entry therefore breaks the hash of that
entry or the link of the next one, until the end of the chain.

The canonical encoding is JSON canonicalised as RFC 8785 (JCS): keys sorted,
no whitespace, UTF-8, strings with only the mandatory escapes. For the values
an entry may hold (printable strings, integers below 2^53, booleans) JCS is
exactly ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
in UTF-8, so any language with a JSON library and SHA-256 can check a chain
(an inspector with sqlite3 and a few lines of script). MessagePack was the
other candidate: it is what the link carries, but it has no canonical form
(an integer or string may be encoded at several widths, maps keep insertion
order), so a verifier would have to copy one library's choices.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from console.shared.session import Session
from console.shared.vocab import AuditAction

GENESIS: Final = "0" * 64
"""``prev`` of a chain's first entry."""

HASH_FIELD: Final = "hash"


def canonical(entry: Mapping[str, object]) -> bytes:
    """The bytes hashed for ``entry``: every key but ``hash``, as RFC 8785 JSON in UTF-8."""
    body = {k: v for k, v in entry.items() if k != HASH_FIELD}
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(entry: Mapping[str, object]) -> str:
    """SHA-256 of ``canonical(entry)``, 64 lower-case hex digits."""
    return hashlib.sha256(canonical(entry)).hexdigest()


# -- entries before they take their place in a chain -------------------------------------
# Every state-changing action builds one ``ActionEntry`` from the acting ``Session``
# and hands it to its product's store in the transaction of the change. Text is made
# safe for the chain here, once: control characters become spaces and fields are cut
# to the bounds of the ``entry`` record (docs/PROTOCOL.md §2.6), so what is hashed
# locally is exactly what the hub can store and re-hash.

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

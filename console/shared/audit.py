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
from typing import Final

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

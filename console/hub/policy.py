"""The hub's session policy: who may connect and deliver, and how fast.

The transport server (transport.uplink_hub) owns the sockets and the
protocol; it asks this policy, through its ``SessionPolicy`` port:

- **keys** (ZAP thread): a registered, unrevoked key is let in, and its console
  id becomes the connection's ``User-Id``;
- **HELLO admission**: the claimed console id must be the key's; the key must
  still be allowed; the site must be the one the key is registered for; the
  database id and stream names must fit the hub's columns;
- **every later message**: the key is still allowed (revocation needs no
  restart);
- **flow control**: the credit in WELCOME and ACK; after a failed commit,
  CREDIT 0 to every session until the storage answers again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from console.hub.registry import Registry
from transport import uplinkproto as up
from transport.uplink_hub import Admitted, Hello, KeyVerdict, Refusal

log = logging.getLogger(__name__)

MAX_DB_LEN = 64
"""``hub_streams.db_id`` is VARCHAR(64)."""
MAX_STREAM_LEN = 32
"""``hub_streams.stream`` is VARCHAR(32)."""


def _ident(v: str, max_len: int) -> bool:
    return 0 < len(v) <= max_len and v.isascii() and v.isprintable()


class HubPolicy:
    """Admission by the key registry (re-read when it changes) and credit-based flow control."""

    def __init__(
        self, registry: Path, *, credit: int, max_streams: int = up.Limits.max_streams
    ) -> None:
        self.registry = Registry(registry)
        self.window = credit
        """The credit of a healthy hub: unacknowledged DATA per stream and session."""
        self.max_streams = max_streams
        self._degraded = False

    # -- keys (ZAP thread) ---------------------------------------------------------
    def authorize(self, key_z85: bytes) -> KeyVerdict:
        entry = self.registry.by_key(key_z85)
        if entry is None:
            log.warning("refused a console with an unknown key %s…", key_z85[:8].decode())
            return KeyVerdict(refused="unknown_key")
        if entry.revoked:
            log.warning("refused console %s: its key is revoked", entry.console_id)
            return KeyVerdict(refused="revoked_key")
        return KeyVerdict(peer=entry.console_id)

    # -- sessions (hub thread) -----------------------------------------------------
    def admit(self, hello: Hello) -> Admitted | Refusal:
        claimed = hello.console
        if not hello.user_id or claimed != hello.user_id:
            return Refusal(
                "id_mismatch",
                f"claims {claimed!r}, key belongs to {hello.user_id!r}",
                connection="id_mismatch",
            )
        entry = self.registry.by_id(claimed)
        if entry is None or entry.revoked:
            return Refusal("key_revoked", f"console {claimed!r}", connection="revoked_key")
        if hello.site != entry.allowed_site:
            # A console reports for the site its key was registered for, and no other.
            return Refusal(
                "site_mismatch",
                f"console {claimed!r} may report for site {entry.allowed_site!r}, not {hello.site!r}",
                connection="site_mismatch",
            )
        if not _ident(hello.db, MAX_DB_LEN):
            return Refusal(
                "bad_header", f"HELLO.db must be 1-{MAX_DB_LEN} printable ASCII characters"
            )
        if len(hello.streams) > self.max_streams or not all(
            isinstance(k, str) and _ident(k, MAX_STREAM_LEN) for k in hello.streams
        ):
            return Refusal("bad_header", "HELLO.streams")
        if not all(up.is_int(v) and 0 <= v <= up.MAX_SEQ for v in hello.streams.values()):
            return Refusal("bad_header", "HELLO.streams values")
        refused = self._check_down(hello)
        if refused is not None:
            return refused
        return Admitted(peer=claimed, scope=entry.allowed_site)

    def _check_down(self, hello: Hello) -> Refusal | None:
        """The downlink fields of a HELLO (docs/PROTOCOL.md §2.10): both or neither."""
        if hello.down is None and hello.down_db is None:
            return None
        if hello.down is None or hello.down_db is None:
            return Refusal("bad_header", "HELLO.down and HELLO.down_db go together")
        if hello.down_db and not _ident(hello.down_db, MAX_DB_LEN):
            return Refusal(
                "bad_header", f"HELLO.down_db must be 0-{MAX_DB_LEN} printable ASCII characters"
            )
        if len(hello.down) > self.max_streams or not all(
            isinstance(k, str) and _ident(k, MAX_STREAM_LEN) for k in hello.down
        ):
            return Refusal("bad_header", "HELLO.down")
        if not all(up.is_int(v) and 0 <= v <= up.MAX_SEQ for v in hello.down.values()):
            return Refusal("bad_header", "HELLO.down values")
        return None

    def recheck(self, peer: str) -> Refusal | None:
        entry = self.registry.by_id(peer)
        if entry is None or entry.revoked:
            return Refusal("key_revoked", f"console {peer!r}", connection="revoked_key")
        return None

    # -- flow control ----------------------------------------------------------------
    def welcome_credit(self) -> int:
        return 0 if self._degraded else self.window

    def ack_credit(self) -> int:
        """An ACK follows a commit that worked: the full window."""
        return self.window

    def storage_failed(self) -> int:
        """A commit failed: pause every session (the credit to announce)."""
        self._degraded = True
        return 0

    def tick(self, healthy: Callable[[], bool]) -> int | None:
        """Once a second: the credit to announce when the storage is back, else None."""
        if self._degraded and healthy():
            self._degraded = False
            log.info("hub storage is back; resuming delivery")
            return self.window
        return None

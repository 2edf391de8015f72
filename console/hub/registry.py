"""The hub's registry of authorised consoles: who may connect, for which site.

A small TOML file (``consoles.toml``, edited by ``opsconsole keys
allow|revoke``) that the hub re-reads when it changes, so an administrator
adds or revokes a console without restarting anything. It is hub policy data:
the transport only asks, through the ZAP callback, what a key is allowed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from console.shared.configfile import FIX, ConfigFile, Table
from console.shared.errors import ConfigError

_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class Entry:
    console_id: str
    public_key: bytes
    revoked: bool
    changed: str = ""
    """UTC time of the last allow/revoke, for the administrator."""
    site: str = ""
    """The site this console may report for (empty: the site id equals the console id)."""

    @property
    def allowed_site(self) -> str:
        return self.site or self.console_id


class Registry:
    """The allowed console keys, re-read whenever the file's mtime changes.

    Asked from two threads (ZAP and the hub loop); a lock keeps a re-read whole.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._by_key: dict[bytes, Entry] = {}
        self._by_id: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self.load_error = ""
        self.refresh()

    def refresh(self) -> None:
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            stamp = None
        else:
            stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp and self._stamp is not None:
            return
        try:
            entries = read_registry(self.path)
        except ConfigError as exc:
            # Keep the previous registry: a half-edited file must not open the door
            # or lock every console out.
            self.load_error = str(exc)
            return
        self._stamp = stamp
        self.load_error = ""
        self._by_id = {e.console_id: e for e in entries}
        self._by_key = {e.public_key: e for e in entries}

    def by_key(self, key_z85: bytes) -> Entry | None:
        self.refresh()
        return self._by_key.get(key_z85)

    def by_id(self, console_id: str) -> Entry | None:
        self.refresh()
        return self._by_id.get(console_id)

    def entries(self) -> list[Entry]:
        self.refresh()
        return sorted(self._by_id.values(), key=lambda e: e.console_id)


Z85 = r"^[0-9A-Za-z.\-:+=^!/*?&<>()\[\]{}@%$#]{40}$"
IdText = Annotated[
    str, Meta(pattern=r"^[a-z0-9._-]{1,64}$", extra={FIX: "use 1-64 characters from a-z 0-9 - _ ."})
]


class ConsoleTable(Table):
    """``[consoles.<console id>]`` as declared (docs/CONFIG.md, "The registry")."""

    public_key: Annotated[
        str,
        Meta(pattern=Z85, extra={FIX: "expected the 40 Z85 characters of the console's NAME.key"}),
    ]
    revoked: bool = False
    site: IdText | Literal[""] = ""
    """The site it reports for; empty: the console id."""
    changed: str = ""


class RegistryFile(Table):
    consoles: dict[str, ConsoleTable] = msgspec.field(default_factory=dict)


def read_registry(path: Path) -> list[Entry]:
    """The registry's entries; a missing file is an empty registry. Raises ConfigError with
    the file, the key and the line, like the site and hub files."""
    if not path.exists():
        return []
    file = ConfigFile.read(path, "console registry")
    reg = file.convert(RegistryFile)
    for cid in reg.consoles:
        if not set(cid) <= _ID_CHARS or not 0 < len(cid) <= 64:
            raise file.error(
                ("consoles", cid), "console id: use 1-64 characters from a-z 0-9 - _ ."
            )
    return [
        Entry(cid, e.public_key.encode("ascii"), e.revoked, e.changed, e.site)
        for cid, e in reg.consoles.items()
    ]


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def write_registry(path: Path, entries: list[Entry]) -> None:
    """Atomically replace the registry (the hub never sees a half-written file)."""
    lines = [
        "# Consoles allowed to deliver to this hub. Edit with `opsconsole keys allow|revoke`;",
        "# the hub re-reads this file when it changes.",
        "",
    ]
    for e in sorted(entries, key=lambda e: e.console_id):
        for what, v in (("console id", e.console_id), ("site", e.site or e.console_id)):
            if not v or len(v) > 64 or not set(v) <= _ID_CHARS:
                raise ConfigError(f"{what} {v!r}: use 1-64 characters from a-z 0-9 - _ .")
        lines += [
            f"[consoles.{e.console_id}]",
            f'public_key = "{e.public_key.decode("ascii")}"',
            f"revoked = {'true' if e.revoked else 'false'}",
            *([f'site = "{e.site}"'] if e.site else []),
            f'changed = "{e.changed or utc_now()}"',
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines), "utf-8")
    os.replace(tmp, path)

"""Set-up for city-link tests: keys, hub config + registry, a site file with [uplink]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from console.district.config import default_site_path
from console.hub.config import write_hub_config
from console.hub.registry import Entry, read_registry, utc_now, write_registry
from transport.curve import generate, load_keypair


@dataclass
class LinkKit:
    root: Path
    hub_config: Path
    hub_public: Path
    registry: Path

    def console_keys(self, console_id: str, *, allow: bool = True) -> Path:
        """Make a console keypair (allowed in the registry unless ``allow=False``)."""
        keys = self.root / "keys"
        if not (keys / f"{console_id}.key_secret").exists():
            generate(keys, console_id)
        if allow:
            self.allow(console_id, keys / f"{console_id}.key")
        return keys / f"{console_id}.key_secret"

    def allow(self, console_id: str, public: Path) -> None:
        entries = {e.console_id: e for e in read_registry(self.registry)}
        key = load_keypair(public, need_secret=False).public
        entries[console_id] = Entry(console_id, key, False, utc_now())
        write_registry(self.registry, list(entries.values()))

    def revoke(self, console_id: str) -> None:
        entries = {e.console_id: e for e in read_registry(self.registry)}
        e = entries[console_id]
        entries[console_id] = Entry(e.console_id, e.public_key, True, utc_now())
        write_registry(self.registry, list(entries.values()))

    def site(
        self,
        console_id: str,
        hub_endpoint: str,
        *,
        base: Path | None = None,
        batch_records: int = 1000,
        heartbeat_s: float = 0.5,
        name: str | None = None,
        secret: Path | None = None,
    ) -> Path:
        """A copy of a site file (default: the Hải Châu demo) that forwards to the hub."""
        text = (base or default_site_path()).read_text("utf-8")
        text = re.sub(r"(?m)^feeds_pull = .*$", 'feeds_pull = ["tcp://127.0.0.1:*"]', text)
        secret = secret or self.console_keys(console_id)
        text += (
            "\n[uplink]\n"
            f'hub = "{hub_endpoint}"\n'
            f'hub_public_key = "{self.hub_public}"\n'
            f'secret_key = "{secret}"\n'
            f'console_id = "{console_id}"\n'
            f"batch_records = {batch_records}\n"
            f"heartbeat_s = {heartbeat_s}\n"
            "summary_grace_s = 1\n"
        )
        path = self.root / f"{name or console_id}.toml"
        path.write_text(text, "utf-8")
        return path


def make_kit(
    root: Path, *, bind: str = "tcp://127.0.0.1:*", database: str | None = None, **hub: object
) -> LinkKit:
    root.mkdir(parents=True, exist_ok=True)
    generate(root / "keys", "hub")
    cfg = root / "hub.toml"
    write_hub_config(
        cfg,
        bind=bind,
        database=database or "sqlite:///hub.sqlite3",
        secret_key="keys/hub.key_secret",
        registry="consoles.toml",
        heartbeat_s=0.5,
        **hub,
    )
    return LinkKit(root, cfg, root / "keys" / "hub.key", root / "consoles.toml")

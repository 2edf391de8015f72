"""The hub's configuration file (TOML): bind, keys, registry, database, flow control, the
sites' names and the IOC window's ``[access]``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from console.shared.access import AccessConfig, AccessTable
from console.shared.configfile import ConfigFile, Table


@dataclass(frozen=True)
class SiteNames:
    """What people call a site (the IOC window shows the id when a site has none)."""

    vi: str
    en: str


@dataclass(frozen=True)
class HubConfig:
    path: Path
    id: str
    bind: str
    database: str
    """SQLAlchemy URL; a relative ``sqlite:///file`` is relative to the config file."""
    secret_key: Path
    registry: Path
    credit: int = 8
    max_records: int = 2000
    max_frame_bytes: int = 8 * 2**20
    heartbeat_s: float = 2.0
    max_commit_records: int = 20_000
    sites: Mapping[str, SiteNames] = field(default_factory=dict)
    """``[sites.<id>]``: the sites' names for the IOC window (optional)."""
    agencies: Mapping[str, SiteNames] = field(default_factory=dict)
    """``[agencies]``: the agencies the IOC assigns escalations to, id → names (optional)."""
    records_days: float = 90.0
    """Raw records (``hub_records``) are kept this long; 0: for ever. The city picture
    (site status, per-minute summaries) is always kept (docs/SIZING.md)."""
    access: AccessConfig = field(default_factory=AccessConfig)
    """``[access]``: the IOC window's log-in and idle lock (the same keys as a site's)."""


Text = Annotated[str, Meta(min_length=1)]
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class HubTable(Table):
    """``[hub]`` as declared (docs/CONFIG.md, "The hub's file")."""

    bind: Text
    secret_key: Text
    id: Text = "ioc"
    database: Text = "sqlite:///hub.sqlite3"
    registry: Text = "consoles.toml"
    credit: Annotated[int, Meta(ge=1, le=1000)] = HubConfig.credit
    max_records: Annotated[int, Meta(ge=1, le=100_000)] = HubConfig.max_records
    max_frame_bytes: Annotated[int, Meta(ge=4096, le=256 * 2**20)] = HubConfig.max_frame_bytes
    heartbeat_s: Annotated[float, Meta(ge=0.1, le=60)] = HubConfig.heartbeat_s
    max_commit_records: Annotated[int, Meta(ge=1, le=1_000_000)] = HubConfig.max_commit_records
    records_days: Annotated[float, Meta(ge=0, le=36_500)] = HubConfig.records_days


class SiteNamesTable(Table):
    vi: Text
    en: Text


class SiteTable(Table):
    """``[sites.<id>]``: how the IOC window names a site."""

    name: SiteNamesTable


class HubFile(Table):
    hub: HubTable
    sites: dict[str, SiteTable] = msgspec.field(default_factory=dict)
    agencies: dict[str, SiteNamesTable] = msgspec.field(default_factory=dict)
    access: AccessTable = msgspec.field(default_factory=AccessTable)


def load_hub_config(path: str | Path) -> HubConfig:
    """Read and validate the hub's file; raise ConfigError with a precise message."""
    file = ConfigFile.read(path, "hub config")
    h = file.convert(HubFile).hub
    if h.bind.split("://", 1)[0] not in ("tcp", "ipc"):
        raise file.error(("hub", "bind"), f"{h.bind!r} is not an endpoint like tcp://*:5700")
    doc = file.convert(HubFile)
    for sid in doc.sites:
        if not 1 <= len(sid) <= 64 or not set(sid) <= _ID_CHARS:
            raise file.error(("sites", sid), f"{sid!r}: use 1-64 characters from a-z 0-9 - _ .")
    for aid in doc.agencies:
        if not 1 <= len(aid) <= 64 or not set(aid) <= _ID_CHARS:
            raise file.error(("agencies", aid), f"{aid!r}: use 1-64 characters from a-z 0-9 - _ .")
    base = file.path.parent
    db = h.database
    if db.startswith("sqlite:///") and not db.startswith("sqlite:////"):
        db = f"sqlite:///{(base / db[len('sqlite:///') :]).resolve()}"
    return HubConfig(
        path=file.path,
        id=h.id,
        bind=h.bind,
        database=db,
        secret_key=base / h.secret_key,
        registry=base / h.registry,
        credit=h.credit,
        max_records=h.max_records,
        max_frame_bytes=h.max_frame_bytes,
        heartbeat_s=h.heartbeat_s,
        max_commit_records=h.max_commit_records,
        sites={k: SiteNames(v.name.vi, v.name.en) for k, v in doc.sites.items()},
        agencies={k: SiteNames(v.vi, v.en) for k, v in doc.agencies.items()},
        records_days=h.records_days,
        access=doc.access.config(),
    )


def write_hub_config(
    path: Path,
    *,
    bind: str,
    database: str,
    secret_key: str,
    registry: str = "consoles.toml",
    sites: Mapping[str, SiteNames] | None = None,
    agencies: Mapping[str, SiteNames] | None = None,
    **extra: Any,
) -> None:
    """Write a minimal hub config (used by the demo and the tests); ``sites``: names;
    ``agencies``: those escalations may be assigned to."""
    lines = [
        "[hub]",
        f'bind = "{bind}"',
        f'database = "{database}"',
        f'secret_key = "{secret_key}"',
        f'registry = "{registry}"',
    ]
    lines += [
        f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"' for k, v in extra.items()
    ]
    for sid, n in (sites or {}).items():
        lines += ["", f"[sites.{sid}]", f"name = {{ vi = {_q(n.vi)}, en = {_q(n.en)} }}"]
    if agencies:
        lines += ["", "[agencies]"]
        lines += [f"{aid} = {{ vi = {_q(n.vi)}, en = {_q(n.en)} }}" for aid, n in agencies.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _q(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML)."""
    return json.dumps(text, ensure_ascii=False)

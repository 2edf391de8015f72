"""The hub's configuration file (TOML): bind, keys, registry, database, flow control."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.shared.errors import ConfigError

_KEYS = {
    "id", "bind", "database", "secret_key", "registry", "credit", "max_records",
    "max_frame_bytes", "heartbeat_s", "max_commit_records",
}  # fmt: skip


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


def load_hub_config(path: str | Path) -> HubConfig:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read hub config: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: {exc}") from exc
    h = data.get("hub")
    if not isinstance(h, dict):
        raise ConfigError(f"{p}: hub: missing table [hub]")
    extra = sorted(set(h) - _KEYS)
    if extra:
        raise ConfigError(f"{p}: hub.{extra[0]}: unknown key (allowed: {', '.join(sorted(_KEYS))})")

    def s(key: str, default: str | None = None) -> str:
        v = h.get(key, default)
        if not isinstance(v, str) or not v:
            raise ConfigError(f"{p}: hub.{key}: a non-empty string is required")
        return v

    def n(key: str, default: float, lo: float, hi: float) -> float:
        v: Any = h.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            raise ConfigError(f"{p}: hub.{key}: expected a number in {lo} .. {hi}, got {v!r}")
        return float(v)

    base = p.parent
    db = s("database", "sqlite:///hub.sqlite3")
    if db.startswith("sqlite:///") and not db.startswith("sqlite:////"):
        db = f"sqlite:///{(base / db[len('sqlite:///') :]).resolve()}"
    bind = s("bind")
    if bind.split("://", 1)[0] not in ("tcp", "ipc"):
        raise ConfigError(f"{p}: hub.bind: {bind!r} is not an endpoint like tcp://*:5700")
    return HubConfig(
        path=p,
        id=s("id", "ioc"),
        bind=bind,
        database=db,
        secret_key=base / s("secret_key"),
        registry=base / s("registry", "consoles.toml"),
        credit=int(n("credit", 8, 1, 1000)),
        max_records=int(n("max_records", 2000, 1, 100_000)),
        max_frame_bytes=int(n("max_frame_bytes", 8 * 2**20, 4096, 256 * 2**20)),
        heartbeat_s=n("heartbeat_s", 2.0, 0.1, 60),
        max_commit_records=int(n("max_commit_records", 20_000, 1, 1_000_000)),
    )


def write_hub_config(
    path: Path,
    *,
    bind: str,
    database: str,
    secret_key: str,
    registry: str = "consoles.toml",
    **extra: Any,
) -> None:
    """Write a minimal hub config (used by the demo and the tests)."""
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
    path.write_text("\n".join(lines) + "\n", "utf-8")

"""``opsconsole hub|keys``: run the city hub, report on it, manage the consoles' CURVE keys."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path
from typing import Any

from console.shared.runtime import emit, exit_with_parent, install_stop_signals, print_json

log = logging.getLogger("opsconsole")


def add_hub_commands(sub: Any) -> None:
    h = sub.add_parser("hub", help="the city IOC hub (run, init, stats, city, quarantine)")
    h.add_argument(
        "action",
        nargs="?",
        choices=("run", "init", "stats", "city", "quarantine"),
        default="run",
        help="run (default); init: write a hub config and the hub's keypair; stats; city; "
        "quarantine: the newest records kept aside, with the reason",
    )
    h.add_argument("--config", type=Path, required=True, help="hub config file (TOML)")
    h.add_argument("--json", action="store_true", help="JSON on stdout (run: a ready line)")
    h.add_argument("--bind", default="tcp://*:5700", help="init: where consoles connect")
    h.add_argument(
        "--database", default="sqlite:///hub.sqlite3", help="init: SQLAlchemy URL of the database"
    )
    h.add_argument("--console-id", default=None, help="quarantine: one console's records only")
    h.add_argument("--exit-with-parent", type=int, default=None, help=argparse.SUPPRESS)

    k = sub.add_parser("keys", help="CURVE keys for consoles and the hub")
    ks = k.add_subparsers(dest="keys_action", required=True)
    kg = ks.add_parser("generate", help="make a keypair: NAME.key (public) + NAME.key_secret")
    kg.add_argument("--out", type=Path, required=True)
    kg.add_argument("--name", default="console", help="file name (console id or 'hub')")
    ka = ks.add_parser("allow", help="let a console deliver to the hub (no restart needed)")
    ka.add_argument("--hub-config", type=Path, required=True)
    ka.add_argument("--console-id", required=True)
    ka.add_argument("--public-key", type=Path, required=True, help="the console's NAME.key")
    ka.add_argument(
        "--site", default="", help="the site it reports for (default: same as --console-id)"
    )
    kr = ks.add_parser("revoke", help="refuse a console from now on (no restart needed)")
    kr.add_argument("--hub-config", type=Path, required=True)
    kr.add_argument("--console-id", required=True)
    kl = ks.add_parser("list", help="the hub's registry")
    kl.add_argument("--hub-config", type=Path, required=True)
    kl.add_argument("--json", action="store_true")


def run_hub_command(args: argparse.Namespace) -> int:
    if args.command == "hub":
        return _hub(args)
    return _keys(args)


def _hub(args: argparse.Namespace) -> int:
    from console.hub.config import load_hub_config
    from console.hub.server import Hub
    from console.hub.store.store import HubStore

    if args.action == "init":
        return _init(args)
    cfg = load_hub_config(args.config)
    if args.action in ("stats", "city", "quarantine"):
        store = HubStore(cfg.database)
        try:
            if args.action == "quarantine":
                out: Any = store.quarantine(args.console_id)
            else:
                out = store.stats() if args.action == "stats" else store.city()
            print_json(out, args.json)
        finally:
            store.close()
        return 0
    stop = threading.Event()
    install_stop_signals(stop)
    if args.exit_with_parent is not None:
        exit_with_parent(args.exit_with_parent, stop)
    hub = Hub(cfg)
    hub.start()
    endpoint = hub.server.bound_endpoint
    if args.json:
        emit({"event": "ready", "endpoint": endpoint, "epoch": hub.server.epoch})
    log.info("hub %s: %s, storage %s", cfg.id, endpoint, cfg.database.split("@")[-1])
    while not stop.wait(10):
        c = hub.server.counters.snapshot()
        log.info(
            "%d consoles online, %d records stored, %d duplicates dropped, rejected %s",
            hub.server.sessions,
            c["records_stored"],
            c["duplicates"],
            c["rejected_connections"] or "none",
        )
    hub.stop()
    return 0


def _init(args: argparse.Namespace) -> int:
    """A hub config (bind, database, the hub's keypair, the registry) where there is none."""
    from console.hub.config import load_hub_config, write_hub_config
    from transport.curve import generate

    path: Path = args.config
    if path.exists():
        print(
            f"opsconsole: {path} exists; refusing to overwrite a hub configuration", file=sys.stderr
        )
        return 3
    keys = path.parent / "keys"
    if not (keys / "hub.key_secret").exists():
        generate(keys, "hub")
    write_hub_config(path, bind=args.bind, database=args.database, secret_key="keys/hub.key_secret")
    cfg = load_hub_config(path)  # what it wrote must load
    print(
        f"hub configuration: {cfg.path}\n"
        f"hub public key (give it to the consoles, [uplink] hub_public_key): {keys / 'hub.key'}\n"
        f"consoles allowed: none yet (opsconsole keys allow --hub-config {path} ...)"
    )
    return 0


def _keys(args: argparse.Namespace) -> int:
    from console.hub.config import load_hub_config
    from console.hub.registry import Entry, read_registry, utc_now, write_registry
    from console.shared.errors import ConfigError
    from transport.curve import KeyFileError, generate, load_keypair

    if args.keys_action == "generate":
        public, secret = generate(args.out, args.name)
        print(f"public key: {public}\nsecret key: {secret} (keep it on this machine only)")
        return 0
    if not args.hub_config.exists():
        raise ConfigError(
            f"{args.hub_config}: no hub configuration here; create it with "
            f"`opsconsole hub init --config {args.hub_config}`"
        )
    cfg = load_hub_config(args.hub_config)
    entries = {e.console_id: e for e in read_registry(cfg.registry)}
    if args.keys_action == "list":
        rows = [
            {
                "console_id": e.console_id,
                "site": e.allowed_site,
                "public_key": e.public_key.decode(),
                "revoked": e.revoked,
                "changed": e.changed,
            }
            for e in entries.values()
        ]
        print_json(rows, args.json)
        return 0
    if args.keys_action == "allow":
        try:
            key = load_keypair(args.public_key, need_secret=False).public
        except KeyFileError as exc:
            raise ConfigError(f"--public-key: {exc}") from exc
        for e in entries.values():
            if e.public_key == key and e.console_id != args.console_id and not e.revoked:
                print(
                    f"opsconsole: this key already belongs to console {e.console_id!r}",
                    file=sys.stderr,
                )
                return 2
        entries[args.console_id] = Entry(args.console_id, key, False, utc_now(), args.site)
        write_registry(cfg.registry, list(entries.values()))
        print(f"console {args.console_id!r} allowed in {cfg.registry}")
        return 0
    old = entries.get(args.console_id)
    if old is None:
        print(f"opsconsole: no console {args.console_id!r} in {cfg.registry}", file=sys.stderr)
        return 2
    entries[args.console_id] = Entry(old.console_id, old.public_key, True, utc_now(), old.site)
    write_registry(cfg.registry, list(entries.values()))
    print(f"console {args.console_id!r} revoked in {cfg.registry}")
    return 0

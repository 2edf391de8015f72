"""``opsconsole hub|keys|outbox``: run the hub, manage CURVE keys, inspect the outbox."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger("opsconsole")


def add_link_commands(sub: Any) -> None:
    h = sub.add_parser("hub", help="the city IOC hub (run, stats, city)")
    h.add_argument("action", nargs="?", choices=("run", "stats", "city"), default="run")
    h.add_argument("--config", type=Path, required=True, help="hub config file (TOML)")
    h.add_argument("--json", action="store_true", help="JSON on stdout (run: a ready line)")

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

    o = sub.add_parser("outbox", help="uplink outbox positions of a site's log")
    o.add_argument("--site", type=Path, default=None, help="site file (default: the demo site)")
    o.add_argument("--data-dir", type=Path, default=None)
    o.add_argument("--json", action="store_true")


def run_link_command(args: argparse.Namespace) -> int:
    if args.command == "hub":
        return _hub(args)
    if args.command == "keys":
        return _keys(args)
    return _outbox(args)


def _print(obj: Any, as_json: bool) -> None:
    """JSON either way: compact for scripts (--json), indented for people."""
    if as_json:
        print(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    else:
        print(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False))


def _hub(args: argparse.Namespace) -> int:
    from console.hub.config import load_hub_config
    from console.hub.server import Hub
    from console.hub.store.store import HubStore

    cfg = load_hub_config(args.config)
    if args.action in ("stats", "city"):
        store = HubStore(cfg.database)
        try:
            _print(store.stats() if args.action == "stats" else store.city(), args.json)
        finally:
            store.close()
        return 0
    from console.district.headless import emit, install_stop_signals

    stop = threading.Event()
    install_stop_signals(stop)
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


def _keys(args: argparse.Namespace) -> int:
    from console.hub.config import load_hub_config
    from console.hub.registry import Entry, read_registry, utc_now, write_registry
    from transport.curve import generate, load_keypair

    if args.keys_action == "generate":
        public, secret = generate(args.out, args.name)
        print(f"public key: {public}\nsecret key: {secret} (keep it on this machine only)")
        return 0
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
        _print(rows, args.json)
        return 0
    if args.keys_action == "allow":
        key = load_keypair(args.public_key, need_secret=False).public
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


def _outbox(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from console.district.config import default_site_path, load_site
    from console.district.store.database import database_path, make_engine
    from console.district.store.outbox import stream_positions
    from console.shared.paths import user_data_dir

    site = load_site(args.site or default_site_path())
    data_dir = args.data_dir or user_data_dir()
    path = database_path(data_dir, site.id)
    if not path.exists():
        print(f"opsconsole: no log for site {site.id!r} in {data_dir}", file=sys.stderr)
        return 3
    engine = make_engine(path)
    try:
        positions = stream_positions(engine)
    except OperationalError:
        print(
            f"opsconsole: {path} has no outbox yet (written by an older opsconsole; "
            "start the console once with this version)",
            file=sys.stderr,
        )
        engine.dispose()
        return 3
    try:
        streams = {
            p.stream: {
                "last_seq_written": p.last_seq,
                "last_seq_acked": p.acked_seq,
                "backlog": p.backlog,
                "oldest_unsent_age_s": p.oldest_unsent_age_s,
            }
            for p in positions
        }
    finally:
        engine.dispose()
    _print({"site": site.id, "database": str(path), "streams": streams}, args.json)
    return 0

"""``opsconsole hub|keys``: run the city hub, report on it, manage the consoles' CURVE keys."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.shared import cap, records
from console.shared.runtime import emit, exit_with_parent, install_stop_signals, print_json
from console.shared.vocab import DirectivePriority

log = logging.getLogger("opsconsole")


def add_hub_commands(sub: Any) -> None:
    h = sub.add_parser(
        "hub",
        help="the city IOC hub (run, init, stats, city, quarantine, directive, directives, "
        "warn, warnings, alarms, escalations, take, assign, ack, new-downlink-id; `hub users …` "
        "and `hub audit [verify]`: the IOC's accounts and action log, see "
        "`opsconsole hub users --help`)",
    )
    h.add_argument(
        "action",
        nargs="?",
        choices=HUB_ACTIONS,
        default="run",
        help="run (default); init: write a hub config and the hub's keypair; stats; city; "
        "quarantine: the newest records kept aside, with the reason; directive: send one to "
        "sites; directives: the board (per site: queued, delivered, read by whom, done); "
        "warn: send a CAP warning (FILE, or built from --event …); warnings: those sent; "
        "alarms: the sites' alarm transitions; escalations: the districts' escalations "
        "(open, taken, acknowledged); take, assign, ack IDENTIFIER: handle one (ack sends "
        "the acknowledgement down to the site, once); new-downlink-id: after restoring the "
        "hub database from a backup (hub stopped)",
    )
    h.add_argument(
        "file",
        nargs="?",
        metavar="FILE|IDENTIFIER",
        help="warn: a CAP XML file; take, assign, ack: the escalation's CAP identifier",
    )
    h.add_argument("--config", type=Path, required=True, help="hub config file (TOML)")
    h.add_argument("--json", action="store_true", help="JSON on stdout (run: a ready line)")
    h.add_argument("--bind", default="tcp://*:5700", help="init: where consoles connect")
    h.add_argument(
        "--database", default="sqlite:///hub.sqlite3", help="init: SQLAlchemy URL of the database"
    )
    h.add_argument("--console-id", default=None, help="quarantine: one console's records only")
    h.add_argument("--site", default=None, help="alarms: one site's only")
    h.add_argument("--limit", type=int, default=200, help="directives, warnings, alarms: newest N")
    d = h.add_argument_group("directive and warn")
    d.add_argument("--to", default=None, help="SITE[,SITE…] or all (every allowed site)")
    d.add_argument("--text", default=None, help="directive: what the sites are asked to do")
    d.add_argument(
        "--priority",
        choices=[p.value for p in DirectivePriority],
        default=DirectivePriority.NORMAL.value,
        help="directive: normal (default), high or urgent (the last two sound at the console)",
    )
    d.add_argument(
        "--due",
        type=when,
        default=None,
        help="directive: by when (30m, 2h, 1d, or 2026-12-06T17:00[+07:00]; local time "
        "Asia/Ho_Chi_Minh when no offset)",
    )
    d.add_argument("--ref", default="", help="directive: the escalation (CAP identifier) answered")
    e = h.add_argument_group("escalations, take, assign, ack")
    e.add_argument("--by", default=None, help="take, assign, ack: the IOC person's id")
    e.add_argument("--name", default=None, help="take, assign, ack: their name as shown")
    e.add_argument("--note", default="", help="ack: what the IOC says back to the district")
    e.add_argument("--agency", default=None, help="assign: an id of the hub file's [agencies]")
    e.add_argument("--sender", default=None, help="the CAP sender, if the identifier is shared")
    e.add_argument(
        "--state", choices=["open", "taken", "acknowledged"], default=None, help="escalations"
    )
    w = h.add_argument_group("warn built from fields (instead of FILE)")
    w.add_argument("--event", default=None, help="the event, in Vietnamese (e.g. Lũ)")
    w.add_argument("--event-en", default="", help="the event in English (adds an en-US block)")
    w.add_argument("--area", default=None, help="the area, in Vietnamese (ward names)")
    w.add_argument("--area-en", default="", help="the area in English")
    w.add_argument("--severity", choices=[v.value for v in cap.Severity], default=None)
    w.add_argument(
        "--urgency", choices=[v.value for v in cap.Urgency], default=cap.Urgency.EXPECTED.value
    )
    w.add_argument(
        "--certainty",
        choices=[v.value for v in cap.Certainty],
        default=cap.Certainty.LIKELY.value,
    )
    w.add_argument(
        "--category", choices=[v.value for v in cap.Category], default=cap.Category.MET.value
    )
    w.add_argument("--expires", type=when, default=None, help="6h, 1d, or a time as for --due")
    w.add_argument("--headline", default=None)
    w.add_argument("--headline-en", default=None)
    w.add_argument("--instruction", default=None)
    w.add_argument("--instruction-en", default=None)
    w.add_argument("--exercise", action="store_true", help="status Exercise instead of Actual")
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


HUB_ACTIONS = (
    "run",
    "init",
    "stats",
    "city",
    "quarantine",
    "directive",
    "directives",
    "warn",
    "warnings",
    "alarms",
    "escalations",
    "take",
    "assign",
    "ack",
    "new-downlink-id",
)
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


def when(text: str) -> datetime:
    """``30m``, ``2h``, ``1d`` from now, or an ISO time (local time when it has no offset)."""
    t = text.strip()
    if len(t) >= 2 and t[-1] in _UNITS and t[:-1].isdigit():
        return datetime.now(UTC) + timedelta(seconds=int(t[:-1]) * _UNITS[t[-1]])
    try:
        value = datetime.fromisoformat(t)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a duration (30m, 2h, 1d) nor a time (2026-12-06T17:00)"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=LOCAL_TZ)


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
    if args.action in ("directive", "directives", "warn", "warnings", "alarms"):
        return _downlink(args, cfg)
    if args.action in ("escalations", "take", "assign", "ack"):
        return _escalations(args, cfg)
    if args.action == "new-downlink-id":
        return _new_downlink_id(cfg)
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


def _downlink(args: argparse.Namespace, cfg: Any) -> int:
    """directive, warn (write; the running hub delivers) and the views of what came back."""
    from console.hub.services.access import cli_session
    from console.hub.services.downlink import DownlinkRefusedError, DownlinkService
    from console.hub.store.store import HubStore
    from console.shared.access import PermissionDeniedError

    store = HubStore(cfg.database)
    try:
        service = DownlinkService(store.engine, cfg.registry)
        try:
            if args.action == "directives":
                out: Any = service.board(limit=args.limit)
            elif args.action == "warnings":
                out = service.warnings(limit=args.limit)
            elif args.action == "alarms":
                out = service.alarms(site=args.site, limit=args.limit)
            else:
                if not args.to:
                    print(
                        f"opsconsole: hub {args.action} needs --to SITE[,SITE]|all", file=sys.stderr
                    )
                    return 2
                if args.action == "directive":
                    if not args.text:
                        print("opsconsole: hub directive needs --text", file=sys.stderr)
                        return 2
                    out = service.issue_directive(
                        cli_session(),
                        args.to,
                        args.text,
                        priority=DirectivePriority(args.priority),
                        due_ms=None if args.due is None else int(args.due.timestamp() * 1000),
                        ref=args.ref,
                        hub_id=cfg.id,
                    ).as_dict()
                else:
                    xml = _warning_xml(args, cfg.id)
                    if xml is None:
                        return 2
                    out = service.issue_warning(cli_session(), args.to, xml).as_dict()
        except (DownlinkRefusedError, PermissionDeniedError, cap.CapError) as exc:
            print(f"opsconsole: refused: {exc}", file=sys.stderr)
            return 3
        if args.json or args.action not in ("directive", "warn"):
            print_json(out, args.json)
        else:
            sites = ", ".join(f"{k} (seq {v})" for k, v in out["sites"].items())
            print(f"{args.action} {out['id']} queued for {sites}; the running hub delivers it")
    finally:
        store.close()
    return 0


def _escalations(args: argparse.Namespace, cfg: Any) -> int:
    """escalations (the list), take, assign, ack (write; the running hub delivers the ack)."""
    import socket

    from console.hub.services.escalations import EscalationWork
    from console.hub.store.store import HubStore
    from console.shared.errors import ActionRefusedError
    from console.shared.session import Session
    from console.shared.vocab import Role

    ident = str(args.file) if args.file is not None else ""
    if args.action != "escalations":
        missing = [
            flag
            for flag, value in (("IDENTIFIER", ident), ("--by", args.by), ("--name", args.name))
            if not value
        ]
        if args.action == "assign" and not args.agency:
            missing.append("--agency")
        if missing:
            print(f"opsconsole: hub {args.action} needs {', '.join(missing)}", file=sys.stderr)
            return 2
    store = HubStore(cfg.database)
    try:
        work = EscalationWork(store.engine, cfg.agencies)
        try:
            if args.action == "escalations":
                print_json(work.items(state=args.state, limit=args.limit), args.json)
                return 0
            # The person acting is named on the command line; a script is not a log-in.
            who = Session(args.by, args.name, Role.IOC_SUPERVISOR, socket.gethostname(), False)
            if args.action == "take":
                work.take(who, ident, sender=args.sender)
                out: dict[str, Any] = {"identifier": ident, "taken_by": args.by}
                text = f"{ident} taken by {args.name}"
            elif args.action == "assign":
                work.assign(who, ident, args.agency, sender=args.sender)
                out = {"identifier": ident, "agency": args.agency}
                text = f"{ident} assigned to {args.agency}"
            else:
                out = work.acknowledge(who, ident, args.note, sender=args.sender).as_dict()
                text = (
                    f"{ident} acknowledged; queued for site {out['site']} (esc_ack seq "
                    f"{out['seq']}); the running hub delivers it"
                )
        except ActionRefusedError as exc:  # the escalation's state, or the person's roles
            print(f"opsconsole: refused: {exc}", file=sys.stderr)
            return 3
        if args.json:
            print_json(out, True)
        else:
            print(text)
    finally:
        store.close()
    return 0


def _warning_xml(args: argparse.Namespace, hub_id: str) -> bytes | None:
    """The CAP XML of ``hub warn``: the FILE's bytes, or built from the fields."""
    from console.hub.services.downlink import build_warning, warning_identifier

    if args.file is not None:
        if args.event is not None:
            print("opsconsole: hub warn takes FILE or --event …, not both", file=sys.stderr)
            return None
        try:
            with Path(args.file).open("rb") as f:
                data: bytes = f.read(records.MAX_CAP_BYTES + 1)
                return data
        except OSError as exc:
            print(f"opsconsole: {args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            return None
    missing = [
        n
        for n, v in (("--event", args.event), ("--area", args.area), ("--severity", args.severity))
        if not v
    ]
    if missing:
        print(
            f"opsconsole: hub warn needs FILE, or {', '.join(missing)} (and --expires)",
            file=sys.stderr,
        )
        return None
    now = datetime.now(LOCAL_TZ).replace(microsecond=0)
    expires = (args.expires or now + timedelta(hours=6)).astimezone(LOCAL_TZ).replace(microsecond=0)
    return build_warning(
        sender=hub_id,
        identifier=warning_identifier(hub_id, now),
        event_vi=args.event,
        event_en=args.event_en,
        area_vi=args.area,
        area_en=args.area_en,
        severity=cap.Severity(args.severity),
        urgency=cap.Urgency(args.urgency),
        certainty=cap.Certainty(args.certainty),
        category=cap.Category(args.category),
        expires=expires,
        sent=now,
        headline_vi=args.headline,
        headline_en=args.headline_en,
        instruction_vi=args.instruction,
        instruction_en=args.instruction_en,
        status=cap.Status.EXERCISE if args.exercise else cap.Status.ACTUAL,
    )


def _new_downlink_id(cfg: Any) -> int:
    from console.hub.store.downlink import new_downlink_id
    from console.hub.store.store import HubStore

    store = HubStore(cfg.database)
    try:
        store.lock("opsconsole hub new-downlink-id")  # refused while the hub runs
        new = new_downlink_id(store.engine)
    finally:
        store.close()
    print(
        f"the downlink has a new id {new}: every console receives every directive and "
        "warning again under it, and applies each once"
    )
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


# -- opsconsole hub users|audit: the IOC's people ------------------------------------------------
EXIT_TAMPERED = 1
"""``hub audit verify``: the IOC's chain is not what was written."""
EXIT_REFUSED = 4
"""A ``hub users`` command the accounts refuse (exists, unknown, last administrator…)."""


def build_people_parser() -> argparse.ArgumentParser:
    """``opsconsole hub users …`` and ``opsconsole hub audit [verify]`` (parsed on their own:
    ``hub`` takes one action word, these take a sub-command)."""
    p = argparse.ArgumentParser(
        prog="opsconsole hub", description="The city IOC's accounts and action log"
    )
    p.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(command="hub-people")
    hub = p.add_subparsers(dest="people", required=True)
    u = hub.add_parser("users", help="accounts of the IOC's people (administrators)")
    usub = u.add_subparsers(dest="users_cmd", required=True)
    ua = usub.add_parser("add", help="create an account; prints its one-time password")
    ua.add_argument("user_id")
    ua.add_argument("--name", required=True, help='full name, e.g. "Trần Thị Hoa"')
    ua.add_argument(
        "--roles",
        required=True,
        help="ioc_viewer, ioc_operator, ioc_supervisor, admin (comma-separated)",
    )
    verbs = (
        ("passwd", "a new one-time password (to change at the next log-in); ends a wait"),
        ("disable", "the account can no longer log in"),
        ("enable", "the account can log in again"),
    )
    for name, text in verbs:
        usub.add_parser(name, help=text).add_argument("user_id")
    usub.add_parser("list", help="every account (never the password hashes)")
    a = hub.add_parser("audit", help="the IOC's action log: list, or `verify` its hash chain")
    a.add_argument("verify", nargs="?", choices=("verify",), help="check the hash chain")
    a.add_argument("--limit", type=int, default=200, help="list: the newest N")
    for parser in (ua, *usub.choices.values(), a):
        if not any(x.dest == "config" for x in parser._actions):
            parser.add_argument("--config", type=Path, required=True, help="hub config (TOML)")
            parser.add_argument("--json", action="store_true")
    return p


def is_people_command(argv: list[str]) -> bool:
    """``hub users …`` or ``hub audit …`` (after any -v)."""
    words = [a for a in argv if a not in ("-v", "--verbose")]
    return len(words) >= 2 and words[0] == "hub" and words[1] in ("users", "audit")


def run_people_command(args: argparse.Namespace) -> int:
    from console.hub.config import load_hub_config
    from console.hub.services.access import IocAccess, cli_session
    from console.hub.services.access import verify as verify_chain
    from console.hub.store.store import HubStore
    from console.shared.commit import DirectCommit
    from console.shared.errors import ActionRefusedError
    from console.shared.vocab import Role

    cfg = load_hub_config(args.config)
    store = HubStore(cfg.database)
    try:
        engine = store.engine
        if args.people == "audit":
            if args.verify:
                report = verify_chain(engine)
                if args.json:
                    print_json(report.as_dict(), True)
                elif report.ok:
                    print(
                        f"IOC action log intact: {report.entries} entries, head {report.head.seq}"
                    )
                else:
                    bad = report.first_bad
                    assert bad is not None
                    print(f"IOC action log TAMPERED: first bad entry {bad.seq}: {bad.detail}")
                return 0 if report.ok else EXIT_TAMPERED
            from console.hub.services.access import CHAIN

            print_json(CHAIN.search(engine, limit=args.limit), args.json)
            return 0
        access = IocAccess(engine, DirectCommit(engine), settings=cfg.access)
        me = cli_session(Role.ADMIN)
        note = f"cli: opsconsole hub users {args.users_cmd}"
        out: dict[str, Any] = {"acting_as": me.user_id, "authenticated": False}
        try:
            if args.users_cmd == "list":
                out["users"] = [a.public() for a in access.users(me)]
                if not args.json:
                    for a in out["users"]:
                        state = "disabled" if a["disabled"] else "enabled"
                        change = ", must change password" if a["must_change_password"] else ""
                        print(
                            f"{a['user_id']:<16} {a['roles']:<28} {state}{change}  {a['full_name']}"
                        )
                    return 0
            elif args.users_cmd == "add":
                pw = access.add_user(me, args.user_id, args.name, args.roles, note=note)
                out.update(user_id=args.user_id, one_time_password=pw)
            elif args.users_cmd == "passwd":
                pw = access.reset_password(me, args.user_id, note=note)
                out.update(user_id=args.user_id, one_time_password=pw)
            else:
                access.set_disabled(me, args.user_id, args.users_cmd == "disable", note=note)
                out.update(user_id=args.user_id, disabled=args.users_cmd == "disable")
        except ActionRefusedError as exc:
            print(f"opsconsole: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        if args.json:
            print_json(out, True)
        elif "one_time_password" in out:
            print(
                f"{out['user_id']}: one-time password {out['one_time_password']} "
                "(to be changed at the first log-in)"
            )
            print(f"recorded in the IOC's action log as OS user {me.user_id} (not logged in)")
        else:
            print(f"{out['user_id']}: {'disabled' if out['disabled'] else 'enabled'}")
        return 0
    finally:
        store.close()

"""``opsconsole users|audit``: accounts and the action log of a site, from the command line.

The CLI acts as the OS account that runs it, as an administrator (whoever can
write the data directory can change the log anyway), and its entries say so:
``authenticated`` false and a note naming the command. It writes in its own
transaction, so it works with or without a console running on the same
data directory (the action log's append takes the write lock first).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from console.district.config import AccessConfig, ConfigError, load_site
from console.district.services.access import AccessService
from console.district.store import action_log
from console.district.store.commit import DirectCommit
from console.district.store.database import make_engine, migrate, open_site_database
from console.shared.clock import SystemClock
from console.shared.errors import ActionRefusedError
from console.shared.session import os_session
from console.shared.vocab import AuditAction, Role

EXIT_TAMPERED = 1
"""``audit verify``: the chain is not what was written."""
EXIT_REFUSED = 4
"""A ``users`` command the accounts refuse (exists, unknown, last administrator…)."""


def _data_args(p: argparse.ArgumentParser, default: Any = None) -> None:
    p.add_argument(
        "--site", type=Path, default=default, help="site file (needed only to create the log)"
    )
    p.add_argument("--data-dir", type=Path, default=default)


def add_access_commands(sub: Any) -> None:
    u = sub.add_parser("users", help="accounts of the people on duty (administrators)")
    usub = u.add_subparsers(dest="users_cmd", required=True)
    ua = usub.add_parser("add", help="create an account; prints its one-time password")
    ua.add_argument("user_id")
    ua.add_argument("--name", required=True, help='full name, e.g. "Nguyễn Văn An"')
    ua.add_argument(
        "--roles", required=True, help="viewer, operator, supervisor, admin (comma-separated)"
    )
    for name, text in (
        ("passwd", "a new one-time password (to change at the next log-in); ends a wait"),
        ("disable", "the account can no longer log in"),
        ("enable", "the account can log in again"),
    ):
        x = usub.add_parser(name, help=text)
        x.add_argument("user_id")
        _data_args(x)
        x.add_argument("--json", action="store_true")
    _data_args(ua)
    ua.add_argument("--json", action="store_true")
    ul = usub.add_parser("list", help="every account (never the password hashes)")
    _data_args(ul)
    ul.add_argument("--json", action="store_true")

    a = sub.add_parser(
        "audit",
        help="the action log: list entries, or `audit verify` the hash chain",
        description="List action-log entries (oldest first), or `opsconsole audit verify`.",
    )
    _data_args(a)
    a.add_argument("--since", default=None, help="ISO time (site time zone) or 30m, 12h, 7d ago")
    a.add_argument("--until", default=None, help="same forms as --since")
    a.add_argument("--user", default="", help="only this user id")
    a.add_argument("--action", action="append", default=[], choices=[x.value for x in AuditAction])
    a.add_argument("--text", default="", help="search user, name, object, note")
    a.add_argument("--limit", type=int, default=1000, help="at most this many (the newest)")
    a.add_argument("--json", action="store_true")
    asub = a.add_subparsers(dest="audit_cmd")
    av = asub.add_parser(
        "verify",
        help="check the hash chain; exit 1 naming the first bad entry",
        description="Walk the action log's hash chain. Exit 0: intact; exit 1: the first "
        "entry that is not what was written is named.",
    )
    # SUPPRESS: options given before `verify` (to `audit`) are not reset by the sub-parser.
    _data_args(av, argparse.SUPPRESS)
    av.add_argument("--json", action="store_true", default=argparse.SUPPRESS)


def _open(args: argparse.Namespace) -> tuple[Engine, Path, str]:
    """(engine, database path, site time zone), the log migrated to this build's schema."""
    from console.shared.paths import user_data_dir

    data_dir: Path = args.data_dir or user_data_dir()
    if args.site is not None:
        site = load_site(args.site)
        db = open_site_database(data_dir, site.id, [(f.id, f.kind, f.unit) for f in site.feeds])
        return db.engine, db.path, site.timezone
    logs = sorted(data_dir.glob("*.sqlite3"))
    if len(logs) != 1:
        found = ", ".join(p.name for p in logs) or "none"
        raise ConfigError(
            f"{data_dir}: expected exactly one site log (*.sqlite3), found {found}; "
            "pass --site (it creates the log if there is none)"
        )
    engine = make_engine(logs[0])
    migrate(engine, logs[0])
    return engine, logs[0], "Asia/Ho_Chi_Minh"


def run_access_command(args: argparse.Namespace) -> int:
    engine, path, tz = _open(args)
    try:
        if args.command == "users":
            return _users(args, engine, path)
        if getattr(args, "audit_cmd", None) == "verify":
            return _verify(args, engine, path)
        return _list_entries(args, engine, path, ZoneInfo(tz))
    finally:
        engine.dispose()


def _users(args: argparse.Namespace, engine: Engine, path: Path) -> int:
    access = AccessService(
        engine, DirectCommit(engine), SystemClock(), AccessConfig(), socket.gethostname()
    )
    me = os_session(Role.ADMIN)
    note = f"cli: opsconsole users {args.users_cmd}"
    out: dict[str, Any] = {"database": str(path), "acting_as": me.user_id, "authenticated": False}
    try:
        if args.users_cmd == "list":
            out["users"] = [a.public() for a in access.users(me)]
            if not args.json:
                for a in out["users"]:
                    state = "disabled" if a["disabled"] else "enabled"
                    change = ", must change password" if a["must_change_password"] else ""
                    print(f"{a['user_id']:<16} {a['roles']:<22} {state}{change}  {a['full_name']}")
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
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif "one_time_password" in out:
        print(
            f"{out['user_id']}: one-time password {out['one_time_password']} "
            "(to be changed at the first log-in)"
        )
        print(f"recorded in the action log as OS user {me.user_id} (not logged in)")
    else:
        print(f"{out['user_id']}: {'disabled' if out['disabled'] else 'enabled'}")
    return 0


_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")


def parse_when(text: str, tz: ZoneInfo, now: datetime | None = None) -> int:
    """``2026-12-04T08:00`` (in ``tz`` unless it has an offset) or ``30m``/``12h``/``7d`` ago."""
    now = now or datetime.now(tz)
    m = _AGO.match(text.strip())
    if m:
        secs = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86_400}[m.group(2)]
        return int((now - timedelta(seconds=secs)).timestamp() * 1000)
    try:
        t = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"{text!r} is not a time: use ISO 8601 (2026-12-04T08:00) or 30m, 12h, 7d"
        ) from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=tz)
    return int(t.timestamp() * 1000)


def _entry_json(row: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "time": datetime.fromtimestamp(row["ts_ms"] / 1000, tz).isoformat(timespec="milliseconds"),
        "ts_ms": row["ts_ms"],
        "user": row["user_id"],
        "name": row["user_name"],
        "roles": row["roles"],
        "authenticated": bool(row["authenticated"]),
        "workstation": row["workstation"],
        "action": row["action"],
        "object": row["object_id"],
        "before": row["before_value"],
        "after": row["after_value"],
        "note": row["note"],
        "prev": row["prev_hash"],
        "hash": row["hash"],
    }


def _list_entries(args: argparse.Namespace, engine: Engine, path: Path, tz: ZoneInfo) -> int:
    rows = action_log.search(
        engine,
        text=args.text,
        since_ms=parse_when(args.since, tz) if args.since else None,
        until_ms=parse_when(args.until, tz) if args.until else None,
        actions=args.action,
        user=args.user,
        limit=max(1, args.limit),
    )
    entries = [_entry_json(r, tz) for r in reversed(rows)]
    if args.json:
        print(json.dumps({"database": str(path), "entries": entries}, ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        who = e["user"] if e["authenticated"] else f"{e['user']} (OS account, not logged in)"
        change = f" {e['before']} → {e['after']}" if e["before"] or e["after"] else ""
        note = f"  «{e['note']}»" if e["note"] else ""
        print(
            f"{e['seq']:>6} {e['time'][:19]} {who} [{e['roles']}] @{e['workstation']}: "
            f"{e['action']} {e['object']}{change}{note}"
        )
    return 0


def _verify(args: argparse.Namespace, engine: Engine, path: Path) -> int:
    report = action_log.verify(engine)
    if args.json:
        print(json.dumps({"database": str(path), **report.as_dict()}, ensure_ascii=False, indent=2))
    elif report.ok:
        print(
            f"action log intact: {report.entries} entries, head seq {report.head.seq} "
            f"hash {report.head.hash}"
        )
    else:
        bad = report.first_bad
        assert bad is not None
        print(f"action log NOT intact: first bad entry {bad.seq}: {bad.detail}")
        for p in report.problems[1:]:
            print(f"  also entry {p.seq}: {p.kind}")
    return 0 if report.ok else EXIT_TAMPERED

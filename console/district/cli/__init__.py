"""``opsconsole alarms|outbox``: a site's current alarms and uplink outbox, read from its log
(``backup|restore``: console.district.cli.backup; ``users|audit``: console.district.cli.access)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.district.config import ConfigError, load_site
from console.district.store.database import database_path
from console.shared.runtime import print_json


def default_data_dir(site_id: str | None, given: Path | None) -> Path:
    """``--data-dir`` if given; else the user data directory if it holds a log (of
    ``site_id``); else the most recent demo directory that does, said on stderr."""
    from console.shared.paths import user_data_dir

    if given is not None:
        return given
    home = user_data_dir()
    pattern = f"{site_id}.sqlite3" if site_id else "*.sqlite3"
    if any(home.glob(pattern)):
        return home
    demos = sorted((home / "demo").glob("*"), reverse=True) if (home / "demo").is_dir() else []
    for d in demos:
        if any(d.glob(pattern)):
            print(
                f"opsconsole: no site log in {home}; using the most recent demo's, {d} "
                "(pass --data-dir to choose)",
                file=sys.stderr,
            )
            return d
    raise ConfigError(
        f"no site log in {home} nor in any demo directory under {home / 'demo'}; pass "
        "--data-dir DIR, the directory the console or the demo logs to"
    )


def _find_log(site_path: Path | None, data_dir: Path | None) -> tuple[Path, str]:
    if site_path is not None:
        site = load_site(site_path)
        return database_path(default_data_dir(site.id, data_dir), site.id), site.timezone
    data_dir = default_data_dir(None, data_dir)
    logs = sorted(data_dir.glob("*.sqlite3"))
    if len(logs) != 1:
        found = ", ".join(p.name for p in logs) or "none"
        raise ConfigError(
            f"{data_dir}: expected exactly one site log (*.sqlite3), found {found}; pass --site"
        )
    return logs[0], "Asia/Ho_Chi_Minh"


def _iso(ms: int | None, tz: ZoneInfo) -> str | None:
    return datetime.fromtimestamp(ms / 1000, tz).isoformat(timespec="seconds") if ms else None


def read_alarms(db_path: Path, tz_name: str, include_normal: bool = False) -> list[dict[str, Any]]:
    if not db_path.exists():
        raise ConfigError(f"{db_path}: no site log here")
    tz = ZoneInfo(tz_name)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        con.row_factory = sqlite3.Row
        try:
            rows = con.execute(
                "SELECT * FROM alarm_state ORDER BY severity DESC, activated_ms DESC"
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise ConfigError(
                f"{db_path}: this log has no alarm tables yet (open it with the console once)"
            ) from exc
    finally:
        con.close()
    out = []
    for r in rows:
        if r["state"] == "normal" and not include_normal:
            continue
        out.append(
            {
                "alarm_id": r["alarm_id"],
                "feed": r["feed_key"],
                "rule": r["rule"],
                "severity": r["severity"],
                "state": r["state"],
                "active": bool(r["active"]),
                "value": r["value"],
                "activated_at": _iso(r["activated_ms"], tz),
                "state_since": _iso(r["since_ms"], tz),
                "acknowledged_by": r["acked_by"] or None,
                "acknowledged_at": _iso(r["acked_ms"], tz),
                "shelved_until": _iso(r["shelved_until_ms"], tz),
                "note": r["note"] or None,
            }
        )
    return out


def print_alarms(
    site: Path | None, data_dir: Path | None, *, as_json: bool, include_normal: bool
) -> int:
    db_path, tz = _find_log(site, data_dir)
    alarms = read_alarms(db_path, tz, include_normal)
    if as_json:
        print(
            json.dumps({"database": str(db_path), "alarms": alarms}, ensure_ascii=False, indent=2)
        )
        return 0
    if not alarms:
        print("no alarms")
        return 0
    for a in alarms:
        print(
            f"{a['severity']}  {a['state']:<15} {a['alarm_id']:<28} {a['value']!s:<10} since {a['state_since']}"
            f"{'  acked by ' + a['acknowledged_by'] if a['acknowledged_by'] else ''}",
            file=sys.stdout,
        )
    return 0


def add_district_commands(sub: Any) -> None:
    al = sub.add_parser("alarms", help="current alarms from a site's log (no window)")
    al.add_argument(
        "--site",
        type=Path,
        default=None,
        help="site file (default: the site whose log is in --data-dir)",
    )
    al.add_argument("--data-dir", type=Path, default=None)
    al.add_argument("--json", action="store_true", help="JSON on stdout (default: a table)")
    al.add_argument("--all", action="store_true", help="include alarms in normal state")
    o = sub.add_parser("outbox", help="uplink outbox positions of a site's log")
    o.add_argument("--site", type=Path, default=None, help="site file (default: the demo site)")
    o.add_argument("--data-dir", type=Path, default=None)
    o.add_argument("--json", action="store_true")
    o.add_argument(
        "--new-database-id",
        action="store_true",
        help="after restoring the log from a backup: a new database id, acknowledged records "
        "dropped, the rest renumbered from 1 (docs/PROTOCOL.md §2.4); the console must be stopped",
    )
    from console.district.cli.access import add_access_commands
    from console.district.cli.backup import add_backup_commands
    from console.district.cli.incidents import add_incident_commands

    add_access_commands(sub)
    add_backup_commands(sub)
    add_incident_commands(sub)


def run_district_command(args: argparse.Namespace) -> int:

    if args.command in ("users", "audit"):
        from console.district.cli.access import run_access_command

        return run_access_command(args)
    if args.command == "incidents":
        from console.district.cli.incidents import run_incidents_command

        return run_incidents_command(args)
    if args.command == "alarms":
        return print_alarms(args.site, args.data_dir, as_json=args.json, include_normal=args.all)
    if args.command in ("backup", "restore"):
        from console.district.cli.backup import run_backup_command

        return run_backup_command(args)
    return _outbox(args)


def _outbox(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from console.district.config import default_site_path, load_site
    from console.district.store.database import database_path, make_engine
    from console.district.store.outbox import stream_positions

    site = load_site(args.site or default_site_path())
    data_dir = default_data_dir(site.id, args.data_dir)
    path = database_path(data_dir, site.id)
    if not path.exists():
        print(f"opsconsole: no log for site {site.id!r} in {data_dir}", file=sys.stderr)
        return 3
    if args.new_database_id:
        return _new_database_id(path)
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
    print_json({"site": site.id, "database": str(path), "streams": streams}, args.json)
    return 0


def _new_database_id(path: Path) -> int:
    from console.district.store.database import make_engine
    from console.district.store.outbox import new_database_id
    from console.shared.instance import InstanceLock

    lock = InstanceLock(path.with_name(path.name + ".lock"), "opsconsole outbox", target=path)
    lock.acquire("stop the console first")
    engine = make_engine(path)
    try:
        new, streams = new_database_id(engine)
    finally:
        engine.dispose()
        lock.release()
    print(f"{path}: new database id {new}")
    for stream, (kept, dropped) in sorted(streams.items()):
        print(f"  {stream}: {dropped} acknowledged records dropped, {kept} renumbered from 1")
    return 0

"""``opsconsole backup|restore``: copy a running console's log; put a backup in its place
(docs/BACKUP.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from console.district.config import load_site
from console.shared.runtime import print_json

CHECKS = ("full", "quick", "none")


def add_backup_commands(sub: Any) -> None:
    b = sub.add_parser(
        "backup", help="copy a site's log while the console runs (SQLite online backup)"
    )
    b.add_argument("--site", type=Path, default=None, help="site file (default: the only log)")
    b.add_argument("--data-dir", type=Path, default=None)
    b.add_argument("--out", type=Path, required=True, help="the backup file to write")
    b.add_argument(
        "--check",
        choices=CHECKS,
        default="quick",
        help="check the copy: integrity_check, quick_check (default) or none",
    )
    b.add_argument("--json", action="store_true")
    r = sub.add_parser(
        "restore",
        help="put a backup in place of a site's log, under a new database id "
        "(the console must be stopped)",
    )
    r.add_argument("--from", dest="backup", type=Path, required=True, help="the backup file")
    r.add_argument(
        "--data-dir", type=Path, default=None, help="where the log goes (default: the user's)"
    )
    r.add_argument(
        "--site", type=Path, default=None, help="site file: refuse a backup of another site"
    )
    r.add_argument(
        "--check",
        choices=CHECKS,
        default="full",
        help="check the backup before restoring: integrity_check (default), quick_check, none",
    )
    r.add_argument("--json", action="store_true")


def run_backup_command(args: argparse.Namespace) -> int:
    from console.district.cli import _find_log
    from console.district.store.backup import BackupError, backup_log, restore_log
    from console.shared.paths import user_data_dir

    try:
        if args.command == "backup":
            db_path, _tz = _find_log(args.site, args.data_dir)
            result = backup_log(db_path, args.out, check=args.check)
        else:
            site_id = load_site(args.site).id if args.site is not None else None
            result = restore_log(
                args.backup, args.data_dir or user_data_dir(), site_id=site_id, check=args.check
            )
    except BackupError as exc:
        print(f"opsconsole: {exc}", file=sys.stderr)
        return 3
    print_json(result, args.json)
    return 0

"""``opsconsole cap import FILE``: a CAP warning from outside into a console's city warnings.

It writes in its own transaction (taking the log's write lock first), so it works
with or without a console running on the data directory; a running console picks
the warning up within a second (it polls the log's inbox revision). The CLI acts
as the OS account that runs it, as an operator, and the action-log entry says so.
An invalid file is refused with the element and the rule, and changes nothing.
"""

from __future__ import annotations

import argparse
import socket
import sys

from console.district.cli import default_data_dir
from console.district.config import AccessConfig, load_site
from console.district.services.access import AccessService
from console.district.services.city_warnings import WarningService
from console.district.store.commit import DirectCommit
from console.district.store.database import make_engine, migrate
from console.shared import cap
from console.shared.clock import SystemClock
from console.shared.runtime import print_json
from console.shared.session import os_session
from console.shared.vocab import Role

EXIT_REFUSED = 3


def import_warning(args: argparse.Namespace, xml: bytes) -> int:
    try:
        cap.parse_versioned(xml, max_bytes=args.max_bytes)  # refused before any log is opened
    except cap.CapError as exc:
        print(f"opsconsole: {args.file}: refused, nothing imported: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    site_id = load_site(args.site).id if args.site is not None else None
    data_dir = default_data_dir(site_id, args.data_dir)
    logs = sorted(data_dir.glob(f"{site_id or '*'}.sqlite3"))
    if len(logs) != 1:
        found = ", ".join(p.name for p in logs) or "none"
        print(
            f"opsconsole: {data_dir}: expected one site log (*.sqlite3), found {found}; "
            "pass --site or --data-dir",
            file=sys.stderr,
        )
        return 2
    engine = make_engine(logs[0])
    try:
        migrate(engine, logs[0])
        clock = SystemClock()
        commit = DirectCommit(engine)
        access = AccessService(engine, commit, clock, AccessConfig(), socket.gethostname())
        service = WarningService(engine, commit, access, clock)
        session = os_session(Role.OPERATOR)
        try:
            done = service.import_xml(session, xml, f"cli: opsconsole cap import {args.file.name}")
        except cap.CapError as exc:
            print(f"opsconsole: {args.file}: refused, nothing imported: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    finally:
        engine.dispose()
    a = done.alert
    out = {
        "imported": done.stored,
        "cap_version": done.version,
        "sender": a.sender,
        "identifier": a.identifier,
        "msg_type": a.msg_type.value,
        "log": str(logs[0]),
    }
    if args.json:
        print_json(out, True)
    elif done.stored:
        print(f"{args.file}: imported CAP {done.version} {a.sender},{a.identifier} into {logs[0]}")
    else:
        print(f"{args.file}: {a.sender},{a.identifier} was imported already; nothing changed")
    return 0

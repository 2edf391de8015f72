"""``opsconsole handover``: the shift handover report of a site's log, as JSON, text or PDF.

Built from the log on disk (alarm state, the last stored readings, incidents,
notes marked for handover, the outbox backlog), so it works whether or not a
console is running. The PDF is drawn by Qt (offscreen: no display needed) in
the language of ``--lang``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.district.cli.access import parse_when
from console.district.config import ConfigError, SiteConfig, demo_sites_dir, load_site
from console.district.domain.sops import load_sops
from console.district.services.handover import DEFAULT_SHIFT_S, digest, report_from_log
from console.district.store.database import database_path, make_engine, migrate


def add_handover_command(sub: Any) -> None:
    p = sub.add_parser(
        "handover",
        help="the shift handover report of a site's log (JSON, text or PDF)",
        description="What the next shift inherits: open incidents and their pending steps, "
        "incidents closed since --since, alarms active, shelved and out of service, sensors "
        "silent or bad, the city link's backlog, notes marked for handover.",
    )
    p.add_argument(
        "--site",
        type=Path,
        default=None,
        help="site file (default: the demo site whose id the log in --data-dir has)",
    )
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument(
        "--since",
        default="12h",
        help="shift start: ISO time (site time zone) or 8h, 12h… ago (default 12h)",
    )
    p.add_argument("--pdf", type=Path, default=None, metavar="FILE", help="also write a PDF")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="PDF and text language")
    p.add_argument("--json", action="store_true", help="the report as JSON on stdout")


def _site_and_log(args: argparse.Namespace) -> tuple[SiteConfig, Path]:
    from console.district.cli import default_data_dir

    if args.site is not None:
        site = load_site(args.site)
        path = database_path(default_data_dir(site.id, args.data_dir), site.id)
    else:
        data_dir = default_data_dir(None, args.data_dir)
        logs = sorted(data_dir.glob("*.sqlite3"))
        if len(logs) != 1:
            found = ", ".join(p.name for p in logs) or "none"
            raise ConfigError(
                f"{data_dir}: expected exactly one site log (*.sqlite3), found {found}; pass --site"
            )
        path = logs[0]
        guess = demo_sites_dir() / f"{path.stem}.toml"
        if not guess.exists():
            raise ConfigError(
                f"{path}: the site file of {path.stem!r} is needed (feed intervals and names): "
                "pass --site"
            )
        site = load_site(guess)
    if not path.exists():
        raise ConfigError(f"{path}: no site log here")
    return site, path


def run_handover_command(args: argparse.Namespace) -> int:
    site, path = _site_and_log(args)
    tz = ZoneInfo(site.timezone)
    now_ms = int(time.time() * 1000)
    since_ms = parse_when(args.since, tz) if args.since else now_ms - int(DEFAULT_SHIFT_S * 1000)
    engine = make_engine(path)
    try:
        migrate(engine, path)
        report = report_from_log(
            engine, site, load_sops(site.sops_dir), now_ms=now_ms, since_ms=since_ms
        )
    finally:
        engine.dispose()
    if args.pdf is not None:
        from console.district.ui.handover_report import write_pdf_standalone

        write_pdf_standalone(report, args.pdf, args.lang, tz)
    if args.json:
        out = {"database": str(path), "digest": digest(report), "report": report}
        if args.pdf is not None:
            out["pdf"] = str(args.pdf)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _print_text(report)
    if args.pdf is not None:
        print(f"PDF written to {args.pdf}")
    return 0


def _print_text(r: dict[str, Any]) -> None:
    out = sys.stdout
    print(f"Shift handover — {r['site']['name_en']} ({r['site']['id']})", file=out)
    inc = r["open_incidents"]
    print(f"\nOpen incidents: {len(inc)}", file=out)
    for i in inc:
        print(f"  {i['id']} [{i['severity']}] {i['status']}: {i['title']} ({i['ward'] or '-'})")
        for st in i["steps"]:
            late = " OVERDUE" if st["overdue"] else ""
            print(f"      - {st['id']}{late}: {st['text_en']}")
    print(f"\nClosed this shift: {len(r['closed_incidents'])}")
    for i in r["closed_incidents"]:
        print(f"  {i['id']}: {i['title']}")
    a = r["alarms"]
    print(
        f"\nAlarms: {len(a['active'])} active, {len(a['shelved'])} shelved, "
        f"{len(a['out_of_service'])} out of service"
    )
    for x in a["shelved"]:
        print(f"  shelved {x['id']} by {x.get('by') or '-'}: {x.get('reason') or '-'}")
    for x in a["out_of_service"]:
        print(f"  out of service {x['id']} by {x.get('by') or '-'}: {x.get('reason') or '-'}")
    print(f"\nSensors silent or bad: {len(r['sensors'])}")
    for s in r["sensors"]:
        print(f"  {s['feed']}: {s['state']}")
    link = r["link"]
    print(
        f"\nCity link: {link['state'] if link['configured'] else 'not configured'}, "
        f"backlog {link['backlog']}"
    )
    print(f"\nNotes for handover: {len(r['notes'])}")
    for n in r["notes"]:
        print(f"  {n['incident']} {n['user_id']}: {n['text']}")

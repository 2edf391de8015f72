"""``opsconsole incidents``: a site's incidents from its log, with or without a console running.

Read only. ``--id`` shows one incident with its checklist, links and timeline.
Times are ISO 8601 in the site's time zone; ``--json`` prints one object.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.district.cli.access import _open
from console.district.domain.incidents import (
    IncidentDetail,
    IncidentRow,
    detail_of,
    incident_of,
)
from console.district.domain.sops import SopLibrary, load_sops
from console.district.store import incidents as store
from console.shared.vocab import IncidentStatus

EXIT_UNKNOWN = 1
"""``--id`` names no incident of this log."""
STATUSES = [s.value for s in IncidentStatus]


def add_incident_commands(sub: Any) -> None:
    p = sub.add_parser(
        "incidents",
        help="incidents of a site's log (no window): list, or one with --id",
        description="List a site's incidents (open first, by severity, newest first), "
        "or show one with --id.",
    )
    p.add_argument(
        "--site", type=Path, default=None, help="site file (default: the log in --data-dir)"
    )
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument(
        "--status",
        action="append",
        default=[],
        help=f"only these statuses (repeatable or comma-separated: {', '.join(STATUSES)}; "
        "'open' = new, acknowledged, in_progress, escalated)",
    )
    p.add_argument("--type", action="append", default=[], help="only this type (repeatable)")
    p.add_argument("--ward", default="", help="only this ward")
    p.add_argument("--text", default="", help="search id, title, ward, location (no diacritics)")
    p.add_argument("--limit", type=int, default=1000, help="at most this many (default 1000)")
    p.add_argument("--id", default=None, help="show this incident with its steps and timeline")
    p.add_argument("--json", action="store_true")


def parse_statuses(values: list[str]) -> list[IncidentStatus]:
    out: list[IncidentStatus] = []
    for v in values:
        for part in (p.strip() for p in v.split(",")):
            if not part:
                continue
            if part == "open":
                out += [s for s in IncidentStatus if s.open]
                continue
            try:
                out.append(IncidentStatus(part))
            except ValueError:
                raise argparse.ArgumentTypeError(
                    f"--status {part!r}: use {', '.join(STATUSES)} or open"
                ) from None
    return list(dict.fromkeys(out))


def _t(ms: int, tz: ZoneInfo) -> str | None:
    return datetime.fromtimestamp(ms / 1000, tz).isoformat(timespec="seconds") if ms else None


def incident_json(r: IncidentRow, tz: ZoneInfo, sops: SopLibrary) -> dict[str, Any]:
    names = sops.get(r.type).name if r.type in sops else None
    return {
        "id": r.id,
        "type": r.type,
        "type_name": {"vi": names.vi, "en": names.en} if names else None,
        "severity": r.severity,
        "status": r.status.value,
        "title": r.title,
        "ward": r.ward,
        "location": r.location,
        "lat": r.lat,
        "lon": r.lon,
        "owner": r.owner,
        "owner_name": r.owner_name,
        "opened_at": _t(r.opened_ms, tz),
        "opened_by": r.opened_by,
        "updated_at": _t(r.updated_ms, tz),
        "resolved_at": _t(r.resolved_ms, tz),
        "closed_at": _t(r.closed_ms, tz),
        "procedure_version": r.sop_version,
        "required_steps_open": r.steps_open,
        "next_due_at": _t(r.next_due_ms, tz),
    }


def detail_json(d: IncidentDetail, tz: ZoneInfo, sops: SopLibrary) -> dict[str, Any]:
    out = incident_json(d.incident, tz, sops)
    out["alarms"] = list(d.alarms)
    out["feeds"] = list(d.feeds)
    out["steps"] = [
        {
            "id": s.step_id,
            "text": {"vi": s.text.vi, "en": s.text.en},
            "required": s.required,
            "role": s.role,
            "due_at": _t(s.due_ms, tz),
            "state": s.state.value,
            "by": s.by_user or None,
            "at": _t(s.at_ms, tz),
            "note": s.note or None,
            "overdue_alarm_at": _t(s.overdue_ms, tz),
        }
        for s in d.steps
    ]
    out["timeline_total"] = d.timeline_total
    out["timeline"] = [
        {
            "time": _t(e.ts_ms, tz),
            "kind": e.kind.value,
            "user": e.user_id,
            "name": e.user_name,
            "roles": e.roles,
            "workstation": e.workstation,
            "ref": e.ref,
            "before": e.before,
            "after": e.after,
            "text": e.text,
            "for_handover": e.handover,
        }
        for e in d.timeline
    ]
    return out


def run_incidents_command(args: argparse.Namespace) -> int:
    try:
        statuses = parse_statuses(args.status)
    except argparse.ArgumentTypeError as exc:
        print(f"opsconsole: {exc}", file=sys.stderr)
        return 2
    engine, path, tz_name = _open(args)
    tz = ZoneInfo(tz_name)
    sops = load_sops()
    try:
        if args.id is not None:
            d = store.detail(engine, args.id)
            if d is None:
                print(f"opsconsole: {path}: no incident {args.id!r}", file=sys.stderr)
                return EXIT_UNKNOWN
            detail = detail_of(d)
            if args.json:
                out = {"database": str(path), "incident": detail_json(detail, tz, sops)}
                print(json.dumps(out, ensure_ascii=False, indent=2))
            else:
                _print_detail(detail, tz)
            return 0
        rows, total = store.list_incidents(
            engine,
            statuses=statuses,
            types=args.type,
            ward=args.ward,
            text=args.text,
            limit=max(1, args.limit),
        )
    finally:
        engine.dispose()
    items = [incident_json(incident_of(r), tz, sops) for r in rows]
    if args.json:
        print(
            json.dumps(
                {"database": str(path), "total": total, "incidents": items},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not items:
        print("no incidents")
        return 0
    for i in items:
        steps = (
            f"  {i['required_steps_open']} required steps open" if i["required_steps_open"] else ""
        )
        print(
            f"{i['id']:<16} {i['severity']} {i['status']:<12} {i['type']:<18} "
            f"{(i['opened_at'] or '')[:16]}  {i['title']}"
            f"{' (' + i['ward'] + ')' if i['ward'] else ''}{steps}"
        )
    if total > len(items):
        print(f"… {total - len(items)} more (use --limit, --status, --text)")
    return 0


def _print_detail(d: IncidentDetail, tz: ZoneInfo) -> None:
    r = d.incident
    print(f"{r.id}  {r.title}")
    print(f"  {r.type}, severity {r.severity}, {r.status.value}, owner {r.owner or '-'}")
    print(f"  ward {r.ward or '-'}  {r.location}")
    print(f"  alarms: {', '.join(d.alarms) or '-'}   feeds: {', '.join(d.feeds) or '-'}")
    print("  steps:")
    for s in d.steps:
        due = f" due {_t(s.due_ms, tz)}" if s.due_ms else ""
        req = "" if s.required else " (optional)"
        by = f" by {s.by_user} {_t(s.at_ms, tz)}" if s.by_user else ""
        print(f"    [{s.state.value:<7}] {s.step_id}{req}{due}{by}  {s.text.en}")
    print(f"  timeline ({d.timeline_total} entries):")
    for e in d.timeline:
        change = f" {e.before} → {e.after}" if e.before or e.after else ""
        print(
            f"    {_t(e.ts_ms, tz)} {e.user_id}: {e.kind.value} {e.ref}{change} {e.text}".rstrip()
        )

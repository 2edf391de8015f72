"""``opsconsole cap validate|show|import FILE``: check, read or import a CAP 1.2/1.1 alert
(docs/CAP.md).

Exit codes as the rest of the command line: 0 valid (imported), 2 the file cannot be
read, 3 the file is refused (one line on stderr naming the element and the rule).
``import`` stores the alert among a console's city warnings (with or without the
console running: it picks it up within a second).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from console.shared import cap
from console.shared.runtime import print_json


def add_cap_commands(sub: Any) -> None:
    """Register ``cap`` under the top-level subparsers ``sub``."""
    c = sub.add_parser("cap", help="CAP alerts: validate or show a file")
    csub = c.add_subparsers(dest="cap_command", required=True)
    v = csub.add_parser("validate", help="exit 0 if FILE is one valid CAP 1.2 or 1.1 alert")
    s = csub.add_parser("show", help="the alert in FILE, readable (Vietnamese first)")
    s.add_argument("--json", action="store_true", help="the parsed alert as one JSON object")
    i = csub.add_parser(
        "import",
        help="store the alert in FILE among a console's city warnings (shown on its strip)",
    )
    i.add_argument("--data-dir", type=Path, default=None, help="the console's log directory")
    i.add_argument("--site", type=Path, default=None, help="site file (to find the log)")
    i.add_argument("--json", action="store_true")
    for p in (v, s, i):
        p.add_argument("file", type=Path, metavar="FILE")
        p.add_argument(
            "--max-bytes",
            type=_byte_limit,
            default=cap.MAX_BYTES,
            help=f"refuse larger files (default {cap.MAX_BYTES})",
        )


def _byte_limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of bytes") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def run_cap_command(args: argparse.Namespace) -> int:
    try:
        data = _read(args.file, args.max_bytes)
    except OSError as exc:
        print(f"opsconsole: {args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.cap_command == "import":
        from console.district.cli.cap_import import import_warning

        return import_warning(args, data)
    try:
        version, alert = cap.parse_versioned(data, max_bytes=args.max_bytes)
    except cap.CapError as exc:
        print(f"opsconsole: {args.file}: {exc}", file=sys.stderr)
        return 3
    if args.cap_command == "validate":
        print(f"{args.file}: valid CAP {version} ({alert.sender},{alert.identifier})")
    elif args.json:
        print_json({"cap_version": version, "alert": msgspec.to_builtins(alert)}, True)
    else:
        print(describe(version, alert))
    return 0


def _read(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes: enough for the parser to refuse a larger file by
    its size without reading all of it."""
    with path.open("rb") as f:
        return f.read(max_bytes + 1)


def describe(version: str, alert: cap.CapAlert) -> str:
    """A person's view of ``alert``: header, then each info block, Vietnamese first."""
    lines = [
        f"CAP {version}  {alert.identifier}",
        f"  sender {alert.sender}, sent {_t(alert.sent)}",
        f"  {alert.status} {alert.msg_type}, scope {alert.scope}"
        + (f" ({alert.restriction})" if alert.restriction else ""),
    ]
    if alert.references:
        lines.append("  references:")
        lines += [f"    {r.sender} {r.identifier} {_t(r.sent)}" for r in alert.references]
    for label, value in (
        ("source", alert.source),
        ("note", alert.note),
        ("incidents", ", ".join(alert.incidents)),
        ("addresses", ", ".join(alert.addresses)),
        ("codes", ", ".join(alert.codes)),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    for info in sorted(alert.infos, key=lambda i: not i.language.lower().startswith("vi")):
        lines += ["", *_describe_info(info)]
    return "\n".join(lines)


def _describe_info(info: cap.CapInfo) -> list[str]:
    lines = [
        f"[{info.language}] {info.event}" + (f" — {info.headline}" if info.headline else ""),
        f"  {'/'.join(info.categories)}: urgency {info.urgency}, severity {info.severity}, "
        f"certainty {info.certainty}",
    ]
    if info.response_types:
        lines.append(f"  response: {', '.join(info.response_types)}")
    times = [
        f"{name} {_t(value)}"
        for name, value in (
            ("effective", info.effective),
            ("onset", info.onset),
            ("expires", info.expires),
        )
        if value is not None
    ]
    if times:
        lines.append("  " + ", ".join(times))
    for label, value in (
        ("from", info.sender_name),
        ("audience", info.audience),
        ("description", info.description),
        ("instruction", info.instruction),
        ("web", info.web),
        ("contact", info.contact),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    for name, pairs in (("event code", info.event_codes), ("parameter", info.parameters)):
        lines += [f"  {name} {p.value_name} = {p.value}" for p in pairs]
    for res in info.resources:
        lines.append(
            f"  resource: {res.resource_desc} ({res.mime_type or 'no type'})"
            + (f" {res.uri}" if res.uri else "")
        )
    for area in info.areas:
        lines.append(f"  area: {area.area_desc}")
        lines += [f"    polygon of {len(p.points) - 1} corners" for p in area.polygons]
        lines += [f"    circle {c.lat},{c.lon} radius {c.radius_km} km" for c in area.circles]
        lines += [f"    geocode {g.value_name} = {g.value}" for g in area.geocodes]
        if area.altitude is not None:
            ceiling = f" to {area.ceiling}" if area.ceiling is not None else ""
            lines.append(f"    altitude {area.altitude}{ceiling} ft")
    return lines


def _t(value: datetime) -> str:
    return cap.format_time(value) if value.microsecond == 0 else value.isoformat()

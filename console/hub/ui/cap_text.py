"""An escalation's CAP alert and its handling, written for a person (HTML for a text browser).

Vietnamese info block first, then the others (English); in each: event and
headline, severity, urgency and certainty, description, instruction, area
names, the parameters (the district's feed values when it escalated), the
times. Above them: the message type with the messages it references, the
status (an exercise says so), the incident and who sent it. Below: what the
IOC did with it, oldest first. Everything from the message is escaped: it is
text a district wrote, never markup.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.hub.ui.city_warnings import severity_name, urgency_name
from console.hub.ui.text import CITY_TZ, clock_time
from console.shared import cap

translate = QCoreApplication.translate


def msg_type_name(m: str) -> str:
    names = {
        "Alert": translate("Ioc", "first message"),
        "Update": translate("Ioc", "update"),
        "Cancel": translate("Ioc", "withdrawn by the district"),
    }
    return names.get(m, m)


def status_name(s: str) -> str:
    names = {
        "Actual": translate("Ioc", "actual"),
        "Exercise": translate("Ioc", "EXERCISE"),
        "Test": translate("Ioc", "trial run"),
        "System": translate("Ioc", "system"),
        "Draft": translate("Ioc", "draft"),
    }
    return names.get(s, s)


def certainty_name(c: str) -> str:
    names = {
        "Observed": translate("Ioc", "observed"),
        "Likely": translate("Ioc", "likely"),
        "Possible": translate("Ioc", "possible"),
        "Unlikely": translate("Ioc", "unlikely"),
        "Unknown": translate("Ioc", "unknown"),
    }
    return names.get(c, c)


def language_name(tag: str) -> str:
    t = tag.lower()
    if t.startswith("vi"):
        return translate("Ioc", "Vietnamese")
    if t.startswith("en"):
        return translate("Ioc", "English")
    return tag


def event_name(action: str) -> str:
    names = {
        "take": translate("Ioc", "took it"),
        "assign": translate("Ioc", "assigned it to"),
        "acknowledge": translate("Ioc", "acknowledged it"),
    }
    return names.get(action, action)


def when(t: datetime | None) -> str:
    if t is None:
        return ""
    return t.astimezone(CITY_TZ).strftime("%H:%M %d/%m/%Y")


def _row(label: str, value: str) -> str:
    if not value:
        return ""
    return (
        f"<tr><td style='color:#8a949e;padding-right:8px' valign='top'>{escape(label)}</td>"
        f"<td>{escape(value).replace(chr(10), '<br>')}</td></tr>"
    )


def alert_html(alert: cap.CapAlert) -> str:
    """The whole alert, Vietnamese first."""
    refs = "; ".join(f"{r.identifier} ({when(r.sent)})" for r in alert.references)
    head = [
        _row(translate("Ioc", "Message"), msg_type_name(alert.msg_type.value)),
        _row(translate("Ioc", "References"), refs),
        _row(translate("Ioc", "Status"), status_name(alert.status.value)),
        _row(translate("Ioc", "Incident"), ", ".join(alert.incidents)),
        _row(translate("Ioc", "Sent"), when(alert.sent)),
        _row(translate("Ioc", "Identifier"), f"{alert.identifier} · {alert.sender}"),
        _row(translate("Ioc", "Note"), alert.note or ""),
    ]
    parts = ["<table>", *head, "</table>"]
    infos = sorted(alert.infos, key=lambda i: not i.language.lower().startswith("vi"))
    for info in infos:
        parts.append(_info_html(info))
    return "".join(parts)


def _info_html(info: cap.CapInfo) -> str:
    title = escape(info.event) + (f" — {escape(info.headline)}" if info.headline else "")
    rows = [
        _row(
            translate("Ioc", "Severity"),
            f"{severity_name(info.severity.value)} · "
            + translate("Ioc", "urgency: %1").replace("%1", urgency_name(info.urgency.value))
            + " · "
            + translate("Ioc", "certainty: %1").replace("%1", certainty_name(info.certainty.value)),
        ),
        _row(translate("Ioc", "From"), info.sender_name or ""),
        _row(translate("Ioc", "Description"), info.description or ""),
        _row(translate("Ioc", "Asks the city"), info.instruction or ""),
        _row(translate("Ioc", "Area"), "; ".join(a.area_desc for a in info.areas)),
        _row(
            translate("Ioc", "Readings"),
            "\n".join(f"{p.value_name} = {p.value}" for p in info.parameters),
        ),
        _row(translate("Ioc", "Onset"), when(info.onset)),
        _row(translate("Ioc", "Expires"), when(info.expires)),
        _row(translate("Ioc", "Contact"), info.contact or ""),
    ]
    return (
        f"<h3 style='margin-top:10px'>[{escape(language_name(info.language))}] {title}</h3>"
        + "<table>"
        + "".join(rows)
        + "</table>"
    )


def events_html(
    events: list[dict[str, Any]], item: dict[str, Any], agencies: dict[str, str], now_ms: int
) -> str:
    """Who at the IOC did what with the message, and whether the site has the answer."""
    lines = []
    for e in events:
        who = e["name"] or e["user"]
        text = f"{clock_time(e['ts_ms'], now_ms)} · {who} ({e['user']}, {e['workstation']}) "
        text += event_name(e["action"])
        if e["action"] == "assign":
            text += " " + agencies.get(e["detail"], e["detail"])
        elif e["detail"]:
            text += f": {e['detail']}"
        lines.append(escape(text))
    if item.get("acknowledged_ms"):
        delivered = item.get("ack_delivered_ms")
        lines.append(
            escape(
                translate("Ioc", "The acknowledgement reached the site at %1.").replace(
                    "%1", clock_time(delivered, now_ms)
                )
                if delivered
                else translate("Ioc", "The acknowledgement is queued for the site.")
            )
        )
    if not lines:
        lines.append(escape(translate("Ioc", "Nobody at the IOC has acted on it yet.")))
    title = escape(translate("Ioc", "At the IOC"))
    return f"<h3 style='margin-top:10px'>{title}</h3>" + "<br>".join(lines)

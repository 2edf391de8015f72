"""Bench targets: a ``targets`` map {name: {target, value, met}} in every bench's JSON, and one
printed line per target (on stderr, so stdout stays one JSON document)."""

from __future__ import annotations

import sys
from typing import Any, TextIO


def below(value: float | None, limit: float) -> dict[str, Any]:
    """A target met when ``value`` < ``limit`` (None: not measured, not met)."""
    return {"target": f"< {limit:g}", "value": value, "met": value is not None and value < limit}


def at_most(value: float | None, limit: float) -> dict[str, Any]:
    return {"target": f"<= {limit:g}", "value": value, "met": value is not None and value <= limit}


def at_least(value: float | None, limit: float) -> dict[str, Any]:
    return {"target": f">= {limit:g}", "value": value, "met": value is not None and value >= limit}


def print_targets(result: dict[str, Any], out: TextIO | None = None) -> bool:
    """One line per target: ``<bench> <name> = <value> (target <t>): met|NOT MET``. True if all met."""
    out = out or sys.stderr
    name = result.get("bench", "bench")
    ok = True
    for key, t in sorted(result.get("targets", {}).items()):
        ok &= bool(t["met"])
        print(
            f"{name} {key} = {t['value']} (target {t['target']}): "
            f"{'met' if t['met'] else 'NOT MET'}",
            file=out,
        )
    return ok

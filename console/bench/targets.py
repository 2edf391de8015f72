"""Did a benchmark meet its targets (docs/PERFORMANCE.md)? One verdict per target, in the
JSON (``targets``) and as one printed line each."""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def judge(
    result: dict[str, Any], targets: dict[str, tuple[str, float]], *, note: str = ""
) -> dict[str, dict[str, Any]]:
    """``targets``: key of ``result`` → (comparison, target). A missing value is not met;
    with ``note`` (e.g. a quick run with smaller sizes) nothing is judged: met is None."""
    out: dict[str, dict[str, Any]] = {}
    for key, (op, target) in targets.items():
        value = result.get(key)
        met: bool | None
        met = None if note else isinstance(value, int | float) and _OPS[op](value, target)
        entry: dict[str, Any] = {"target": f"{op} {target:g}", "value": value, "met": met}
        if note:
            entry["note"] = note
        out[key] = entry
    return out


def print_verdicts(result: dict[str, Any], file: Any = None) -> None:
    """One line per target on stderr (stdout carries the JSON)."""
    file = file or sys.stderr
    for key, t in result.get("targets", {}).items():
        verdict = {True: "met", False: "NOT MET", None: "not judged"}[t["met"]]
        extra = f" ({t['note']})" if t.get("note") else ""
        print(f"target {key} {t['target']}: {t['value']} — {verdict}{extra}", file=file)

"""The log's disk as a monitored quantity: free space, the log's size, the writer's health.

Checked on the scheduler (``CHECK_S``); the view is in memory, so the status
bar may read it every tick. The state raises a *system alarm* through the
alarm engine (``AlarmRule.DISK``), annunciated, journalled and acknowledged
like any other:

- ``low``: free space below ``disk_warn_free_mb`` → severity 2;
- ``critical``: below ``disk_critical_free_mb`` → severity 3;
- ``full`` / ``failing``: the writer cannot commit (a full disk, or another
  write error) → severity 3, with the count of readings not stored.

Each level clears only 5 % above its threshold (no chatter at the edge).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.district.config import Names, StorageConfig
from console.district.domain.alarms import SYSTEM, AlarmEngine, AlarmOrigin, system_alarm_id
from console.district.store.writer import StoreWriter
from console.shared.vocab import AlarmRule

log = logging.getLogger(__name__)

CHECK_S = 5.0
MB = 1024 * 1024
HYSTERESIS = 1.05
SEVERITY = {"ok": 0, "low": 2, "critical": 3, "full": 3, "failing": 3}


@dataclass(frozen=True)
class DiskView:
    state: str = "ok"
    """ok, low, critical, full (cannot commit for lack of space), failing (other write error)."""
    free_bytes: int = 0
    total_bytes: int = 0
    log_bytes: int = 0
    """The log's database file with its WAL and shared-memory files."""
    readings_dropped: int = 0
    """Readings never stored because the log could not take them (since start)."""
    readings_queued: int = 0
    """Readings accepted but waiting in memory for a commit."""
    error: str = ""
    checked_at: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


Usage = Callable[[Path], tuple[int, int]]
"""(total, free) bytes of the file system holding a path."""


DISK_ALARM = system_alarm_id(AlarmRule.DISK)
SYSTEM_ORIGIN = AlarmOrigin(Names("Hệ thống", "System"))
"""What the alarm table shows of a system alarm in place of a feed."""


def disk_usage(path: Path) -> tuple[int, int]:
    u = shutil.disk_usage(path)
    return u.total, u.free


def log_size(db_path: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):  # no WAL yet, or just checkpointed away
            total += db_path.with_name(db_path.name + suffix).stat().st_size
    return total


def _is_space_error(error: str) -> bool:
    e = error.lower()
    return "full" in e or "no space" in e


class DiskMonitor:
    def __init__(
        self,
        db_path: Path,
        writer: StoreWriter,
        storage: StorageConfig,
        alarms: AlarmEngine | None,
        *,
        usage: Usage = disk_usage,
    ) -> None:
        self._db = db_path
        self._writer = writer
        self._warn = storage.disk_warn_free_mb * MB
        self._critical = storage.disk_critical_free_mb * MB
        self._alarms = alarms
        if alarms is not None:
            alarms.define_external(DISK_ALARM, SYSTEM, AlarmRule.DISK, SYSTEM_ORIGIN)
        self._usage = usage
        self._view = DiskView()
        self.checks = 0

    def view(self) -> DiskView:
        """The last check (in memory: safe on the GUI thread)."""
        return self._view

    def check(self, now: float) -> DiskView:
        """Measure, classify, raise/clear the system alarm. The scheduler's job."""
        try:
            total, free = self._usage(self._db.parent)
        except OSError as exc:
            log.error("cannot measure free space of %s: %s", self._db.parent, exc)
            total, free = self._view.total_bytes, self._view.free_bytes
        w = self._writer
        error = w.last_error if w.failing_since else ""
        state = self._classify(free, error)
        view = DiskView(
            state=state,
            free_bytes=free,
            total_bytes=total,
            log_bytes=log_size(self._db),
            readings_dropped=w.rows_dropped,
            readings_queued=w.queued_rows,
            error=error,
            checked_at=now,
        )
        before = self._view.state
        self._view = view
        self.checks += 1
        if state != before:
            (log.info if state == "ok" else log.error)(
                "log disk: %s → %s (%s)", before, state, describe(view)
            )
        if self._alarms is not None:
            sev = SEVERITY[state]
            self._alarms.set_external(
                DISK_ALARM, sev > 0, sev, int(now * 1000), free / MB, describe(view)
            )
        return view

    def _classify(self, free: int, error: str) -> str:
        if error:
            return "full" if _is_space_error(error) or free < self._critical else "failing"
        before = self._view.state
        critical_edge = self._critical * (HYSTERESIS if before in ("critical", "full") else 1.0)
        if free < critical_edge:
            return "critical"
        warn_edge = self._warn * (HYSTERESIS if before != "ok" else 1.0)
        if free < warn_edge:
            return "low"
        return "ok"


def describe(v: DiskView) -> str:
    """One line for the journal and the log (the window translates its own)."""
    parts = [
        f"free {format_size(v.free_bytes)} of {format_size(v.total_bytes)}",
        f"log {format_size(v.log_bytes)}",
    ]
    if v.error:
        parts.append(f"cannot commit: {v.error}")
    if v.readings_dropped:
        parts.append(f"{v.readings_dropped:,} readings not stored")
    return "; ".join(parts)


def format_size(n: int) -> str:
    """Bytes as the journal and the status bar show them: MB below 1 GB (binary units)."""
    if n >= 10 * 1024 * MB:
        return f"{n / 1024 / MB:,.0f} GB"
    if n >= 1024 * MB:
        return f"{n / 1024 / MB:,.1f} GB"
    return f"{n / MB:,.1f} MB"

"""Where the console keeps its files (per user, per OS, via platformdirs), and whether it can.

A data directory that cannot be used must be said in one line naming the path
and the cause, before anything is started: not a traceback from ``mkdir`` or
SQLite half-way through start-up.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from console.shared.errors import DataDirError

MIN_FREE_BYTES = 64 * 2**20
"""Below this much free space a console would stop logging within minutes: refuse to start."""


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("opsconsole", appauthor=False))


def new_demo_dir() -> Path:
    """A fresh directory per demo run, so a run's numbers match its own log."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    base = prepare_data_dir(user_data_dir() / "demo", explicit=False)
    path = base / stamp
    try:
        path.mkdir(exist_ok=False)
    except OSError as exc:
        raise DataDirError(
            f"{path}: cannot create the demo's data directory: {_cause(exc)}"
        ) from exc
    return path


def _cause(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def prepare_data_dir(path: Path, *, explicit: bool = True) -> Path:
    """Make sure ``path`` is a directory the console can write a log in; return it.

    ``explicit``: the path was given (``--data-dir``): its parent must exist, so a
    drive that is not mounted is reported instead of silently filling the system
    disk. The default location is created with its parents.
    """
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise DataDirError(f"{path}: is a file, not a directory (choose another --data-dir)")
    if not path.exists():
        parent = path.parent
        if explicit and not parent.is_dir():
            what = "is a file" if parent.exists() else "does not exist"
            raise DataDirError(
                f"{path}: the parent directory {parent} {what} "
                "(is the drive mounted? create the directory first, or choose another --data-dir)"
            )
        try:
            path.mkdir(parents=not explicit, exist_ok=True)
        except OSError as exc:
            raise DataDirError(f"{path}: cannot create the data directory: {_cause(exc)}") from exc
    try:
        fd, probe = tempfile.mkstemp(prefix=".opsconsole-write-test-", dir=path)
        try:
            os.write(fd, b"x")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise DataDirError(f"{path}: cannot write the log here: {_cause(exc)}") from exc
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        raise DataDirError(
            f"{path}: only {free / 2**20:.0f} MiB free on its disk; the log needs at least "
            f"{MIN_FREE_BYTES / 2**20:.0f} MiB (free some space, or choose another --data-dir)"
        )
    return path

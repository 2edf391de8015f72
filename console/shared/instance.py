"""One process per log: an OS lock on a file beside it, and who holds it.

A console (window, headless or demo) locks ``<site>.sqlite3.lock`` beside its
log, a hub on SQLite ``<database>.lock`` beside its database (on PostgreSQL
the hub takes an advisory lock instead: console.hub.store.store). The lock is
``flock`` on POSIX and ``msvcrt.locking`` on Windows: the operating system
releases it when the process ends, however it ends (SIGKILL, power loss), so
there is no stale lock to clean up. The holder writes who it is into the file
(after byte 0, the byte Windows locks), so a second process can say which
instance is running. This is the standard library's locking, used directly:
the libraries that wrap it (filelock, portalocker) add lock-file handling we
do not need and would not make the message any better.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path

if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class AlreadyRunningError(RuntimeError):
    """Another process uses this log or database; the message names it."""


def describe_self(what: str) -> dict[str, object]:
    """Who this process is, as a second one would want to read it."""
    return {
        "what": what,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime()),
    }


def describe(owner: dict[str, object] | None) -> str:
    if not owner:
        return "another process (it has not said which yet)"
    return f"{owner.get('what', 'opsconsole')} (pid {owner.get('pid')} on {owner.get('host')}, since {owner.get('since')})"


class InstanceLock:
    """An exclusive lock on ``path`` for the life of this process (or until ``release``)."""

    def __init__(self, path: Path, what: str, *, target: Path | None = None) -> None:
        """``what``: this process, e.g. "opsconsole console"; ``target``: the log or
        database the lock guards (named in the refusal; default: ``path``)."""
        self.path = path
        self.what = what
        self.target = target or path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, advice: str = "") -> None:
        """Take the lock or raise AlreadyRunningError naming the holder."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            tail = f"; {advice}" if advice else ""
            raise AlreadyRunningError(
                f"{self.target} is in use by {describe(self.owner())}{tail}"
            ) from None
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, b" " + json.dumps(describe_self(self.what)).encode())
        os.fsync(fd)
        self._fd = fd

    def owner(self) -> dict[str, object] | None:
        """Who holds the lock, as it wrote itself down (None if unknown)."""
        try:
            text = self.path.read_bytes()[1:]
            owner = json.loads(text) if text.strip() else None
        except (OSError, ValueError):
            return None
        return owner if isinstance(owner, dict) else None

    def check(self, advice: str = "") -> None:
        """Raise AlreadyRunningError if another process holds the lock (without keeping it)."""
        if self._fd is None:
            self.acquire(advice)
            self.release()

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            _unlock(fd)
        os.close(fd)

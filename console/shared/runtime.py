"""Process plumbing both products' commands share: stop on SIGTERM/SIGINT, JSON on stdout."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import signal
import sys
import threading
from typing import Any

log = logging.getLogger(__name__)


def install_stop_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set ``stop`` (the main loop then shuts down cleanly)."""

    def handler(signum: int, _frame: Any) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def emit(obj: dict[str, Any]) -> None:
    """One JSON object per line on stdout, flushed (for scripts and supervising processes)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stdout.flush()


def print_json(obj: Any, as_json: bool) -> None:
    """JSON either way: compact for scripts (--json), indented for people."""
    if as_json:
        print(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    else:
        print(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False))


PR_SET_PDEATHSIG = 1


def exit_with_parent(parent_pid: int, stop: threading.Event, *, poll_s: float = 0.5) -> None:
    """Set ``stop`` when the process ``parent_pid`` (the one that started us) is gone.

    Children of ``opsconsole demo`` (its hub, its simulator) must not outlive it, even when
    it is killed with SIGKILL and cannot stop them. On Linux the kernel sends us SIGTERM
    when the parent dies (``prctl(PR_SET_PDEATHSIG)``; our SIGTERM handler sets ``stop``);
    everywhere, a daemon thread also checks every ``poll_s`` that our parent is still
    ``parent_pid`` (an orphan is re-parented), and ends once ``stop`` is set.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())

    def orphaned() -> bool:
        if hasattr(os, "getppid") and sys.platform != "win32":
            return os.getppid() != parent_pid
        return not _alive(parent_pid)

    def watch() -> None:
        while not stop.wait(poll_s):
            if orphaned():
                log.warning("parent process %d is gone: stopping", parent_pid)
                stop.set()
                return

    if orphaned():  # it died before we got here
        log.warning("parent process %d is gone: stopping", parent_pid)
        stop.set()
        return
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True

"""Process plumbing both products' commands share: stop on SIGTERM/SIGINT, JSON on stdout."""

from __future__ import annotations

import json
import logging
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

"""Helpers to run opsconsole commands as real processes and read their JSON lines."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any


class JsonLinesProcess:
    """A child process whose stdout is JSON lines, read by a thread into a queue."""

    def __init__(
        self, args: list[str], cwd: Path | None = None, *, module: str = "console"
    ) -> None:
        """``module``: what ``python -m`` runs (a test's own process, e.g. a scripted console)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, name=f"stdout of {args[0]}", daemon=True).start()
        threading.Thread(target=self._read_err, name=f"stderr of {args[0]}", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def next(self, timeout: float = 30.0) -> dict[str, Any] | None:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"no output in {timeout} s; stderr:\n{''.join(self.stderr)}"
            ) from None

    def wait_event(self, event: str, timeout: float = 30.0) -> dict[str, Any]:
        while True:
            msg = self.next(timeout)
            if msg is None:
                raise AssertionError(
                    f"process ended before {event!r}; stderr:\n{''.join(self.stderr)}"
                )
            if msg.get("event") == event:
                return msg

"""A private X server (Xvfb) of a given size, for screenshots and the real-window tests.

    with Xvfb(1366, 768) as x:
        subprocess.run([...], env={**os.environ, **x.env()})

Picks a free display number (no socket, no lock file), waits until the server
accepts connections, and stops it (and only it) on exit.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

SOCKETS = Path("/tmp/.X11-unix")


def xvfb_path() -> str | None:
    return shutil.which("Xvfb")


def free_display(start: int = 90, stop: int = 400) -> int:
    for n in range(start, stop):
        if not (SOCKETS / f"X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError(f"no free X display number in :{start}..:{stop - 1}")


def _accepts(n: int) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        try:
            s.connect(str(SOCKETS / f"X{n}"))
        except OSError:
            return False
    return True


class Xvfb:
    def __init__(self, width: int, height: int, depth: int = 24) -> None:
        self.size = (width, height, depth)
        self.display = -1
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> Xvfb:
        exe = xvfb_path()
        if exe is None:
            raise FileNotFoundError("Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb)")
        w, h, d = self.size
        for _attempt in range(5):
            n = free_display()
            proc = subprocess.Popen(
                [exe, f":{n}", "-screen", "0", f"{w}x{h}x{d}", "-nolisten", "tcp", "-noreset"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and proc.poll() is None:
                if _accepts(n):
                    self.display, self._proc = n, proc
                    return self
                time.sleep(0.05)
            if proc.poll() is None:
                proc.kill()
            proc.wait()  # lost a race for the display number, or a slow start: retry
        raise RuntimeError(f"Xvfb did not start ({w}x{h}x{d})")

    def env(self) -> dict[str, str]:
        """What a child process needs to open windows on this server (and only there)."""
        env = {"DISPLAY": f":{self.display}", "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()

    def __enter__(self) -> Xvfb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def child_env(x: Xvfb) -> dict[str, str]:
    """The current environment, pointed at ``x`` (no Wayland, the xcb platform)."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
    env.update(x.env())
    return env

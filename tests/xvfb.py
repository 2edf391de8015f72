"""A real X server for tests that must run the window on the xcb platform (not offscreen).

``xvfb_display(width, height)`` starts ``Xvfb`` on a free display (``-displayfd``
lets the server pick it and say which), yields the ``DISPLAY`` value, and stops
the server. The window under test runs in a subprocess with
``QT_QPA_PLATFORM=xcb`` and that ``DISPLAY``: the pytest process itself stays
on the offscreen platform.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def xvfb_display(width: int = 1366, height: int = 768, timeout: float = 20.0) -> Iterator[str]:
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        [exe, "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], timeout)
        number = os.read(read, 16).decode().strip() if ready else ""
        if not number:
            raise RuntimeError(f"Xvfb did not report a display in {timeout} s")
        _wait_accepting(Path(f"/tmp/.X11-unix/X{number}"), proc, timeout)
        yield f":{number}"
    finally:
        os.close(read)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_accepting(path: Path, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Until the server accepts a connection on its socket (a client that connects too
    early aborts: Qt's xcb plugin gives up at once)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"Xvfb exited with {proc.returncode}")
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(str(path))
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Xvfb does not accept connections on {path}") from None
        time.sleep(0.05)


@pytest.fixture
def xvfb() -> Callable[[int, int], Iterator[str]]:
    """``with xvfb(1366, 768) as display:`` — an X server of that size for one test."""
    return xvfb_display  # type: ignore[return-value]


def xcb_env(display: str) -> dict[str, str]:
    """The environment of a child that must draw on ``display`` through xcb."""
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    return env

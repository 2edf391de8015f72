"""The command line that starts the simulator as its own process (demo, window, scripts)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def simulator_argv(
    site_path: Path,
    endpoint: str | None = None,
    *,
    scenario: str = "normal",
    speed: float = 1.0,
    rate: float | None = None,
    malformed_fraction: float = 0.0,
    duration: float | None = None,
    json_report: bool = False,
) -> list[str]:
    """argv for ``opsconsole simulate`` run by this interpreter, as a child of this process
    (it stops when this process is gone, even killed: ``--exit-with-parent``).

    Without ``endpoint`` the caller appends ``--endpoint`` once it knows the
    console's bound port.
    """
    argv = [
        sys.executable,
        "-m",
        "console",
        "simulate",
        "--site",
        str(site_path),
        "--scenario",
        scenario,
        "--speed",
        str(speed),
        "--malformed-fraction",
        str(malformed_fraction),
        "--exit-with-parent",
        str(os.getpid()),
    ]
    if endpoint is not None:
        argv += ["--endpoint", endpoint]
    if rate:
        argv += ["--rate", str(rate)]
    if duration is not None:
        argv += ["--duration", str(duration)]
    if json_report:
        argv.append("--json")
    return argv

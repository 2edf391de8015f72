"""A display that cannot be used is one line naming the missing piece, never Qt's abort.

The real failure is reproduced: a library the xcb plugin loads is made unusable
for the child (an empty file of that name first on LD_LIBRARY_PATH, so the
dynamic loader finds it and refuses it: "file too short"), exactly what Qt
aborts on when the package is missing. And a DISPLAY where no X server answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.district.config import SiteConfig
from console.district.ui.display import (
    DEBIAN_PACKAGES,
    display_problem,
    explain_failure,
    install_hint,
    missing_libraries,
)

ROOT = Path(__file__).resolve().parent.parent
NO_SERVER = ":987"


def window_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "LD_LIBRARY_PATH")
    }
    env.update({"DISPLAY": NO_SERVER, **extra})
    return env


def broken_lib(tmp_path: Path, name: str = "libxcb-icccm.so.4") -> Path:
    d = tmp_path / "badlib"
    d.mkdir(exist_ok=True)
    (d / name).write_bytes(b"")
    return d


def opsconsole(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_a_library_the_xcb_plugin_needs_is_named_with_its_package(
    tmp_path: Path, demo_site: SiteConfig
) -> None:
    env = window_env(tmp_path, LD_LIBRARY_PATH=str(broken_lib(tmp_path)))
    r = opsconsole(["console", "--site", str(demo_site.path), "--data-dir", str(tmp_path)], env)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert line.startswith("opsconsole: cannot open the window: Qt's xcb platform plugin")
    assert "libxcb-icccm.so.4 (file too short)" in line
    assert "sudo apt-get install libxcb-icccm4" in line and "--headless" in line
    assert "Aborted" not in r.stderr and "Traceback" not in r.stderr


def test_the_demo_does_not_fall_back_silently_when_the_display_is_broken(tmp_path: Path) -> None:
    env = window_env(tmp_path, LD_LIBRARY_PATH=str(broken_lib(tmp_path)))
    r = opsconsole(["demo", "--duration", "1", "--data-dir", str(tmp_path)], env)
    assert r.returncode == 2 and "libxcb-icccm4" in r.stderr, r.stderr
    assert not list(tmp_path.glob("*.sqlite3")), "nothing was started"


def test_a_display_without_an_x_server_is_said_so(tmp_path: Path, demo_site: SiteConfig) -> None:
    r = opsconsole(
        ["console", "--site", str(demo_site.path), "--data-dir", str(tmp_path)],
        window_env(tmp_path),
    )
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"opsconsole: cannot open the window: no X server answers on DISPLAY={NO_SERVER} "
        "(is it running? are DISPLAY and XAUTHORITY right?), or run with --headless"
    )


def test_ldd_lists_every_missing_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ldd names all the missing libraries at once (dlopen stops at the first)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text(
        "#!/bin/sh\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
        "echo '\tlibxcb-keysyms.so.1 => not found'\n"
        "echo '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0)'\n",
        encoding="utf-8",
    )
    (fake / "ldd").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    assert missing_libraries(plugin, env) == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    monkeypatch.setattr("console.district.ui.display.plugin_path", lambda *_a: plugin)
    problem = explain_failure("xcb", "qt.qpa.plugin: Could not load the Qt platform plugin", env)
    assert problem.kind == "libraries"
    assert problem.libraries == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert "which are not installed" in problem.message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in problem.message


def test_an_unknown_library_gets_the_whole_list_of_packages() -> None:
    hint = install_hint(("libsomething-new.so.9",))
    assert hint == "sudo apt-get install " + " ".join(sorted(set(DEBIAN_PACKAGES.values())))


def test_offscreen_needs_no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    assert display_problem(env) is None
    env.pop("QT_QPA_PLATFORM")
    problem = display_problem(env)
    if sys.platform.startswith("linux"):
        assert problem is not None and problem.kind == "no_display"

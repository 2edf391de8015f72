"""Can a window open here? Asked before the QApplication exists, answered in one line.

Qt aborts the whole process (SIGABRT) when its platform plugin cannot start:
a missing system library (on Debian the xcb plugin needs a dozen ``libxcb-*``
packages that nothing installs) or an X server that is not there. Its own
message then even blames the wrong package. So before creating the
application the console asks a short-lived child process to do it; if the
child fails, the parent reads why (``QT_DEBUG_PLUGINS`` names the library the
plugin could not load, ``ldd`` lists every one that is missing) and says it
in one line with the command that fixes it.

No Qt is imported at module level: importing QtGui itself can fail when
libGL/libEGL are missing, and that too must become one line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEBIAN_PACKAGES: dict[str, str] = {
    # Qt GUI (every platform, offscreen included)
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
    "libdbus-1.so.3": "libdbus-1-3",
    # the xcb platform plugin (an X11 display)
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
"""Library → Debian/Ubuntu package, for every system library Qt's GUI and its xcb plugin
load directly (``objdump -p`` on PySide6's libQt6Gui, libQt6XcbQpa and libqxcb; the README
lists the same packages)."""

DISPLAY_PLATFORMS = ("xcb", "wayland", "wayland-egl", "eglfs", "linuxfb", "vnc")
"""Platforms that need a display (or a device); offscreen and minimal do not."""

PROBE = "from PySide6.QtGui import QGuiApplication; QGuiApplication(['opsconsole-probe'])"
PROBE_TIMEOUT_S = 30.0

_CANNOT_LOAD = re.compile(
    r"Cannot load library [^\n]*?\.so: (?:\()?(?P<lib>[^\s:()]+\.so[.\d]*): (?P<why>[^\n)\"]+)"
)
_NOT_FOUND = re.compile(r"^\s*(?P<lib>\S+\.so[.\d]*) => not found", re.M)
_NO_CONNECTION = re.compile(r"could not connect to display ?(?P<display>\S*)")
_IMPORT_LIB = re.compile(r"(?P<lib>[^\s:]+\.so[.\d]*): cannot open shared object file")


@dataclass(frozen=True)
class DisplayProblem:
    """Why no window can open here: ``kind`` is ``no_display`` (nothing to open it on),
    ``libraries`` (system packages missing), ``connection`` (the display refused) or
    ``other``; ``message`` is the one line to print."""

    kind: str
    message: str
    libraries: tuple[str, ...] = ()


def platform_name(env: Mapping[str, str]) -> str:
    """The Qt platform this process would use ("" on Windows/macOS defaults)."""
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return requested
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        if not env.get("DISPLAY") and env.get("WAYLAND_DISPLAY"):
            return "wayland"
        return "xcb"
    return ""


def install_hint(libraries: tuple[str, ...]) -> str:
    """The command that installs ``libraries`` (all the window's packages when unknown)."""
    packages = sorted({DEBIAN_PACKAGES[lib] for lib in libraries if lib in DEBIAN_PACKAGES})
    if not packages or len(packages) < len({lib for lib in libraries}):
        packages = sorted(set(DEBIAN_PACKAGES.values()))
    return "sudo apt-get install " + " ".join(packages)


def plugin_path(platform: str, env: Mapping[str, str]) -> Path | None:
    """The platform plugin file Qt would load (PySide6's own unless redirected)."""
    name = f"libq{platform}.so"
    custom = env.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if custom and (Path(custom) / name).is_file():
        return Path(custom) / name
    try:
        import PySide6
    except ImportError:
        return None
    p = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / name
    return p if p.is_file() else None


def missing_libraries(plugin: Path, env: Mapping[str, str]) -> tuple[str, ...]:
    """Libraries ``ldd`` cannot find for ``plugin`` (empty where ldd is unavailable)."""
    try:
        out = subprocess.run(
            ["ldd", str(plugin)],
            capture_output=True,
            text=True,
            timeout=20,
            env=dict(env),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    text = out.stdout + out.stderr
    found = [m["lib"] for m in _NOT_FOUND.finditer(text)]
    found += [m["lib"].rsplit("/", 1)[-1] for m in _CANNOT_LOAD.finditer(text)]
    broken = re.search(r"error while loading shared libraries: (?P<lib>[^:]+): ", text)
    if broken:
        found.append(broken["lib"].rsplit("/", 1)[-1])
    return tuple(dict.fromkeys(found))


def _libraries_problem(platform: str, libs: tuple[str, ...], why: str = "") -> DisplayProblem:
    shown = ", ".join(libs)
    what = (
        f"cannot load {shown} ({why})"
        if why
        else f"needs {shown}, which {'is' if len(libs) == 1 else 'are'} not installed"
    )
    return DisplayProblem(
        "libraries",
        f"cannot open the window: Qt's {platform} platform plugin {what}; install with "
        f"`{install_hint(libs)}` (README, 'System packages'), or run with --headless",
        libs,
    )


def display_problem(env: Mapping[str, str] | None = None) -> DisplayProblem | None:
    """None when a QApplication can be created here; else what stands in the way."""
    env = dict(os.environ if env is None else env)
    platform = platform_name(env)
    try:
        import PySide6.QtGui  # noqa: F401 - libGL, libEGL, fontconfig are loaded here
    except ImportError as exc:
        m = _IMPORT_LIB.search(str(exc))
        libs = (m["lib"],) if m else ()
        if libs:
            return _libraries_problem("Qt GUI", libs)
        return DisplayProblem("other", f"cannot open the window: {exc}")
    if platform not in DISPLAY_PLATFORMS:
        return None  # offscreen, minimal; Windows and macOS always have their display
    if platform == "xcb" and not env.get("DISPLAY"):
        return DisplayProblem("no_display", "no display found (set DISPLAY, or use --headless)")
    if platform.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return DisplayProblem(
            "no_display", "no display found (set WAYLAND_DISPLAY, or use --headless)"
        )
    probe_env = {**env, "QT_DEBUG_PLUGINS": "1", "QT_QPA_PLATFORM": platform}
    try:
        r = subprocess.run(
            [sys.executable, "-c", PROBE],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            env=probe_env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return DisplayProblem(
            "connection",
            f"cannot open the window: the {platform} display did not answer within "
            f"{PROBE_TIMEOUT_S:.0f} s (DISPLAY={env.get('DISPLAY', '')!s}); "
            "check the X server, or run with --headless",
        )
    if r.returncode == 0:
        return None
    return explain_failure(platform, r.stderr, env)


def explain_failure(platform: str, stderr: str, env: Mapping[str, str]) -> DisplayProblem:
    """The one line for a failed probe, from its stderr (Qt's plugin debug output)."""
    plugin = plugin_path(platform, env)
    missing = missing_libraries(plugin, env) if plugin is not None else ()
    loaded = _CANNOT_LOAD.search(stderr)
    if missing:
        why = loaded["why"].strip() if loaded and len(missing) == 1 else ""
        return _libraries_problem(platform, missing, why)
    if loaded:
        lib = loaded["lib"].rsplit("/", 1)[-1]
        return _libraries_problem(platform, (lib,), loaded["why"].strip())
    conn = _NO_CONNECTION.search(stderr)
    if conn:
        shown = conn["display"] or env.get("DISPLAY", "")
        return DisplayProblem(
            "connection",
            f"cannot open the window: no X server answers on DISPLAY={shown} "
            "(is it running? are DISPLAY and XAUTHORITY right?), or run with --headless",
        )
    lines = [
        ln
        for ln in stderr.splitlines()
        if ln.strip() and not ln.startswith(("qt.core.", "    ", "}", "{"))
    ]
    last = lines[-1] if lines else f"the {platform} platform failed to start"
    return DisplayProblem("other", f"cannot open the window: {last.strip()}")

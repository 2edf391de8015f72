"""The real window on a real X server (Xvfb, the xcb platform) at two common screen sizes.

CI exports QT_QPA_PLATFORM=offscreen for the suite, where none of this shows:
a window wider than the screen, a control off its edge, a plugin that aborts.
So each test starts its own Xvfb of the size under test and opens the window
in a child process on the xcb platform (tests/xcb_window.py); the child grabs
the screen as X has it and reports where every key control landed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from xvfb import Xvfb, child_env, xvfb_path  # noqa: E402

SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def xvfb(request: pytest.FixtureRequest) -> Iterator[Xvfb]:
    """An X server of the size under test, on a free display; stopped afterwards."""
    if xvfb_path() is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; .ci/run installs it)")
    w, h = request.param
    with Xvfb(w, h) as x:
        yield x


def test_the_window_fits_the_screen_on_xcb(xvfb: Xvfb, tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "tests.xcb_window", str(tmp_path)],
        cwd=ROOT,
        env=child_env(xvfb),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb"
    w, h = xvfb.size[:2]
    for lang in ("vi", "en"):
        got = report[lang]
        assert got["screen"] == [0, 0, w, h]
        # Maximized over the whole screen: not wider or taller, not offset.
        x, y, ww, wh = got["window"]
        assert (x, y) == (0, 0) and ww <= w and wh <= h, got["window"]
        assert ww >= w - 2 and wh >= h - 2, "the window uses the screen it is given"
        for name, c in got["controls"].items():
            cx, cy, cw, ch = c["rect"]
            assert c["shown"] and c["whole"], f"{lang} {w}x{h}: {name} is hidden or clipped: {c}"
            assert cx >= 0 and cx + cw <= w and cy >= 0 and cy + ch <= h, (
                f"{lang} {w}x{h}: {name} is off the screen: {c}"
            )
        # All default tiles show a value, wholly.
        assert len(got["tiles"]) == 8
        for key, t in got["tiles"].items():
            assert t["value"] not in ("", "—") and t["whole"], f"{lang}: tile {key}: {t}"
        # Plain axis units: no SI scaling, the unit's decimals.
        assert got["si_scale"] == [1.0, 1.0]
        assert not any("x0" in a or "×" in a for a in got["axes"]), got["axes"]
        assert got["tick_strings"] == ["0.10", "0.15", "0.20"]
        # The screen is not blank: a real window was painted there.
        assert got["colours"] > 50, got
        assert Path(got["png"]).stat().st_size > 20_000
    assert report["vi"]["menus"][0] == "&Xem" and report["en"]["menus"][0] == "&View"

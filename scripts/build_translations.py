"""Refresh the translation sources and binaries (run after changing UI strings).

    .venv/bin/python scripts/build_translations.py

1. pyside6-lupdate extracts tr() strings from the ui packages (console/*/ui),
   widgets, and the Qt-free modules that mark strings with QT_TRANSLATE_NOOP
   (console/shared/kinds.py: feed kind names) into resources/i18n/opsconsole_vi.ts
   (existing translations are kept);
2. translate the new entries (Qt Linguist: pyside6-linguist, or by editing the .ts);
3. pyside6-lrelease compiles resources/i18n/opsconsole_vi.qm, which the app loads.

Both files are committed, so installing needs no Qt tools; the test suite
fails if a UI string has no Vietnamese translation or the .qm is stale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "opsconsole_vi.ts"


def tool(name: str) -> str:
    exe = shutil.which(name) or str(Path(sys.executable).parent / name)
    return exe


MARKED = ("console/shared/kinds.py",)
"""Qt-free modules whose strings are marked with QT_TRANSLATE_NOOP (lupdate finds it by name)."""


def sources() -> list[str]:
    files = sorted(ROOT.glob("console/**/ui/*.py")) + sorted((ROOT / "widgets").glob("*.py"))
    files += [ROOT / m for m in MARKED]
    return [str(p.relative_to(ROOT)) for p in files]


def lupdate(ts: Path = TS) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path = TS) -> Path:
    qm = ts.with_suffix(".qm")
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return qm


if __name__ == "__main__":
    lupdate()
    lrelease()
    print(f"updated {TS.relative_to(ROOT)} and {TS.with_suffix('.qm').relative_to(ROOT)}")

"""Where the console keeps its files (per user, per OS, via platformdirs)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import platformdirs


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("opsconsole", appauthor=False))


def new_demo_dir() -> Path:
    """A fresh directory per demo run, so a run's numbers match its own log."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = user_data_dir() / "demo" / stamp
    path.mkdir(parents=True, exist_ok=False)
    return path

"""History from a known log: exact aggregates, raw points for short spans, CSV export, the panel."""

from __future__ import annotations

import csv
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from console.district.config import SiteConfig
from console.district.store.database import open_site_database
from console.district.store.history import CsvFeed, export_csv, load_history
from console.district.store.writer import StoreWriter

T0 = 1_795_000_000_000 - (1_795_000_000_000 % 3_600_000)  # an hour boundary
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def known_db(tmp_path: Path, small_site: SiteConfig):
    """Two hours of river-1 at 1 reading/s with value = minute index + second/100."""
    db = open_site_database(
        tmp_path, small_site.id, [(f.id, f.kind, f.unit) for f in small_site.feeds]
    )
    fid = db.feed_ids["river-1"]
    w = StoreWriter(db.engine)
    w.start()
    w.submit_readings([(fid, T0 + s * 1000, s // 60 + (s % 60) / 100, 0) for s in range(7200)])
    w.stop()
    yield db
    db.engine.dispose()


def test_long_span_is_bucketed_with_exact_min_max_mean(known_db) -> None:
    (s,) = load_history(known_db.engine, ["river-1"], T0, T0 + 7_200_000, max_points=120)
    assert s.aggregated and s.bucket_ms == 60_000
    assert len(s.ts) == 120
    assert np.allclose(s.ts, (T0 + np.arange(120) * 60_000) / 1000)
    minute = np.arange(120)
    assert np.allclose(s.min, minute)
    assert np.allclose(s.max, minute + 0.59)
    assert np.allclose(s.mean, minute + 0.295)
    assert (s.count == 60).all()


def test_short_span_returns_raw_points(known_db) -> None:
    (s,) = load_history(known_db.engine, ["river-1"], T0 + 60_000, T0 + 70_000, max_points=1000)
    assert not s.aggregated
    assert np.allclose(s.mean, 1 + np.arange(10) / 100)


def test_unknown_and_silent_feeds_are_empty(known_db) -> None:
    silent, ghost = load_history(known_db.engine, ["rain-1", "ghost"], T0, T0 + 1000)
    assert len(silent.ts) == 0 and len(ghost.ts) == 0


def test_csv_export_writes_what_is_shown(known_db, tmp_path: Path) -> None:
    series = load_history(known_db.engine, ["river-1"], T0, T0 + 7_200_000, max_points=120)
    out = tmp_path / "h.csv"
    meta = {"river-1": CsvFeed("Mực nước sông Hàn", "m", 2)}
    assert export_csv(series, out, TZ, meta) == 120
    # A byte-order mark: a spreadsheet opened by double-click reads the names as UTF-8.
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[1]["feed"] == "river-1"
    assert rows[1]["name"] == "Mực nước sông Hàn" and rows[1]["unit"] == "m"
    assert rows[1]["time_local"].endswith("+07:00")
    assert rows[1]["time_local"] == "2026-11-18T18:01:00+07:00"
    # Values at the kind's decimals (centimetres for a river), as the window shows them.
    assert rows[1]["min"] == "1.00" and rows[1]["max"] == "1.59"
    assert rows[1]["mean"].split(".")[1].__len__() == 2
    assert float(rows[1]["mean"]) == pytest.approx(1.295, abs=0.005)
    assert float(rows[1]["min"]) == 1.0 and float(rows[1]["max"]) == pytest.approx(1.59)
    assert rows[1]["count"] == "60"


def test_history_panel_loads_off_the_gui_thread_and_exports(
    qtbot, known_db, small_site: SiteConfig, tmp_path: Path
) -> None:
    from console.district.services.history import HistoryService
    from console.district.ui.history_panel import HistoryPanel
    from console.shared.clock import SystemClock

    service = HistoryService(known_db.engine, TZ)
    panel = HistoryPanel(service, small_site.feeds, TZ, "vi", SystemClock())
    qtbot.addWidget(panel)
    panel.addFeed("river-1")
    panel.setCustomRange(T0 / 1000, T0 / 1000 + 7200)
    with qtbot.waitSignal(panel.loaded, timeout=10_000) as sig:
        panel.load()
    assert sig.args == [1]
    assert panel.plotUnits() == ["m"]
    (s,) = panel.series()
    assert s.aggregated and s.min.min() == 0.0 and s.max.max() == pytest.approx(119.59)
    assert panel.exportButton.isEnabled()
    out = tmp_path / "panel.csv"
    with qtbot.waitSignal(panel.exported, timeout=10_000) as sig:
        panel.exportTo(out)
    assert sig.args == [str(out), len(s.ts)]
    assert out.read_text(encoding="utf-8").count("\n") == len(s.ts) + 1


def test_history_panel_gives_each_unit_its_own_plot(
    qtbot, known_db, small_site: SiteConfig
) -> None:
    from console.district.services.history import HistoryService
    from console.district.ui.history_panel import HistoryPanel
    from console.shared.clock import SystemClock

    service = HistoryService(known_db.engine, TZ)
    panel = HistoryPanel(service, small_site.feeds, TZ, "vi", SystemClock())
    qtbot.addWidget(panel)
    for key in ("river-1", "rain-1"):
        panel.addFeed(key)
    panel.setCustomRange(T0 / 1000, T0 / 1000 + 600)
    assert panel.timeRange() == (T0 / 1000, T0 / 1000 + 600)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.load()
    assert panel.plotUnits() == ["m", "mm/h"]

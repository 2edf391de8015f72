"""The IOC window as IOC staff see it (pytest-qt, offscreen) over a real hub database,
SQLite and PostgreSQL: worst-first tiles, a silent site, the change counter waking the
window, the drill-down's series, the city view per kind, Vietnamese first."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabWidget, QWidget

from console.hub.config import SiteNames
from console.hub.services.ioc import CityService, FeedInfo
from console.hub.store.store import HubStore
from console.hub.ui.app import make_app
from console.hub.ui.models import SiteFeedsModel
from console.hub.ui.text import install_translator
from console.hub.ui.window import IocWindow
from console.shared.clock import SimClock
from console.sim.city import CityFeeder

T0 = 1_767_225_600_000  # 2026-01-01T00:00Z
NAMES = {
    "hai-chau": SiteNames("Hải Châu", "Hai Chau"),
    "son-tra": SiteNames("Sơn Trà", "Son Tra"),
    "cam-le": SiteNames("Cẩm Lệ", "Cam Le"),
    "lien-chieu": SiteNames("Liên Chiểu", "Lien Chieu"),
}
ROOT = Path(__file__).resolve().parent.parent


_INSTALLED: list[Any] = []


@pytest.fixture(scope="module", params=["vi"])
def ui_lang(request: pytest.FixtureRequest) -> Iterator[str]:
    app = make_app()
    tr = install_translator(app, request.param)
    _INSTALLED.append(tr)
    yield request.param
    _INSTALLED.remove(tr)
    if tr is not None:
        app.removeTranslator(tr)


@pytest.fixture
def english(ui_lang: str) -> Iterator[str]:
    """The window's source language for one test (the module's translator set aside)."""
    app = make_app()
    for tr in _INSTALLED:
        app.removeTranslator(tr)
    install_translator(app, "en")
    yield "en"
    for tr in _INSTALLED:
        app.installTranslator(tr)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0 / 1000)


@pytest.fixture
def store(db_url: str, clock: SimClock) -> Iterator[HubStore]:
    s = HubStore(db_url, clock=clock)
    yield s
    s.close()


@pytest.fixture
def city(store: HubStore, clock: SimClock) -> Iterator[CityService]:
    c = CityService(store.engine, clock, names=NAMES, poll_s=0.05)
    yield c


@pytest.fixture
def window(qtbot: Any, city: CityService, ui_lang: str) -> Iterator[IocWindow]:
    win = IocWindow(city, ui_lang, title="test")
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
    assert not win.updates.running()


def start(qtbot: Any, win: IocWindow) -> None:
    with qtbot.waitSignal(win.applied, timeout=5000):
        win.start()


def test_tiles_sort_worst_first_and_a_silent_site_stands_out(
    qtbot: Any, window: IocWindow, store: HubStore, clock: SimClock
) -> None:
    feed = CityFeeder(store, list(NAMES), 10, period_ms=10_000)
    feed.status("lien-chieu", T0)
    clock.advance(45)  # lien-chieu: 45 s > 3 × 10 s without a word
    now = T0 + 45_000
    feed.status("hai-chau", now)
    feed.status("son-tra", now, sev=(0, 1, 0), unack=1)
    feed.status("cam-le", now, sev=(0, 0, 2), unack=2, stale=1)
    start(qtbot, window)
    wall = window.sites
    assert wall.order() == ["lien-chieu", "cam-le", "son-tra", "hai-chau"]
    silent = wall.tile("lien-chieu")
    assert silent is not None
    # Shape, symbol and words, not colour alone.
    assert silent.getCondition() == "silent" and silent.symbol() == "✕"
    assert silent.line("link").startswith("✕ IM LẶNG 45 giây")
    assert silent.title() == "Liên Chiểu"
    critical = wall.tile("cam-le")
    assert critical is not None and critical.getCondition() == "critical"
    assert critical.line("alarms") == "Cảnh báo  ▲▲▲ 2  ▲▲ 0  ▲ 0"
    assert critical.line("other") == "Sự cố — · Chuyển cấp 0 · Chưa gửi 0"
    strip = window.strip
    assert strip.silent.valueText() == "✕ 1" and strip.silent.getAlert()
    assert strip.unack.valueText() == "◆ 3" and strip.escalations.valueText() == "0"
    # Time passes with no new data: hai-chau goes silent too, judged on the tick.
    clock.advance(31)
    window.tick()
    assert window.strip.silent.valueText() == "✕ 4"
    # All silent: the last known state decides, then the longest silence.
    assert wall.order() == ["cam-le", "son-tra", "lien-chieu", "hai-chau"]
    tile = wall.tile("hai-chau")
    assert tile is not None and tile.getCondition() == "silent"


def test_a_new_status_wakes_the_window_within_a_second(
    qtbot: Any, window: IocWindow, store: HubStore
) -> None:
    feed = CityFeeder(store, ["cam-le"], 4)
    feed.status("cam-le", T0)
    start(qtbot, window)
    tile = window.sites.tile("cam-le")
    assert tile is not None and tile.line("unack") == "◆ 0 chưa xác nhận"
    t0 = time.monotonic()
    feed.status("cam-le", T0 + 1000, unack=7, sev=(0, 0, 1))
    qtbot.waitUntil(lambda: tile.line("unack") == "◆ 7 chưa xác nhận", timeout=3000)
    assert time.monotonic() - t0 < 1.0
    assert tile.getCondition() == "critical"
    assert window.sites.order() == ["cam-le", "hai-chau", "lien-chieu", "son-tra"]


def test_clicking_a_site_opens_its_drill_down_with_the_right_series(
    qtbot: Any, window: IocWindow, store: HubStore, clock: SimClock
) -> None:
    feed = CityFeeder(store, ["cam-le"], 6)
    river = next(f.key for f in feed.feeds["cam-le"] if f.kind == "river_level")
    rain = next(f.key for f in feed.feeds["cam-le"] if f.kind == "rainfall")
    levels = [1.0 + m / 50 for m in range(30)]
    for m, v in enumerate(levels):
        feed.minutes("cam-le", T0 + m * 60_000, {river: (v - 0.05, v + 0.1, v), rain: (0, 9, 4.5)})
    for m in range(0, 30, 10):
        feed.status("cam-le", T0 + m * 60_000, sev=(0, 0, m // 10), unack=m // 10)
    clock.advance(31 * 60)
    start(qtbot, window)
    tile = window.sites.tile("cam-le")
    assert tile is not None
    with qtbot.waitSignal(window.detail.loaded, timeout=5000):
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    detail = window.detail
    assert window.tabs.currentWidget() is detail and detail.site_id == "cam-le"
    data = detail.data()
    assert data is not None and data.chosen == [river, rain]  # river level, then rainfall
    assert detail.plotUnits() == ["m", "mm/h"]
    lo, mean, hi = detail.curve(river)
    x, y = mean.getData()
    assert np.allclose(y, levels) and np.allclose(
        x, [(T0 + m * 60_000 + 30_000) / 1000 for m in range(30)]
    )
    assert np.allclose(lo.getData()[1], np.array(levels) - 0.05)
    assert np.allclose(hi.getData()[1], np.array(levels) + 0.1)
    sev3 = detail.historyCurve("alarms_sev3").getData()[1]
    assert list(sev3) == [0, 1, 2]
    plot = detail.plots.ci.getItem(0, 0)
    assert plot.getAxis("left").autoSIPrefix is False
    assert plot.getAxis("left").labelText == "m"
    # Choosing other feeds redraws them, one plot per unit.
    pm = next(f.key for f in feed.feeds["cam-le"] if f.kind == "pm25")
    with qtbot.waitSignal(detail.loaded, timeout=5000):
        detail.setChosen([pm, river])
    assert detail.plotUnits() == ["µg/m³", "m"]
    detail.backButton.click()
    assert window.tabs.currentWidget() is window.sites


def test_city_by_kind_ranks_sites_by_their_highest_value(
    qtbot: Any, window: IocWindow, store: HubStore, clock: SimClock
) -> None:
    feed = CityFeeder(store, ["hai-chau", "cam-le", "son-tra"], 6)
    for site, peak in (("hai-chau", 1.4), ("cam-le", 3.2), ("son-tra", 0.9)):
        river = next(f.key for f in feed.feeds[site] if f.kind == "river_level")
        feed.minutes(site, T0, {river: (peak - 0.5, peak, peak - 0.2)})
        feed.status(site, T0)
    clock.advance(120)
    start(qtbot, window)
    with qtbot.waitSignal(window.kinds.loaded, timeout=5000):
        window.tabs.setCurrentWidget(window.kinds)
    view = window.kinds.view()
    assert view is not None and view.kind == "river_level"
    assert [s for s, _ in view.peaks()] == ["cam-le", "hai-chau", "son-tra"]
    assert window.kinds.kind.currentText() == "Mực nước sông (m)"
    with qtbot.waitSignal(window.kinds.loaded, timeout=5000):
        window.kinds.setKind("rainfall")
    view = window.kinds.view()
    assert view is not None and view.kind == "rainfall"


def test_the_window_says_when_the_database_cannot_be_read(
    qtbot: Any, window: IocWindow, city: CityService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(counter: int | None = None) -> Any:
        raise RuntimeError("connection refused")

    monkeypatch.setattr(city, "snapshot", broken)
    with qtbot.waitSignal(window.updates.failed, timeout=5000):
        window.start()
    assert window.strip.updated.getAlert()
    assert window.strip.updated.caption() == "KHÔNG CẬP NHẬT"
    assert "connection refused" in window.statusBar().currentMessage()


def test_the_vietnamese_window_has_no_english_and_no_clipped_text(
    qtbot: Any, window: IocWindow, store: HubStore, clock: SimClock
) -> None:
    feed = CityFeeder(store, list(NAMES), 6, period_ms=10_000)
    for site in NAMES:
        feed.minutes(site, T0, None)
        feed.status(site, T0, sev=(11, 12, 13), unack=114, stale=15, bad=16, backlog=123_456)
    clock.advance(70)
    feed.status("hai-chau", T0 + 70_000)
    clock.advance(2 * 86_400 + 3 * 3600 + 35 * 60)  # long silences: the longest wording
    start(qtbot, window)
    pages = []
    for page in range(3):
        window.tabs.setCurrentIndex(page)
        if page == 1:
            with qtbot.waitSignal(window.detail.loaded, timeout=5000):
                window.openSite("cam-le")
        if page == 2:
            qtbot.waitSignal(window.kinds.loaded, timeout=5000).wait()
        qtbot.wait(100)  # let the layouts settle, as the next event pass does on screen
        pages.append(" ".join(_texts(window)))
        clipped = _clipped(window)
        assert not clipped, f"page {page}: clipped: {clipped}"
    english = _english_words()
    shown = " ".join(pages)
    found = sorted(w for w in set(re.findall(r"[A-Za-z]{4,}", shown)) if w.lower() in english)
    assert not found, f"English in the Vietnamese window: {found}"
    assert "IM LẶNG 2 ngày 3 giờ" in shown


def test_the_english_window_has_no_clipped_text(
    qtbot: Any, english: str, city: CityService, store: HubStore, clock: SimClock
) -> None:
    feed = CityFeeder(store, list(NAMES), 6, period_ms=10_000)
    for site in NAMES:
        feed.minutes(site, T0, None)
        feed.status(site, T0, sev=(11, 12, 13), unack=114, stale=15, bad=16, backlog=123_456)
    clock.advance(2 * 86_400 + 3 * 3600 + 35 * 60)
    win = IocWindow(city, english)
    win.resize(1366, 768)
    win.show()
    try:
        start(qtbot, win)
        with qtbot.waitSignal(win.detail.loaded, timeout=5000):
            win.openSite("cam-le")
        qtbot.wait(100)
        assert win.tabs.tabText(0) == "Sites" and "SILENT for 2 d 3 h" in " ".join(_texts(win))
        win.tabs.setCurrentIndex(0)
        qtbot.wait(100)
        assert not _clipped(win)
        win.tabs.setCurrentIndex(1)
        qtbot.wait(100)
        assert not _clipped(win)
    finally:
        win.close()


def test_site_feeds_model(qtmodeltester: Any, ui_lang: str) -> None:
    model = SiteFeedsModel()
    rows = [
        FeedInfo("s", f"s-river-{i}", "river_level", "m", T0, 1.0 + i, 0.5, 2.0, 1.1, 6)
        for i in range(5)
    ]
    model.setFeeds(rows, T0)
    qtmodeltester.check(model)
    assert model.data(model.index(2, 2)) == "3.00"
    assert model.data(model.index(0, 1)) == "Mực nước sông"
    model.setFeeds(rows[:2], T0)
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def _texts(w: QWidget) -> list[str]:
    out = [w.windowTitle()] if w.isWindow() else []
    for child in w.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QAbstractButton):
            out.append(child.text())
        if isinstance(child, QComboBox):
            out += [child.itemText(i) for i in range(child.count())]
        if isinstance(child, QTabWidget):
            out += [child.tabText(i) for i in range(child.count())]
    for view in w.findChildren(QWidget):
        model = getattr(view, "model", None)
        if callable(model) and view.isVisible() and hasattr(model(), "headerData"):
            m = model()
            out += [str(m.headerData(c, Qt.Orientation.Horizontal)) for c in range(m.columnCount())]
    return out


def _clipped(w: QWidget) -> list[str]:
    """Visible labels and combo boxes whose text does not fit them."""
    out = []
    for label in w.findChildren(QLabel):
        text = label.text()
        if not label.isVisible() or not text or label.textFormat() == Qt.TextFormat.RichText:
            continue
        r = label.contentsRect()
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height() + 1:
                out.append(text)
        elif "\n" not in text and label.fontMetrics().horizontalAdvance(text) > r.width() + 1:
            out.append(text)
    for combo in w.findChildren(QComboBox):
        if combo.isVisible():
            need = combo.fontMetrics().horizontalAdvance(combo.currentText()) + 30
            if need > combo.width():
                out.append(combo.currentText())
    return out


def _english_words() -> set[str]:
    """Words of the IOC window's English source strings that Vietnamese never uses."""
    root = ET.parse(ROOT / "resources" / "i18n" / "opsconsole_vi.ts").getroot()
    words: set[str] = set()
    vi: set[str] = set()
    for ctx in root.iter("context"):
        if ctx.findtext("name") not in {
            "Ioc", "IocWindow", "CityStripBar", "SiteWall", "SiteDetail", "SiteAlarmsPanel", "Alarm",
            "KindsPanel", "Unit", "FeedKind",
        }:  # fmt: skip
            continue
        for m in ctx.iter("message"):
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("source") or "")}
            vi |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("translation") or "")}
    assert QCoreApplication.translate("Ioc", "Feed") == "Nguồn dữ liệu"
    return words - vi - {"opsconsole"}

"""A site's alarm events in the IOC drill-down, as IOC staff see them (pytest-qt, offscreen)
over a real hub database (SQLite and PostgreSQL): the transitions a console sent on its
``alarm`` stream, committed through the hub store's commit path, listed newest first
with who acted, in Vietnamese and in English, refreshed when the hub's data moves, and
fitting 1366×768 and 1920×1080 with the trends still readable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from console.hub.config import SiteNames
from console.hub.services.ioc import CityService
from console.hub.store.store import HubStore
from console.hub.ui.app import make_app
from console.hub.ui.site_alarms import COLUMNS, SiteAlarmsModel
from console.hub.ui.text import install_translator
from console.hub.ui.window import IocWindow
from console.shared.clock import SimClock
from console.shared.records import AlarmTransition
from console.sim.city import CityFeeder

T0 = 1_767_225_600_000  # 2026-01-01T00:00Z = 07:00 in Đà Nẵng
MIN = 60_000
NAMES = {"cam-le": SiteNames("Cẩm Lệ", "Cam Le"), "hai-chau": SiteNames("Hải Châu", "Hai Chau")}
ROOT = Path(__file__).resolve().parent.parent


def language(name: str) -> Iterator[str]:
    """The IOC window's translation for one test (and the default locale put back after)."""
    app = make_app()
    before = QLocale()
    tr = install_translator(app, name)
    yield name
    if tr is not None:
        app.removeTranslator(tr)
    QLocale.setDefault(before)


@pytest.fixture(params=["vi", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from language(request.param)


@pytest.fixture
def vi() -> Iterator[str]:
    yield from language("vi")


@pytest.fixture
def en() -> Iterator[str]:
    yield from language("en")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite; PostgreSQL where a test asks for it (``indirect`` parametrization)."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0 / 1000 + 40 * 60)  # 07:40 in the city


@pytest.fixture
def store(db_url: str, clock: SimClock) -> Iterator[HubStore]:
    s = HubStore(db_url, clock=clock)
    yield s
    s.close()


@pytest.fixture
def city(store: HubStore, clock: SimClock) -> CityService:
    return CityService(store.engine, clock, names=NAMES, poll_s=0.05)


def tr(site: str, ts: int, feed: str, rule: str, event: str, state: str, sev: int, **kw: Any):
    return AlarmTransition(
        site=site,
        alarm=f"{feed}:{rule}",
        feed=feed,
        rule=rule,
        event=event,
        state=state,
        severity=sev,
        ts=ts,
        **kw,
    )


def the_flood(feed: CityFeeder) -> str:
    """Cẩm Lệ's river rises: trends, statuses and the alarm journal a console would send
    (yesterday's disk alarm, this morning's high level raised, escalated, acknowledged by
    the district supervisor with a note, then shelved by the engine's expiry); one
    transition of another site that must not show. Returns the river feed's key."""
    river = next(f.key for f in feed.feeds["cam-le"] if f.kind == "river_level")
    rain = next(f.key for f in feed.feeds["cam-le"] if f.kind == "rainfall")
    for m in range(40):
        v = 1.0 + m / 20
        feed.minutes("cam-le", T0 + m * MIN, {river: (v - 0.05, v + 0.1, v), rain: (0, 9, 4.5)})
    feed.status("cam-le", T0 + 39 * MIN, sev=(0, 0, 1), unack=0)
    feed.minutes("hai-chau", T0, None)
    feed.status("hai-chau", T0)
    feed.alarms(
        "cam-le",
        [
            tr("cam-le", T0 - 86_400_000 + 5 * MIN, "system", "disk", "activate",
               "active_unack", 2, value=812.0, user="system"),
            tr("cam-le", T0 + 10 * MIN, river, "high", "activate", "active_unack", 2,
               value=1.52, user="system"),
            tr("cam-le", T0 + 20 * MIN, river, "high", "severity", "active_unack", 3,
               value=2.03, user="system"),
            tr("cam-le", T0 + 25 * MIN + 7_000, river, "high", "ack", "active_ack", 3,
               prior="active_unack", user="ha", ws="cl-ws1", note="Đã báo đội PCCC Hòa Xuân"),
        ],
    )  # fmt: skip
    feed.alarms(
        "hai-chau",
        [tr("hai-chau", T0 + 30 * MIN, "hc-pm25-01", "high", "activate", "active_unack", 1)],
    )
    return river


@pytest.fixture
def windows(qtbot: Any, city: CityService) -> Iterator[Any]:
    """Open IOC windows over ``city`` (a size, a language); all closed after the test."""
    opened: list[IocWindow] = []

    def make(lang: str, size: tuple[int, int] = (1366, 768)) -> IocWindow:
        win = IocWindow(city, lang, title="test")
        win.resize(*size)
        win.show()
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.close()
        assert not win.updates.running()


def open_site(qtbot: Any, win: IocWindow, site: str = "cam-le") -> None:
    with qtbot.waitSignal(win.applied, timeout=5000):
        win.start()
    with qtbot.waitSignal(win.detail.loaded, timeout=5000):
        win.openSite(site)
    qtbot.wait(50)  # let the layouts settle, as the next event pass does on screen


def rows(model: SiteAlarmsModel) -> list[list[str]]:
    return [[model.text(r, c) for c in COLUMNS] for r in range(model.rowCount())]


def headers(model: SiteAlarmsModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(len(COLUMNS))]


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_the_drill_down_lists_the_sites_alarm_events_newest_first(
    qtbot: Any, vi: str, store: HubStore, windows: Any
) -> None:
    river = the_flood(CityFeeder(store, list(NAMES), 6))
    win = windows(vi)
    open_site(qtbot, win)
    panel = win.detail.alarms
    assert panel.isVisible()
    assert panel.caption.text() == "Sự kiện cảnh báo, mới nhất trước: 4"
    assert headers(panel.model) == [
        "Thời gian", "Nguồn dữ liệu", "Cảnh báo", "Sự kiện", "Mức độ", "Người thao tác",
        "Ghi chú",
    ]  # fmt: skip
    # Newest first; yesterday's with its date; the engine's as the system; Hải Châu's not.
    assert rows(panel.model) == [
        ["07:25:07", river, "mức cao", "xác nhận", "▲▲▲ cao", "ha@cl-ws1",
         "Đã báo đội PCCC Hòa Xuân"],
        ["07:20:00", river, "mức cao", "đổi mức độ", "▲▲▲ cao", "Hệ thống", ""],
        ["07:10:00", river, "mức cao", "bắt đầu", "▲▲ trung bình", "Hệ thống", ""],
        ["31/12 07:05:00", "Hệ thống", "dung lượng đĩa nhật ký", "bắt đầu",
         "▲▲ trung bình", "Hệ thống", ""],
    ]  # fmt: skip
    tip = panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == (
        f"{river}:high\nTrạng thái: đang xảy ra, chưa xác nhận → đang xảy ra, đã xác nhận"
        "\nĐã báo đội PCCC Hòa Xuân"
    )
    tip = panel.model.data(panel.model.index(1, 3), Qt.ItemDataRole.ToolTipRole)
    assert tip == f"{river}:high\nTrạng thái: đang xảy ra, chưa xác nhận\nGiá trị: 2.03 m"
    # The trends are still there, above: the river's 40 minutes.
    data = win.detail.data()
    assert data is not None and data.chosen[0] == river and data.alarms.more is False
    assert win.detail.curve(river)[1].getData()[1].size == 40


def test_the_english_drill_down_reads_the_same_events(
    qtbot: Any, en: str, store: HubStore, windows: Any
) -> None:
    river = the_flood(CityFeeder(store, list(NAMES), 6))
    win = windows(en)
    open_site(qtbot, win)
    panel = win.detail.alarms
    assert panel.caption.text() == "Alarm events, newest first: 4"
    assert headers(panel.model) == ["Time", "Feed", "Alarm", "Event", "Severity", "By", "Note"]
    assert rows(panel.model) == [
        ["07:25:07", river, "high level", "acknowledged", "▲▲▲ high", "ha@cl-ws1",
         "Đã báo đội PCCC Hòa Xuân"],
        ["07:20:00", river, "high level", "severity changed", "▲▲▲ high", "System", ""],
        ["07:10:00", river, "high level", "activated", "▲▲ medium", "System", ""],
        ["31/12 07:05:00", "System", "log disk space", "activated", "▲▲ medium", "System", ""],
    ]  # fmt: skip


def test_a_new_transition_shows_on_top_when_the_hub_data_moves(
    qtbot: Any, vi: str, store: HubStore, clock: SimClock, windows: Any
) -> None:
    feed = CityFeeder(store, list(NAMES), 6)
    river = the_flood(feed)
    win = windows(vi)
    open_site(qtbot, win)
    panel = win.detail.alarms
    panel.table.selectRow(2)  # the operator is reading this one
    chosen = panel.model.alarmEvent(2)
    clock.advance(15)  # past the drill-down's reload interval
    with qtbot.waitSignal(win.applied, timeout=5000):  # the change counter moved
        feed.alarms(
            "cam-le",
            [tr("cam-le", T0 + 40 * MIN + 12_000, river, "high", "shelve", "shelved", 3,
                prior="active_ack", user="lan", ws="cl-ws2", note="Chờ đội bơm")],
        )  # fmt: skip
    with (
        qtbot.waitSignal(panel.model.rowsInserted, timeout=5000),
        qtbot.waitSignal(win.detail.loaded, timeout=5000),
    ):
        win.tick()
    assert panel.caption.text() == "Sự kiện cảnh báo, mới nhất trước: 5"
    assert rows(panel.model)[0] == [
        "07:40:12", river, "mức cao", "tạm gác", "▲▲▲ cao", "lan@cl-ws2", "Chờ đội bơm",
    ]  # fmt: skip
    # Inserted on top, not reset: the row being read is still the one selected.
    selected = panel.table.selectionModel().selectedRows()
    assert [i.row() for i in selected] == [3] and panel.model.alarmEvent(3) == chosen
    # Another site: its own events, nothing of the first.
    with qtbot.waitSignal(win.detail.loaded, timeout=5000):
        win.openSite("hai-chau")
    assert [r[1] for r in rows(panel.model)] == ["hc-pm25-01"]
    assert panel.caption.text() == "Sự kiện cảnh báo, mới nhất trước: 1"
    with qtbot.waitSignal(win.detail.loaded, timeout=5000):
        win.openSite("never-heard")
    assert panel.model.rowCount() == 0
    assert panel.caption.text() == "Sự kiện cảnh báo: trạm chưa gửi sự kiện nào"


def test_the_newest_200_of_a_long_journal(
    qtbot: Any, vi: str, store: HubStore, city: CityService, windows: Any
) -> None:
    feed = CityFeeder(store, list(NAMES), 6)
    river = the_flood(feed)
    flood = [
        tr("cam-le", T0 + 30 * MIN + i * 1000, river, "roc", "activate" if i % 2 else "clear",
           "active_unack" if i % 2 else "cleared_unack", 2 if i % 2 else 0, user="system")
        for i in range(250)
    ]  # fmt: skip
    feed.alarms("cam-le", flood)
    got = city.alarm_events("cam-le", limit=3)
    assert [e.ts_ms for e in got.events] == [flood[-1].ts, flood[-2].ts, flood[-3].ts]
    assert got.more is True
    assert city.alarm_events("hai-chau", limit=3).more is False
    win = windows(vi)
    open_site(qtbot, win)
    panel = win.detail.alarms
    assert panel.model.rowCount() == 200
    assert panel.caption.text() == "Sự kiện cảnh báo, mới nhất trước: 200 sự kiện gần nhất"
    assert panel.model.text(0, "event") == "bắt đầu" and panel.model.text(1, "event") == "kết thúc"
    assert panel.model.text(1, "severity") == ""  # cleared: no severity, no symbol


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_drill_down_with_alarm_events_fits_and_keeps_the_trends_readable(
    qtbot: Any, lang: str, store: HubStore, windows: Any, size: tuple[int, int]
) -> None:
    the_flood(CityFeeder(store, list(NAMES), 6))
    win = windows(lang, size)
    open_site(qtbot, win)
    detail, panel = win.detail, win.detail.alarms
    clipped = [
        lb.text()
        for lb in detail.findChildren(QLabel)
        if lb.isVisible()
        and lb.text()
        and not lb.wordWrap()
        and lb.fontMetrics().horizontalAdvance(lb.text()) > lb.contentsRect().width() + 1
    ]
    assert not clipped, clipped
    # Every word and feed id whole (a long note elides at its end: the tooltip has it).
    fm = QFontMetrics(panel.table.font())
    bold = panel.table.font()
    bold.setBold(True)
    fmb = QFontMetrics(bold)
    for c, name in enumerate(COLUMNS):
        width = panel.table.columnWidth(c)
        assert fmb.horizontalAdvance(headers(panel.model)[c]) + 12 <= width, name
        if name == "note":
            continue
        for r in range(panel.model.rowCount()):
            text = panel.model.text(r, name)
            assert fm.horizontalAdvance(text) + 8 <= width, (name, text, width)
    table = panel.table
    assert table.horizontalScrollBar().maximum() == 0  # all seven columns on screen
    # The rows: at least four whole ones on screen; the trends keep most of the height.
    assert table.viewport().height() >= 4 * table.verticalHeader().defaultSectionSize()
    assert detail.plots.height() >= 1.5 * panel.height(), (detail.plots.height(), panel.height())
    assert detail.plots.height() >= (300 if size[1] == 768 else 500)
    # A third of the height below the trends, until the operator drags the handle.
    split = detail.vsplit
    top, low = split.sizes()
    assert abs(low - 0.3 * (top + low)) <= 2, (top, low)
    split.moveSplitter(top - 100, 1)  # as a drag does: the events get 100 px more
    win.resize(size[0], size[1] - 40)
    qtbot.wait(50)
    assert split.byHand and abs(split.sizes()[1] - (low + 100)) <= 2, split.sizes()
    if lang == "vi":
        shown = " ".join(
            [lb.text() for lb in detail.findChildren(QLabel) if lb.isVisible()]
            + headers(panel.model)
            + [t for row in rows(panel.model) for t in row]
        )
        english = _english_words()
        found = sorted(w for w in set(re.findall(r"[A-Za-z]{4,}", shown)) if w.lower() in english)
        assert not found, f"English in the Vietnamese drill-down: {found}"


def test_site_alarms_model(qtmodeltester: Any, vi: str) -> None:
    from console.hub.services.ioc import AlarmEventInfo, SiteAlarmEvents

    def ev(i: int) -> AlarmEventInfo:
        return AlarmEventInfo(
            T0 + i * 1000, "f:high", "f", "high", "activate", "active_unack", "", 1, 1.0,
            "system", "", "", "c",
        )  # fmt: skip

    model = SiteAlarmsModel()
    model.setEvents(SiteAlarmEvents("s", tuple(ev(i) for i in (3, 2, 1)), False), {}, T0)
    qtmodeltester.check(model)
    model.setEvents(SiteAlarmEvents("s", tuple(ev(i) for i in (5, 4, 3)), False), {}, T0)
    assert [e.ts_ms for e in model.events()] == [T0 + 5000, T0 + 4000, T0 + 3000]
    qtmodeltester.check(model)
    model.setEvents(None, {}, T0)
    assert model.rowCount() == 0


def _english_words() -> set[str]:
    """Words of the drill-down's English source strings that its Vietnamese never uses."""
    root = ET.parse(ROOT / "resources" / "i18n" / "opsconsole_vi.ts").getroot()
    words: set[str] = set()
    vi: set[str] = set()
    for ctx in root.iter("context"):
        if ctx.findtext("name") not in {"Ioc", "SiteDetail", "SiteAlarmsPanel", "Alarm", "Unit"}:
            continue
        for m in ctx.iter("message"):
            words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("source") or "")}
            vi |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("translation") or "")}
    assert QCoreApplication.translate("Alarm", "System") == "Hệ thống"
    return words - vi

"""The escalation inbox of the IOC window (pytest-qt, offscreen) over a real hub database:
an escalation committed through the hub's store path arrives with a sound and a flash that
stops when someone — at another workstation — takes it; its CAP reads Vietnamese first;
a viewer is refused in words; a supervisor assigns, acknowledges with a note that goes
down to the district, and replies with a directive; the tiles and the strip count it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from console.bench.cap import escalation_alert
from console.hub.config import HubConfig, SiteNames, load_hub_config
from console.hub.services.access import cli_session
from console.hub.services.workstation import IocWorkstation
from console.hub.store.schema import down_records
from console.hub.store.store import HubStore
from console.hub.ui.app import make_app
from console.hub.ui.inbox import EscalationInbox
from console.hub.ui.text import install_translator
from console.hub.ui.window import IocWindow
from console.shared import cap, records
from console.shared.clock import SimClock
from console.shared.passwords import FAST_FOR_TESTS, Passwords
from console.shared.records import EscalationAck
from console.shared.vocab import Role, Stream
from console.sim.city import CityFeeder
from tests.linkkit import LinkKit, make_kit

T0 = 1_795_800_000.0  # 2026-11-27T14:40Z, after the alert's sent time
NEW_PW = "mat-khau-moi-2026"
AGENCIES = {
    "pccc": SiteNames("Cảnh sát PCCC&CNCH", "Fire and rescue police"),
    "quan-su": SiteNames("Bộ Chỉ huy Quân sự thành phố", "City military command"),
}
WORDS = {
    "vi": {
        "open": "● mới",
        "taken": "◐ đang xử lý",
        "acknowledged": "✓ đã xác nhận",
        "took": "đã nhận xử lý",
    },
    "en": {
        "open": "● new",
        "taken": "◐ being handled",
        "acknowledged": "✓ acknowledged",
        "took": "took it",
    },
}


@pytest.fixture(params=["vi", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    app = make_app()
    tr = install_translator(app, request.param)
    yield request.param
    if tr is not None:
        app.removeTranslator(tr)


@pytest.fixture
def db(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def cfg(tmp_path: Path, db: str, request: pytest.FixtureRequest) -> HubConfig:
    kit: LinkKit = make_kit(tmp_path / "hub", agencies=AGENCIES)
    for site in ("hai-chau", "cam-le", "son-tra"):
        kit.console_keys(site)
    c = load_hub_config(kit.hub_config)
    if db == "postgresql":
        c = dataclasses.replace(c, database=str(request.getfixturevalue("pg_url")))
    HubStore(c.database).close()
    return c


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0)


def open_desk(cfg: HubConfig, clock: SimClock, name: str) -> IocWorkstation:
    return IocWorkstation.open(
        cfg, clock=clock, passwords=Passwords(FAST_FOR_TESTS), workstation=name, poll_s=0.05
    )


@pytest.fixture
def desk(cfg: HubConfig, clock: SimClock) -> Iterator[IocWorkstation]:
    d = open_desk(cfg, clock, "ioc-1")
    yield d
    d.close()


@pytest.fixture
def people(desk: IocWorkstation) -> dict[str, str]:
    return {
        uid: desk.access.add_user(cli_session(Role.ADMIN), uid, f"Trần Thị {uid}", roles)
        for uid, roles in (
            ("hoa", "ioc_operator"),
            ("sup", "ioc_supervisor"),
            ("xem", "ioc_viewer"),
        )
    }


@pytest.fixture
def hub(cfg: HubConfig, clock: SimClock) -> Iterator[CityFeeder]:
    """The hub's side: records committed through HubStore.commit, as its ROUTER loop does."""
    store = HubStore(cfg.database, clock=clock)
    feed = CityFeeder(store, ["hai-chau", "cam-le", "son-tra"], 4)
    for site in feed.sites:
        feed.status(site, int(T0 * 1000))
    yield feed
    store.close()


@pytest.fixture
def win(
    qtbot: Any, desk: IocWorkstation, people: dict[str, str], hub: CityFeeder, lang: str
) -> Iterator[IocWindow]:
    w = IocWindow(desk.city, lang, title="test", desk=desk)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    yield w
    w.stop()


def log_in(qtbot: Any, win: IocWindow, uid: str, pw: str) -> None:
    bar = win.duty
    assert bar is not None
    qtbot.waitUntil(lambda: bar.userId.isVisible() and not bar.busy(), timeout=3000)
    bar.userId.setText(uid)
    bar.password.setText(pw)
    bar.loginButton.click()
    qtbot.waitUntil(lambda: bar.newPassword.isVisible() and not bar.busy(), timeout=5000)
    bar.newPassword.setText(NEW_PW)
    bar.repeatPassword.setText(NEW_PW)
    bar.loginButton.click()
    qtbot.waitUntil(lambda: win.desk is not None and win.desk.access.duty().session is not None
                    and win.desk.access.duty().session.user_id == uid, timeout=5000)  # fmt: skip
    bar.refresh()


def escalate(hub: CityFeeder, seq: int = 1, site: str = "cam-le") -> cap.CapAlert:
    alert = escalation_alert(seq, site)
    hub.escalation(site, cap.build_xml(alert), f"CL-2026-00{seq}", int(T0 * 1000))
    return alert


def cells(inbox: EscalationInbox, row: int) -> list[str]:
    t = inbox.table
    return [t.item(row, c).text() if t.item(row, c) else "" for c in range(t.columnCount())]  # type: ignore[union-attr]


def choose(qtbot: Any, inbox: EscalationInbox, row: int) -> None:
    inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: "Ngập lụt" in inbox.detailText() and not inbox.busy(), timeout=5000)


@pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)
def test_a_new_escalation_sounds_and_flashes_until_another_workstation_takes_it(
    qtbot: Any,
    win: IocWindow,
    desk: IocWorkstation,
    people: dict[str, str],
    hub: CityFeeder,
    cfg: HubConfig,
    clock: SimClock,
    lang: str,
) -> None:
    inbox = win.inbox
    assert inbox is not None
    log_in(qtbot, win, "hoa", people["hoa"])
    qtbot.waitUntil(lambda: inbox.view is not None, timeout=5000)
    assert inbox.table.rowCount() == 0 and not inbox.flashing()
    assert not inbox.banner.isVisible()
    alert = escalate(hub)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5000)
    row = cells(inbox, 0)
    assert row[0] == WORDS[lang]["open"]
    assert row[1] == "cam-le" and row[2] == "Ngập lụt"
    assert row[3] == ("nghiêm trọng" if lang == "vi" else "severe")
    assert row[4] == "Mực nước sông Hàn vượt báo động 3 tại cầu Trần Thị Lý"
    assert row[6] == "" and row[7] == ""
    assert inbox.annunciator.sounds_played == 1
    assert inbox.flashing()
    win.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(inbox.banner.isVisible, timeout=2000)
    # No audio here (offscreen, or no libpulse): said under the list, never a crash.
    if not inbox.annunciator.available:
        assert inbox.sound.isVisible() and inbox.sound.text().startswith("✕♪ ")
        assert inbox.annunciator.reason in inbox.sound.text()
    assert (
        inbox.banner.text()
        == (
            "▲ Chuyển cấp mới chưa ai nhận xử lý: 1 — mới nhất: cam-le, "
            if lang == "vi"
            else "▲ New escalations nobody has taken: 1 — newest: cam-le, "
        )
        + "Mực nước sông Hàn vượt báo động 3 tại cầu Trần Thị Lý"
    )
    # The strip and the tile count it, whatever page is open.
    assert win.strip.escalations.valueText() == ("1 (1 mới)" if lang == "vi" else "1 (1 new)")
    tile = win.sites.tile("cam-le")
    assert tile is not None
    assert ("Chuyển cấp 1 (1 mới)" if lang == "vi" else "Escalations 1 (1 new)") in tile.line(
        "other"
    )
    # The CAP, Vietnamese first, then English; feed values, area, instruction, times.
    choose(qtbot, inbox, 0)
    text = inbox.detailText()
    vi, en = text.index("Mực nước sông Hàn vượt"), text.index("Han river above alert level 3")
    assert vi < en
    for part in (
        "Đề nghị IOC điều phối mở điểm sơ tán Hòa Xuân",
        "hc-river-01/river_level = 2.85 m",
        "Phường Hòa Cường Bắc",
        "hai-chau-inc-0042",
        alert.identifier,
        "14:05 27/11/2026",
        "20:05 27/11/2026",
        ("DIỄN TẬP" if lang == "vi" else "EXERCISE"),
        ("Chưa ai ở IOC xử lý" if lang == "vi" else "Nobody at the IOC has acted on it yet."),
    ):
        assert part in text, part
    # Another IOC workstation takes it: this one sees who, and the flash stops.
    other = open_desk(cfg, clock, "ioc-2")
    try:
        sup = other.access.log_in("sup", people["sup"], new_password=NEW_PW)
        other.take_escalation(sup, alert.sender, alert.identifier)
    finally:
        other.close()
    qtbot.waitUntil(lambda: cells(inbox, 0)[0] == WORDS[lang]["taken"], timeout=5000)
    assert cells(inbox, 0)[6] == "Trần Thị sup"
    assert not inbox.flashing() and not inbox.banner.isVisible()
    qtbot.waitUntil(lambda: WORDS[lang]["took"] in inbox.detailText(), timeout=5000)
    assert "Trần Thị sup (sup, ioc-2)" in inbox.detailText()
    # A second message sounds again; a message already there when the window opened does not.
    escalate(hub, 2)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 2, timeout=5000)
    assert inbox.annunciator.sounds_played == 2 and inbox.flashing()


def test_a_viewer_is_refused_in_words_and_nothing_is_written(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], hub: CityFeeder,
    lang: str,
) -> None:  # fmt: skip
    inbox = win.inbox
    assert inbox is not None
    escalate(hub)
    log_in(qtbot, win, "xem", people["xem"])
    win.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5000)
    choose(qtbot, inbox, 0)
    assert inbox.takeButton.isEnabled()
    inbox.takeButton.click()
    refused = {
        "vi": "Bị từ chối: vai trò của bạn (người xem IOC) không được nhận và xác nhận chuyển cấp.",
        "en": "Refused: your role (IOC viewer) may not take and acknowledge escalations.",
    }
    qtbot.waitUntil(lambda: inbox.message.text() == refused[lang], timeout=5000)
    assert inbox.message.property("bad") is True
    assert desk.escalations.items()[0]["state"] == "open"
    assert desk.escalations.events(desk.escalations.items()[0]["identifier"]) == []
    assert cells(inbox, 0)[0] == WORDS[lang]["open"]


def test_a_supervisor_assigns_acknowledges_with_a_note_and_replies_with_a_directive(
    qtbot: Any, win: IocWindow, desk: IocWorkstation, people: dict[str, str], hub: CityFeeder,
    lang: str,
) -> None:  # fmt: skip
    inbox = win.inbox
    assert inbox is not None and win.directives is not None
    alert = escalate(hub)
    log_in(qtbot, win, "sup", people["sup"])
    win.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5000)
    choose(qtbot, inbox, 0)
    names = [inbox.agency.itemText(i) for i in range(inbox.agency.count())]
    assert names == (
        ["Cảnh sát PCCC&CNCH", "Bộ Chỉ huy Quân sự thành phố"]
        if lang == "vi"
        else ["Fire and rescue police", "City military command"]
    )
    inbox.agency.setCurrentIndex(inbox.agency.findData("quan-su"))
    inbox.assignButton.click()
    qtbot.waitUntil(lambda: cells(inbox, 0)[7] == names[1], timeout=5000)
    assert cells(inbox, 0)[0] == WORDS[lang]["taken"]
    qtbot.waitUntil(lambda: not inbox.busy() and inbox.ackButton.isEnabled(), timeout=5000)
    inbox.note.setText("Đã điều 2 xuồng  từ Hòa Vang")
    inbox.ackButton.click()
    qtbot.waitUntil(lambda: cells(inbox, 0)[0] == WORDS[lang]["acknowledged"], timeout=5000)
    assert cells(inbox, 0)[6] == "Trần Thị sup"
    assert inbox.note.text() == ""
    qtbot.waitUntil(lambda: not inbox.ackButton.isEnabled(), timeout=5000)
    # The acknowledgement, with the note, is queued down to the district.
    with desk.city.engine.connect() as conn:
        (payload,) = conn.execute(
            select(down_records.c.payload).where(
                down_records.c.site_id == "cam-le",
                down_records.c.stream == Stream.ESCALATION_ACK.value,
            )
        ).one()
    ack = records.decode_as(EscalationAck, bytes(payload))
    assert (ack.ref, ack.by, ack.note) == (alert.identifier, "sup", "Đã điều 2 xuồng từ Hòa Vang")
    qtbot.waitUntil(
        lambda: ("Đã điều 2 xuồng từ Hòa Vang" in inbox.detailText()
                 and ("đang chờ gửi xuống" if lang == "vi" else "queued for the site")
                 in inbox.detailText()), timeout=5000,
    )  # fmt: skip
    # Reply with a directive: the directive page, addressed and referenced.
    inbox.replyButton.click()
    page = win.directives
    assert win.tabs.currentWidget() is page
    assert page.checkedSites() == ["cam-le"] and not page.allSites.isChecked()
    assert page.ref.text() == alert.identifier


def test_the_inbox_fits_1366_by_768(qtbot: Any, win: IocWindow, hub: CityFeeder) -> None:
    inbox = win.inbox
    assert inbox is not None
    escalate(hub)
    win.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5000)
    QApplication.processEvents()
    assert win.minimumSizeHint().width() <= 1366 and win.minimumSizeHint().height() <= 768
    for w in (inbox.takeButton, inbox.assignButton, inbox.ackButton, inbox.replyButton):
        assert w.isVisible() and w.width() >= w.sizeHint().width(), w.text()
        assert w.mapTo(inbox, w.rect().bottomRight()).y() <= inbox.height()


def test_the_vietnamese_inbox_has_no_english_and_nothing_clipped(
    qtbot: Any, win: IocWindow, hub: CityFeeder, people: dict[str, str], lang: str
) -> None:
    import re
    import xml.etree.ElementTree as ET

    from tests.test_ioc_window import ROOT, _clipped, _texts

    if lang != "vi":
        pytest.skip("the Vietnamese window")
    inbox = win.inbox
    assert inbox is not None
    escalate(hub)
    log_in(qtbot, win, "sup", people["sup"])
    win.tabs.setCurrentWidget(inbox)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1, timeout=5000)
    choose(qtbot, inbox, 0)
    inbox.takeButton.click()
    qtbot.waitUntil(lambda: cells(inbox, 0)[0] == WORDS["vi"]["taken"], timeout=5000)
    qtbot.wait(100)
    assert not _clipped(win), _clipped(win)
    shown = _texts(win) + cells(inbox, 0)
    # The CAP's Vietnamese block and everything around it (the English block is the
    # district's own English, shown below the Vietnamese on purpose).
    detail = inbox.detailText()
    shown.append(detail[: detail.index("[Tiếng Anh]")])
    root = ET.parse(ROOT / "resources" / "i18n" / "opsconsole_vi.ts").getroot()
    english: set[str] = set()
    vietnamese: set[str] = set()
    for ctx in root.iter("context"):
        if ctx.findtext("name") not in {"Ioc", "IocWindow", "EscalationInbox", "CityStripBar"}:
            continue
        for m in ctx.iter("message"):
            english |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("source") or "")}
            vietnamese |= {
                w.lower() for w in re.findall(r"[A-Za-z]{4,}", m.findtext("translation") or "")
            }
    english -= vietnamese | {"opsconsole", "test"}  # "test": the window's title here
    found = sorted(
        w for w in set(re.findall(r"[A-Za-z]{4,}", " ".join(shown))) if w.lower() in english
    )
    assert not found, f"English in the Vietnamese inbox: {found}"

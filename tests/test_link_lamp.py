"""The link lamp as an operator reads it: state in symbol, colour and words; times in site time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from console.district.services.link import LinkView, StreamView
from console.district.ui.status import StatusPanel
from widgets.link_lamp import SYMBOLS, LinkLamp

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(h: int, m: int, s: int = 0) -> float:
    return dt.datetime(2026, 11, 27, h, m, s, tzinfo=TZ).timestamp()


def view(**kw: object) -> LinkView:
    base: dict[str, object] = {
        "configured": True,
        "state": "online",
        "since": at(8, 0),
        "hub": "tcp://ioc:5700",
        "console_id": "hai-chau",
        "backlog_warn": 100_000,
        "streams": {"summary": StreamView(10, 10)},
    }
    base.update(kw)
    return LinkView(**base)  # type: ignore[arg-type]


def test_lamp_symbol_follows_state(qtbot) -> None:
    lamp = LinkLamp()
    qtbot.addWidget(lamp)
    for state, symbol in SYMBOLS.items():
        lamp.setState(state)
        assert lamp.property("linkState") == state
        assert lamp.findChild(object, "lamp").text() == symbol
    with pytest.raises(ValueError, match="unknown link state"):
        lamp.setState("green")


def test_status_panel_tells_the_operator_about_the_link(qtbot, vietnamese_ui) -> None:
    panel = StatusPanel("/data", "Asia/Ho_Chi_Minh")
    qtbot.addWidget(panel)
    panel.update_link(view(last_ack=at(10, 42, 13)), at(10, 42, 20))
    assert panel.link.getLinkState() == "online"
    assert panel.link.text() == "IOC: trực tuyến"
    assert panel.link.detail() == "tồn 0 · xác nhận lúc 10:42:13"

    panel.update_link(
        view(
            state="offline",
            since=at(9, 5),
            last_ack=at(9, 4, 59),
            backlog=1234,
            oldest_unsent_age_s=720,
        ),
        at(10, 0),
    )
    assert panel.link.getLinkState() == "offline"
    assert panel.link.text() == "IOC: MẤT KẾT NỐI từ 09:05"
    assert panel.link.detail() == "tồn 1,234 · cũ nhất 12 phút · xác nhận lúc 09:04:59"

    panel.update_link(view(backlog=150_000, oldest_unsent_age_s=60), at(10, 0))
    assert panel.link.getLinkState() == "warning"  # online, but the backlog is above the limit
    assert panel.link.detail().startswith("TỒN ĐỌNG VƯỢT 100,000 · tồn 150,000")

    panel.update_link(
        view(state="refused", detail="hub refused this console: key_revoked"), at(10, 0)
    )
    assert panel.link.getLinkState() == "refused"
    assert "key_revoked" in panel.link.toolTip()

    panel.update_link(LinkView(configured=False), at(10, 0))
    assert (panel.link.getLinkState(), panel.link.text()) == ("off", "Liên kết IOC: chưa cấu hình")


def test_the_window_shows_the_link_go_online_then_offline_when_the_hub_stops(
    qtbot, vietnamese_ui, small_site, tmp_path
) -> None:
    from PySide6.QtCore import QSettings

    from console.district.config import load_site
    from console.district.services.app import ConsoleApp
    from console.district.ui.main_window import MainWindow
    from console.hub.config import load_hub_config
    from console.hub.server import Hub
    from console.shared.session import os_session
    from tests.linkkit import make_kit

    kit = make_kit(tmp_path / "hub")
    hub = Hub(load_hub_config(kit.hub_config))
    hub.start()
    site = load_site(kit.site("test-site", hub.server.bound_endpoint, base=small_site.path))
    engine = ConsoleApp(site, tmp_path / "data")
    engine.start()
    try:
        win = MainWindow(
            engine.services,
            os_session(),
            QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat),
            "vi",
        )
        qtbot.addWidget(win)
        win.show()
        win.start()
        lamp = win.status.link
        qtbot.waitUntil(lambda: lamp.getLinkState() == "online", timeout=15_000)
        assert lamp.text() == "IOC: trực tuyến"
        qtbot.waitUntil(lambda: "xác nhận lúc" in lamp.detail(), timeout=15_000)
        hub.stop()
        # Lost after being online: "offline since HH:MM" stays while it retries.
        qtbot.waitUntil(lambda: lamp.getLinkState() == "offline", timeout=15_000)
        assert lamp.text().startswith("IOC: MẤT KẾT NỐI từ ")
        # A reconnect attempt has failed: still "offline since", not "connecting".
        qtbot.waitUntil(lambda: "no secure handshake" in lamp.toolTip(), timeout=20_000)
        assert lamp.getLinkState() == "offline"
        win.close()
    finally:
        engine.stop()
        hub.stop()

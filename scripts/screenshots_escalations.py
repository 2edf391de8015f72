"""Screenshots of the district window's list of escalations, from the real window on simulated
time (docs/screenshots/escalations*.png, 1366×768 and 1920×1080).

    DISPLAY=:113 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_escalations.py [--lang vi|en]

A supervisor escalated three incidents and updated one: the IOC acknowledged the first,
the hub holds the second (not yet acknowledged, now late), the update still waits for the
link. The hub is not running: delivery and the IOC's acknowledgement are written into the
console's log as the link would write them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1366, 768, ""), (1920, 1080, "-1920"))
PW = "ca-ngay-hoa-xuan-1"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    a = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer

    from console.district.config import AccessConfig, UplinkConfig, demo_sites_dir, load_site
    from console.district.domain.escalation import EscalationRequest
    from console.district.domain.incidents import NewIncident
    from console.district.services.app import ConsoleApp
    from console.district.ui.app import make_app, window_settings
    from console.district.ui.i18n import install_translator
    from console.district.ui.main_window import MainWindow
    from console.shared import records
    from console.shared.clock import SimClock
    from console.shared.records import EscalationAck
    from console.shared.session import os_session
    from console.shared.vocab import Role, Stream
    from transport.curve import generate
    from transport.streams import Batch

    app = make_app()
    install_translator(app, a.lang)
    site = load_site(demo_sites_dir() / "cam-le.toml")
    site = dataclasses.replace(
        site,
        endpoints=dataclasses.replace(site.endpoints, feeds_pull=()),
        access=AccessConfig(idle_lock_s=4 * 3600),
    )
    data = Path(tempfile.mkdtemp(prefix="opsconsole-shots-"))
    keys = data / "keys"
    generate(keys, "hub")
    generate(keys, site.id)
    uplink = UplinkConfig(
        hub="tcp://127.0.0.1:9",  # nobody there: the link stays offline
        hub_public_key=str(keys / "hub.key"),
        secret_key=keys / f"{site.id}.key_secret",
        console_id=site.id,
    )
    clock = SimClock(1_781_479_800.0)  # 2026-06-15 06:30 in Đà Nẵng
    engine = ConsoleApp(site, data / "log", clock=clock, feeds_pull=[], uplink=uplink)
    engine.start(receive=False)
    suffix = "" if a.lang == "vi" else "-en"
    OUT.mkdir(parents=True, exist_ok=True)

    def run(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    access = engine.services.access
    otp = access.add_user(os_session(Role.ADMIN), "ha", "Trần Thu Hà", "supervisor")
    ha = access.log_in("ha", otp, new_password=PW)  # a first log-in sets the password
    esc = engine.services.escalations
    incidents = engine.services.incidents
    try:
        flood = incidents.open(
            ha, NewIncident(type="flood", severity=2, title="Ngập sâu Hòa Xuân", ward="Hòa Xuân")
        )
        slide = incidents.open(
            ha, NewIncident(type="landslide", severity=3, title="Sạt lở đường ĐT605",
                            ward="Hòa Phát")
        )  # fmt: skip
        first = esc.escalate(ha, flood, EscalationRequest(reason="Cần 2 xuồng cứu hộ"))
        clock.advance(420)
        second = esc.escalate(ha, slide, EscalationRequest(reason="Cần máy xúc và rào chắn"))
        assert engine.outbox is not None and engine.inbox is not None
        engine.outbox.acked(Stream.ESCALATION.value, second.out_seq)
        assert engine.flush(10)
        clock.advance(180)
        ack = EscalationAck(ref=first.identifier, by="minh", name="Lê Văn Minh",
                            ts=int(clock.time() * 1000), note="Đã điều 2 xuồng từ Hòa Vang")  # fmt: skip
        engine.inbox.commit([Batch("hub", site.id, "hub-db", Stream.ESCALATION_ACK.value,
                                   [(1, "ack", ack.ts, records.encode(ack))])])  # fmt: skip
        clock.advance(240)
        esc.update(ha, flood, EscalationRequest(reason="Nước lên 2,8 m, thêm 40 hộ cần sơ tán"))
        clock.advance(200)
        assert engine.flush(10)
        esc.check(int(clock.time() * 1000))  # the landslide's escalation is late now
        win = MainWindow(engine.services, None, window_settings(data, site.id), a.lang)
        win.move(0, 0)
        win.resize(1366, 768)
        win.show()
        win.start()
        win.escalationsDock.raise_()
        for w, h, size in SIZES:
            win.resize(w, h)
            run(0.5)
            win.resizeDocks([win.escalationsDock], [300], Qt.Orientation.Vertical)
            run(0.8)
            QCoreApplication.processEvents()
            win.refresh()
            win.escalationsPanel.refresh()
            run(0.3)
            win.grab().save(str(OUT / f"escalations{suffix}{size}.png"))
        win.close()
    finally:
        engine.stop()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

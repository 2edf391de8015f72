"""Screenshots of the IOC window on a real X server (Xvfb, xcb platform), from the city demo.

    .venv/bin/python scripts/ioc_screenshots.py [--minutes 1.2]

1. Runs the city demo (``opsconsole demo --city`` without its window: hub, three
   consoles with simulators at 20× simulated time, Cẩm Lệ in flood-surge, 90
   minutes of backfilled history) for ``--minutes``;
2. a real escalation from Cẩm Lệ: its demo console is replaced by one in this
   process (same site file and log, a new simulator in flood-surge), where the
   district supervisor opens a flood incident and escalates it through the
   console's escalation service — CAP 1.2 over the real city link into the
   hub's store; the demo's IOC supervisor takes it, assigns it to an agency and
   acknowledges it with a note (which goes back down to Cẩm Lệ), then Cẩm Lệ
   sends an Update, which arrives new;
3. stops Sơn Trà's console (it goes silent after 3 status periods) and names a
   fourth site in the hub file that never reports (Liên Chiểu); last, Cẩm Lệ's
   supervisor acknowledges the river's alarms with a note (the drill-down's
   alarm events show who and why);
4. for 1366×768 and 1920×1080: starts Xvfb of that size and, per language, runs
   this script's ``shoot`` mode in a child on the xcb platform, which opens the
   IOC window full-screen and grabs the X screen for the overview, Cẩm Lệ's
   drill-down (trends, status history, alarm events) and the city view per
   kind, and — logged in as the demo's IOC supervisor, after two directives and
   a warning were sent (Sơn Trà's stay queued) — the escalation inbox (the Update chosen), the directive page, the
   warning page and the locked screen: docs/screenshots/ioc-<page>-<w>-<lang>.png;
5. and the overview of 50 simulated sites × 200 feeds in mixed states (committed
   through the hub's commit path, as ``bench ioc`` does): ioc-50-sites-overview-1920-vi.png.

``shoot`` alone (``--config HUB_FILE --out DIR --lang vi --size 1366x768``) is what
tests/test_ioc_xcb.py runs; it prints one JSON line (screen, window geometry,
minimum size, files).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1366, 768), (1920, 1080))
PAGES = ("overview", "detail", "kinds")
PEOPLE_PAGES = ("inbox", "directives", "warnings", "locked")
"""With ``--user``: the directive page (form filled in, board live) and the locked screen."""
DEMO_PASSWORD = "chon-mat-khau-2026"
"""The password the screenshot run chooses for the IOC demo account it logs in with."""


def shoot(
    config: Path,
    out: Path,
    lang: str,
    size: tuple[int, int],
    site: str,
    prefix: str,
    pages: tuple[str, ...] = PAGES,
    user: str = "",
    password: str = "",
) -> int:
    from PySide6.QtCore import QCoreApplication, Qt

    from console.hub.config import load_hub_config
    from console.hub.services.workstation import IocWorkstation
    from console.hub.ui.app import make_app
    from console.hub.ui.text import install_translator
    from console.hub.ui.window import IocWindow

    app = make_app()
    install_translator(app, lang)
    cfg = load_hub_config(config)
    desk = IocWorkstation.open(cfg, workstation="ioc-ws1")
    city = desk.city
    win = IocWindow(city, lang, title=cfg.id, source=city.source(), desk=desk)
    win.resize(*size)
    win.move(0, 0)
    events: list[str] = []
    win.applied.connect(lambda _s: events.append("applied"))
    win.detail.loaded.connect(lambda _s: events.append("detail"))
    win.kinds.loaded.connect(lambda _s: events.append("kinds"))
    win.show()
    win.start()

    def spin(until: str, at_least: float) -> None:
        deadline, soonest = time.monotonic() + 60, time.monotonic() + at_least
        while time.monotonic() < soonest or until not in events:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {until!r} within 60 s")
            QCoreApplication.processEvents()
            time.sleep(0.01)

    screen = app.primaryScreen()
    out.mkdir(parents=True, exist_ok=True)
    files = []

    def grab(page: str) -> None:
        path = out / f"{prefix}-{page}-{size[0]}-{lang}.png"
        # The X screen itself: what is on screen, not what the widget would render.
        if not screen.grabWindow(0).save(str(path)):
            raise RuntimeError(f"could not save {path}")
        files.append(str(path))

    try:
        session = desk.access.log_in(user, password) if user else None
        spin("applied", 2.0)
        assert win.duty is not None
        win.duty.refresh()
        spin("applied", 0.3)
        grab("overview")
        if "detail" in pages:
            win.detail.setRangeSeconds(3600)
            win.openSite(site)
            spin("detail", 1.0)
            grab("detail")
        if "kinds" in pages:
            win.tabs.setCurrentWidget(win.kinds)
            spin("kinds", 1.0)
            grab("kinds")
        if "inbox" in pages and win.inbox is not None:
            inbox = win.inbox
            win.tabs.setCurrentWidget(inbox)
            deadline = time.monotonic() + 30
            while inbox.table.rowCount() == 0 and time.monotonic() < deadline:
                spin("applied", 0.2)
            inbox.table.selectRow(0)  # the newest: Cẩm Lệ's Update
            spin("applied", 1.5)  # its CAP and events load in a worker
            grab("inbox")
        if "directives" in pages and win.directives is not None:
            page = win.directives
            win.tabs.setCurrentWidget(page)
            spin("applied", 1.5)  # the board and the sites load in a worker
            for i in range(page.sites.count()):
                it = page.sites.item(i)
                if it.data(Qt.ItemDataRole.UserRole) in ("cam-le", "hai-chau"):
                    it.setCheckState(Qt.CheckState.Checked)
            page.priority.setCurrentIndex(page.priority.findData("high"))
            page.due.setCurrentIndex(page.due.findData(120))
            page.text.setPlainText(
                "Chuẩn bị bao cát và máy bơm dự phòng tại các điểm trũng ven sông Hàn."
            )
            spin("applied", 0.5)
            grab("directives")
        if "warnings" in pages and win.warnings is not None:
            wp = win.warnings
            win.tabs.setCurrentWidget(wp)
            spin("applied", 1.5)
            wp.allSites.setChecked(True)
            wp.eventVi.setText("Bão số 9 đổ bộ")
            wp.eventEn.setText("Typhoon No. 9 making landfall")
            wp.areaVi.setText("Toàn thành phố Đà Nẵng")
            wp.severity.setCurrentIndex(wp.severity.findData("Extreme"))
            wp.urgency.setCurrentIndex(wp.urgency.findData("Immediate"))
            wp.expires.setCurrentIndex(wp.expires.findData(24))
            wp.headline.setText("Bão số 9 đổ bộ trong 6 giờ tới")
            spin("applied", 0.5)
            grab("warnings")
        if "locked" in pages and session is not None and win.duty is not None:
            win.tabs.setCurrentWidget(win.sites)
            desk.access.lock(session, reason="idle")
            win.duty.refresh()
            spin("applied", 0.5)
            grab("locked")
        geo = win.frameGeometry()
        hint = win.minimumSizeHint()
        print(
            json.dumps(
                {
                    "screen": [screen.size().width(), screen.size().height()],
                    "window": [geo.x(), geo.y(), geo.width(), geo.height()],
                    "minimum": [hint.width(), hint.height()],
                    "platform": app.platformName(),
                    "files": files,
                }
            ),
            flush=True,
        )
    finally:
        win.close()
        desk.close()
    return 0


def city_of_50(root: Path) -> Path:
    """A hub file over 50 simulated sites × 200 feeds in mixed states (the bench's load,
    committed through the hub's own commit path): the overview at city scale."""
    import random

    from console.hub.config import SiteNames, write_hub_config
    from console.hub.store.store import HubStore
    from console.shared.clock import SimClock
    from console.sim.city import CityFeeder

    sites = [f"tram-{i:02d}" for i in range(1, 51)]
    write_hub_config(
        root / "hub.toml",
        bind="tcp://127.0.0.1:*",
        database="sqlite:///hub.sqlite3",
        secret_key="keys/hub.key_secret",
        sites={s: SiteNames(f"Trạm {s[-2:]}", f"Site {s[-2:]}") for s in sites},
    )
    url = f"sqlite:///{root / 'hub.sqlite3'}"
    rng = random.Random(15)
    now = time.time()
    quiet = set(rng.sample(sites, 3))
    for s in sites:  # the quiet ones were last heard 4-40 minutes ago
        ago = rng.uniform(240, 2400) if s in quiet else 0.0
        store = HubStore(url, clock=SimClock(now - ago))
        try:
            feed = CityFeeder(store, [s], 200, period_ms=60_000)
            r = rng.random()
            sev = (
                (rng.randint(0, 3), rng.randint(0, 2), rng.randint(1, 4))
                if r < 0.15
                else ((rng.randint(0, 3), rng.randint(0, 2), 0) if r < 0.45 else (0, 0, 0))
            )
            feed.status(
                s,
                int((now - ago) * 1000),
                sev=sev,
                unack=sum(sev) + rng.randint(0, 2) if sum(sev) else 0,
                stale=rng.choice((0, 0, 0, 1, 3)),
                bad=rng.choice((0, 0, 0, 0, 1)),
                backlog=rng.choice((0, 0, 0, 120, 4_500)),
            )
        finally:
            store.close()
    return root / "hub.toml"


DISTRICT_SUPERVISOR = ("ha", "Trần Thu Hà")


class CamLeConsole:
    """Cẩm Lệ's console in this process (the demo's is stopped first): same site file and
    log, a new simulator in flood-surge; the district supervisor escalates from here."""

    def __init__(self, demo: Any) -> None:
        from console.district.config import load_site
        from console.district.services.app import ConsoleApp
        from console.sim.launch import simulator_argv

        demo.stop_site("cam-le")
        site_file = demo.site_files["cam-le"]
        self.app = ConsoleApp(
            load_site(site_file), demo.root / "data" / "cam-le", feeds_pull=["tcp://127.0.0.1:*"]
        )
        self.app.start()
        argv = simulator_argv(site_file, self.app.endpoints[0], scenario="flood-surge", speed=20.0)
        self.sim = subprocess.Popen(argv, stdout=subprocess.DEVNULL)

    def supervisor(self) -> Any:
        from console.shared.session import Session
        from console.shared.vocab import Role

        uid, name = DISTRICT_SUPERVISOR
        return Session(uid, name, Role.SUPERVISOR, "cl-ws1", authenticated=False)

    def escalate(self) -> tuple[str, str]:
        """Open a flood incident on the rising river and escalate it (incident, identifier)."""
        from console.district.domain.escalation import EscalationRequest
        from console.district.domain.incidents import NewIncident

        sup = self.supervisor()
        iid = self.app.services.incidents.open(
            sup,
            NewIncident(
                type="flood",
                severity=3,
                title="Nước sông Cẩm Lệ tràn vào khu dân cư Hòa Xuân",
                ward="Hòa Xuân",
                feed_keys=("cl-river-01", "cl-river-02"),
            ),
        )
        view = self.app.services.escalations.escalate(
            sup,
            iid,
            EscalationRequest(
                reason="Nước lên nhanh, khoảng 120 hộ cần sơ tán; cần xuồng và lực lượng hỗ trợ",
                life_at_risk=True,
            ),
        )
        self.flush()
        return iid, view.identifier

    def update(self, iid: str) -> str:
        from console.district.domain.escalation import EscalationRequest

        view = self.app.services.escalations.update(
            self.supervisor(),
            iid,
            EscalationRequest(reason="Thêm 40 hộ ở Khuê Trung bị ngập; cần thêm 2 xuồng"),
        )
        self.flush()
        return view.identifier

    def acknowledge_river(self) -> list[str]:
        """The district supervisor acknowledges the river's alarms with a note, as at the
        console: the IOC's drill-down lists who acknowledged and why."""
        alarms = self.app.services.alarms
        if alarms is None:
            raise RuntimeError("Cẩm Lệ's console has no alarm service")
        ids = [
            a.id
            for a in alarms.current()
            if a.feed_key.startswith("cl-river") and a.state.unacknowledged
        ]
        done = alarms.acknowledge(
            self.supervisor(), ids, "Đã báo đội PCCC Hòa Xuân; theo dõi mực nước mỗi 15 phút"
        )
        self.flush()
        return done

    def flush(self) -> None:
        if not self.app.flush_uplink(60):
            raise RuntimeError("Cẩm Lệ's escalation did not reach the hub in 60 s")

    def stop(self) -> None:
        self.sim.terminate()
        self.sim.wait(20)
        self.app.stop()


def escalation_story(config: Path, cam_le: CamLeConsole) -> None:
    """Cẩm Lệ escalates; the IOC supervisor takes it, assigns it, acknowledges it with a
    note; Cẩm Lệ sends an Update, which stays new (the inbox flashes)."""
    from console.cli.city_demo import ensure_ioc_demo_users
    from console.hub.config import load_hub_config
    from console.hub.services.workstation import IocWorkstation

    time.sleep(20)  # readings and alarms on the river first: the CAP carries them
    iid, ident = cam_le.escalate()
    users = {u["user_id"]: u for u in ensure_ioc_demo_users(config)}
    desk = IocWorkstation.open(load_hub_config(config), workstation="ioc-ws2")
    try:
        pw = users["hoa"]["one_time_password"]
        me = (
            desk.access.log_in("hoa", pw, new_password=DEMO_PASSWORD)
            if pw
            else desk.access.log_in("hoa", DEMO_PASSWORD)
        )
        desk.take_escalation(me, "cam-le", ident)
        desk.assign_escalation(me, "cam-le", ident, "pccc")
        desk.acknowledge_escalation(
            me, "cam-le", ident, "Đã điều 2 xuồng cứu hộ từ Hòa Vang; báo cáo mỗi 30 phút"
        )
        desk.access.log_out(me)
    finally:
        desk.close()
    time.sleep(5)  # the acknowledgement goes down to Cẩm Lệ
    cam_le.update(iid)


def people_and_directives(config: Path) -> str:
    """The IOC demo accounts; the supervisor (choosing ``DEMO_PASSWORD``) sends two directives
    and a flood warning for Cẩm Lệ through the window's services, after Sơn Trà went quiet,
    so its rows stay queued while the running consoles' are delivered. Returns the user id
    the shots log in with."""
    from console.cli.city_demo import ensure_ioc_demo_users
    from console.hub.config import load_hub_config
    from console.hub.services.workstation import IocWorkstation, WarningDraft
    from console.shared import cap
    from console.shared.vocab import DirectivePriority

    users = {u["user_id"]: u for u in ensure_ioc_demo_users(config)}
    desk = IocWorkstation.open(load_hub_config(config), workstation="ioc-ws1")
    try:
        pw = users["hoa"]["one_time_password"]
        me = (
            desk.access.log_in("hoa", pw, new_password=DEMO_PASSWORD)
            if pw
            else desk.access.log_in("hoa", DEMO_PASSWORD)
        )
        desk.send_directive(
            me,
            ["cam-le"],
            "Mở nhà tránh trú tại trường Hòa Xuân; báo cáo số hộ đã sơ tán mỗi giờ.",
            priority=DirectivePriority.URGENT,
        )
        desk.send_directive(
            me, desk.downlink.known_sites(), "Báo cáo tình hình mưa lũ trên địa bàn trước 17:00."
        )
        desk.send_warning(
            me,
            ["cam-le"],
            WarningDraft(
                event_vi="Lũ trên sông Cẩm Lệ",
                event_en="Flood on the Cam Le river",
                area_vi="Hòa Xuân, Khuê Trung",
                severity=cap.Severity.SEVERE,
                instruction_vi="Di chuyển người và tài sản đến nơi cao.",
            ),
        )
        desk.access.log_out(me)
    finally:
        desk.close()
    time.sleep(5)  # the running hub delivers to the consoles that are up
    return "hoa"


def readme_set(minutes: float) -> int:
    sys.path.insert(0, str(ROOT))
    from console.cli.city_demo import CityDemo
    from tests.xvfb import xvfb_display  # the test suite's Xvfb (waits until it accepts)

    data = Path(tempfile.mkdtemp(prefix="opsconsole-iocshots-"))
    # 20× simulated time: the flood-surge storm (simulated minutes 1-70) is still on
    # when the shots are taken, a minute or two in.
    demo = CityDemo(data, speed=20.0, backfill_min=90)
    demo.start()
    cam_le: CamLeConsole | None = None
    try:
        print(f"city demo running in {data}; waiting {minutes} min", flush=True)
        time.sleep(minutes * 60)
        cam_le = CamLeConsole(demo)
        escalation_story(demo.config, cam_le)
        # Sơn Trà goes quiet (its console stops); Liên Chiểu is expected but never reports.
        demo.stop_site("son-tra")
        with demo.config.open("a", encoding="utf-8") as f:
            f.write('\n[sites.lien-chieu]\nname = { vi = "Liên Chiểu", en = "Lien Chieu" }\n')
        time.sleep(35)
        user = people_and_directives(demo.config)
        # Last, so it is among the newest alarm events when the drill-down is shot.
        if not cam_le.acknowledge_river():
            raise RuntimeError("no unacknowledged river alarm at Cẩm Lệ to acknowledge")
        for w, h in SIZES:
            with xvfb_display(w, h) as display:
                for lang in ("vi", "en"):
                    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
                    subprocess.run(
                        [
                            sys.executable,
                            str(Path(__file__)),
                            "shoot",
                            "--config",
                            str(demo.config),
                            "--out",
                            str(OUT),
                            "--lang",
                            lang,
                            "--size",
                            f"{w}x{h}",
                            "--pages",
                            ",".join(PAGES + PEOPLE_PAGES),
                            "--user",
                            user,
                            "--password",
                            DEMO_PASSWORD,
                        ],
                        env=env,
                        check=True,
                    )
    finally:
        if cam_le is not None:
            cam_le.stop()
        demo.stop()
    # The city at scale: 50 simulated sites on the overview.
    big = city_of_50(Path(tempfile.mkdtemp(prefix="opsconsole-ioc50-")))
    with xvfb_display(1920, 1080) as display:
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__)),
                "shoot",
                "--config",
                str(big),
                "--out",
                str(OUT),
                "--lang",
                "vi",
                "--size",
                "1920x1080",
                "--prefix",
                "ioc-50-sites",
                "--pages",
                "overview",
            ],
            env=dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb"),
            check=True,
        )
    print(f"screenshots written to {OUT}")
    return 0


def main() -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode")
    s = sub.add_parser("shoot", help="open the IOC window here and grab the screen")
    s.add_argument("--config", type=Path, required=True)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--lang", choices=("vi", "en"), default="vi")
    s.add_argument("--size", default="1366x768")
    s.add_argument("--site", default="cam-le")
    s.add_argument("--prefix", default="ioc")
    s.add_argument(
        "--pages",
        default=",".join(PAGES),
        help="overview[,detail][,kinds][,inbox,directives,warnings,locked (with --user)]",
    )
    s.add_argument("--user", default="", help="log this IOC account in (with --password)")
    s.add_argument("--password", default="")
    p.add_argument("--minutes", type=float, default=1.2, help="city demo time before the shots")
    a = p.parse_args()
    if a.mode == "shoot":
        w, h = (int(v) for v in a.size.split("x"))
        return shoot(
            a.config,
            a.out,
            a.lang,
            (w, h),
            a.site,
            a.prefix,
            tuple(a.pages.split(",")),
            a.user,
            a.password,
        )
    return readme_set(a.minutes)


if __name__ == "__main__":
    raise SystemExit(main())

"""``opsconsole demo --city``: the whole city story from one command.

A hub, three district consoles (each with its own simulator; Cẩm Lệ in
``flood-surge``) delivering to it over the real city link (CurveZMQ, ZAP,
acks), and the IOC window on the hub's database. With the windows, Cẩm Lệ's
console opens its own window too (its demo accounts printed like the IOC's),
so a supervisor there can escalate the flood and read the IOC's answer while
the IOC takes it in its inbox; the other two consoles run headless. Everything lives under
``DATA_DIR/city``: CURVE keys (made once and kept), the registry allowing the
three consoles, the hub config naming the sites, a copy of each demo site file
with an ``[uplink]`` table, and every database. Each process is a real
``opsconsole`` process; the demo only starts them, waits and stops them.

IOC demo accounts (``IOC_DEMO_USERS``, one per IOC role) are created in the
hub database with one-time passwords, printed at start (in the JSON with
``--json``), as the district demo does for its consoles: log in to the IOC
window with one and choose your own password. A later run with the same data
directory issues new one-time passwords to accounts nobody has used yet.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from console.district.config import demo_sites_dir
from console.hub.config import SiteNames, load_hub_config, write_hub_config
from console.hub.registry import Entry, read_registry, utc_now, write_registry
from console.shared.runtime import install_stop_signals
from console.sim.launch import simulator_argv
from transport.curve import generate, load_keypair

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoSite:
    id: str
    names: SiteNames
    scenario: str


SITES = (
    DemoSite("hai-chau", SiteNames("Hải Châu", "Hai Chau"), "normal"),
    DemoSite("son-tra", SiteNames("Sơn Trà", "Son Tra"), "normal"),
    DemoSite("cam-le", SiteNames("Cẩm Lệ", "Cam Le"), "flood-surge"),
)
AGENCIES = {
    "pccc": SiteNames("Cảnh sát PCCC&CNCH thành phố", "City fire and rescue police"),
    "quan-su": SiteNames("Bộ Chỉ huy Quân sự thành phố", "City military command"),
    "y-te": SiteNames("Sở Y tế (cấp cứu 115)", "Health department (115 ambulances)"),
    "giao-thong": SiteNames("Sở Giao thông vận tải", "Department of transport"),
}
"""The agencies the demo's IOC can assign an escalation to (the hub file's ``[agencies]``)."""
IOC_DEMO_USERS = (
    ("hoa", "Trần Thị Hoa", "ioc_supervisor"),
    ("minh", "Phạm Văn Minh", "ioc_operator"),
    ("thu", "Lê Thị Thu", "ioc_viewer"),
    ("quan", "Võ Minh Quân", "admin"),
)
"""The IOC's demo staff: one account per role (docs/ROLES.md, "The city IOC's people")."""
STATUS_PERIOD_S = 10.0
"""Demo time runs fast: sites report their status more often than a real one would."""


def prepare_city(root: Path) -> tuple[Path, dict[str, Path]]:
    """(hub config, site file per site) under ``root``, created if missing."""
    keys = root / "keys"
    if not (keys / "hub.key_secret").exists():
        generate(keys, "hub")
    registry = root / "consoles.toml"
    entries = {e.console_id: e for e in read_registry(registry)}
    sites: dict[str, Path] = {}
    for s in SITES:
        if not (keys / f"{s.id}.key_secret").exists():
            generate(keys, s.id)
        public = load_keypair(keys / f"{s.id}.key", need_secret=False).public
        if s.id not in entries or entries[s.id].public_key != public:
            entries[s.id] = Entry(s.id, public, False, utc_now())
        sites[s.id] = root / "sites" / f"{s.id}.toml"
    write_registry(registry, list(entries.values()))
    config = root / "hub.toml"
    write_hub_config(
        config,
        bind="tcp://127.0.0.1:*",
        database="sqlite:///hub.sqlite3",
        secret_key="keys/hub.key_secret",
        sites={s.id: s.names for s in SITES},
        agencies=AGENCIES,
    )
    return config, sites


def ensure_ioc_demo_users(config: Path) -> list[dict[str, Any]]:
    """Create the IOC demo accounts in the hub database (or renew the one-time password of
    one never used); recorded in the IOC's action log as the OS account running the demo."""
    from console.hub.services.access import IocAccess, cli_session
    from console.hub.store.store import make_hub_engine, migrate
    from console.shared.commit import DirectCommit
    from console.shared.vocab import Role

    cfg = load_hub_config(config)
    engine = make_hub_engine(cfg.database)
    try:
        migrate(engine)
        access = IocAccess(engine, DirectCommit(engine), settings=cfg.access)
        me = cli_session(Role.ADMIN)
        known = {a.user_id: a for a in access.users(me)}
        out = []
        for uid, name, roles in IOC_DEMO_USERS:
            a = known.get(uid)
            pw: str | None = None
            if a is None:
                pw = access.add_user(me, uid, name, roles, note="cli: opsconsole demo --city")
            elif a.must_change_password:
                pw = access.reset_password(me, uid, note="cli: opsconsole demo --city")
            out.append({"user_id": uid, "name": name, "roles": roles, "one_time_password": pw})
        return out
    finally:
        engine.dispose()


def print_ioc_demo_users(users: list[dict[str, Any]]) -> None:
    print("IOC demo accounts: log in to the IOC window with a user id and its one-time password,")
    print("then choose your own.")
    for u in users:
        pw = u["one_time_password"] or "(password already chosen by its user)"
        print(f"  {u['user_id']:<6} {pw:<14} {u['roles']:<15} {u['name']}")
    print(flush=True)


def write_site_file(dest: Path, site_id: str, hub_endpoint: str, keys: Path) -> None:
    """The demo site file with an [uplink] to this hub (the original has none)."""
    source = demo_sites_dir() / f"{site_id}.toml"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(
        source.read_text("utf-8")
        + "\n[uplink]\n"
        + f'hub = "{hub_endpoint}"\n'
        + f'hub_public_key = "{(keys / "hub.key").as_posix()}"\n'
        + f'secret_key = "{(keys / f"{site_id}.key_secret").as_posix()}"\n'
        + f'console_id = "{site_id}"\n'
        + f"status_period_s = {STATUS_PERIOD_S}\n",
        "utf-8",
    )


class CityDemo:
    """The processes of the city: hub, consoles, simulators. ``start``, then ``stop``."""

    def __init__(
        self,
        data_dir: Path,
        *,
        speed: float = 60.0,
        backfill_min: float = 0.0,
        window_site: str | None = None,
        lang: str = "vi",
    ) -> None:
        """``window_site``: the site whose console opens its window (None: all headless)."""
        self.root = data_dir / "city"
        self.window_site = window_site
        self.lang = lang
        self.district_users: list[dict[str, Any]] = []
        self.speed = speed
        self.backfill_min = backfill_min
        self.config, self.site_files = prepare_city(self.root)
        self.hub: subprocess.Popen[str] | None = None
        self.consoles: dict[str, subprocess.Popen[str]] = {}
        self.simulators: dict[str, subprocess.Popen[bytes]] = {}
        self._readers: list[threading.Thread] = []
        self._retired: list[subprocess.Popen[Any]] = []

    def start(self, timeout: float = 60.0) -> None:
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> None:
        py = [sys.executable, "-m", "console"]
        self.hub = subprocess.Popen(
            [*py, "hub", "--config", str(self.config), "--json"], stdout=subprocess.PIPE, text=True
        )
        endpoint = str(_first_json(self.hub, "hub", timeout)["endpoint"])
        log.info("city hub at %s (config %s)", endpoint, self.config)
        (self.root / "data").mkdir(parents=True, exist_ok=True)  # each console's log dir's parent
        feeds: dict[str, str] = {}
        for s in SITES:
            path = self.site_files[s.id]
            write_site_file(path, s.id, endpoint, self.root / "keys")
            if s.id == self.window_site:
                feeds[s.id] = self._start_window_console(s.id, path)
                continue
            self.consoles[s.id] = subprocess.Popen(
                [
                    *py,
                    "console",
                    "--site",
                    str(path),
                    "--headless",
                    "--json",
                    "--data-dir",
                    str(self.root / "data" / s.id),
                    "--feeds-endpoint",
                    "tcp://127.0.0.1:*",
                    "--status-interval",
                    "30",
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
        for s in SITES:
            if s.id not in feeds:
                ready = _first_json(self.consoles[s.id], f"console {s.id}", timeout)
                self._drain(self.consoles[s.id].stdout)
                feeds[s.id] = str(ready["endpoints"][0])
            argv = simulator_argv(
                self.site_files[s.id],
                feeds[s.id],
                scenario=s.scenario,
                speed=self.speed,
            )
            if self.backfill_min > 0:  # history first, so trends have something to show
                argv += ["--backfill-minutes", str(self.backfill_min)]
            self.simulators[s.id] = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
            log.info("site %s: console + simulator (%s)", s.id, s.scenario)

    def _start_window_console(self, site_id: str, path: Path) -> str:
        """Start the console of ``site_id`` with its window; return its feed endpoint. Its
        demo accounts are made first (one-time passwords in ``district_users``)."""
        from console.cli.demo import ensure_demo_users
        from console.district.config import load_site

        data = self.root / "data" / site_id
        self.district_users = ensure_demo_users(load_site(path), data)
        with socket.socket() as probe:  # a free port for the simulator to connect to
            probe.bind(("127.0.0.1", 0))
            feeds = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
        self.consoles[site_id] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console",
                "console",
                "--site",
                str(path),
                "--data-dir",
                str(data),
                "--feeds-endpoint",
                feeds,
                "--lang",
                self.lang,
            ],
            text=True,
        )
        return feeds

    def _drain(self, stream: IO[str] | None) -> None:
        """Read a child's further JSON lines so its pipe never fills and blocks it."""
        if stream is None:
            return
        t = threading.Thread(target=lambda: [None for _ in stream], daemon=True)
        t.start()
        self._readers.append(t)

    def stop_site(self, site_id: str) -> None:
        """Stop one site's simulator and console: the IOC sees it fall silent."""
        for p in (self.simulators.pop(site_id, None), self.consoles.pop(site_id, None)):
            if p is not None:
                self._retired.append(p)
                if p.poll() is None:
                    p.terminate()
                    p.wait(20)

    def stop(self) -> None:
        procs: list[subprocess.Popen[Any]] = [
            *self.simulators.values(),
            *self.consoles.values(),
            *self._retired,
        ]
        if self.hub is not None:
            procs.append(self.hub)
        for group in (list(self.simulators.values()), list(self.consoles.values()), [self.hub]):
            for p in group:
                if p is not None and p.poll() is None:
                    p.terminate()
            for p in group:
                if p is None:
                    continue
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for t in self._readers:
            t.join(5)
        for p in procs:
            if p.stdout is not None:
                p.stdout.close()


def _first_json(proc: subprocess.Popen[str], what: str, timeout: float) -> dict[str, Any]:
    """The first line a child prints (its ``ready`` JSON), or a clear error."""
    assert proc.stdout is not None
    box: list[str] = []
    reader = threading.Thread(
        target=lambda: box.append(proc.stdout.readline() if proc.stdout else "")
    )
    reader.start()
    reader.join(timeout)
    if not box or not box[0]:
        raise RuntimeError(f"the city demo's {what} did not start (exit code {proc.poll()})")
    out: dict[str, Any] = json.loads(box[0])
    return out


def run_city_demo(
    data_dir: Path,
    *,
    duration: float | None,
    speed: float,
    lang: str,
    window: bool,
    json_out: bool,
    backfill_min: float = 60.0,
) -> int:
    """Run the city until Ctrl+C, ``duration`` or (with a window) the window closes."""
    flood = next(s.id for s in SITES if s.scenario == "flood-surge")
    demo = CityDemo(
        data_dir,
        speed=speed,
        backfill_min=backfill_min,
        window_site=flood if window else None,
        lang=lang,
    )
    demo.start()
    try:
        ioc_users = ensure_ioc_demo_users(demo.config)
        if not json_out:
            print_ioc_demo_users(ioc_users)
            if demo.district_users:
                from console.cli.demo import print_demo_users

                print(f"The {flood} console's window (escalate the flood from an incident):")
                print_demo_users(demo.district_users)
        if window:
            from console.hub.ui.app import run_ioc

            return run_ioc(load_hub_config(demo.config), lang=lang, duration=duration)
        stop = threading.Event()
        install_stop_signals(stop)
        stop.wait(duration)
    finally:
        demo.stop()
    from console.hub.store.store import HubStore

    store = HubStore(load_hub_config(demo.config).database)
    try:
        city = store.city()
    finally:
        store.close()
    summary = {
        "hub_config": str(demo.config),
        "sites": {
            s["site_id"]: {k: s[k] for k in ("alarms_sev3", "alarms_unack", "feeds_total")}
            for s in city["sites"]
        },
        "kinds": sorted(city["kinds"]),
        "ioc_users": ioc_users,
    }
    if json_out:
        print(json.dumps(summary, ensure_ascii=False, sort_keys=True), flush=True)
    else:
        log.info("city demo finished: %s", summary)
    return 0

"""The ``opsconsole`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.district.config import ConfigError, SiteConfig, default_site_path, load_site
from console.shared.errors import DataDirError
from console.sim.scenarios import DEMO_SCENARIO, SCENARIOS
from console.sim.simulator import MODES

if TYPE_CHECKING:
    from console.district.ui.display import DisplayProblem

log = logging.getLogger("opsconsole")


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            v = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from exc
        if v <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
        return v

    return parse


def endpoint(text: str) -> str:
    """A ZeroMQ endpoint as the user wrote it, checked before any socket sees it."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no scheme: write tcp://HOST:PORT (e.g. tcp://127.0.0.1:5601) "
            "or ipc://PATH"
        )
    if scheme not in ("tcp", "ipc"):
        raise argparse.ArgumentTypeError(f"{text!r}: use tcp:// or ipc://, not {scheme}://")
    if scheme == "tcp" and (":" not in rest or not rest.rsplit(":", 1)[1]):
        raise argparse.ArgumentTypeError(f"{text!r} has no port: write tcp://HOST:PORT")
    if not rest:
        raise argparse.ArgumentTypeError(f"{text!r} names no address")
    return text


def _fraction(text: str) -> float:
    try:
        v = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from exc
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return v


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="opsconsole", description="Operations-centre console")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="simulator + console on embedded defaults")
    d.add_argument(
        "--site", type=Path, default=None, help="site file (default: the Hải Châu demo site)"
    )
    d.add_argument(
        "--data-dir", type=Path, default=None, help="log directory (default: a fresh one per run)"
    )
    d.add_argument(
        "--duration", type=_positive(float), default=None, help="seconds (default: until Ctrl+C)"
    )
    d.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default=DEMO_SCENARIO,
        help=f"what the district goes through (default: {DEMO_SCENARIO}: quiet, then a flood)",
    )
    d.add_argument(
        "--rate", type=_positive(float), default=1000.0, help="readings/s from the simulator"
    )
    d.add_argument(
        "--speed", type=_positive(float), default=60.0, help="simulated time per real time"
    )
    d.add_argument("--malformed-fraction", type=_fraction, default=0.0)
    d.add_argument("--headless", action="store_true", help="no window: engine and simulator only")
    d.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="window language (default: saved, else vi)",
    )
    d.add_argument("--json", action="store_true", help="print one JSON summary at the end")
    d.add_argument(
        "--city",
        action="store_true",
        help="the city: a hub, three district consoles with simulators (Cẩm Lệ in "
        "flood-surge, with its window) and the IOC window",
    )

    c = sub.add_parser("console", help="run the console for one site")
    c.add_argument("--site", type=Path, required=True)
    c.add_argument("--data-dir", type=Path, default=None)
    c.add_argument("--headless", action="store_true", help="engine only, until SIGTERM/SIGINT")
    c.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="window language (default: saved, else vi)",
    )
    c.add_argument(
        "--feeds-endpoint",
        type=endpoint,
        action="append",
        default=None,
        metavar="ENDPOINT",
        help="bind the feed PULL socket here instead of the site file's (repeatable)",
    )
    c.add_argument(
        "--feeds-ack-endpoint",
        type=endpoint,
        action="append",
        default=None,
        metavar="ENDPOINT",
        help="bind an acknowledged-mode feed socket here instead of the site file's "
        "(repeatable; docs/PROTOCOL.md §1.9)",
    )
    c.add_argument(
        "--json", action="store_true", help="JSON lines on stdout (ready/status/stopped)"
    )
    c.add_argument("--status-interval", type=_positive(float), default=5.0)
    c.add_argument(
        "--stop-timeout",
        type=_positive(float),
        default=20.0,
        help="on stop, give up on commits that keep failing (a full disk) after this long",
    )

    i = sub.add_parser("ioc", help="the city IOC window over a hub's database")
    i.add_argument("--config", type=Path, required=True, help="the hub's config file (TOML)")
    i.add_argument("--lang", choices=("vi", "en"), default="vi", help="window language")
    i.add_argument("--duration", type=_positive(float), default=None, help="close after seconds")

    s = sub.add_parser("simulate", help="publish simulated readings for a site")
    s.add_argument("--site", type=Path, required=True)
    s.add_argument(
        "--endpoint",
        type=endpoint,
        required=True,
        help="the console's PULL endpoint (--mode ack: its feeds_ack endpoint; --mode pub: "
        "where to bind the PUB socket)",
    )
    s.add_argument(
        "--rate",
        type=_positive(float),
        default=None,
        help="total readings/s (default: each feed at its interval, scaled by --speed)",
    )
    s.add_argument("--duration", type=_positive(float), default=None)
    s.add_argument("--scenario", choices=SCENARIOS, default="normal")
    s.add_argument("--malformed-fraction", type=_fraction, default=0.0)
    s.add_argument(
        "--speed", type=_positive(float), default=1.0, help="simulated time per real time"
    )
    s.add_argument("--batch", type=_positive(int), default=100, help="readings per frame at most")
    s.add_argument(
        "--interval",
        type=_positive(float),
        default=None,
        help="send at most every S seconds, readings batched in between (default: as due)",
    )
    s.add_argument("--seed", type=int, default=1)
    s.add_argument(
        "--mode",
        choices=MODES,
        default="push",
        help="push (default), pub, or ack: acknowledged mode, resends until committed",
    )
    s.add_argument(
        "--backfill-minutes",
        type=_positive(float),
        default=0.0,
        help="first replay this much history at each feed's interval, then go live",
    )
    s.add_argument("--json", action="store_true", help="print a JSON report at the end")
    s.add_argument("--exit-with-parent", type=int, default=None, help=argparse.SUPPRESS)

    b = sub.add_parser("bench", help="benchmarks (JSON on stdout)")
    bsub = b.add_subparsers(dest="bench", required=True)
    bi = bsub.add_parser("ingest", help="transport vs SQLite vs the full ingest pipeline")
    bi.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bi.add_argument("--readings", type=_positive(int), default=1_000_000)
    bi.add_argument("--latency-seconds", type=_positive(float), default=10.0)
    bi.add_argument("--latency-rate", type=_positive(float), default=20_000.0)
    ba = bsub.add_parser("alarms", help="alarm evaluation cost vs ingest without alarms")
    ba.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    ba.add_argument("--readings", type=_positive(int), default=500_000)

    bu = bsub.add_parser(
        "uplink", help="city link: raw vs reliable, backlog drain, MQTT, many consoles"
    )
    bu.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bu.add_argument("--records", type=_positive(int), default=200_000)
    bu.add_argument("--backlog", type=_positive(int), default=300_000)
    bu.add_argument("--consoles", type=_positive(int), default=20)
    bu.add_argument("--quick", action="store_true", help="small sizes (a smoke run for tests)")

    be = bsub.add_parser(
        "escalation",
        help="escalate → stored at the hub → acknowledged → shown, idle and behind a backlog",
    )
    be.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    be.add_argument("--trials", type=_positive(int), default=100)
    be.add_argument("--backlog", type=_positive(int), default=300_000)
    be.add_argument("--quick", action="store_true", help="small sizes (a smoke run for tests)")

    from console.cli.cap import add_cap_commands
    from console.cli.handover import add_handover_command
    from console.district.cli import add_district_commands
    from console.hub.cli import add_hub_commands

    add_district_commands(sub)
    add_handover_command(sub)
    add_hub_commands(sub)
    add_cap_commands(sub)

    bo = bsub.add_parser("ioc", help="IOC window under a city's load: frames, status → screen")
    bo.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bo.add_argument("--sites", type=_positive(int), default=50)
    bo.add_argument("--feeds", type=_positive(int), default=200, help="feeds per site")
    bo.add_argument("--seconds", type=_positive(float), default=20.0)
    bo.add_argument(
        "--database", default=None, help="hub database URL (default: a fresh SQLite file)"
    )
    bo.add_argument("--quick", action="store_true", help="small sizes (a smoke run for tests)")
    bn = bsub.add_parser(
        "incidents", help="incidents panel, filter and incident view vs plain SQL (100k incidents)"
    )
    bn.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bn.add_argument("--incidents", type=_positive(int), default=100_000)
    bn.add_argument("--timeline", type=_positive(int), default=1_000_000)
    bn.add_argument("--big-timeline", type=_positive(int), default=10_000)

    bh = bsub.add_parser(
        "history", help="history queries by tier on a generated big log; ingest while pruning"
    )
    bh.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bh.add_argument("--feeds", type=_positive(int), default=2000)
    bh.add_argument("--days", type=_positive(int), default=90, help="days of raw readings")
    bh.add_argument(
        "--raw-interval-s", type=_positive(int), default=60, help="seconds between raw readings"
    )
    bh.add_argument("--query-feeds", type=_positive(int), default=10)
    bh.add_argument(
        "--long-days", type=_positive(int), default=365, help="minute tier of the queried feeds"
    )
    bh.add_argument("--dir", type=Path, default=None, help="where to build (default: temp dir)")
    bh.add_argument("--keep", action="store_true", help="keep the generated logs")
    bh.add_argument(
        "--reuse", action="store_true", help="measure the log an earlier --keep left in --dir"
    )
    bh.add_argument("--prune-seconds", type=_positive(float), default=30.0)
    bh.add_argument("--prune-days", type=_positive(int), default=30)
    bs = bsub.add_parser(
        "soak", help="the window offscreen through a compressed 12-hour shift with a flood"
    )
    bs.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bs.add_argument(
        "--minutes", type=_positive(float), default=10.0, help="real minutes for the 12 hours"
    )
    bs.add_argument("--hours", type=_positive(float), default=12.0, help="simulated hours")

    bg = bsub.add_parser("gui", help="operator window refresh cost under load (offscreen)")
    bg.add_argument("--json", action="store_true", help="(always JSON; accepted for symmetry)")
    bg.add_argument("--seconds", type=_positive(float), default=20.0)
    bg.add_argument("--rate", type=_positive(float), default=10_000.0)
    return p


def _window_problem() -> DisplayProblem | None:
    """Why no window can open here (None: it can); asked before any QApplication exists,
    so a missing system library is one line instead of Qt's abort."""
    from console.district.ui.display import display_problem

    return display_problem()


def _wants_window(args: argparse.Namespace) -> bool:
    if args.command == "demo":
        return not args.headless and not args.json
    return args.command == "console" and not args.headless


def _explain_in_window(args: argparse.Namespace, text: str) -> None:
    """A start-up error of a window command is also shown in a dialog (stderr may be
    nowhere an operator looks: a desktop launcher, a kiosk session)."""
    if not _wants_window(args) or _window_problem() is not None:
        return
    from console.district.ui.errors import show_startup_error

    show_startup_error(text, lang=args.lang or "vi")


def _site(path: Path | None) -> SiteConfig:
    return load_site(path if path is not None else default_site_path())


def main(argv: list[str] | None = None) -> int:
    from console.hub.cli import build_people_parser, is_people_command

    argv = sys.argv[1:] if argv is None else list(argv)
    if is_people_command(argv):  # `hub users …`, `hub audit …`: sub-commands of their own
        rest = list(argv)
        rest.remove("hub")
        args = build_people_parser().parse_args(rest)
    else:
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        # ``hub ack --config HUB IDENTIFIER``: argparse matches the optional positional only
        # next to the action, so one positional after the options is taken as it.
        one = len(extra) == 1 and not extra[0].startswith("-")
        if one and getattr(args, "command", None) == "hub" and args.file is None:
            args.file, extra = extra[0], []
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"opsconsole: configuration error: {exc}", file=sys.stderr)
        _explain_in_window(args, f"configuration error: {exc}")
        return 2
    except Exception as exc:
        # Refusals the operator can act on get one line, not a traceback.
        from sqlalchemy.exc import OperationalError

        from console.district.store.database import DatabaseRefusedError
        from console.hub.store.store import HubStoreError
        from console.shared.instance import AlreadyRunningError
        from transport.curve import KeyFileError
        from transport.feed_receiver import TransportError

        if isinstance(exc, OperationalError):  # SQLite could not open or write the log
            where = getattr(args, "data_dir", None) or "the data directory"
            exc = DataDirError(f"{where}: the log cannot be opened or written: {exc.orig}")
        refused = (
            DatabaseRefusedError,
            TransportError,
            HubStoreError,
            KeyFileError,
            AlreadyRunningError,
            DataDirError,
        )
        if isinstance(exc, refused):
            print(f"opsconsole: {exc}", file=sys.stderr)
            _explain_in_window(args, str(exc))
            return 3
        raise


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "hub-people":
        from console.hub.cli import run_people_command

        return run_people_command(args)
    from console.shared.paths import new_demo_dir, prepare_data_dir, user_data_dir

    if args.command in ("demo", "console") and args.data_dir is not None:
        args.data_dir = prepare_data_dir(args.data_dir)
    if args.command == "demo" and args.city:
        from console.cli.city_demo import run_city_demo

        wanted = not args.headless and not args.json
        problem = _window_problem() if wanted else None
        if problem is not None and problem.kind != "no_display":
            print(f"opsconsole: {problem.message}", file=sys.stderr)
            return 2
        window = wanted and problem is None
        if wanted and not window:
            log.warning("no display found: running the city demo without the IOC window")
        return run_city_demo(
            args.data_dir or new_demo_dir(),
            duration=args.duration,
            speed=args.speed,
            lang=args.lang or "vi",
            window=window,
            json_out=args.json,
        )
    if args.command == "demo":
        from console.cli.demo import run_demo

        site = _site(args.site)
        problem = _window_problem() if not args.headless and not args.json else None
        if problem is not None and problem.kind != "no_display":
            print(f"opsconsole: {problem.message}", file=sys.stderr)
            return 2
        if not args.headless and not args.json and problem is None:
            from console.district.ui.app import run_window
            from console.sim.launch import simulator_argv

            sim_argv = simulator_argv(
                site.path,
                scenario=args.scenario,
                speed=args.speed,
                rate=args.rate,
                malformed_fraction=args.malformed_fraction,
            )
            from console.cli.demo import refuse_if_running
            from console.cli.local_hub import LocalHub

            data_dir = args.data_dir or new_demo_dir()
            refuse_if_running(site, data_dir)

            from console.cli.demo import ensure_demo_users, print_demo_users

            print_demo_users(ensure_demo_users(site, data_dir))
            hub = LocalHub(data_dir, site.id)
            uplink = hub.start()
            try:
                return run_window(
                    site,
                    data_dir,
                    feeds_pull=["tcp://127.0.0.1:*"],
                    simulator=sim_argv,
                    duration=args.duration,
                    lang=args.lang,
                    time_scale=args.speed,
                    uplink=uplink,
                )
            finally:
                hub.stop()
        if not args.headless and not args.json:
            log.warning(
                "no display found: running the demo headless (set DISPLAY, or pass --headless)"
            )
        return run_demo(
            site,
            args.data_dir or new_demo_dir(),
            duration=args.duration,
            scenario=args.scenario,
            rate=args.rate,
            speed=args.speed,
            malformed_fraction=args.malformed_fraction,
            json_out=args.json,
        )
    if args.command == "console":
        site = load_site(args.site)
        data_dir = args.data_dir or prepare_data_dir(user_data_dir(), explicit=False)
        if not args.headless:
            problem = _window_problem()
            if problem is not None:
                print(f"opsconsole: {problem.message}", file=sys.stderr)
                return 2
            from console.district.ui.app import run_window

            return run_window(
                site,
                data_dir,
                feeds_pull=args.feeds_endpoint,
                lang=args.lang,
            )
        from console.district.headless import run_headless

        return run_headless(
            site,
            data_dir,
            feeds_pull=args.feeds_endpoint,
            feeds_ack=args.feeds_ack_endpoint,
            json_lines=args.json,
            status_interval=args.status_interval,
            stop_timeout=args.stop_timeout,
        )
    if args.command == "ioc":
        problem = _window_problem()
        if problem is not None:
            print(f"opsconsole: {problem.message}", file=sys.stderr)
            return 2
        from console.hub.config import load_hub_config
        from console.hub.ui.app import run_ioc

        return run_ioc(load_hub_config(args.config), lang=args.lang, duration=args.duration)
    if args.command == "simulate":
        from console.shared.runtime import exit_with_parent, install_stop_signals
        from console.sim.simulator import SimOptions, Simulator, report_json

        site = load_site(args.site)
        simulator = Simulator(
            site,
            SimOptions(
                endpoint=args.endpoint,
                rate=args.rate,
                duration=args.duration,
                scenario=args.scenario,
                malformed_fraction=args.malformed_fraction,
                speed=args.speed,
                batch=args.batch,
                interval_s=args.interval or 0.0,
                seed=args.seed,
                mode=args.mode,
                backfill_min=args.backfill_minutes,
            ),
        )
        install_stop_signals(simulator.stop_event)
        if args.exit_with_parent is not None:
            exit_with_parent(args.exit_with_parent, simulator.stop_event)
        report = simulator.run()
        if args.json:
            print(report_json(report), flush=True)
        else:
            log.info("simulator: %s", json.dumps(report.as_dict()))
        # 1: some frames never reached a console (the report and a warning say how many).
        return 1 if report.frames_unsent else 0
    if args.command == "handover":
        from console.cli.handover import run_handover_command

        return run_handover_command(args)
    if args.command in ("alarms", "outbox", "users", "audit", "incidents", "backup", "restore"):
        from console.district.cli import run_district_command

        return run_district_command(args)
    if args.command == "bench" and args.bench == "alarms":
        from console.bench.alarms import run_alarm_bench

        return _bench_out(run_alarm_bench(readings=args.readings))
    if args.command == "bench" and args.bench == "history":
        from console.bench.history import LogShape, run_history_bench

        return _bench_out(
            run_history_bench(
                LogShape(
                    feeds=args.feeds,
                    days=args.days,
                    raw_interval_s=args.raw_interval_s,
                    query_feeds=args.query_feeds,
                    long_days=args.long_days,
                ),
                workdir=args.dir,
                keep=args.keep,
                prune_seconds=args.prune_seconds,
                prune_days=args.prune_days,
                reuse=args.reuse,
            )
        )
    if args.command == "bench" and args.bench == "soak":
        from console.bench.soak import run_soak_bench

        return _bench_out(run_soak_bench(minutes=args.minutes, hours=args.hours))
    if args.command == "bench" and args.bench == "incidents":
        from console.bench.incidents import run_incident_bench

        return _bench_out(
            run_incident_bench(
                incidents=args.incidents, timeline=args.timeline, big=args.big_timeline
            )
        )
    if args.command == "bench" and args.bench == "gui":
        from console.bench.gui import run_gui_bench

        return _bench_out(run_gui_bench(seconds=args.seconds, rate=args.rate))
    if args.command == "bench" and args.bench == "ioc":
        from console.bench.ioc import run_ioc_bench

        return _bench_out(
            run_ioc_bench(
                sites=args.sites,
                feeds=args.feeds,
                seconds=args.seconds,
                database=args.database,
                quick=args.quick,
            )
        )
    if args.command == "bench" and args.bench == "uplink":
        from console.bench.uplink import run_uplink_bench

        return _bench_out(
            run_uplink_bench(
                records=args.records, backlog=args.backlog, consoles=args.consoles, quick=args.quick
            )
        )
    if args.command == "bench" and args.bench == "escalation":
        from console.bench.escalation import run_escalation_bench

        return _bench_out(
            run_escalation_bench(trials=args.trials, backlog=args.backlog, quick=args.quick)
        )
    if args.command in ("hub", "keys"):
        from console.hub.cli import run_hub_command

        return run_hub_command(args)
    if args.command == "cap":
        from console.cli.cap import run_cap_command

        return run_cap_command(args)
    if args.command == "bench":
        from console.bench.ingest import run_ingest_bench

        return _bench_out(
            run_ingest_bench(
                readings=args.readings,
                latency_seconds=args.latency_seconds,
                latency_rate=args.latency_rate,
            )
        )
    raise AssertionError(args.command)


def _bench_out(result: dict[str, Any]) -> int:
    """The JSON on stdout, one line per target (met or not) on stderr."""
    from console.bench.targets import print_verdicts

    print(json.dumps(result, indent=2, sort_keys=True), flush=True)
    print_verdicts(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

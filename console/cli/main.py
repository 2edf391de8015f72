"""The ``opsconsole`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from console.district.config import ConfigError, SiteConfig, default_site_path, load_site
from console.sim.scenarios import SCENARIOS

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
    d.add_argument("--scenario", choices=SCENARIOS, default="normal")
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
        action="append",
        default=None,
        metavar="ENDPOINT",
        help="bind the feed PULL socket here instead of the site file's (repeatable)",
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

    s = sub.add_parser("simulate", help="publish simulated readings for a site")
    s.add_argument("--site", type=Path, required=True)
    s.add_argument(
        "--endpoint", required=True, help="console PULL endpoint (or PUB bind with --mode pub)"
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
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--mode", choices=("push", "pub"), default="push")
    s.add_argument(
        "--backfill-minutes",
        type=_positive(float),
        default=0.0,
        help="first replay this much history at each feed's interval, then go live",
    )
    s.add_argument("--json", action="store_true", help="print a JSON report at the end")

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

    from console.district.cli import add_district_commands
    from console.hub.cli import add_hub_commands

    add_district_commands(sub)
    add_hub_commands(sub)

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


def _has_display() -> bool:
    """True where Qt can open a window (or has been told to render offscreen)."""
    import os

    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _site(path: Path | None) -> SiteConfig:
    return load_site(path if path is not None else default_site_path())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
        return 2
    except Exception as exc:
        # Refusals the operator can act on get one line, not a traceback.
        from console.district.store.database import DatabaseRefusedError
        from console.hub.store.store import HubStoreError
        from transport.curve import KeyFileError
        from transport.feed_receiver import TransportError

        if isinstance(exc, DatabaseRefusedError | TransportError | HubStoreError | KeyFileError):
            print(f"opsconsole: {exc}", file=sys.stderr)
            return 3
        raise


def _dispatch(args: argparse.Namespace) -> int:
    from console.shared.paths import new_demo_dir, user_data_dir

    if args.command == "demo":
        from console.cli.demo import run_demo

        site = _site(args.site)
        if not args.headless and not args.json and _has_display():
            from console.district.ui.app import run_window
            from console.sim.launch import simulator_argv

            sim_argv = simulator_argv(
                site.path,
                scenario=args.scenario,
                speed=args.speed,
                rate=args.rate,
                malformed_fraction=args.malformed_fraction,
            )
            from console.cli.local_hub import LocalHub

            data_dir = args.data_dir or new_demo_dir()
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
        if not args.headless:
            if not _has_display():
                print(
                    "opsconsole: no display found (set DISPLAY, or use --headless)", file=sys.stderr
                )
                return 2
            from console.district.ui.app import run_window

            return run_window(
                site,
                args.data_dir or user_data_dir(),
                feeds_pull=args.feeds_endpoint,
                lang=args.lang,
            )
        from console.district.headless import run_headless

        return run_headless(
            site,
            args.data_dir or user_data_dir(),
            feeds_pull=args.feeds_endpoint,
            json_lines=args.json,
            status_interval=args.status_interval,
            stop_timeout=args.stop_timeout,
        )
    if args.command == "simulate":
        from console.shared.runtime import install_stop_signals
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
                seed=args.seed,
                mode=args.mode,
                backfill_min=args.backfill_minutes,
            ),
        )
        install_stop_signals(simulator.stop_event)
        report = simulator.run()
        if args.json:
            print(report_json(report), flush=True)
        else:
            log.info("simulator: %s", json.dumps(report.as_dict()))
        return 0
    if args.command in ("alarms", "outbox", "backup", "restore"):
        from console.district.cli import run_district_command

        return run_district_command(args)
    if args.command == "bench" and args.bench == "alarms":
        from console.bench.alarms import run_alarm_bench

        print(json.dumps(run_alarm_bench(readings=args.readings), indent=2, sort_keys=True))
        return 0
    if args.command == "bench" and args.bench in ("history", "soak"):
        from console.bench.targets import print_targets

        if args.bench == "history":
            from console.bench.history import LogShape, run_history_bench

            result = run_history_bench(
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
        else:
            from console.bench.soak import run_soak_bench

            result = run_soak_bench(minutes=args.minutes, hours=args.hours)
        print(json.dumps(result, indent=2, sort_keys=True))
        print_targets(result)
        return 0
    if args.command == "bench" and args.bench == "gui":
        from console.bench.gui import run_gui_bench

        print(
            json.dumps(
                run_gui_bench(seconds=args.seconds, rate=args.rate), indent=2, sort_keys=True
            )
        )
        return 0
    if args.command == "bench" and args.bench == "uplink":
        from console.bench.uplink import run_uplink_bench

        result = run_uplink_bench(
            records=args.records, backlog=args.backlog, consoles=args.consoles, quick=args.quick
        )
        print(json.dumps(result, indent=2, sort_keys=True))
        return 0
    if args.command in ("hub", "keys"):
        from console.hub.cli import run_hub_command

        return run_hub_command(args)
    if args.command == "bench":
        from console.bench.ingest import run_ingest_bench

        result = run_ingest_bench(
            readings=args.readings,
            latency_seconds=args.latency_seconds,
            latency_rate=args.latency_rate,
        )
        print(json.dumps(result, indent=2, sort_keys=True))
        return 0
    raise AssertionError(args.command)


if __name__ == "__main__":
    raise SystemExit(main())

"""Site configuration: one TOML file per operations centre (resources/sites/*.toml).

A site is configuration, never code: since July 2025 an OC may be a former
district, a ward cluster or a specialised centre. Every error names the file,
the key path (or line, for TOML syntax) and what is wrong, and stops start-up.
"""

from __future__ import annotations

import math
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from console.shared.errors import ConfigError

FEED_KINDS: dict[str, str] = {
    "river_level": "m",
    "rainfall": "mm/h",
    "pm25": "µg/m³",
    "traffic_flow": "veh/min",
    "traffic_speed": "km/h",
    "cctv_events": "events/min",
}
"""Known feed kinds and their canonical unit (a feed in another unit is refused)."""

_FEED_KEYS = {
    "id",
    "kind",
    "unit",
    "name",
    "lat",
    "lon",
    "interval_s",
    "valid_min",
    "valid_max",
    "area",
    "alert_levels",
    "alarms",
}
_ALARM_KEYS = {
    "high",
    "high_severity",
    "low",
    "low_severity",
    "deadband",
    "roc_rise",
    "roc_window_s",
    "roc_severity",
    "stale",
    "stale_severity",
    "flatline_s",
    "flatline_severity",
    "on_delay_s",
    "count_n",
    "count_window_s",
    "enable_feed",
    "enable_above",
    "enable_below",
}
_DEFAULT_KEYS = {"unit", "interval_s", "valid_min", "valid_max"}
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class Names:
    vi: str
    en: str


@dataclass(frozen=True)
class AlarmRules:
    """Alarm rules of one feed (docs/CONFIG.md). Severities: 1 low, 2 medium, 3 high."""

    high: tuple[tuple[float, int], ...] = ()
    """(threshold, severity), rising: value ≥ threshold activates."""
    low: tuple[tuple[float, int], ...] = ()
    """(threshold, severity), falling: value ≤ threshold activates."""
    deadband: float = 0.0
    roc_rise: float = 0.0
    """Rise within ``roc_window_s`` that activates the rate-of-change alarm (0: off)."""
    roc_window_s: float = 600.0
    roc_severity: int = 2
    stale: bool = True
    stale_severity: int = 2
    flatline_s: float = 0.0
    flatline_severity: int = 1
    on_delay_s: float = 0.0
    count_n: int = 1
    count_window_s: float = 0.0
    enable_feed: str = ""
    enable_above: float | None = None
    enable_below: float | None = None

    @property
    def any(self) -> bool:
        return bool(self.high or self.low or self.roc_rise or self.stale or self.flatline_s)


@dataclass(frozen=True)
class FeedConfig:
    id: str
    kind: str
    unit: str
    name: Names
    lat: float
    lon: float
    interval_s: float
    valid_min: float
    valid_max: float
    area: str = ""
    alert_levels: tuple[float, ...] = ()
    alarms: AlarmRules = field(default_factory=AlarmRules)


@dataclass(frozen=True)
class Limits:
    max_frame_bytes: int = 1_048_576
    max_batch: int = 10_000
    max_future_s: float = 60.0
    max_past_s: float = 7 * 86_400.0


@dataclass(frozen=True)
class Endpoints:
    feeds_pull: tuple[str, ...] = ()
    feeds_sub: tuple[str, ...] = ()


@dataclass(frozen=True)
class UplinkConfig:
    """The city link (docs/CONFIG.md): where the hub is, whose keys, how much to batch."""

    hub: str
    hub_public_key: str
    """40 Z85 characters, or a path (relative to the site file) to the hub's .key file."""
    secret_key: Path
    """This console's keypair: the ``.key_secret`` file from ``opsconsole keys generate``."""
    console_id: str
    batch_records: int = 1000
    heartbeat_s: float = 2.0
    backlog_warn: int = 100_000
    summary_grace_s: float = 5.0
    status_period_s: float = 60.0
    outbox_retention_days: float = 30.0
    """Acknowledged records are kept this long (the console's record of what it sent)."""


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    id: str
    name: Names
    timezone: str
    endpoints: Endpoints
    limits: Limits
    feeds: tuple[FeedConfig, ...]
    center: tuple[float, float] = field(default=(16.05, 108.2))
    uplink: UplinkConfig | None = None

    def feed(self, feed_id: str) -> FeedConfig:
        for f in self.feeds:
            if f.id == feed_id:
                return f
        raise KeyError(feed_id)


def demo_sites_dir() -> Path:
    """Where the shipped demo sites live (inside the installed package)."""
    return Path(str(importlib_resources.files("resources") / "sites"))


def default_site_path() -> Path:
    return demo_sites_dir() / "hai-chau.toml"


def load_site(path: str | Path) -> SiteConfig:
    """Read and validate a site file; raise ConfigError with a precise message."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read site file: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: TOML syntax error: {exc}") from exc
    return _Parser(p).site(data)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {key}: {problem}")

    def table(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        v = data.get(key)
        if v is None:
            raise self.fail(f"{where}{key}", "missing table")
        if not isinstance(v, dict):
            raise self.fail(f"{where}{key}", f"expected a table, got {type(v).__name__}")
        return v

    def string(
        self, data: Mapping[str, Any], key: str, where: str, default: str | None = None
    ) -> str:
        v = data.get(key, default)
        if v is None:
            raise self.fail(f"{where}{key}", "missing (a string is required)")
        if not isinstance(v, str):
            raise self.fail(f"{where}{key}", f"expected a string, got {type(v).__name__} {v!r}")
        return v

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        default: float | None = None,
        lo: float | None = None,
        hi: float | None = None,
    ) -> float:
        v = data.get(key, default)
        if v is None:
            raise self.fail(f"{where}{key}", "missing (a number is required)")
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise self.fail(f"{where}{key}", f"expected a finite number, got {v!r}")
        if lo is not None and v < lo:
            raise self.fail(f"{where}{key}", f"{v} is below the minimum {lo}")
        if hi is not None and v > hi:
            raise self.fail(f"{where}{key}", f"{v} is above the maximum {hi}")
        return float(v)

    def unknown(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(
                f"{where}{extra[0]}", f"unknown key (allowed: {', '.join(sorted(allowed))})"
            )

    def names(self, data: Mapping[str, Any], where: str) -> Names:
        t = self.table(data, "name", where)
        self.unknown(t, {"vi", "en"}, f"{where}name.")
        return Names(
            vi=self.string(t, "vi", f"{where}name."), en=self.string(t, "en", f"{where}name.")
        )

    def ident(self, data: Mapping[str, Any], key: str, where: str) -> str:
        v = self.string(data, key, where)
        if not v or len(v) > 64 or not set(v) <= _ID_CHARS:
            raise self.fail(
                f"{where}{key}", f"{v!r}: use 1-64 characters from a-z 0-9 - _ . (lower case)"
            )
        return v

    def site(self, data: Mapping[str, Any]) -> SiteConfig:
        self.unknown(
            data,
            {"site", "endpoints", "limits", "defaults", "alarm_defaults", "feeds", "uplink"},
            "",
        )
        s = self.table(data, "site", "")
        self.unknown(s, {"id", "name", "timezone", "center"}, "site.")
        site_id = self.ident(s, "id", "site.")
        tz = self.string(s, "timezone", "site.", "Asia/Ho_Chi_Minh")
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise self.fail("site.timezone", f"unknown time zone {tz!r}") from exc
        center = (16.05, 108.2)
        if "center" in s:
            c = s["center"]
            if not (isinstance(c, list) and len(c) == 2):
                raise self.fail("site.center", "expected [lat, lon]")
            center = (
                self.number({"lat": c[0]}, "lat", "site.center.", lo=-90, hi=90),
                self.number({"lon": c[1]}, "lon", "site.center.", lo=-180, hi=180),
            )
        endpoints = self.endpoints(data.get("endpoints", {}))
        limits = self.limits(data.get("limits", {}))
        uplink = self.uplink(data["uplink"], site_id) if "uplink" in data else None
        defaults = self.defaults(data.get("defaults", {}))
        alarm_defaults = self.alarm_defaults(data.get("alarm_defaults", {}))
        feeds_raw = data.get("feeds")
        if not isinstance(feeds_raw, list) or not feeds_raw:
            raise self.fail("feeds", "at least one [[feeds]] entry is required")
        feeds: list[FeedConfig] = []
        seen: dict[str, int] = {}
        for i, f in enumerate(feeds_raw):
            feed = self.feed(f, i, defaults, alarm_defaults)
            if feed.id in seen:
                raise self.fail(
                    f"feeds[{i}].id", f"{feed.id!r} already used by feeds[{seen[feed.id]}]"
                )
            seen[feed.id] = i
            feeds.append(feed)
        for i, feed in enumerate(feeds):
            ref = feed.alarms.enable_feed
            if ref and ref not in seen:
                raise self.fail(
                    f"feeds[{i}] ({feed.id}).alarms.enable_feed", f"no feed {ref!r} in this site"
                )
        return SiteConfig(
            path=self.path,
            id=site_id,
            name=self.names(s, "site."),
            timezone=tz,
            endpoints=endpoints,
            limits=limits,
            feeds=tuple(feeds),
            center=center,
            uplink=uplink,
        )

    def endpoints(self, e: Any) -> Endpoints:
        if not isinstance(e, dict):
            raise self.fail("endpoints", "expected a table")
        self.unknown(e, {"feeds_pull", "feeds_sub"}, "endpoints.")
        out: dict[str, tuple[str, ...]] = {}
        for key in ("feeds_pull", "feeds_sub"):
            v = e.get(key, [])
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise self.fail(f"endpoints.{key}", "expected a string or a list of strings")
            for x in v:
                if "://" not in x or x.split("://", 1)[0] not in ("tcp", "ipc", "inproc"):
                    raise self.fail(
                        f"endpoints.{key}",
                        f"{x!r} is not a ZeroMQ endpoint like tcp://127.0.0.1:5601",
                    )
            out[key] = tuple(v)
        if not out["feeds_pull"] and not out["feeds_sub"]:
            raise self.fail("endpoints", "set feeds_pull and/or feeds_sub")
        return Endpoints(**out)

    def uplink(self, u: Any, site_id: str) -> UplinkConfig:
        if not isinstance(u, dict):
            raise self.fail("uplink", "expected a table")
        w = "uplink."
        self.unknown(
            u,
            {
                "hub", "hub_public_key", "secret_key", "console_id", "batch_records",
                "heartbeat_s", "backlog_warn", "summary_grace_s", "status_period_s",
                "outbox_retention_days",
            },
            w,
        )  # fmt: skip
        hub = self.string(u, "hub", w)
        if hub.split("://", 1)[0] not in ("tcp", "ipc") or "*" in hub:
            raise self.fail(
                "uplink.hub", f"{hub!r} is not a connectable endpoint like tcp://ioc.example:5700"
            )
        d = UplinkConfig("", "", Path(), "")
        return UplinkConfig(
            hub=hub,
            hub_public_key=self.string(u, "hub_public_key", w),
            secret_key=self.path.parent / self.string(u, "secret_key", w),
            console_id=self.ident(u, "console_id", w) if "console_id" in u else site_id,
            batch_records=int(self.number(u, "batch_records", w, d.batch_records, 1, 5000)),
            heartbeat_s=self.number(u, "heartbeat_s", w, d.heartbeat_s, 0.1, 60),
            backlog_warn=int(self.number(u, "backlog_warn", w, d.backlog_warn, 1, 10**9)),
            summary_grace_s=self.number(u, "summary_grace_s", w, d.summary_grace_s, 0, 600),
            status_period_s=self.number(u, "status_period_s", w, d.status_period_s, 1, 3600),
            outbox_retention_days=self.number(
                u, "outbox_retention_days", w, d.outbox_retention_days, 1, 3650
            ),
        )

    def limits(self, lim: Any) -> Limits:
        if not isinstance(lim, dict):
            raise self.fail("limits", "expected a table")
        self.unknown(lim, {"max_frame_bytes", "max_batch", "max_future_s", "max_past_s"}, "limits.")
        d = Limits()
        return Limits(
            max_frame_bytes=int(
                self.number(lim, "max_frame_bytes", "limits.", d.max_frame_bytes, 1024, 64 * 2**20)
            ),
            max_batch=int(self.number(lim, "max_batch", "limits.", d.max_batch, 1, 1_000_000)),
            max_future_s=self.number(lim, "max_future_s", "limits.", d.max_future_s, 0, 86_400),
            max_past_s=self.number(lim, "max_past_s", "limits.", d.max_past_s, 1, 366 * 86_400),
        )

    def defaults(self, d: Any) -> dict[str, Mapping[str, Any]]:
        if not isinstance(d, dict):
            raise self.fail("defaults", "expected a table of per-kind tables")
        for kind, t in d.items():
            if kind not in FEED_KINDS:
                raise self.fail(
                    f"defaults.{kind}", f"unknown feed kind (known: {', '.join(FEED_KINDS)})"
                )
            if not isinstance(t, dict):
                raise self.fail(f"defaults.{kind}", "expected a table")
            self.unknown(t, _DEFAULT_KEYS, f"defaults.{kind}.")
        return d

    def alarm_defaults(self, d: Any) -> dict[str, Mapping[str, Any]]:
        if not isinstance(d, dict):
            raise self.fail("alarm_defaults", "expected a table of per-kind tables")
        for kind, t in d.items():
            if kind not in FEED_KINDS:
                raise self.fail(
                    f"alarm_defaults.{kind}", f"unknown feed kind (known: {', '.join(FEED_KINDS)})"
                )
            if not isinstance(t, dict):
                raise self.fail(f"alarm_defaults.{kind}", "expected a table")
            self.unknown(t, _ALARM_KEYS, f"alarm_defaults.{kind}.")
        return d

    def alarm_rules(
        self, raw: Mapping[str, Any], where: str, levels: tuple[float, ...]
    ) -> AlarmRules:
        self.unknown(raw, _ALARM_KEYS, where)
        d = AlarmRules()

        def thresholds(key: str, rising: bool) -> tuple[tuple[float, int], ...]:
            v = raw.get(key, [])
            if v == "alert_levels":
                if not levels:
                    raise self.fail(
                        f"{where}{key}", "'alert_levels' but the feed has no alert_levels"
                    )
                v = list(levels)
            if not isinstance(v, list) or len(v) > 3:
                raise self.fail(f"{where}{key}", 'expected up to 3 numbers, or "alert_levels"')
            ts = [self.number({"t": x}, "t", f"{where}{key}.") for x in v]
            if ts != sorted(set(ts), reverse=not rising):
                order = "rise" if rising else "fall"
                raise self.fail(f"{where}{key}", f"thresholds must {order} strictly: {ts}")
            sev_key = f"{key}_severity"
            sev = raw.get(sev_key, list(range(1, len(ts) + 1)))
            if (
                not isinstance(sev, list)
                or len(sev) != len(ts)
                or not all(
                    isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 3 for x in sev
                )
            ):
                raise self.fail(
                    f"{where}{sev_key}", f"expected {len(ts)} severities, each 1, 2 or 3"
                )
            return tuple(zip(ts, sev, strict=True))

        def sev(key: str, default: int) -> int:
            return int(self.number(raw, key, where, default, 1, 3))

        enable_feed = self.string(raw, "enable_feed", where, "")
        above = raw.get("enable_above")
        below = raw.get("enable_below")
        if enable_feed and above is None and below is None:
            raise self.fail(f"{where}enable_feed", "set enable_above or enable_below too")
        if (above is not None or below is not None) and not enable_feed:
            raise self.fail(f"{where}enable_feed", "missing: which feed enables this alarm?")
        stale = raw.get("stale", True)
        if not isinstance(stale, bool):
            raise self.fail(f"{where}stale", f"expected true or false, got {stale!r}")
        return AlarmRules(
            high=thresholds("high", True),
            low=thresholds("low", False),
            deadband=self.number(raw, "deadband", where, d.deadband, 0),
            roc_rise=self.number(raw, "roc_rise", where, d.roc_rise, 0),
            roc_window_s=self.number(raw, "roc_window_s", where, d.roc_window_s, 1, 86_400),
            roc_severity=sev("roc_severity", d.roc_severity),
            stale=stale,
            stale_severity=sev("stale_severity", d.stale_severity),
            flatline_s=self.number(raw, "flatline_s", where, d.flatline_s, 0, 30 * 86_400),
            flatline_severity=sev("flatline_severity", d.flatline_severity),
            on_delay_s=self.number(raw, "on_delay_s", where, d.on_delay_s, 0, 86_400),
            count_n=int(self.number(raw, "count_n", where, d.count_n, 1, 1000)),
            count_window_s=self.number(raw, "count_window_s", where, d.count_window_s, 0, 86_400),
            enable_feed=enable_feed,
            enable_above=None if above is None else self.number(raw, "enable_above", where),
            enable_below=None if below is None else self.number(raw, "enable_below", where),
        )

    def feed(
        self,
        f: Any,
        i: int,
        defaults: Mapping[str, Mapping[str, Any]],
        alarm_defaults: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> FeedConfig:
        where = f"feeds[{i}]."
        if not isinstance(f, dict):
            raise self.fail(f"feeds[{i}]", "expected a table")
        fid = self.ident(f, "id", where)
        where = f"feeds[{i}] ({fid})."
        self.unknown(f, _FEED_KEYS, where)
        kind = self.string(f, "kind", where)
        if kind not in FEED_KINDS:
            raise self.fail(
                f"{where}kind", f"unknown kind {kind!r} (known: {', '.join(FEED_KINDS)})"
            )
        merged = {**defaults.get(kind, {}), **f}
        unit = self.string(merged, "unit", where, FEED_KINDS[kind])
        if unit != FEED_KINDS[kind]:
            raise self.fail(
                f"{where}unit", f"{unit!r} is not the unit of {kind} ({FEED_KINDS[kind]!r})"
            )
        vmin = self.number(merged, "valid_min", where)
        vmax = self.number(merged, "valid_max", where)
        if not vmin < vmax:
            raise self.fail(f"{where}valid_max", f"valid range is empty ({vmin} .. {vmax})")
        levels: tuple[float, ...] = ()
        if "alert_levels" in f:
            lv = f["alert_levels"]
            if not isinstance(lv, list) or not lv or len(lv) > 3:
                raise self.fail(f"{where}alert_levels", "expected 1-3 numbers (levels I, II, III)")
            levels = tuple(self.number({"level": x}, "level", f"{where}alert_levels.") for x in lv)
            if list(levels) != sorted(set(levels)):
                raise self.fail(
                    f"{where}alert_levels", f"levels must rise strictly: {list(levels)}"
                )
        area = self.string(f, "area", where, "")
        own = f.get("alarms", {})
        if not isinstance(own, dict):
            raise self.fail(f"{where}alarms", "expected a table")
        alarm_raw = {**(alarm_defaults or {}).get(kind, {}), **own}
        rules = self.alarm_rules(alarm_raw, f"{where}alarms.", levels)
        return FeedConfig(
            id=fid,
            kind=kind,
            unit=unit,
            name=self.names(f, where),
            lat=self.number(f, "lat", where, lo=-90, hi=90),
            lon=self.number(f, "lon", where, lo=-180, hi=180),
            interval_s=self.number(merged, "interval_s", where, lo=0.1, hi=86_400),
            valid_min=vmin,
            valid_max=vmax,
            area=area,
            alert_levels=levels,
            alarms=rules,
        )

"""Site configuration: one TOML file per operations centre (resources/sites/*.toml).

A site is configuration, never code: since July 2025 an OC may be a former
district, a ward cluster or a specialised centre. The file's tables are
declared below as msgspec Structs (console.shared.configfile); a short
semantic pass then merges the per-kind defaults into the feeds and checks what
a schema cannot say. Every error names the file, the key path (and its line)
and what is wrong, and stops start-up.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from console.shared.access import AccessConfig, AccessTable
from console.shared.configfile import EXPECTED, FIX, ConfigFile, KeyPath, Table
from console.shared.errors import ConfigError
from console.shared.kinds import KINDS

__all__ = [
    "FEED_KINDS",
    "AccessConfig",
    "AlarmRules",
    "ConfigError",
    "Endpoints",
    "EscalationConfig",
    "FeedConfig",
    "Limits",
    "Names",
    "SiteConfig",
    "StorageConfig",
    "UplinkConfig",
    "default_site_path",
    "demo_sites_dir",
    "derive_incident_prefix",
    "load_site",
]

FEED_KINDS: Mapping[str, str] = MappingProxyType({k.id: k.unit for k in KINDS.values()})
"""Known feed kinds and their canonical unit (console.shared.kinds has the rest)."""


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
    feeds_ack: tuple[str, ...] = ()
    """ROUTER binds for gateways in acknowledged mode (docs/PROTOCOL.md §1.9)."""


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
class StorageConfig:
    """The local log over years (docs/CONFIG.md, docs/SIZING.md): tiers, retention, disk."""

    raw_days: float = 90.0
    """Raw readings are kept this long; older ones are pruned once in the minute tier."""
    minute_days: float = 0.0
    """Per-minute aggregates are kept this long; 0: for ever."""
    history_raw_max_h: float = 24.0
    """History spans longer than this read the minute tier (so do spans reaching back
    past ``raw_days``)."""
    disk_warn_free_mb: float = 2048.0
    """Free space on the log's file system below this: a system alarm, severity 2."""
    disk_critical_free_mb: float = 512.0
    """... below this (or the log cannot commit for lack of space): severity 3."""
    prune_step_rows: int = 5000
    """At most this many rows deleted per writer transaction while pruning."""
    write_queue_rows: int = 200_000
    """Readings held in memory while the log cannot commit (a full disk); beyond
    that they are shown live but not stored, and counted."""


@dataclass(frozen=True)
class EscalationConfig:
    """Escalations to the city IOC (docs/CONFIG.md, docs/CAP.md)."""

    ack_timeout_s: float = 300.0
    """An escalation the IOC has not acknowledged this long after it was sent raises an alarm
    telling the supervisor to phone the IOC duty officer (0: never). Real time: the IOC
    answers in real time, so the demo's time scale does not shorten it."""
    ioc_duty_phone: str = ""
    """The IOC duty officer's number, shown in that alarm."""
    contact: str = ""
    """The centre's own duty phone (CAP ``contact``; "" leaves it out)."""
    status: str = "Actual"
    """The CAP ``status`` the escalation panel starts with: ``Actual``, or ``Exercise`` for
    training and the demo (the supervisor may choose the other for one escalation)."""
    expires_h: float = 6.0
    """CAP ``expires`` = sent + this; an Update sends a new one."""


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
    storage: StorageConfig = field(default_factory=StorageConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    incident_prefix: str = ""
    """Readable incident ids start with it (``HC-2026-0042``); "" derives it from the id."""
    sops_dir: Path | None = None
    """The city's procedure files (None: the shipped samples, resources/sops)."""
    escalation: EscalationConfig = field(default_factory=EscalationConfig)

    @property
    def incident_id_prefix(self) -> str:
        return self.incident_prefix or derive_incident_prefix(self.id)

    def feed(self, feed_id: str) -> FeedConfig:
        for f in self.feeds:
            if f.id == feed_id:
                return f
        raise KeyError(feed_id)


# --- The file as declared: one Struct per TOML table ------------------------------------------

Id = Annotated[
    str,
    Meta(
        pattern=r"^[a-z0-9._-]{1,64}$",
        extra={FIX: "use 1-64 characters from a-z 0-9 - _ . (lower case)"},
    ),
]
Lat = Annotated[float, Meta(ge=-90, le=90)]
Lon = Annotated[float, Meta(ge=-180, le=180)]
Severity = Annotated[int, Meta(ge=1, le=3)]
Severities = Annotated[list[Severity], Meta(max_length=3)]
Thresholds = Literal["alert_levels"] | Annotated[list[float], Meta(max_length=3)]
Endpoint = str | list[str]


class NamesTable(Table):
    vi: str
    en: str


class SiteTable(Table):
    id: Id
    name: NamesTable
    timezone: str = "Asia/Ho_Chi_Minh"
    center: Annotated[tuple[Lat, Lon], Meta(extra={EXPECTED: "[lat, lon]"})] = (16.05, 108.2)
    incident_prefix: (
        Annotated[
            str, Meta(pattern=r"^[A-Z0-9]{1,8}$", extra={FIX: "use 1-8 characters from A-Z 0-9"})
        ]
        | None
    ) = None
    sops_dir: str | None = None


class EndpointsTable(Table):
    feeds_pull: Endpoint = msgspec.field(default_factory=list)
    feeds_sub: Endpoint = msgspec.field(default_factory=list)
    feeds_ack: Endpoint = msgspec.field(default_factory=list)


class LimitsTable(Table):
    max_frame_bytes: Annotated[int, Meta(ge=1024, le=64 * 2**20)] = Limits.max_frame_bytes
    max_batch: Annotated[int, Meta(ge=1, le=1_000_000)] = Limits.max_batch
    max_future_s: Annotated[float, Meta(ge=0, le=86_400)] = Limits.max_future_s
    max_past_s: Annotated[float, Meta(ge=1, le=366 * 86_400)] = Limits.max_past_s


class UplinkTable(Table):
    hub: str
    hub_public_key: str
    secret_key: str
    console_id: Id | None = None
    batch_records: Annotated[int, Meta(ge=1, le=5000)] = UplinkConfig.batch_records
    heartbeat_s: Annotated[float, Meta(ge=0.1, le=60)] = UplinkConfig.heartbeat_s
    backlog_warn: Annotated[int, Meta(ge=1, le=10**9)] = UplinkConfig.backlog_warn
    summary_grace_s: Annotated[float, Meta(ge=0, le=600)] = UplinkConfig.summary_grace_s
    status_period_s: Annotated[float, Meta(ge=1, le=3600)] = UplinkConfig.status_period_s
    outbox_retention_days: Annotated[float, Meta(ge=1, le=3650)] = (
        UplinkConfig.outbox_retention_days
    )


class StorageTable(Table):
    raw_days: Annotated[float, Meta(ge=1, le=36_500)] = StorageConfig.raw_days
    minute_days: Annotated[float, Meta(ge=0, le=36_500)] = StorageConfig.minute_days
    history_raw_max_h: Annotated[float, Meta(ge=0.1, le=24 * 365)] = StorageConfig.history_raw_max_h
    disk_warn_free_mb: Annotated[float, Meta(ge=1, le=2**30)] = StorageConfig.disk_warn_free_mb
    disk_critical_free_mb: Annotated[float, Meta(ge=0.1, le=2**30)] = (
        StorageConfig.disk_critical_free_mb
    )
    prune_step_rows: Annotated[int, Meta(ge=100, le=1_000_000)] = StorageConfig.prune_step_rows
    write_queue_rows: Annotated[int, Meta(ge=1000, le=10_000_000)] = StorageConfig.write_queue_rows


class EscalationTable(Table):
    ack_timeout_s: Annotated[float, Meta(ge=0, le=86_400)] = EscalationConfig.ack_timeout_s
    ioc_duty_phone: Annotated[str, Meta(max_length=40)] = ""
    contact: Annotated[str, Meta(max_length=200)] = ""
    status: Literal["Actual", "Exercise"] = "Actual"
    expires_h: Annotated[float, Meta(ge=0.5, le=168)] = EscalationConfig.expires_h


class KindDefaults(Table):
    """``[defaults.<kind>]``, and the same keys of a feed (None: not set here)."""

    unit: str | None = None
    interval_s: Annotated[float, Meta(ge=0.1, le=86_400)] | None = None
    valid_min: float | None = None
    valid_max: float | None = None


class AlarmTable(Table):
    """``[alarm_defaults.<kind>]`` and a feed's ``alarms = {...}`` (None: not set here)."""

    high: Thresholds | None = None
    high_severity: Severities | None = None
    low: Thresholds | None = None
    low_severity: Severities | None = None
    deadband: Annotated[float, Meta(ge=0)] | None = None
    roc_rise: Annotated[float, Meta(ge=0)] | None = None
    roc_window_s: Annotated[float, Meta(ge=1, le=86_400)] | None = None
    roc_severity: Severity | None = None
    stale: bool | None = None
    stale_severity: Severity | None = None
    flatline_s: Annotated[float, Meta(ge=0, le=30 * 86_400)] | None = None
    flatline_severity: Severity | None = None
    on_delay_s: Annotated[float, Meta(ge=0, le=86_400)] | None = None
    count_n: Annotated[int, Meta(ge=1, le=1000)] | None = None
    count_window_s: Annotated[float, Meta(ge=0, le=86_400)] | None = None
    enable_feed: str | None = None
    enable_above: float | None = None
    enable_below: float | None = None


class FeedTable(KindDefaults, kw_only=True):
    id: Id
    kind: str
    name: NamesTable
    lat: Lat
    lon: Lon
    area: str = ""
    alert_levels: (
        Annotated[
            list[float],
            Meta(min_length=1, max_length=3, extra={EXPECTED: "1-3 numbers (levels I, II, III)"}),
        ]
        | None
    ) = None
    alarms: AlarmTable = msgspec.field(default_factory=AlarmTable)


class SiteFile(Table):
    site: SiteTable
    feeds: Annotated[
        list[FeedTable], Meta(min_length=1, extra={EXPECTED: "at least one [[feeds]] entry"})
    ]
    endpoints: EndpointsTable = msgspec.field(default_factory=EndpointsTable)
    limits: LimitsTable = msgspec.field(default_factory=LimitsTable)
    defaults: dict[str, KindDefaults] = msgspec.field(default_factory=dict)
    alarm_defaults: dict[str, AlarmTable] = msgspec.field(default_factory=dict)
    uplink: UplinkTable | None = None
    storage: StorageTable = msgspec.field(default_factory=StorageTable)
    access: AccessTable = msgspec.field(default_factory=AccessTable)
    escalation: EscalationTable = msgspec.field(default_factory=EscalationTable)


def derive_incident_prefix(site_id: str) -> str:
    """Initials of the site id's words, upper case: ``hai-chau`` → ``HC`` (at most 8)."""
    words = [w for w in site_id.replace("_", "-").replace(".", "-").split("-") if w]
    return "".join(w[0] for w in words).upper()[:8] or "INC"


def demo_sites_dir() -> Path:
    """Where the shipped demo sites live (inside the installed package)."""
    return Path(str(importlib_resources.files("resources") / "sites"))


def default_site_path() -> Path:
    return demo_sites_dir() / "hai-chau.toml"


def load_site(path: str | Path) -> SiteConfig:
    """Read and validate a site file; raise ConfigError with a precise message."""
    return site_from(ConfigFile.read(path, "site file"))


def site_from(file: ConfigFile) -> SiteConfig:
    """The site in an already parsed file (the schema, then the semantic pass)."""
    return _Semantics(file, file.convert(SiteFile)).site()


# --- What a schema cannot say --------------------------------------------------------------

_KINDS_TEXT = ", ".join(KINDS)
_ALARM_SCALARS = (
    "deadband", "roc_rise", "roc_window_s", "roc_severity", "stale", "stale_severity",
    "flatline_s", "flatline_severity", "on_delay_s", "count_n", "count_window_s",
    "enable_feed", "enable_above", "enable_below",
)  # fmt: skip

Layered = dict[str, tuple[Any, KeyPath]]
"""Keys set across layered tables: value and where it was set (the last layer wins)."""


def _layered(keys: tuple[str, ...], *layers: tuple[KeyPath, Table | None]) -> Layered:
    out: Layered = {}
    for at, table in layers:
        for key in keys if table is not None else ():
            value = getattr(table, key)
            if value is not None:
                out[key] = (value, (*at, key))
    return out


class _Semantics:
    def __init__(self, file: ConfigFile, doc: SiteFile) -> None:
        self.file = file
        self.doc = doc

    def fail(self, at: KeyPath, problem: str) -> ConfigError:
        return self.file.error(at, problem)

    def set_in(self, where: KeyPath, own: KeyPath) -> str:
        """ " (set in alarm_defaults.x)" when the key at ``where`` is not in ``own``."""
        return "" if where[: len(own)] == own else f" (set in {self.file.where(where[:-1])})"

    def site(self) -> SiteConfig:
        doc = self.doc
        tz = doc.site.timezone
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise self.fail(("site", "timezone"), f"unknown time zone {tz!r}") from exc
        endpoints = self.endpoints()
        self.kind_tables()
        feeds = tuple(self.feed(i, f) for i, f in enumerate(doc.feeds))
        seen: dict[str, int] = {}
        for i, feed in enumerate(feeds):
            if feed.id in seen:
                raise self.fail(
                    ("feeds", i, "id"), f"{feed.id!r} already used by feeds[{seen[feed.id]}]"
                )
            seen[feed.id] = i
        for i, f in enumerate(doc.feeds):
            ref = self.alarm_layers(i, f).get("enable_feed")
            if ref is not None and ref[0] and ref[0] not in seen:
                raise self.fail(ref[1], f"no feed {ref[0]!r} in this site")
        return SiteConfig(
            path=self.file.path,
            id=doc.site.id,
            name=Names(vi=doc.site.name.vi, en=doc.site.name.en),
            timezone=tz,
            endpoints=endpoints,
            limits=Limits(**msgspec.structs.asdict(doc.limits)),
            feeds=feeds,
            center=doc.site.center,
            uplink=self.uplink(doc.uplink) if doc.uplink is not None else None,
            storage=self.storage(doc.storage),
            access=AccessConfig(**msgspec.structs.asdict(doc.access)),
            incident_prefix=doc.site.incident_prefix or "",
            sops_dir=self.sops_dir(),
            escalation=EscalationConfig(**msgspec.structs.asdict(doc.escalation)),
        )

    def storage(self, t: StorageTable) -> StorageConfig:
        if t.minute_days and t.minute_days < t.raw_days:
            raise self.fail(
                ("storage", "minute_days"),
                f"{t.minute_days:g} is shorter than raw_days ({t.raw_days:g}): the minute tier "
                "must outlive the raw readings it summarizes (0 keeps it for ever)",
            )
        max_past_s = self.doc.limits.max_past_s
        if t.raw_days * 86_400 <= max_past_s + 60:
            raise self.fail(
                ("storage", "raw_days"),
                f"{t.raw_days:g} is not longer than limits.max_past_s ({max_past_s / 86_400:g} "
                "days): a reading accepted that late would rewrite a minute whose raw readings "
                "are already pruned",
            )
        if t.disk_critical_free_mb >= t.disk_warn_free_mb:
            raise self.fail(
                ("storage", "disk_critical_free_mb"),
                f"{t.disk_critical_free_mb:g} must be below disk_warn_free_mb "
                f"({t.disk_warn_free_mb:g})",
            )
        return StorageConfig(**msgspec.structs.asdict(t))

    def sops_dir(self) -> Path | None:
        raw = self.doc.site.sops_dir
        if raw is None:
            return None
        d = self.file.path.parent / raw
        if not d.is_dir():
            raise self.fail(
                ("site", "sops_dir"),
                f"{raw!r} is not a directory (relative to {self.file.path.name})",
            )
        return d

    def endpoints(self) -> Endpoints:
        e = self.doc.endpoints
        out: dict[str, tuple[str, ...]] = {}
        for key in ("feeds_pull", "feeds_sub", "feeds_ack"):
            v = getattr(e, key)
            out[key] = (v,) if isinstance(v, str) else tuple(v)
            for x in out[key]:
                if "://" not in x or x.split("://", 1)[0] not in ("tcp", "ipc", "inproc"):
                    raise self.fail(
                        ("endpoints", key),
                        f"{x!r} is not a ZeroMQ endpoint like tcp://127.0.0.1:5601",
                    )
        if not out["feeds_pull"] and not out["feeds_sub"] and not out["feeds_ack"]:
            raise self.fail(("endpoints",), "set feeds_pull and/or feeds_sub (or feeds_ack)")
        return Endpoints(**out)

    def uplink(self, u: UplinkTable) -> UplinkConfig:
        if u.hub.split("://", 1)[0] not in ("tcp", "ipc") or "*" in u.hub:
            raise self.fail(
                ("uplink", "hub"),
                f"{u.hub!r} is not a connectable endpoint like tcp://ioc.example:5700",
            )
        return UplinkConfig(
            hub=u.hub,
            hub_public_key=u.hub_public_key,
            secret_key=self.file.path.parent / u.secret_key,
            console_id=u.console_id if u.console_id is not None else self.doc.site.id,
            batch_records=u.batch_records,
            heartbeat_s=u.heartbeat_s,
            backlog_warn=u.backlog_warn,
            summary_grace_s=u.summary_grace_s,
            status_period_s=u.status_period_s,
            outbox_retention_days=u.outbox_retention_days,
        )

    def kind_tables(self) -> None:
        """Per-kind tables, checked on their own: an error names the table, not a feed."""
        for name, tables in (
            ("defaults", self.doc.defaults),
            ("alarm_defaults", self.doc.alarm_defaults),
        ):
            for kind in tables:
                if kind not in KINDS:
                    raise self.fail((name, kind), f"unknown feed kind (known: {_KINDS_TEXT})")
        for kind, d in self.doc.defaults.items():
            self.feed_keys(kind, _layered(KindDefaults.__struct_fields__, (("defaults", kind), d)))
        for kind, a in self.doc.alarm_defaults.items():
            keys = _layered(AlarmTable.__struct_fields__, (("alarm_defaults", kind), a))
            self.thresholds(keys, "high", None, ())
            self.thresholds(keys, "low", None, ())

    def feed_keys(self, kind: str, keys: Layered) -> None:
        """Unit and valid range of a feed, or of a defaults table on its own."""
        unit = keys.get("unit")
        if unit is not None and unit[0] != KINDS[kind].unit:
            raise self.fail(
                unit[1], f"{unit[0]!r} is not the unit of {kind} ({KINDS[kind].unit!r})"
            )
        vmin, vmax = keys.get("valid_min"), keys.get("valid_max")
        if vmin is not None and vmax is not None and not vmin[0] < vmax[0]:
            # Name the key the feed set (the defaults table alone was checked first).
            where = vmax[1] if vmax[1][0] == "feeds" or vmin[1][0] != "feeds" else vmin[1]
            raise self.fail(where, f"valid range is empty ({vmin[0]} .. {vmax[0]})")

    def thresholds(
        self, keys: Layered, key: str, feed: KeyPath | None, levels: tuple[float, ...]
    ) -> tuple[tuple[float, int], ...]:
        """(threshold, severity) pairs of ``high`` or ``low`` for ``feed`` (None: a table alone)."""
        if key not in keys:
            return ()
        value, where = keys[key]
        if value == "alert_levels":
            if feed is None:
                return ()  # a feed's levels: checked with the feed
            if not levels:
                raise self.fail(
                    (*feed, "alarms", key),
                    f'"alert_levels"{self.set_in(where, feed)} but the feed has no alert_levels',
                )
            ts, source = list(levels), f"the alert_levels of {self.file.where(feed)}"
        else:
            ts, source = [float(x) for x in value], self.file.where(where)
            rising = key == "high"
            if ts != sorted(set(ts), reverse=not rising):
                raise self.fail(
                    where, f"thresholds must {'rise' if rising else 'fall'} strictly: {ts}"
                )
        sev = keys.get(f"{key}_severity")
        if sev is None:
            return tuple((t, n) for n, t in enumerate(ts, 1))
        if len(sev[0]) != len(ts):
            problem = f"expected {len(ts)} severities, one per {key} threshold, got {len(sev[0])}"
            if sev[1][:-1] != where[:-1] or value == "alert_levels":
                problem += f" (thresholds: {source})"
            raise self.fail(sev[1], problem)
        return tuple(zip(ts, sev[0], strict=True))

    def feed(self, i: int, f: FeedTable) -> FeedConfig:
        at: KeyPath = ("feeds", i)
        kind = KINDS.get(f.kind)
        if kind is None:
            raise self.fail((*at, "kind"), f"unknown kind {f.kind!r} (known: {_KINDS_TEXT})")
        keys = _layered(
            KindDefaults.__struct_fields__,
            (("defaults", f.kind), self.doc.defaults.get(f.kind)),
            (at, f),
        )
        self.feed_keys(f.kind, keys)

        def number(key: str) -> float:
            if key not in keys:
                raise self.fail(
                    (*at, key), f"missing (a number is required, here or in [defaults.{f.kind}])"
                )
            return float(keys[key][0])

        levels = tuple(f.alert_levels or ())
        if list(levels) != sorted(set(levels)):
            raise self.fail((*at, "alert_levels"), f"levels must rise strictly: {list(levels)}")
        return FeedConfig(
            id=f.id,
            kind=f.kind,
            unit=keys["unit"][0] if "unit" in keys else kind.unit,
            name=Names(vi=f.name.vi, en=f.name.en),
            lat=f.lat,
            lon=f.lon,
            interval_s=number("interval_s"),
            valid_min=number("valid_min"),
            valid_max=number("valid_max"),
            area=f.area,
            alert_levels=levels,
            alarms=self.alarm_rules(i, f, levels),
        )

    def alarm_layers(self, i: int, f: FeedTable) -> Layered:
        return _layered(
            AlarmTable.__struct_fields__,
            (("alarm_defaults", f.kind), self.doc.alarm_defaults.get(f.kind)),
            (("feeds", i, "alarms"), f.alarms),
        )

    def alarm_rules(self, i: int, f: FeedTable, levels: tuple[float, ...]) -> AlarmRules:
        keys = self.alarm_layers(i, f)
        at: KeyPath = ("feeds", i, "alarms")
        enable = keys.get("enable_feed", ("", (*at, "enable_feed")))
        bounds = [k for k in ("enable_above", "enable_below") if k in keys]
        if enable[0] and not bounds:
            raise self.fail(enable[1], "set enable_above or enable_below too")
        if bounds and not enable[0]:
            raise self.fail(
                (*at, "enable_feed"),
                "missing: which feed enables this alarm?" + self.set_in(keys[bounds[0]][1], at),
            )
        return AlarmRules(
            high=self.thresholds(keys, "high", at[:2], levels),
            low=self.thresholds(keys, "low", at[:2], levels),
            **{k: keys[k][0] for k in _ALARM_SCALARS if k in keys},
        )

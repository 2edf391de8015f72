"""Typed link records: a round trip per kind, today's payloads still read, hostile payloads
only ever yield a coded RecordError, and whatever decodes fits the hub's columns."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

import msgpack
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    BigInteger,
    Boolean,
    Engine,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    create_engine,
)

from console.district.store import inbox as console_inbox
from console.district.store import schema as console_schema
from console.hub import city
from console.hub.store.schema import (
    alarm_events,
    audit_entries,
    audit_heads,
    directive_events,
    escalations,
    feed_minutes,
    hub_feeds,
    kind_hours,
    site_status,
    site_status_history,
)
from console.shared import cap
from console.shared import records as rec
from console.shared.audit import entry_hash
from console.shared.records import (
    INT32_MAX,
    INT64_MAX,
    ActiveAlarms,
    AlarmCounts,
    AlarmTransition,
    AuditEntry,
    CityWarning,
    Directive,
    DirectiveState,
    Escalation,
    EscalationAck,
    FeedCounts,
    MinuteSummary,
    RecordError,
    SiteStatus,
)
from console.shared.vocab import (
    DOWNLINK_PRIORITY,
    UPLINK_PRIORITY,
    DirectivePriority,
    DirectiveStep,
)

MINUTE = 29_000_000 * 60_000

_ENTRY: dict[str, Any] = {
    "chain": "3f1c2a9e-8d4b-4c1e-9a57-0b6d2e8f1c34",
    "seq": 7,
    "ts": MINUTE + 5,
    "user": "vanan",
    "name": "Nguyễn Văn An",
    "roles": "operator",
    "auth": True,
    "ws": "oc-hc-01",
    "action": "acknowledge",
    "object": "hc-river-03:high",
    "before": "active_unack",
    "after": "active_ack",
    "note": "đã báo đội ứng cứu",
    "prev": "ab" * 32,
}
_ENTRY["hash"] = entry_hash({"v": 1, **_ENTRY})

SAMPLES: dict[type[rec.LinkRecord], rec.LinkRecord] = {
    SiteStatus: SiteStatus(
        site="hai-chau",
        ts=MINUTE + 1234,
        feeds=FeedCounts(good=40, uncertain=1, bad=1, stale=2, nodata=0, total=44),
        alarms=AlarmCounts(active=ActiveAlarms(sev1=3, sev2=1, sev3=0), unack=2, shelved=1),
    ),
    MinuteSummary: MinuteSummary(
        site="hai-chau",
        feed="hc-pm25-01",
        kind="pm25",
        unit="µg/m³",
        minute=MINUTE,
        n=60,
        min=12.5,
        max=40.25,
        mean=21.0,
        last=19.5,
        last_ts=MINUTE + 59_000,
        q=(58, 2, 0),
    ),
    AuditEntry: AuditEntry(**_ENTRY),
    AlarmTransition: AlarmTransition(
        site="hai-chau",
        alarm="hc-river-03:high",
        feed="hc-river-03",
        rule="high",
        event="ack",
        state="active_ack",
        prior="active_unack",
        severity=2,
        value=None,
        ts=MINUTE + 7,
        user="vanan",
        ws="oc-hc-01",
        note="đã báo đội ứng cứu",
    ),
    DirectiveState: DirectiveState(
        id="ioc-1a2b3c4d",
        step=DirectiveStep.DONE,
        ts=MINUTE + 9,
        user="vanan",
        name="Nguyễn Văn An",
        roles="operator",
        ws="oc-hc-01",
        note="đã mở nhà tránh trú",
    ),
}


def _cap(sender: str) -> bytes:
    sent = datetime(2026, 12, 6, 14, 5, tzinfo=timezone(timedelta(hours=7)))
    return cap.build_xml(
        cap.CapAlert(
            identifier=f"{sender}-3f2a9c1e-1",
            sender=sender,
            sent=sent,
            status=cap.Status.EXERCISE,
            msg_type=cap.MsgType.ALERT,
            scope=cap.Scope.RESTRICTED,
            restriction="Da Nang IOC",
            infos=(
                cap.CapInfo(
                    language="vi-VN",
                    categories=(cap.Category.MET,),
                    event="Ngập lụt",
                    urgency=cap.Urgency.IMMEDIATE,
                    severity=cap.Severity.SEVERE,
                    certainty=cap.Certainty.OBSERVED,
                    areas=(cap.CapArea(area_desc="Phường Hòa Xuân"),),
                ),
            ),
        )
    )


# An escalation from the site ``s1`` (the origin the property tests fold under).
SAMPLES[Escalation] = Escalation(cap=_cap("s1"), incident="s1-inc-4")

DOWN_SAMPLES: dict[type[rec.LinkRecord], rec.LinkRecord] = {
    Directive: Directive(
        id="ioc-1a2b3c4d",
        text="Mở nhà tránh trú Hòa Xuân",
        priority=DirectivePriority.URGENT,
        sites=("cam-le", "hai-chau"),
        due=MINUTE + 3_600_000,
        ref="cam-le-3f2a9c1e-1",
        by="ioc-duty",
        name="Trần Thị Bình",
        ts=MINUTE,
    ),
    CityWarning: CityWarning(cap=_cap("ioc"), by="ioc-duty", name="Trần Thị Bình", ts=MINUTE),
    EscalationAck: EscalationAck(
        ref="cam-le-3f2a9c1e-1", by="ioc-duty", name="Trần Thị Bình", ts=MINUTE, note=""
    ),
}
ALL_SAMPLES = {**SAMPLES, **DOWN_SAMPLES}

LEGACY: dict[type[rec.LinkRecord], dict[str, Any]] = {
    # Exactly what consoles sent before records were typed (no `v`).
    SiteStatus: {
        "site": "hai-chau",
        "ts": MINUTE + 1234,
        "feeds": {"nodata": 0, "good": 40, "uncertain": 1, "bad": 1, "stale": 2, "total": 44},
        "alarms": {"active": {"1": 3, "2": 1, "3": 0}, "unack": 2, "shelved": 1},
    },
    MinuteSummary: {
        "site": "hai-chau",
        "feed": "hc-pm25-01",
        "kind": "pm25",
        "unit": "µg/m³",
        "minute": MINUTE,
        "n": 60,
        "min": 12.5,
        "max": 40.25,
        "mean": 21.0,
        "last": 19.5,
        "last_ts": MINUTE + 59_000,
        "q": [58, 2, 0],
    },
    AuditEntry: _ENTRY,  # new with `v`: the same map without it reads as version 1
    # Kinds of revision 3: as they are sent, without `v` (read as version 1 all the same).
    **{
        t: {k: v for k, v in msgpack.unpackb(rec.encode(x), raw=False).items() if k != "v"}
        for t, x in list(SAMPLES.items())[3:] + list(DOWN_SAMPLES.items())
    },
}


def test_every_kind_on_the_link_has_a_type_a_sample_and_a_fold() -> None:
    assert set(rec.RECORD_TYPES) == {
        ("status", "status"),
        ("summary", "minute"),
        ("audit", "entry"),
        ("alarm", "event"),
        ("dir_status", "state"),
        ("escalation", "alert"),
        ("directive", "directive"),
        ("warning", "cap"),
        ("esc_ack", "ack"),
    }
    up = {k: t for k, t in rec.RECORD_TYPES.items() if k[0] in UPLINK_PRIORITY}
    down = {k: t for k, t in rec.RECORD_TYPES.items() if k[0] in DOWNLINK_PRIORITY}
    assert up.keys() | down.keys() == rec.RECORD_TYPES.keys()
    # Uplink kinds fold into the hub's city picture, downlink kinds apply at the console.
    assert set(SAMPLES) == set(up.values())
    assert set(city.FOLDS) == set(up)
    assert all(city.FOLDS[k][0] is t for k, t in up.items())
    assert set(DOWN_SAMPLES) == set(down.values())
    assert set(console_inbox.APPLIERS) == set(down)
    assert all(console_inbox.APPLIERS[k][0] is t for k, t in down.items())


@pytest.mark.parametrize("cls", list(ALL_SAMPLES), ids=lambda c: c.__name__)
def test_round_trip_per_kind(cls: type[rec.LinkRecord]) -> None:
    sample = ALL_SAMPLES[cls]
    payload = rec.encode(sample)
    assert rec.decode(cls.STREAM, cls.KIND, payload) == sample
    assert rec.decode_as(cls, payload) == sample
    # On the wire: today's map with `v` first, which a reader of today's maps ignores.
    wire = msgpack.unpackb(payload, raw=False)
    assert next(iter(wire)) == "v" and wire["v"] == 1
    assert {k: v for k, v in wire.items() if k != "v"} == LEGACY[cls]


@pytest.mark.parametrize("cls", list(ALL_SAMPLES), ids=lambda c: c.__name__)
def test_payloads_from_before_the_version_field_still_decode(cls: type[rec.LinkRecord]) -> None:
    legacy = msgpack.packb(LEGACY[cls])
    assert rec.decode(cls.STREAM, cls.KIND, legacy) == ALL_SAMPLES[cls]
    with_extra = msgpack.packb({**LEGACY[cls], "added_in_a_later_version": [1, 2]})
    assert rec.decode(cls.STREAM, cls.KIND, with_extra) == ALL_SAMPLES[cls]


def test_counts_a_status_does_not_send_are_zero() -> None:
    p = {"site": "s1", "ts": 5, "feeds": {"total": 5, "stale": 1}, "alarms": {"active": {"3": 1}}}
    s = rec.decode_as(SiteStatus, msgpack.packb(p))
    assert s.feeds == FeedCounts(total=5, stale=1)
    assert s.alarms == AlarmCounts(active=ActiveAlarms(sev3=1), unack=0, shelved=0)


def test_backlog_and_period_are_optional_and_never_sent_as_nil() -> None:
    full = msgspec.structs.replace(SAMPLES[SiteStatus], backlog=12, period=10_000)
    wire = msgpack.unpackb(rec.encode(full), raw=False)
    assert (wire["backlog"], wire["period"]) == (12, 10_000)
    assert rec.decode_as(SiteStatus, rec.encode(full)) == full
    # Left out when unknown: an older hub reads exactly the map it knows...
    assert "backlog" not in msgpack.unpackb(rec.encode(SAMPLES[SiteStatus]), raw=False)
    # ...and a newer hub reads an older console's status as "not reported", not 0.
    old = rec.decode_as(SiteStatus, msgpack.packb(LEGACY[SiteStatus]))
    assert old.backlog is msgspec.UNSET and old.period is msgspec.UNSET
    changes = city.CityChanges()
    city.fold(changes, city.Origin("c1", "s1", "status", 1, 0), "status", rec.encode(old))
    assert (changes.site_status["s1"]["backlog"], changes.site_status["s1"]["period_ms"]) == (
        None,
        None,
    )
    for bad in ({"backlog": None}, {"backlog": -1}, {"period": 999}, {"period": 3_600_001}):
        with pytest.raises(RecordError) as err:
            rec.decode_as(SiteStatus, msgpack.packb({**LEGACY[SiteStatus], **bad}))
        assert err.value.code == "invalid"


def _summary(**change: Any) -> bytes:
    p = {**LEGACY[MinuteSummary], **change}
    return msgpack.packb({k: v for k, v in p.items() if v is not _DROP})


_DROP = object()


@pytest.mark.parametrize(
    ("payload", "code", "detail"),
    [
        (_summary(v=2), "unsupported_version", "$.v"),
        (_summary(v=True), "unsupported_version", "$.v"),
        (b"\xc1", "malformed", "malformed"),
        (msgpack.packb(LEGACY[MinuteSummary]) + b"\x00", "malformed", "trailing"),
        (msgpack.packb([1, 2, 3]), "invalid", "Expected `object`, got `array`"),
        (_summary(feed=_DROP), "invalid", "missing required field `feed`"),
        (_summary(n=True), "invalid", "Expected `int`, got `bool` - at `$.n`"),
        (_summary(n=1.0), "invalid", "Expected `int`, got `float` - at `$.n`"),
        (_summary(n=-1), "invalid", "`$.n`"),
        (_summary(n=INT32_MAX + 1), "invalid", "`$.n`"),
        (_summary(last_ts=2**64 - 1), "invalid", "`$.last_ts`"),
        (_summary(minute=MINUTE + 1), "invalid", "multiple of 60000"),
        (_summary(mean=math.nan), "invalid", "`mean` is not finite"),
        (_summary(max=math.inf), "invalid", "`max` is not finite"),
        (_summary(min="1.0"), "invalid", "`$.min`"),
        (_summary(feed="x" * 65), "invalid", "`$.feed`"),
        (_summary(feed=""), "invalid", "`$.feed`"),
        (_summary(feed="a\x00b"), "invalid", "`feed` is not printable"),
        (_summary(unit="m" * 17), "invalid", "`$.unit`"),
        (_summary(q=[1, 2]), "invalid", "`$.q`"),
        (_summary(q=[1, 2, True]), "invalid", "`$.q[2]`"),
        (msgpack.packb({1: 2}), "invalid", "Expected `str`"),
    ],
)
def test_hostile_summaries_get_a_specific_coded_error(
    payload: bytes, code: str, detail: str
) -> None:
    with pytest.raises(RecordError) as err:
        rec.decode("summary", "minute", payload)
    assert err.value.code == code
    assert detail in err.value.detail


def test_an_unknown_kind_is_its_own_code() -> None:
    with pytest.raises(RecordError) as err:
        rec.decode("summary", "hourly", msgpack.packb({}))
    assert err.value.code == "unknown_kind"


def test_a_producer_cannot_build_a_summary_with_a_nan() -> None:
    with pytest.raises(ValueError, match="not finite"):
        MinuteSummary(**{**msgspec.structs.asdict(SAMPLES[MinuteSummary]), "mean": math.nan})


# -- properties ----------------------------------------------------------------------------
msgpack_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=80)
    | st.binary(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)

hostile_values = st.one_of(
    msgpack_values,
    st.sampled_from(
        [math.nan, math.inf, -math.inf, True, False, None, "", [], "x" * 65, "a\x00", "\u200b"]
    ),
    # Column edges: INTEGER is 32-bit on PostgreSQL, BIGINT 64-bit; msgpack goes to 2**64-1.
    st.sampled_from([-1, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64 - 1, -(2**63)]),
)


def _fits_the_columns(table: Table, row: dict[str, Any]) -> None:
    """Every value fits its column on SQLite and PostgreSQL: a commit cannot fail on it."""
    assert set(row) == set(table.columns.keys())
    for k, v in row.items():
        if v is None:  # "not reported": only where the column says so
            assert table.columns[k].nullable, k
            continue
        col = table.columns[k].type
        if v is None:
            assert table.columns[k].nullable, k
            continue
        if isinstance(col, LargeBinary):
            assert isinstance(v, bytes), k
            continue
        if isinstance(col, Boolean):
            assert isinstance(v, bool), k
            continue
        assert not isinstance(v, bool), k
        if isinstance(col, BigInteger):
            assert isinstance(v, int) and -(2**63) <= v <= INT64_MAX, k
        elif isinstance(col, Integer):
            assert isinstance(v, int) and -(2**31) <= v <= INT32_MAX, k
        elif isinstance(col, Float):
            assert isinstance(v, float) and math.isfinite(v), k
        else:
            assert isinstance(col, String), k
            assert isinstance(v, str) and v.isprintable(), k
            assert col.length is None or len(v) <= col.length, k


def _outcome(cls: type[rec.LinkRecord], payload: bytes) -> None:
    """Either a record that folds into rows the hub's columns hold, or a coded RecordError."""
    try:
        r = rec.decode(cls.STREAM, cls.KIND, payload)
    except RecordError as exc:
        assert exc.code in rec.ERROR_CODES
        return
    assert rec.decode(cls.STREAM, cls.KIND, rec.encode(r)) == r
    if cls in DOWN_SAMPLES:
        _applies(cls, rec.encode(r))
        return
    changes = city.CityChanges()
    try:
        folded = city.fold(
            changes, city.Origin("c1", "s1", cls.STREAM, 1, 0), cls.KIND, rec.encode(r)
        )
    except RecordError as exc:  # e.g. an escalation whose CAP is not valid: quarantined
        assert exc.code in rec.ERROR_CODES
        return
    assert folded
    for table, rows in (
        (alarm_events, changes.alarm_events),
        (directive_events, changes.directive_events),
        (escalations, changes.escalations),
    ):
        for row in rows:
            _fits_the_columns(table, {"console_id": "c1", "db_id": "", **row})
    for row in changes.site_status.values():
        _fits_the_columns(site_status, row)
    for row in changes.status_history.values():
        _fits_the_columns(site_status_history, row)
    for row in changes.feed_minutes.values():
        _fits_the_columns(feed_minutes, row)
    for row in changes.audit_entries.values():
        _fits_the_columns(audit_entries, row)
    for row in changes.audit_heads.values():
        _fits_the_columns(audit_heads, row)
    for (site, feed), (_minute, kind, unit) in changes.feeds.items():
        _fits_the_columns(
            hub_feeds, {"site_id": site, "feed_key": feed, "kind": kind, "unit": unit}
        )
    for row in changes.kind_hours.values():
        _fits_the_columns(kind_hours, row)


_CONSOLE_LOG: list[Engine] = []


def _console_log() -> Engine:
    """An in-memory site log with the inbox tables (one per test session)."""
    if not _CONSOLE_LOG:
        engine = create_engine("sqlite://")
        console_schema.metadata.create_all(engine)
        _CONSOLE_LOG.append(engine)
    return _CONSOLE_LOG[0]


def _applies(cls: type[rec.LinkRecord], payload: bytes) -> None:
    """A decoded downlink record applies at the console, or says why not with a code; it never
    raises anything else (the inbox keeps it, acknowledged, with the reason)."""
    _, apply = console_inbox.APPLIERS[(cls.STREAM.value, cls.KIND.value)]
    with _console_log().connect() as conn:
        try:
            apply(conn, rec.decode_as(cls, payload), 0)
        except RecordError as exc:
            assert exc.code in rec.ERROR_CODES
        finally:
            conn.rollback()


@settings(max_examples=300)
@given(st.sampled_from(list(ALL_SAMPLES)), msgpack_values)
def test_random_msgpack_only_yields_coded_errors(cls: type[rec.LinkRecord], value: Any) -> None:
    _outcome(cls, msgpack.packb(value))


@settings(max_examples=300)
@given(st.sampled_from(list(ALL_SAMPLES)), st.binary(max_size=300))
def test_random_bytes_only_yield_coded_errors(cls: type[rec.LinkRecord], raw: bytes) -> None:
    _outcome(cls, raw)


def _paths(d: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for k, v in d.items():
        out.append((*prefix, k))
        if isinstance(v, dict):
            out += _paths(v, (*prefix, k))
    return out


@settings(max_examples=500)
@given(st.sampled_from(list(ALL_SAMPLES)), st.data())
def test_a_valid_payload_with_one_field_broken_or_missing_only_yields_coded_errors(
    cls: type[rec.LinkRecord], data: st.DataObject
) -> None:
    p: dict[str, Any] = msgpack.unpackb(msgpack.packb(LEGACY[cls]))
    path = data.draw(st.sampled_from(_paths(p)))
    parent = p
    for k in path[:-1]:
        parent = parent[k]
    if data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(hostile_values)
    _outcome(cls, msgpack.packb(p))


@settings(max_examples=200)
@given(st.dictionaries(st.text(max_size=8), msgpack_values, max_size=4), st.binary(max_size=50))
def test_a_kind_the_hub_has_no_model_for_is_kept_unless_it_is_not_msgpack(
    value: dict[str, Any], raw: bytes
) -> None:
    origin = city.Origin("c1", "s1", "escalation", 1, 0)
    assert city.fold(city.CityChanges(), origin, "cap", msgpack.packb(value)) is False
    try:
        msgpack.unpackb(raw, raw=False, strict_map_key=True)
    except Exception:
        with pytest.raises(RecordError) as err:
            city.fold(city.CityChanges(), origin, "cap", raw)
        assert err.value.code == "malformed"

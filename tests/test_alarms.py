"""Alarm rules on crafted sequences, the lifecycle as a state machine, persistence across restarts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from console.district.config import AlarmRules, FeedConfig, Names, SiteConfig
from console.district.domain.alarms import (
    ACTIVE_ACK,
    ACTIVE_UNACK,
    CLEARED_UNACK,
    NORMAL,
    OUT_OF_SERVICE,
    SHELVED,
    STATES,
    AlarmCommandError,
    AlarmEngine,
    Transition,
)


def feed(
    fid: str = "river", kind: str = "river_level", interval: float = 60.0, **rules: object
) -> FeedConfig:
    return FeedConfig(
        id=fid,
        kind=kind,
        unit="m",
        name=Names(fid, fid),
        lat=16.0,
        lon=108.0,
        interval_s=interval,
        valid_min=-100,
        valid_max=100,
        alarms=AlarmRules(**{"stale": False, **rules}),  # type: ignore[arg-type]
    )


LEVELS = ((1.0, 1), (2.0, 2), (3.0, 3))


class Recorder:
    def __init__(self) -> None:
        self.transitions: list[Transition] = []
        self.rows: dict[str, dict] = {}

    def __call__(self, trs: list[Transition], rows: list[dict]) -> None:
        self.transitions += trs
        for r in rows:
            self.rows[r["alarm_id"]] = r

    def events(self, alarm_id: str | None = None) -> list[tuple[int, str, str, int]]:
        return [
            (t.ts_ms, t.event, t.state, t.severity)
            for t in self.transitions
            if alarm_id in (None, t.alarm_id)
        ]


def make(*feeds: FeedConfig, scale: float = 1.0) -> tuple[AlarmEngine, Recorder]:
    rec = Recorder()
    return AlarmEngine(list(feeds), sink=rec, time_scale=scale, workstation="ws-1"), rec


def send(
    eng: AlarmEngine, values: list[float], feed_idx: int = 0, t0: int = 0, step: int = 1000
) -> int:
    t = np.arange(len(values), dtype=np.int64) * step + t0
    eng.on_readings(
        np.full(len(values), feed_idx, dtype=np.int64), t, np.array(values, dtype=float)
    )
    return int(t[-1]) if len(values) else t0


# --- limits and deadband -----------------------------------------------------------------


def test_levels_escalate_and_deadband_holds_the_level() -> None:
    eng, rec = make(feed(high=LEVELS, deadband=0.1))
    send(eng, [0.5, 1.0, 1.5, 2.05, 3.2, 2.95, 2.91, 2.89, 1.95, 1.85, 0.95, 0.89])
    assert rec.events("river:high") == [
        (1000, "activate", ACTIVE_UNACK, 1),  # exactly at level I activates (≥)
        (3000, "severity", ACTIVE_UNACK, 2),
        (4000, "severity", ACTIVE_UNACK, 3),
        (7000, "severity", ACTIVE_UNACK, 2),  # 2.95, 2.91 stay III (deadband 0.1); 2.89 leaves it
        (9000, "severity", ACTIVE_UNACK, 1),  # 1.95 stays II; 1.85 leaves it
        (11000, "clear", CLEARED_UNACK, 1),  # 0.95 stays I; 0.89 clears
    ]


def test_deadband_edges_exactly() -> None:
    eng, rec = make(feed(high=((2.0, 1),), deadband=0.5))
    send(eng, [2.0, 1.5, 1.4999, 1.9999, 2.0])
    assert rec.events("river:high") == [
        (0, "activate", ACTIVE_UNACK, 1),
        (2000, "clear", CLEARED_UNACK, 1),  # 1.5 is still inside the deadband; 1.4999 leaves
        (4000, "activate", ACTIVE_UNACK, 1),  # 1.9999 does not re-activate; 2.0 does
    ]


def test_low_limits_mirror_high() -> None:
    eng, rec = make(feed(kind="traffic_speed", low=((10.0, 1), (5.0, 2)), deadband=1.0))
    send(eng, [30, 10, 4, 5.5, 6.5, 11.5])
    assert [(e, s) for _t, e, _st, s in rec.events()] == [
        ("activate", 1),
        ("severity", 2),
        ("severity", 1),
        ("clear", 1),
    ]
    assert rec.events()[2][0] == 4000  # 5.5 ≤ 5 + 1 stays at 2; 6.5 drops to 1


# --- on-delay, count, chatter -----------------------------------------------------------


def test_on_delay_needs_the_condition_to_hold() -> None:
    eng, rec = make(feed(high=((1.0, 1),), on_delay_s=10))
    send(eng, [1.5] * 5 + [0.5] + [1.5] * 11)  # 5 s above, a dip, then 11 s above
    assert rec.events("river:high") == [(16000, "activate", ACTIVE_UNACK, 1)]


def test_on_delay_completes_by_time_alone() -> None:
    eng, rec = make(feed(high=((1.0, 1),), on_delay_s=10))
    send(eng, [1.5])
    eng.check(9_000)
    assert rec.events() == []
    eng.check(10_000)
    assert rec.events("river:high") == [(10000, "activate", ACTIVE_UNACK, 1)]


def test_count_in_window_against_chatter() -> None:
    eng, rec = make(feed(high=((1.0, 1),), count_n=3, count_window_s=60))
    send(eng, [1.2, 0.8, 1.2, 0.8], step=10_000)  # two rises in 30 s: not yet
    assert rec.events() == []
    send(eng, [1.2], t0=40_000)  # third rise within 60 s
    assert rec.events("river:high") == [(40000, "activate", ACTIVE_UNACK, 1)]
    eng2, rec2 = make(feed(high=((1.0, 1),), count_n=3, count_window_s=60))
    send(eng2, [1.2, 0.8, 1.2, 0.8, 1.2], step=40_000)  # rises 80 s apart: never 3 in a minute
    assert rec2.events() == []


def test_chattering_sensor_without_and_with_deadband() -> None:
    rng = np.random.default_rng(3)
    values = (1.0 + 0.04 * np.sin(np.arange(600) / 5) + rng.normal(0, 0.02, 600)).tolist()
    storm, rec_storm = make(feed(high=((1.0, 1),)))
    send(storm, values)
    calm, rec_calm = make(feed(high=((1.0, 1),), deadband=0.15, on_delay_s=5))
    send(calm, values)
    activations = [e for e in rec_storm.events() if e[1] == "activate"]
    assert len(activations) > 20, "without filters the sensor chatters"
    assert [e[1] for e in rec_calm.events()] == ["activate"], (
        "deadband + on-delay: one alarm that stays"
    )


# --- other rule kinds ----------------------------------------------------------------------


def test_rate_of_rise_over_a_window() -> None:
    eng, rec = make(feed(roc_rise=0.5, roc_window_s=600, roc_severity=2))
    send(eng, [1.0, 1.1, 1.2, 1.3, 1.4, 1.45], step=120_000)  # +0.45 in 10 min: no
    assert rec.events() == []
    send(eng, [1.7], t0=720_000)  # 1.7 - 1.1 (10 min ago) = 0.6
    assert rec.events("river:roc") == [(720000, "activate", ACTIVE_UNACK, 2)]


def test_flatline_detects_a_stuck_value() -> None:
    eng, rec = make(feed(flatline_s=300))
    send(eng, [1.0, 1.01] + [1.01] * 6, step=60_000)
    assert rec.events("river:flatline") == [(360000, "activate", ACTIVE_UNACK, 1)]
    send(eng, [1.02], t0=480_000)
    assert rec.events("river:flatline")[-1][1] == "clear"


def test_stale_feed_by_time_with_scale() -> None:
    eng, rec = make(
        feed(stale=True, interval=60, stale_severity=2), scale=60.0
    )  # 3 × 60 s / 60 = 3 s
    send(eng, [1.0], t0=1_000)
    eng.check(3_900)
    assert rec.events() == []
    eng.check(4_100)
    assert rec.events("river:stale") == [(4100, "activate", ACTIVE_UNACK, 2)]
    send(eng, [1.0], t0=5_000)
    eng.check(5_100)
    assert rec.events("river:stale")[-1][1] == "clear"


def test_enabling_condition_on_another_feed() -> None:
    rain = feed("rain", kind="rainfall")
    river = feed("river", high=((1.0, 1),), enable_feed="rain", enable_above=10.0)
    eng, rec = make(river, rain)
    send(eng, [1.5], 0, t0=0)  # rain unknown: disabled
    assert rec.events() == []
    send(eng, [20.0], 1, t0=1000)
    send(eng, [1.5], 0, t0=2000)
    assert rec.events("river:high") == [(2000, "activate", ACTIVE_UNACK, 1)]
    send(eng, [2.0], 1, t0=3000)  # rain stops: the alarm's condition goes away
    assert rec.events("river:high")[-1][:2] == (3000, "clear")


# --- lifecycle ------------------------------------------------------------------------------


def test_ack_latch_shelve_and_service() -> None:
    eng, rec = make(feed(high=((1.0, 1),)))
    send(eng, [1.5])
    a = "river:high"
    assert eng.acknowledge([a], "lan", 1000, note="đã gọi đội") == [a]
    assert eng.view(a).state == ACTIVE_ACK and eng.view(a).acked_by == "lan"
    send(eng, [0.5], t0=2000)
    assert eng.view(a).state == NORMAL
    send(eng, [1.5, 0.5], t0=3000)
    assert eng.view(a).state == CLEARED_UNACK, "cleared but unacknowledged stays latched"
    assert eng.acknowledge([a], "lan", 5000) == [a] and eng.view(a).state == NORMAL
    assert eng.acknowledge([a], "lan", 5001) == [], "nothing to acknowledge"
    with pytest.raises(AlarmCommandError, match="reason"):
        eng.shelve(a, "lan", " ", 10_000, 6000)
    send(eng, [1.5], t0=6000)
    eng.shelve(a, "lan", "cảm biến đang sửa", 20_000, 7000)
    send(eng, [0.5, 1.5], t0=8000)
    assert eng.view(a).state == SHELVED
    eng.check(20_000)
    assert eng.view(a).state == ACTIVE_UNACK, "shelving expired while active: annunciated again"
    eng.remove_from_service(a, "admin", "bảo trì", 21_000)
    send(eng, [0.5, 2.0], t0=22_000)
    assert eng.view(a).state == OUT_OF_SERVICE
    eng.return_to_service(a, "admin", 30_000)
    assert eng.view(a).state == ACTIVE_UNACK
    users = {(t.event, t.user, t.workstation) for t in rec.transitions if t.user != "system"}
    assert ("ack", "lan", "ws-1") in users and ("remove", "admin", "ws-1") in users
    assert any(t.note == "đã gọi đội" for t in rec.transitions)


def test_escalation_while_acknowledged_is_annunciated_again() -> None:
    eng, _ = make(feed(high=LEVELS))
    send(eng, [1.5])
    eng.acknowledge(["river:high"], "lan", 500)
    send(eng, [2.5], t0=1000)
    v = eng.view("river:high")
    assert v.state == ACTIVE_UNACK and v.severity == 2


# --- state machine under random sequences, with restarts ----------------------------------

LEGAL = {
    NORMAL: {ACTIVE_UNACK, SHELVED, OUT_OF_SERVICE},
    ACTIVE_UNACK: {ACTIVE_ACK, CLEARED_UNACK, SHELVED, OUT_OF_SERVICE, ACTIVE_UNACK},
    ACTIVE_ACK: {NORMAL, ACTIVE_UNACK, SHELVED, OUT_OF_SERVICE, ACTIVE_ACK},
    CLEARED_UNACK: {NORMAL, ACTIVE_UNACK, SHELVED, OUT_OF_SERVICE, CLEARED_UNACK},
    SHELVED: {NORMAL, ACTIVE_UNACK, SHELVED, OUT_OF_SERVICE},
    OUT_OF_SERVICE: {NORMAL, ACTIVE_UNACK, OUT_OF_SERVICE},
}


class Lifecycle(RuleBasedStateMachine):
    """Random values, acks, shelves, services and restarts never produce an illegal state,
    and every transition reaches the sink (so none is lost across a restart)."""

    def __init__(self) -> None:
        super().__init__()
        self.f = feed(high=LEVELS, deadband=0.1)
        self.rec = Recorder()
        self.eng = AlarmEngine([self.f], sink=self.rec)
        self.t = 0
        self.last_state = NORMAL
        self.seen = 0

    def _tick(self) -> int:
        self.t += 1000
        return self.t

    @rule(v=st.floats(-1, 4, allow_nan=False))
    def reading(self, v: float) -> None:
        send(self.eng, [v], t0=self._tick())

    @rule()
    def ack(self) -> None:
        self.eng.acknowledge(["river:high"], "op", self._tick())

    @rule(ttl=st.integers(1, 5))
    def shelve(self, ttl: int) -> None:
        now = self._tick()
        try:
            self.eng.shelve("river:high", "op", "bảo trì", now + ttl * 1000, now)
        except AlarmCommandError:
            assert self.eng.view("river:high").state == OUT_OF_SERVICE

    @rule()
    def time_passes(self) -> None:
        self.eng.check(self._tick())

    @precondition(lambda self: self.eng.view("river:high").state == OUT_OF_SERVICE)
    @rule()
    def back_in_service(self) -> None:
        self.eng.return_to_service("river:high", "op", self._tick())

    @rule()
    def out_of_service(self) -> None:
        self.eng.remove_from_service("river:high", "op", "thay cảm biến", self._tick())

    @rule()
    def restart(self) -> None:
        rows = list(self.rec.rows.values())
        self.eng = AlarmEngine([self.f], sink=self.rec, restored=rows)

    @invariant()
    def legal(self) -> None:
        v = self.eng.view("river:high")
        assert v.state in STATES
        for tr in self.rec.transitions[self.seen :]:
            assert tr.state in LEGAL[self.last_state], (
                f"{self.last_state} → {tr.state} by {tr.event}"
            )
            self.last_state = tr.state
        self.seen = len(self.rec.transitions)
        assert v.state == self.last_state, "the state the engine shows is the last one it logged"
        if v.state in (ACTIVE_UNACK, ACTIVE_ACK):
            assert v.active and v.severity in (1, 2, 3)
        if v.state == NORMAL:
            assert not v.active or v.severity == 0
        if v.state == CLEARED_UNACK:
            assert not v.active


TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)


# --- persistence through the real engine and SQLite ------------------------------------------


def test_transitions_persist_and_the_engine_rebuilds_after_restart(
    small_site: SiteConfig, tmp_path: Path
) -> None:
    import zmq

    from console.district.services.app import ConsoleApp
    from console.district.store.alarm_log import load_journal
    from tests.conftest import now_ms, wait_until
    from transport.feedproto import encode_batch

    river = dataclasses.replace(
        small_site.feeds[0], alarms=AlarmRules(high=LEVELS, deadband=0.1, stale=False)
    )
    site = dataclasses.replace(small_site, feeds=(river, *small_site.feeds[1:]))
    e1 = ConsoleApp(site, tmp_path)
    e1.start()
    t = now_ms()
    s = zmq.Context.instance().socket(zmq.PUSH)
    s.connect(e1.endpoints[0])
    s.send(encode_batch([("river-1", t, 1.5, 0), ("river-1", t + 1, 2.5, 0)]))
    s.close(linger=5000)
    wait_until(lambda: e1.alarms is not None and e1.alarms.transitions == 2, what="two transitions")
    assert e1.alarms is not None
    e1.alarms.acknowledge(["river-1:high"], "lan", t + 2, note="đã báo đội", workstation="ws-7")
    e1.stop()
    e2 = ConsoleApp(site, tmp_path)
    try:
        assert e2.alarms is not None
        v = e2.alarms.view("river-1:high")
        assert (v.state, v.severity, v.active, v.acked_by) == (ACTIVE_ACK, 2, True, "lan")
        journal = load_journal(e2.db.engine)
        assert [
            (j["event"], j["state"], j["user"], j["workstation"]) for j in reversed(journal)
        ] == [
            ("activate", ACTIVE_UNACK, "system", ""),
            ("severity", ACTIVE_UNACK, "system", ""),
            ("ack", ACTIVE_ACK, "lan", "ws-7"),
        ]
        assert journal[0]["note"] == "đã báo đội"
    finally:
        e2.db.engine.dispose()

"""Alarm engine: rules per feed and the ISA-18.2 lifecycle, Qt-free.

Rules (per feed, from the site file): multi-level high and low limits with
deadband (a river's alert levels I/II/III are one alarm whose severity
escalates), rate of rise over a window, stale (no data for 3 × the expected
interval), flatline (value stuck for T), each filtered by an on-delay (the
condition must hold for T) and a count-in-window (it must occur N times in T)
against chatter, and an enabling condition on another feed.

Lifecycle (ISA-18.2 / EEMUA 191):

    normal ──cond──▶ active_unack ──ack──▶ active_ack ──clear──▶ normal
                         │clear                  ▲ escalation re-annunciates
                         ▼                       │
                   cleared_unack ──ack──▶ normal  (latched until acknowledged)
    any ──shelve(reason, expiry)──▶ shelved ──expiry/unshelve──▶ active_unack | normal
    any ──remove from service──▶ out_of_service ──return──▶ active_unack | normal

Non-feed sources (an incident's overdue procedure step; later system alarms)
raise *external* alarms through the same lifecycle: ``define_external`` names
the alarm (id ``<source>:<rule>``, a rule outside ``FEED_RULES``, a label and
an area for the table), ``set_external`` sets its condition. They have no
feed (``feed`` is -1) and no filters: the source decides when the condition
holds. They are acknowledged, shelved, journalled and restored like any other.

Every transition is a ``Transition``; the engine hands them (with the alarm's
new state row) to a sink that commits them with the readings (one writer
transaction, synchronous=FULL). After a restart the engine is rebuilt from
the stored state rows.

System alarms (the log's disk space) are external alarms whose source is
``"system"`` (``feed_key``); ``system_alarm_id`` names them.

Hot path: limits are evaluated for a whole batch with numpy; only feeds whose
level would change (or that have an alarm pending its on-delay) take the
per-reading Python path. Time comes from the readings' timestamps, so tests
are deterministic; ``time_scale`` compresses every duration (the demo runs
simulated time at 60×).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from console.district.config import FeedConfig, Names
from console.district.domain.feedstate import STALE_FACTOR
from console.shared.session import Session
from console.shared.vocab import FEED_RULES, AlarmEvent, AlarmRule, AlarmState

NORMAL = AlarmState.NORMAL
ACTIVE_UNACK = AlarmState.ACTIVE_UNACK
ACTIVE_ACK = AlarmState.ACTIVE_ACK
CLEARED_UNACK = AlarmState.CLEARED_UNACK
SHELVED = AlarmState.SHELVED
OUT_OF_SERVICE = AlarmState.OUT_OF_SERVICE
STATES = tuple(AlarmState)
RULES = tuple(AlarmRule)
SYSTEM = "system"
NO_FEED = -1
"""``Alarm.feed`` of an external alarm (not raised by a feed's readings)."""


class AlarmCommandError(ValueError):
    """An operator command that does not apply (unknown alarm, nothing to acknowledge…)."""


@dataclass(frozen=True)
class Transition:
    ts_ms: int
    alarm_id: str
    feed_key: str
    rule: AlarmRule
    event: AlarmEvent
    state: AlarmState
    """State after the event."""
    severity: int
    value: float
    user: str = SYSTEM
    workstation: str = ""
    note: str = ""
    prior: AlarmState | None = None
    """State before an operator command (None for transitions the process caused)."""
    actor: Session | None = None
    """Who commanded it: the action log records the transition with this session."""


@dataclass(frozen=True)
class AlarmOrigin:
    """What the alarm table shows of an external alarm in place of a feed's name and area."""

    name: Names
    area: str = ""


@dataclass
class Alarm:
    id: str
    feed: int
    feed_key: str
    rule: AlarmRule
    state: AlarmState = NORMAL
    severity: int = 0
    active: bool = False
    """The (filtered) process condition, tracked in every state, also when shelved."""
    since_ms: int = 0
    activated_ms: int = 0
    value: float = math.nan
    acked_by: str = ""
    acked_ms: int = 0
    shelved_until_ms: int = 0
    note: str = ""
    # Filter state, rebuilt from readings after a restart.
    level: int = 0
    raw_since_ms: int | None = None
    rises: deque[int] = field(default_factory=deque)
    origin: AlarmOrigin | None = None
    """External alarms only (``feed`` is ``NO_FEED``)."""

    def row(self) -> dict[str, Any]:
        return {
            "alarm_id": self.id,
            "feed_key": self.feed_key,
            "rule": self.rule,
            "state": self.state,
            "severity": self.severity,
            "active": self.active,
            "since_ms": self.since_ms,
            "activated_ms": self.activated_ms,
            "value": None if math.isnan(self.value) else self.value,
            "acked_by": self.acked_by,
            "acked_ms": self.acked_ms,
            "shelved_until_ms": self.shelved_until_ms,
            "note": self.note,
        }


@dataclass(frozen=True)
class AlarmView:
    """What the alarm table shows of one alarm (an immutable copy)."""

    id: str
    feed: int
    feed_key: str
    rule: AlarmRule
    state: AlarmState
    severity: int
    active: bool
    since_ms: int
    activated_ms: int
    value: float
    acked_by: str
    acked_ms: int
    shelved_until_ms: int
    note: str
    origin: AlarmOrigin | None = None
    """External alarms: their name and area (``feed`` is -1)."""


Sink = Callable[[list[Transition], list[dict[str, Any]]], None]


class AlarmEngine:
    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        *,
        sink: Sink | None = None,
        time_scale: float = 1.0,
        workstation: str = "",
        restored: Iterable[dict[str, Any]] = (),
        recent: int = 5000,
    ) -> None:
        self.feeds = list(feeds)
        self.index = {f.id: i for i, f in enumerate(self.feeds)}
        self.sink = sink
        self.scale = float(time_scale)
        self.workstation = workstation
        self._lock = threading.RLock()
        self.alarms: dict[str, Alarm] = {}
        self._by_feed: list[dict[str, Alarm]] = [{} for _ in self.feeds]
        n = len(self.feeds)
        self._hi = np.full((n, 3), np.inf)
        self._lo = np.full((n, 3), np.inf)  # negated low thresholds
        self._db = np.zeros(n)
        self._hi_sev: list[tuple[int, ...]] = []
        self._lo_sev: list[tuple[int, ...]] = []
        self._has_hi = np.zeros(n, dtype=bool)
        self._has_lo = np.zeros(n, dtype=bool)
        self._lvl_hi = np.zeros(n, dtype=np.int64)
        self._lvl_lo = np.zeros(n, dtype=np.int64)
        self._roc: list[int] = []
        self._flat: list[int] = []
        self._last_value = np.full(n, np.nan)
        self._last_change_ms = np.zeros(n, dtype=np.int64)
        self._last_ts_ms = np.zeros(n, dtype=np.int64)
        self._history: list[deque[tuple[int, float]]] = [deque() for _ in self.feeds]
        self._pending: set[int] = set()
        self._gated: set[int] = set()
        """Feeds with an enabling condition always take the per-reading path."""
        self._enable: list[tuple[int, float | None, float | None] | None] = []
        for i, f in enumerate(self.feeds):
            r = f.alarms
            for k, (t, _s) in enumerate(r.high):
                self._hi[i, k] = t
            for k, (t, _s) in enumerate(r.low):
                self._lo[i, k] = -t
            self._db[i] = r.deadband
            self._hi_sev.append(tuple(s for _t, s in r.high))
            self._lo_sev.append(tuple(s for _t, s in r.low))
            self._has_hi[i] = bool(r.high)
            self._has_lo[i] = bool(r.low)
            if r.roc_rise:
                self._roc.append(i)
            if r.flatline_s:
                self._flat.append(i)
            self._enable.append(
                (self.index[r.enable_feed], r.enable_above, r.enable_below)
                if r.enable_feed
                else None
            )
            if r.enable_feed:
                self._gated.add(i)
            for rule, on in (
                (AlarmRule.HIGH, r.high),
                (AlarmRule.LOW, r.low),
                (AlarmRule.ROC, r.roc_rise),
                (AlarmRule.STALE, r.stale),
                (AlarmRule.FLATLINE, r.flatline_s),
            ):
                if on:
                    a = Alarm(f"{f.id}:{rule}", i, f.id, rule)
                    self.alarms[a.id] = a
                    self._by_feed[i][rule] = a
        self.seq = 0
        self.transitions = 0
        self._recent: deque[tuple[int, Transition]] = deque(maxlen=recent)
        self._out: list[Transition] = []
        self._dirty: dict[str, Alarm] = {}
        for row in restored:
            self._restore(row)

    # --- persistence -----------------------------------------------------------------
    def _restore(self, row: dict[str, Any]) -> None:
        a = self.alarms.get(row["alarm_id"])
        if a is None and row["rule"] not in FEED_RULES and row["state"] != NORMAL:
            # An external alarm someone must still see: back until its source says otherwise.
            try:
                rule = AlarmRule(row["rule"])
            except ValueError:
                return  # a rule of a newer build; its row stays for that build
            a = Alarm(row["alarm_id"], NO_FEED, row["feed_key"], rule)
            self.alarms[a.id] = a
        if a is None:
            return  # the rule was removed from the site file; its history stays in the journal
        a.state = AlarmState(row["state"])
        a.severity = int(row["severity"])
        a.active = bool(row["active"])
        a.since_ms = int(row["since_ms"])
        a.activated_ms = int(row["activated_ms"])
        a.value = math.nan if row["value"] is None else float(row["value"])
        a.acked_by = row["acked_by"] or ""
        a.acked_ms = int(row["acked_ms"] or 0)
        a.shelved_until_ms = int(row["shelved_until_ms"] or 0)
        a.note = row["note"] or ""
        if a.active and a.rule in ("high", "low"):
            sev = self._hi_sev[a.feed] if a.rule == "high" else self._lo_sev[a.feed]
            a.level = max((k + 1 for k, s in enumerate(sev) if s == a.severity), default=1)
            (self._lvl_hi if a.rule == "high" else self._lvl_lo)[a.feed] = a.level

    def _flush(self) -> None:
        if not self._out:
            return
        out, self._out = self._out, []
        rows = [a.row() for a in self._dirty.values()]
        self._dirty = {}
        if self.sink is not None:
            self.sink(out, rows)

    # --- transitions -------------------------------------------------------------------
    def _emit(
        self,
        a: Alarm,
        ts_ms: int,
        event: AlarmEvent,
        user: str = SYSTEM,
        note: str = "",
        ws: str = "",
        prior: AlarmState | None = None,
        actor: Session | None = None,
    ) -> None:
        if actor is not None:
            user, ws = actor.label, actor.workstation
        tr = Transition(
            ts_ms,
            a.id,
            a.feed_key,
            a.rule,
            event,
            a.state,
            a.severity,
            a.value,
            user,
            ws or (self.workstation if user != SYSTEM else ""),
            note,
            prior,
            actor,
        )
        self.seq += 1
        self.transitions += 1
        self._recent.append((self.seq, tr))
        self._out.append(tr)
        self._dirty[a.id] = a

    def _set(self, a: Alarm, state: AlarmState, ts_ms: int) -> None:
        a.state = state
        a.since_ms = ts_ms

    def _condition(self, a: Alarm, raw: bool, severity: int, ts_ms: int, value: float) -> None:
        """Feed the raw condition through enable, on-delay and count filters, then the lifecycle."""
        rules = self.feeds[a.feed].alarms
        if raw and not self._enabled(a.feed):
            raw = False
        a.value = value
        if raw and not a.active:
            if a.raw_since_ms is None:
                a.raw_since_ms = ts_ms
                if rules.count_n > 1:
                    a.rises.append(ts_ms)
                    horizon = ts_ms - rules.count_window_s * 1000 / self.scale
                    while a.rises and a.rises[0] < horizon:
                        a.rises.popleft()
            if ts_ms - a.raw_since_ms < rules.on_delay_s * 1000 / self.scale:
                self._pending.add(a.feed)
                return
            if rules.count_n > 1 and len(a.rises) < rules.count_n:
                return
            self._activate(a, severity, ts_ms)
        elif raw and a.active:
            if severity != a.severity:
                up = severity > a.severity
                a.severity = severity
                if up and a.state == ACTIVE_ACK:
                    self._set(a, ACTIVE_UNACK, ts_ms)  # escalation is annunciated again
                self._emit(a, ts_ms, AlarmEvent.SEVERITY)
        else:
            a.raw_since_ms = None
            if a.active:
                self._clear(a, ts_ms)

    def _activate(self, a: Alarm, severity: int, ts_ms: int, note: str = "") -> None:
        a.active = True
        a.severity = severity
        a.activated_ms = ts_ms
        a.raw_since_ms = None
        a.rises.clear()
        if a.state in (NORMAL, CLEARED_UNACK, ACTIVE_ACK):
            a.acked_by, a.acked_ms = "", 0
            self._set(a, ACTIVE_UNACK, ts_ms)
        self._emit(a, ts_ms, AlarmEvent.ACTIVATE, note=note)

    def _clear(self, a: Alarm, ts_ms: int, note: str = "") -> None:
        a.active = False
        if a.state == ACTIVE_UNACK:
            self._set(a, CLEARED_UNACK, ts_ms)  # latched until acknowledged
        elif a.state == ACTIVE_ACK:
            self._set(a, NORMAL, ts_ms)
        self._emit(a, ts_ms, AlarmEvent.CLEAR, note=note)
        if a.state == NORMAL:
            a.severity = 0

    def _enabled(self, feed: int) -> bool:
        cond = self._enable[feed]
        if cond is None:
            return True
        other, above, below = cond
        v = self._last_value[other]
        if math.isnan(v):
            return False
        return (above is None or v > above) and (below is None or v < below)

    # --- readings ----------------------------------------------------------------------
    def on_readings(
        self, f: npt.NDArray[np.int64], t: npt.NDArray[np.int64], v: npt.NDArray[np.float64]
    ) -> None:
        """Evaluate one accepted batch (feed indices, ts in ms, values), in arrival order."""
        if f.size == 0:
            return
        with self._lock:
            self._batch(f, t, v)
            self._flush()

    def _batch(
        self, f: npt.NDArray[np.int64], t: npt.NDArray[np.int64], v: npt.NDArray[np.float64]
    ) -> None:
        hot: set[int] = set(self._pending) | self._gated
        for lvl, thr, vals, has in (
            (self._lvl_hi, self._hi, v, self._has_hi),
            (self._lvl_lo, self._lo, -v, self._has_lo),
        ):
            m = has[f]
            if not m.any():
                continue
            ff, vv = f[m], vals[m]
            th = thr[ff]
            up = (vv[:, None] >= th).sum(1)
            dn = (vv[:, None] >= th - self._db[ff][:, None]).sum(1)
            cur = lvl[ff]
            new = np.maximum(up, np.minimum(dn, cur))
            hot.update(np.unique(ff[new != cur]).tolist())
        order = np.argsort(f, kind="stable")
        fs = f[order]
        uniq, starts = np.unique(fs, return_index=True)
        ends = np.append(starts[1:], fs.size)
        seen = set(uniq.tolist())
        for k, i in enumerate(uniq.tolist()):
            sel = order[starts[k] : ends[k]]
            ts, vs = t[sel], v[sel]
            if i in hot:
                self._limits(i, ts, vs)
            alarms = self._by_feed[i]
            if "roc" in alarms or "flatline" in alarms:
                self._roc_flat(i, alarms, ts, vs)
            self._last_value[i] = vs[-1]
            self._last_ts_ms[i] = ts[-1]
        # An enabling feed changed: alarms it now disables clear.
        for i, e in enumerate(self._enable):
            if e is not None and e[0] in seen and not self._enabled(i):
                for a in self._by_feed[i].values():
                    if a.active or a.raw_since_ms is not None:
                        self._condition(a, False, 0, int(self._last_ts_ms[e[0]]), a.value)

    def _limits(self, i: int, ts: npt.NDArray[np.int64], vs: npt.NDArray[np.float64]) -> None:
        """Per-reading limit evaluation for a feed whose level may change (rare)."""
        alarms = self._by_feed[i]
        deadband = self._db[i]
        self._pending.discard(i)
        for rule, thr, lvl, sevs, sign in (
            ("high", self._hi[i], self._lvl_hi, self._hi_sev[i], 1.0),
            ("low", self._lo[i], self._lvl_lo, self._lo_sev[i], -1.0),
        ):
            a = alarms.get(rule)
            if a is None:
                continue
            for k in range(ts.size):
                val = float(vs[k])
                x = sign * val
                up = int((x >= thr).sum())
                dn = int((x >= thr - deadband).sum())
                new = max(up, min(dn, int(lvl[i])))
                lvl[i] = new
                a.level = new
                self._condition(a, new > 0, sevs[new - 1] if new else 0, int(ts[k]), val)

    def _roc_flat(
        self,
        i: int,
        alarms: dict[str, Alarm],
        ts: npt.NDArray[np.int64],
        vs: npt.NDArray[np.float64],
    ) -> None:
        """Rate of rise and flatline, once per feed per batch (they look at minutes, not readings).

        Each calls the lifecycle only when its condition differs from the alarm's
        (or an on-delay is running): in steady state this is a few comparisons.
        """
        rules = self.feeds[i].alarms
        t_ms, val = int(ts[-1]), float(vs[-1])
        roc = alarms.get("roc")
        if roc is not None:
            hist = self._history[i]
            window = rules.roc_window_s * 1000 / self.scale
            res = window / 60  # keep about 60 samples per window, not every reading
            if ts.size == 1 or t_ms - int(ts[0]) < res:
                if not hist or t_ms - hist[-1][0] >= res:
                    hist.append((t_ms, val))
            else:
                for k in range(ts.size):
                    tk = int(ts[k])
                    if not hist or tk - hist[-1][0] >= res:
                        hist.append((tk, float(vs[k])))
            horizon = t_ms - window
            while len(hist) > 1 and hist[1][0] <= horizon:
                hist.popleft()
            rising = val - hist[0][1] >= rules.roc_rise
            if rising != roc.active or roc.raw_since_ms is not None:
                self._condition(roc, rising, rules.roc_severity, t_ms, val)
        flat = alarms.get("flatline")
        if flat is not None:
            last = self._last_value[i]
            if vs[0] != last or self._last_change_ms[i] == 0:
                self._last_change_ms[i] = int(ts[0])
            if ts.size > 1:
                changed = np.flatnonzero(vs[1:] != vs[:-1])
                if changed.size:
                    self._last_change_ms[i] = int(ts[changed[-1] + 1])
            stuck_at = int(self._last_change_ms[i] + rules.flatline_s * 1000 / self.scale)
            stuck = t_ms >= stuck_at
            if stuck != flat.active or flat.raw_since_ms is not None:
                # Report the moment it became stuck, not the end of the batch.
                at = max(stuck_at, int(ts[0])) if stuck else t_ms
                self._condition(flat, stuck, rules.flatline_severity, at, val)

    # --- time passing ------------------------------------------------------------------
    def check(self, now_ms: int) -> None:
        """Stale feeds, pending on-delays with no new reading, shelving expiry."""
        with self._lock:
            for i, f in enumerate(self.feeds):
                a = self._by_feed[i].get("stale")
                if a is not None and self._last_ts_ms[i]:
                    age = now_ms - int(self._last_ts_ms[i])
                    stale = age > STALE_FACTOR * f.interval_s * 1000 / self.scale
                    if stale != a.active:
                        self._condition(
                            a, stale, f.alarms.stale_severity, now_ms, float(self._last_value[i])
                        )
            for i in list(self._pending):
                for a in self._by_feed[i].values():
                    if a.raw_since_ms is not None and not a.active:
                        sev = a.severity or self._default_severity(a)
                        self._condition(a, True, sev, now_ms, a.value)
            for a in self.alarms.values():
                if a.state == SHELVED and a.shelved_until_ms and now_ms >= a.shelved_until_ms:
                    self._unshelve(a, now_ms, SYSTEM, "shelving expired", "")
            self._flush()

    def _default_severity(self, a: Alarm) -> int:
        r = self.feeds[a.feed].alarms
        if a.rule == "high" and a.level:
            return self._hi_sev[a.feed][a.level - 1]
        if a.rule == "low" and a.level:
            return self._lo_sev[a.feed][a.level - 1]
        return {
            "roc": r.roc_severity,
            "stale": r.stale_severity,
            "flatline": r.flatline_severity,
        }.get(a.rule, 1)

    # --- operator commands ---------------------------------------------------------------
    def _get(self, alarm_id: str) -> Alarm:
        a = self.alarms.get(alarm_id)
        if a is None:
            raise AlarmCommandError(f"no alarm {alarm_id!r}")
        return a

    def acknowledge(
        self,
        ids: Iterable[str],
        user: str,
        now_ms: int,
        note: str = "",
        workstation: str = "",
        *,
        actor: Session | None = None,
    ) -> list[str]:
        """Acknowledge each alarm that needs it; return those acknowledged."""
        done = []
        with self._lock:
            for alarm_id in ids:
                a = self._get(alarm_id)
                prior = a.state
                if a.state == ACTIVE_UNACK:
                    self._set(a, ACTIVE_ACK, now_ms)
                elif a.state == CLEARED_UNACK:
                    self._set(a, NORMAL, now_ms)
                    a.severity = 0
                else:
                    continue
                a.acked_by, a.acked_ms = (actor.label if actor else user), now_ms
                a.note = note
                self._emit(a, now_ms, AlarmEvent.ACK, user, note, workstation, prior, actor)
                done.append(alarm_id)
            self._flush()
        return done

    def shelve(
        self,
        alarm_id: str,
        user: str,
        reason: str,
        until_ms: int,
        now_ms: int,
        workstation: str = "",
        *,
        actor: Session | None = None,
    ) -> None:
        if not reason.strip():
            raise AlarmCommandError("shelving needs a reason")
        if until_ms <= now_ms:
            raise AlarmCommandError("the shelving expiry must be in the future")
        with self._lock:
            a = self._get(alarm_id)
            if a.state == OUT_OF_SERVICE:
                raise AlarmCommandError(f"{alarm_id} is out of service")
            prior = a.state
            self._set(a, SHELVED, now_ms)
            a.shelved_until_ms = until_ms
            a.note = reason
            self._emit(a, now_ms, AlarmEvent.SHELVE, user, reason, workstation, prior, actor)
            self._flush()

    def unshelve(
        self,
        alarm_id: str,
        user: str,
        now_ms: int,
        workstation: str = "",
        *,
        actor: Session | None = None,
    ) -> None:
        with self._lock:
            a = self._get(alarm_id)
            if a.state != SHELVED:
                raise AlarmCommandError(f"{alarm_id} is not shelved")
            self._unshelve(a, now_ms, user, "", workstation, actor)
            self._flush()

    def _unshelve(
        self, a: Alarm, now_ms: int, user: str, note: str, ws: str, actor: Session | None = None
    ) -> None:
        prior = a.state
        a.shelved_until_ms = 0
        # Still active: annunciate again; otherwise back to normal.
        self._set(a, ACTIVE_UNACK if a.active else NORMAL, now_ms)
        if not a.active:
            a.severity = 0
        self._emit(a, now_ms, AlarmEvent.UNSHELVE, user, note, ws, prior, actor)

    def remove_from_service(
        self,
        alarm_id: str,
        user: str,
        reason: str,
        now_ms: int,
        workstation: str = "",
        *,
        actor: Session | None = None,
    ) -> None:
        if not reason.strip():
            raise AlarmCommandError("removing from service needs a reason")
        with self._lock:
            a = self._get(alarm_id)
            prior = a.state
            self._set(a, OUT_OF_SERVICE, now_ms)
            a.shelved_until_ms = 0
            a.note = reason
            self._emit(a, now_ms, AlarmEvent.REMOVE, user, reason, workstation, prior, actor)
            self._flush()

    def return_to_service(
        self,
        alarm_id: str,
        user: str,
        now_ms: int,
        workstation: str = "",
        *,
        actor: Session | None = None,
    ) -> None:
        with self._lock:
            a = self._get(alarm_id)
            if a.state != OUT_OF_SERVICE:
                raise AlarmCommandError(f"{alarm_id} is not out of service")
            prior = a.state
            self._set(a, ACTIVE_UNACK if a.active else NORMAL, now_ms)
            if not a.active:
                a.severity = 0
            self._emit(a, now_ms, AlarmEvent.RESTORE, user, "", workstation, prior, actor)
            self._flush()

    # --- external alarms (non-feed sources) -----------------------------------------------
    def define_external(
        self, alarm_id: str, source: str, rule: AlarmRule, origin: AlarmOrigin
    ) -> None:
        """Make (or relabel) an external alarm; a restored one keeps its state."""
        if rule in FEED_RULES:
            raise AlarmCommandError(f"{rule} is a feed rule; an external alarm needs its own")
        with self._lock:
            a = self.alarms.get(alarm_id)
            if a is None:
                a = Alarm(alarm_id, NO_FEED, source, rule)
                self.alarms[alarm_id] = a
            elif a.feed != NO_FEED:
                raise AlarmCommandError(f"{alarm_id} is a feed's alarm")
            a.origin = origin

    def set_external(
        self,
        alarm_id: str,
        active: bool,
        severity: int,
        ts_ms: int,
        value: float = math.nan,
        note: str = "",
    ) -> None:
        """The source's condition now: activates, changes severity, or clears (latched
        until acknowledged when it was not), exactly as a feed's condition would.
        ``note`` says what an operator should know and is journalled with the transition."""
        with self._lock:
            a = self._get(alarm_id)
            if a.feed != NO_FEED:
                raise AlarmCommandError(f"{alarm_id} is a feed's alarm")
            a.value = value
            if active and not a.active:
                self._activate(a, severity, ts_ms, note)
            elif active and severity != a.severity:
                up = severity > a.severity
                a.severity = severity
                if up and a.state == ACTIVE_ACK:
                    self._set(a, ACTIVE_UNACK, ts_ms)
                self._emit(a, ts_ms, AlarmEvent.SEVERITY, note=note)
            elif not active and a.active:
                self._clear(a, ts_ms, note)
            self._flush()

    def forget_external(self, alarm_id: str) -> bool:
        """Drop an external alarm that is back to normal (its source is gone for good);
        its journal stays. False (kept) while someone still has to see it."""
        with self._lock:
            a = self.alarms.get(alarm_id)
            if a is None or a.feed != NO_FEED:
                return False
            if a.state != NORMAL or a.active:
                return False
            del self.alarms[alarm_id]
            return True

    # --- views ---------------------------------------------------------------------------
    def current(self) -> list[AlarmView]:
        """Alarms an operator must see: every alarm not in plain normal."""
        with self._lock:
            return [_view(a) for a in self.alarms.values() if a.state != NORMAL]

    def view(self, alarm_id: str) -> AlarmView:
        with self._lock:
            return _view(self._get(alarm_id))

    def recent_since(self, seq: int) -> tuple[int, list[Transition]]:
        with self._lock:
            return self.seq, [tr for s, tr in self._recent if s > seq]


def system_alarm_id(rule: AlarmRule) -> str:
    return f"{SYSTEM}:{rule}"


def _view(a: Alarm) -> AlarmView:
    return AlarmView(
        a.id,
        a.feed,
        a.feed_key,
        a.rule,
        a.state,
        a.severity,
        a.active,
        a.since_ms,
        a.activated_ms,
        a.value,
        a.acked_by,
        a.acked_ms,
        a.shelved_until_ms,
        a.note,
        a.origin,
    )

"""The connecting end of the city link: one thread, one DEALER, outbox → hub.

At-least-once delivery from a durable outbox plus the hub's per-stream dedupe
gives exactly-once storage (docs/PROTOCOL.md, part 2). This thread owns its
sockets (the DEALER and its monitor); it reads the outbox through
``OutboxSource`` and reports acks back to it, and never deletes anything.

Session: HELLO → WELCOME(epoch, acks, credit). The stream logic is
``transport.streams.Sender``: DATA from ``ack+1``, at most ``credit``
unacknowledged batches per stream, streams in the source's priority order (a
backlog of a lower stream never delays a higher one). Messages from the hub
go through a table {type: handler}. A silent hub, a disconnect, a new epoch or
an ack timeout ends the session; the next one starts again from what the hub
acknowledged.

The downlink (hub → console, docs/PROTOCOL.md §2.10): with an inbox
(``DownlinkInbox``), HELLO carries the inbox's marks; a hub that serves the
downlink says so in WELCOME and then sends DATA of its own. Each is committed
to the inbox (``intake`` and the marks in one transaction) before this thread
answers with a cumulative ACK: what the console acknowledged it holds.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import zmq
from zmq.utils.monitor import recv_monitor_message

from transport import uplinkproto as up
from transport.streams import Batch, DownlinkInbox, OutboxSource, Record, Sender, StreamBroken

log = logging.getLogger(__name__)

OFF = "off"
CONNECTING = "connecting"
ONLINE = "online"
OFFLINE = "offline"
REFUSED = "refused"

DOWN_CREDIT = 8
"""Unacknowledged downlink DATA per stream this console lets the hub send (its ACKs say so)."""


@dataclass(frozen=True)
class LinkSettings:
    endpoint: str
    console_id: str
    server_key: bytes
    public_key: bytes
    secret_key: bytes
    batch_records: int = 1000
    heartbeat_s: float = 2.0
    ack_timeout_s: float = 20.0
    reconnect_min_s: float = 0.25
    reconnect_max_s: float = 15.0
    refused_retry_s: float = 30.0
    max_frame_bytes: int = 8 * 2**20
    sw: str = "opsconsole"
    poll_s: float = 0.05
    """The session loop's longest sleep: how late a record goes whose writer did not
    ``wake`` the client (heartbeats and timeouts are checked at least this often too)."""


@dataclass
class LinkStatus:
    state: str = CONNECTING
    since: float = field(default_factory=time.time)
    """When the link entered ``state`` (Unix seconds)."""
    last_online: float = 0.0
    last_ack: float = 0.0
    detail: str = ""
    sessions: int = 0
    batches_sent: int = 0
    records_sent: int = 0
    records_acked: int = 0
    resends: int = 0
    oldest_unsent_ms: int | None = None
    errors: dict[str, int] = field(default_factory=dict)
    down: str = ""
    """The downlink: "" (no inbox), ``online``, ``none`` (the hub serves no downlink: an
    older hub), ``behind`` (the hub holds fewer records than this console received)."""
    down_db: str = ""
    """The hub database whose downlink records this session receives."""
    down_batches: int = 0
    down_records: int = 0
    """Downlink records newly stored in the inbox (duplicates not counted)."""
    down_duplicates: int = 0
    down_gaps: int = 0


@dataclass
class _Session:
    """One connection's state, from HELLO to its end."""

    epoch: str = ""
    """The hub's epoch from WELCOME; empty until welcomed."""
    credit: int = 0
    sender: Sender | None = None
    down_db: str = ""
    """The hub's downlink database id (WELCOME), "" when the hub sends no downlink."""
    down_streams: frozenset[str] = frozenset()


_Handler = Callable[[_Session, dict[str, Any], bytes | None], None]


class _SessionEnded(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, state: str, detail: str, retry_s: float | None = None) -> None:
        super().__init__(detail)
        self.state = state
        self.detail = detail
        self.retry_s = retry_s


def _about(header: dict[str, Any]) -> str:
    """E.g. " summary 51..60" when an ERROR names the DATA it refuses, else ""."""
    stream, first, last = header.get("stream"), header.get("first"), header.get("last")
    if not isinstance(stream, str):
        return ""
    if up.is_int(first) and up.is_int(last):
        return f" {stream} {first}..{last}"
    return f" {stream}"


_MON_EVENTS = (
    zmq.EVENT_HANDSHAKE_SUCCEEDED
    | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
    | zmq.EVENT_DISCONNECTED
)


class UplinkClient:
    def __init__(
        self,
        settings: LinkSettings,
        source: OutboxSource,
        *,
        inbox: DownlinkInbox | None = None,
        context: zmq.Context[Any] | None = None,
    ) -> None:
        """``inbox``: where the hub's downlink records go (None: ask for no downlink)."""
        self.settings = settings
        self._source = source
        self._inbox = inbox
        self._ctx = context or zmq.Context.instance()
        self._limits = up.Limits(max_frame_bytes=settings.max_frame_bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="uplink", daemon=True)
        self._status = LinkStatus()
        self._lock = threading.Lock()
        self._handlers: dict[str, _Handler] = {
            up.WELCOME: self._on_welcome,
            up.ACK: self._on_ack,
            up.CREDIT: self._on_credit,
            up.ERROR: self._on_error,
            up.DATA: self._on_data,
        }
        self._sock: zmq.Socket[Any] | None = None
        """The session's DEALER, for handlers that answer (downlink ACKs)."""
        # ``wake``: a byte on this pair ends the session loop's poll at once (a record
        # written now goes now, not at the next poll timeout). ``_wake_due`` coalesces.
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._wake_due = threading.Event()

    # -- public, any thread -------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if not self._thread.is_alive():
            self._wake_r.close()
            self._wake_w.close()

    def wake(self) -> None:
        """The source has new records: send them now (any thread; cheap, coalesced).

        Without it they go at the session loop's next turn, within ``poll_s``."""
        if self._wake_due.is_set():
            return
        self._wake_due.set()
        with contextlib.suppress(OSError):  # full (a wake is pending) or closed (stopped)
            self._wake_w.send(b"\0")

    def status(self) -> LinkStatus:
        with self._lock:
            s = self._status
            return LinkStatus(**{**s.__dict__, "errors": dict(s.errors)})

    # -- thread --------------------------------------------------------------
    def _set(self, **kw: Any) -> None:
        with self._lock:
            if "state" in kw and kw["state"] != self._status.state:
                self._status.since = time.time()
            for k, v in kw.items():
                setattr(self._status, k, v)

    def _count_error(self, code: str) -> None:
        with self._lock:
            self._status.errors[code] = self._status.errors.get(code, 0) + 1

    def _run(self) -> None:
        delay = self.settings.reconnect_min_s
        while not self._stop.is_set():
            sock = self._ctx.socket(zmq.DEALER)
            mon = sock.get_monitor_socket(_MON_EVENTS)
            sessions_before = self._status.sessions
            retry: float | None = None
            try:
                self._configure(sock)
                sock.connect(self.settings.endpoint)
                self._session(sock, mon)
            except _SessionEnded as end:
                self._set(state=end.state, detail=end.detail)
                log.warning("uplink to %s: %s", self.settings.endpoint, end.detail)
                retry = end.retry_s
            except zmq.ZMQError as exc:
                self._set(state=OFFLINE, detail=f"socket error: {exc}")
                log.error("uplink socket error: %s", exc)
                retry = None
            finally:
                sock.disable_monitor()
                mon.close(0)
                sock.close(0)
            if self._status.sessions > sessions_before:  # this session got a WELCOME
                delay = self.settings.reconnect_min_s
            if retry is None:
                retry = delay
                delay = min(delay * 2, self.settings.reconnect_max_s)
            self._stop.wait(retry)
        self._set(state=OFF, detail="stopped")

    def _configure(self, sock: zmq.Socket[Any]) -> None:
        s = self.settings
        hb_ms = int(s.heartbeat_s * 1000)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.IMMEDIATE, 1)
        sock.setsockopt(zmq.HEARTBEAT_IVL, hb_ms)
        sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, 3 * hb_ms)
        sock.setsockopt(zmq.HEARTBEAT_TTL, 3 * hb_ms)
        sock.setsockopt(zmq.RECONNECT_IVL, int(s.reconnect_min_s * 1000))
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, int(s.reconnect_max_s * 1000))
        sock.setsockopt(zmq.MAXMSGSIZE, s.max_frame_bytes)
        sock.setsockopt(zmq.CURVE_SERVERKEY, s.server_key)
        sock.setsockopt(zmq.CURVE_PUBLICKEY, s.public_key)
        sock.setsockopt(zmq.CURVE_SECRETKEY, s.secret_key)

    def _retry_state(self) -> str:
        """The state while (re)connecting: a loss or a refusal stays shown, with its
        time, until a WELCOME; "connecting" only before the link was ever up."""
        if self._status.state in (OFFLINE, REFUSED):
            return self._status.state
        return OFFLINE if self._status.last_online else CONNECTING

    def _session(self, sock: zmq.Socket[Any], mon: zmq.Socket[Any]) -> None:
        s = self.settings
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(mon, zmq.POLLIN)
        poller.register(self._wake_r, zmq.POLLIN)
        start = time.monotonic()
        state = self._retry_state()
        if state == CONNECTING:
            self._set(state=state, detail=f"connecting to {s.endpoint}")
        else:
            self._set(state=state, detail=f"{self._status.detail}; retrying {s.endpoint}")
        sess = _Session()
        self._sock = sock
        handshake_ok = False
        last_rx = last_tx = next_hello = next_oldest = 0.0
        hb = s.heartbeat_s
        while not self._stop.is_set():
            now = time.monotonic()
            if not sess.epoch and now >= next_hello:
                pos = self._source.positions()
                site, db = self._source.identity()
                down = self._inbox.hello() if self._inbox is not None else None
                hello = up.hello(
                    s.console_id, site, db, {k: v[0] for k, v in pos.items()}, s.sw, down=down
                )
                if self._send(sock, hello):
                    last_tx = now
                    next_hello = now + hb
                else:  # IMMEDIATE: no connection yet; try again soon
                    next_hello = now + 0.1
            if sess.epoch:
                assert sess.sender is not None
                if sess.credit > 0 and self._pump(sock, sess.sender, sess.credit, now):
                    last_tx = now
                if now - last_tx >= hb and self._send(sock, up.encode({"t": up.PING})):
                    last_tx = now
                if now - last_rx > 3 * hb:
                    raise _SessionEnded(OFFLINE, f"hub silent for {now - last_rx:.0f} s")
                if sess.sender.overdue(now):
                    raise _SessionEnded(
                        OFFLINE,
                        f"no ack for {s.ack_timeout_s:.0f} s; resending from the last ack",
                    )
            elif now - start > max(5.0, 3 * hb):
                detail = (
                    "no WELCOME from the hub"
                    if handshake_ok
                    else "no secure handshake with the hub (wrong uplink.hub_public_key, "
                    "hub down or unreachable)"
                )
                raise _SessionEnded(self._retry_state(), detail)
            if now >= next_oldest:
                self._set(oldest_unsent_ms=self._source.oldest_unsent_ms())
                next_oldest = now + 1.0
            sleep = min(hb, s.poll_s)
            if not sess.epoch:  # the next HELLO is due then
                sleep = min(sleep, max(0.0, next_hello - time.monotonic()))
            events = dict(poller.poll(int(sleep * 1000)))
            if self._wake_r.fileno() in events:  # pyzmq keys a native socket by its fd
                self._drain_wake()
            if mon in events:
                handshake_ok = self._monitor(mon, bool(sess.epoch)) or handshake_ok
            if sock not in events:
                continue
            while sock.poll(0, zmq.POLLIN):
                frames = sock.recv_multipart(zmq.NOBLOCK)
                last_rx = time.monotonic()
                try:
                    header, body = up.decode(frames, self._limits)
                except up.ProtocolError as exc:
                    self._count_error(exc.code)
                    log.error("uplink: bad message from the hub: %s", exc)
                    continue
                self._dispatch(sess, header, body)

    def _drain_wake(self) -> None:
        """Consume pending wakes; the loop then pumps (cleared first: a wake after this
        leaves a byte, so the next poll returns at once)."""
        self._wake_due.clear()
        with contextlib.suppress(OSError):  # empty now (BlockingIOError)
            while self._wake_r.recv(4096):
                pass

    def _dispatch(self, sess: _Session, header: dict[str, Any], body: bytes | None) -> None:
        t = header["t"]
        if t == up.ERROR:
            # Read in every state: an ERROR may refuse the HELLO itself (§2.7).
            self._on_error(sess, header, body)
            return
        if t != up.WELCOME:
            if not sess.epoch:
                return  # ACK, CREDIT, PONG of an earlier session: nothing to do with this one
            if header.get("epoch", sess.epoch) != sess.epoch:
                raise _SessionEnded(OFFLINE, "hub restarted (new epoch); resuming")
        handler = self._handlers.get(t)
        if handler is not None:
            handler(sess, header, body)

    def _broken(self, exc: StreamBroken) -> _SessionEnded:
        """A stream the hub and this outbox cannot continue: say what an administrator must do."""
        name = exc.stream
        if exc.reason == "ahead":
            detail = (
                f"hub already holds {name} up to seq {exc.peer_seq} but this outbox ends at "
                f"{exc.local_seq}: the console database was replaced; give it a new database id"
            )
        else:
            # Only possible if the hub lost acknowledged records (restored from an
            # old backup) that this outbox has since pruned: say so, do not loop.
            detail = (
                f"the hub asks for {name} from seq {exc.peer_seq}, but this outbox "
                f"starts at {exc.local_seq} (older records were pruned after the "
                "hub acknowledged them): the hub's database must be restored"
            )
        return _SessionEnded(REFUSED, detail, self.settings.refused_retry_s)

    # -- handlers: {message type: handler} ------------------------------------------
    def _on_welcome(self, sess: _Session, header: dict[str, Any], _body: bytes | None) -> None:
        s = self.settings
        sess.epoch, sess.credit = header["epoch"], header["credit"]
        try:
            sess.sender = Sender(
                self._source,
                header["acks"],
                batch_records=min(s.batch_records, header["max_records"]),
                ack_timeout_s=s.ack_timeout_s,
            )
        except StreamBroken as exc:
            # The hub holds more than this database ever wrote: a restored or
            # replaced database would reuse sequence numbers. Refuse loudly.
            raise self._broken(exc) from None
        with self._lock:
            self._status.sessions += 1
        detail = f"online to {s.endpoint}"
        down = self._welcome_down(sess, header)
        if down:
            detail += f"; {down}"
        self._set(state=ONLINE, last_online=time.time(), detail=detail)
        log.info("uplink online: hub epoch %s, credit %d", sess.epoch, sess.credit)

    def _welcome_down(self, sess: _Session, header: dict[str, Any]) -> str:
        """What WELCOME says of the downlink; "" when all is well (or no inbox)."""
        if self._inbox is None:
            return ""
        offered = header.get("down")
        db = header.get("down_db")
        if not isinstance(offered, dict) or not isinstance(db, str):
            self._set(down="none", down_db="")
            return "the hub sends no downlink (directives, warnings): it predates revision 3"
        sess.down_db = db
        sess.down_streams = frozenset(k for k in offered if isinstance(k, str))
        held_db, held = self._inbox.hello()
        behind = [
            f"{k} {held[k]} > {v}"
            for k, v in offered.items()
            if held_db == db and isinstance(v, int) and held.get(k, 0) > v
        ]
        if behind:
            self._set(down="behind", down_db=db)
            return (
                "the hub holds fewer downlink records than this console received ("
                + ", ".join(behind)
                + "): its database was restored; it must get a new downlink id"
            )
        self._set(down="online", down_db=db)
        return ""

    def _on_data(self, sess: _Session, header: dict[str, Any], body: bytes | None) -> None:
        """A batch of the hub's downlink: commit it to the inbox, then ACK (§2.10)."""
        stream = header["stream"]
        if self._inbox is None or not sess.down_db or stream not in sess.down_streams:
            self._count_error("unknown_stream")
            log.error("uplink: the hub sent DATA of %r, which this session did not ask for", stream)
            return
        epoch = header.get("epoch")
        if not isinstance(epoch, str):
            self._count_error("bad_header")
            log.error("uplink: downlink DATA without the hub's epoch; dropped")
            return
        if epoch != sess.epoch:
            raise _SessionEnded(OFFLINE, "hub restarted (new epoch); resuming")
        assert body is not None
        try:
            records = up.decode_records(header, body, self._limits)
        except up.ProtocolError as exc:
            self._count_error(exc.code)
            log.error("uplink: bad downlink DATA from the hub: %s", exc)
            return
        site, _db = self._source.identity()
        try:
            (res,) = self._inbox.commit([Batch("hub", site, sess.down_db, stream, records)])
        except Exception as exc:
            # Not acknowledged: the hub sends it again after its ack timeout.
            self._count_error("inbox_unavailable")
            log.error(
                "uplink: the inbox could not store %s %d..%d: %s",
                stream,
                records[0][0],
                records[-1][0],
                exc,
            )
            return
        if res.failed:
            self._count_error("inbox_unavailable")
            log.error("uplink: the inbox could not store %s: %s", stream, res.failed)
            return
        with self._lock:
            st = self._status
            st.down_batches += 1
            st.down_records += res.stored
            st.down_duplicates += res.duplicates
            st.down_gaps += int(res.gap)
        assert self._sock is not None
        self._send(self._sock, up.ack(sess.epoch, stream, res.through, DOWN_CREDIT, res.gap))

    def _on_ack(self, sess: _Session, header: dict[str, Any], _body: bytes | None) -> None:
        sess.credit = header["credit"]
        assert sess.sender is not None
        newly, rewound = sess.sender.ack(header["stream"], header["through"], header["resend"])
        with self._lock:
            if newly:
                self._status.records_acked += newly
                self._status.last_ack = time.time()
            if rewound:
                self._status.resends += 1

    def _on_credit(self, sess: _Session, header: dict[str, Any], _body: bytes | None) -> None:
        sess.credit = header["credit"]
        self._set(
            detail="hub paused delivery (storage unavailable)"
            if sess.credit == 0
            else f"online to {self.settings.endpoint}"
        )

    def _on_error(self, sess: _Session, header: dict[str, Any], _body: bytes | None) -> None:
        """What the console does with each ERROR (docs/PROTOCOL.md §2.7)."""
        s = self.settings
        code, detail = header["code"], header["detail"]
        self._count_error(code)
        about = _about(header)
        if header["fatal"]:
            raise _SessionEnded(
                REFUSED, f"hub refused this console: {code} ({detail})", s.refused_retry_s
            )
        epoch = header.get("epoch")
        if sess.epoch and isinstance(epoch, str) and epoch != sess.epoch:
            raise _SessionEnded(OFFLINE, "hub restarted (new epoch); resuming", s.reconnect_min_s)
        if code == "not_welcomed":
            raise _SessionEnded(
                OFFLINE,
                "the hub has no session for this connection (restarted, or closed it as "
                "idle); saying HELLO again",
                s.reconnect_min_s,
            )
        if code == "storage_unavailable":
            raise _SessionEnded(OFFLINE, f"hub storage unavailable{about}; retrying", 2.0)
        if code == "over_credit":
            raise _SessionEnded(
                OFFLINE, f"hub refused DATA{about} beyond the credit; resuming", s.reconnect_min_s
            )
        log.error("uplink: hub reported %s%s: %s", code, about, detail)
        if not sess.epoch:
            raise _SessionEnded(REFUSED, f"hub refused the HELLO: {code} ({detail})")
        if about:
            # A refused DATA is never acked: resume from the acks rather than wait for
            # the ack timeout (backing off, since it will most likely be refused again).
            raise _SessionEnded(OFFLINE, f"hub refused DATA{about}: {code} ({detail})")

    def _pump(self, sock: zmq.Socket[Any], sender: Sender, credit: int, now: float) -> bool:
        """Send what credit allows, highest-priority stream first. True if anything went."""

        def send(stream: str, records: list[Record]) -> bool:
            if not self._send(sock, up.data(stream, records)):
                return False
            with self._lock:
                self._status.batches_sent += 1
                self._status.records_sent += len(records)
            return True

        try:
            return sender.pump(credit, now, send)
        except StreamBroken as exc:
            raise self._broken(exc) from None

    def _monitor(self, mon: zmq.Socket[Any], welcomed: bool) -> bool:
        ok = False
        while mon.poll(0, zmq.POLLIN):
            ev = recv_monitor_message(mon, zmq.NOBLOCK)
            kind = ev["event"]
            if kind == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                ok = True
            elif kind == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
                raise _SessionEnded(
                    REFUSED,
                    f"the hub refused this console's key (ZAP status {ev['value']}): "
                    f"is {self.settings.console_id!r} allowed in the hub's registry?",
                    self.settings.refused_retry_s,
                )
            elif kind in (
                zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL,
                zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            ):
                self._count_error("handshake_failed")
                self._set(
                    detail="secure handshake with the hub failed: check uplink.hub_public_key "
                    "and this console's key"
                )
            elif kind == zmq.EVENT_DISCONNECTED and welcomed:
                raise _SessionEnded(OFFLINE, "connection to the hub lost")
        return ok

    def _send(self, sock: zmq.Socket[Any], frames: list[bytes]) -> bool:
        try:
            sock.send_multipart(frames, zmq.NOBLOCK)
        except zmq.Again:
            return False
        return True

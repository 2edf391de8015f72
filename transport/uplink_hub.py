"""The hub end of the city link: ROUTER + CURVE + ZAP, sessions, acks.

One thread owns the ROUTER and its monitor; pyzmq's ``ThreadAuthenticator``
answers ZAP requests in its own thread by asking the ``SessionPolicy`` what a
key is allowed (the hub's policy reads its key registry, re-read on change:
allow or revoke without restart). The key's peer id becomes the connection's
``User-Id``, which libzmq attaches to every message; whether a HELLO may open
a session, whether a session may go on, and what credit it gets are the
policy's answers too. Nothing here knows what a console, a site or a stream
name means.

Storage is not here either: the loop drains what has arrived (from every
peer), hands the DATA batches to ``InboxSink.commit`` — those of every stream
but the bulk ones (``HubSettings.bulk_streams``: summaries) as one
transaction at once, the bulk ones in transactions of at most
``bulk_commit_records`` (a DATA cut where one ends), one per turn of the loop,
so an urgent record never waits behind more than one small commit — and
answers each DATA once: after the commit of its last record, or of a part
that met a gap or that the store refused. Dedupe (``transport.streams.intake``) and the
stream's high-water mark are committed by the sink together with the records. Messages are
dispatched through a table {type: handler}.

The downlink (docs/PROTOCOL.md §2.10): when a HELLO asks for it and a
``Downlink`` port is given, the session gets a ``Sender`` over the port's
``OutboxSource`` for that peer, opened from the marks the HELLO says the
console's inbox holds. The loop pumps every such sender (streams in the port's
priority order, at most the credit the console granted), the console's
cumulative ACKs move it, and a stream not acknowledged within the ack timeout is
sent again from the console's last ACK. Records written by other processes (the
IOC window, the command line) are noticed through the port's cheap ``changed``
check every ``down_check_s`` (and a full ``poll`` every ``down_poll_s`` regardless).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils import z85
from zmq.utils.monitor import recv_monitor_message

from transport import uplinkproto as up
from transport.streams import Batch, InboxSink, OutboxSource, Sender, StreamBroken

log = logging.getLogger(__name__)

ZAP_DOMAIN = "opsconsole"


# -- the policy port ---------------------------------------------------------------------
@dataclass(frozen=True)
class KeyVerdict:
    """What a CURVE key may do: connect as ``peer``, or be refused for a ``refused`` reason."""

    peer: str = ""
    refused: str = ""


@dataclass(frozen=True)
class Hello:
    """A decoded HELLO and the ``User-Id`` its connection authenticated as."""

    user_id: str
    console: str
    site: str
    db: str
    streams: Mapping[str, Any]
    sw: str
    down_db: str | None = None
    """The HELLO's ``down_db`` (None: the console asks for no downlink)."""
    down: Mapping[str, Any] | None = None
    """The HELLO's ``down``: downlink stream → last seq the console's inbox holds."""


@dataclass(frozen=True)
class Admitted:
    peer: str
    scope: str
    """Carried on every batch of the session (``Batch.scope``)."""


@dataclass(frozen=True)
class Refusal:
    code: str
    """An ERROR code (uplinkproto.ERROR_CODES), sent to the peer and counted by message."""
    detail: str
    connection: str = ""
    """When set, also counted as a refused connection under this reason."""


class SessionPolicy(Protocol):
    """Who may connect and deliver, and how fast (the hub: console.hub.policy)."""

    def authorize(self, key_z85: bytes) -> KeyVerdict:
        """ZAP, in the authenticator's thread: may this key connect, and as whom?"""
        ...

    def admit(self, hello: Hello) -> Admitted | Refusal:
        """May this HELLO open a session?"""
        ...

    def recheck(self, peer: str) -> Refusal | None:
        """Before each later message of a session: may it go on?"""
        ...

    def welcome_credit(self) -> int: ...

    def ack_credit(self) -> int: ...

    def storage_failed(self) -> int:
        """A commit failed; the credit to announce to every session."""
        ...

    def tick(self, healthy: Callable[[], bool]) -> int | None:
        """Once a second; a credit to announce to every session, or None."""
        ...


class Downlink(Protocol):
    """The hub's numbered records for the consoles (the hub: console.hub.store.downlink)."""

    def identity(self) -> str:
        """The id of the database that numbers them (a console keys its marks by it)."""
        ...

    def streams(self) -> tuple[str, ...]:
        """The downlink streams, highest priority first."""
        ...

    def open(self, peer: str, scope: str, held: Mapping[str, int]) -> OutboxSource:
        """The records for ``peer`` (admitted for ``scope``), whose inbox holds ``held``."""
        ...

    def poll(self) -> None:
        """Learn of records written since the last call (another process may write them)."""
        ...

    def changed(self) -> bool:
        """Cheap, often: may records have been written since the last ``poll``? (True when
        unsure; ``poll`` is also run once a second whatever this says.)"""
        ...


@dataclass(frozen=True)
class HubSettings:
    bind: str
    secret_key: bytes
    public_key: bytes
    max_records: int = 2000
    max_frame_bytes: int = 8 * 2**20
    heartbeat_s: float = 2.0
    session_idle_s: float = 30.0
    max_drain: int = 512
    max_commit_records: int = 20_000
    """Records read from the socket per turn of the loop, at most (bounds memory)."""
    bulk_streams: frozenset[str] = frozenset()
    """Streams whose DATA is committed after everything else that has arrived, in
    transactions of ``bulk_commit_records`` (the hub: ``summary``): an urgent record
    never waits behind a backlog's transaction, only behind one of these."""
    bulk_commit_records: int = 250
    """Records per bulk transaction (a DATA is cut where one ends). What an urgent record
    or another process's write may wait for at the hub: 5–10 ms of work on the reference
    machine, where 2,000 drained a backlog ~9 % faster and made an escalation wait up to
    ~60 ms (docs/PERFORMANCE.md, Escalation)."""
    down_window: int = 8
    """Unacknowledged downlink DATA per stream and session, at most (a console may grant less)."""
    down_batch_records: int = 100
    ack_timeout_s: float = 20.0
    """A downlink stream not acknowledged for this long is sent again from the last ACK."""
    down_check_s: float = 0.02
    """How often the hub asks the ``Downlink`` whether records were written (by other
    processes): a cheap check; the positions are read only when it says so…"""
    down_poll_s: float = 1.0
    """…and at least this often whatever it says (should a wake-up ever be missed)."""


@dataclass
class _Down:
    """A session's downlink: the sender and the credit the console granted."""

    source: OutboxSource
    sender: Sender
    streams: frozenset[str]
    credit: int


@dataclass
class _Session:
    peer: str
    scope: str
    db: str
    streams: set[str]
    last_rx: float
    credit: int
    """The credit last announced to this session (WELCOME, ACK or CREDIT)."""
    unanswered: dict[str, int] = field(default_factory=dict)
    """DATA per stream received and not yet answered (with ACK or ERROR)."""
    down: _Down | None = None


@dataclass
class _Received:
    """A DATA's batch, from the loop's drain until its commit answers it."""

    routing: bytes
    batch: Batch
    session: _Session
    """The session it came in (its unanswered count drops when it is answered)."""
    taken: int = 0
    """Records of ``batch`` already handed to a transaction (a bulk DATA goes in parts)."""

    def answered(self) -> None:
        left = self.session.unanswered.get(self.batch.stream, 0)
        self.session.unanswered[self.batch.stream] = max(0, left - 1)


@dataclass(frozen=True)
class _Part:
    """What one transaction stores of a DATA: all of it, or (bulk streams) a slice."""

    received: _Received
    batch: Batch
    last: bool
    """The DATA's last records: its answer (ACK or ERROR) goes after this commit."""


@dataclass
class HubCounters:
    """Shared by the hub and ZAP threads; every change under one lock."""

    rejected_connections: dict[str, int] = field(default_factory=dict)
    rejected_messages: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    batches: int = 0
    records_stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    storage_errors: int = 0
    down_batches: int = 0
    down_records_sent: int = 0
    down_records_acked: int = 0
    down_resends: int = 0
    """Downlink streams sent again: a gap the console reported, or an ack timeout."""
    down_behind: int = 0
    """Sessions whose console holds more of a downlink stream than the hub wrote."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reject_connection(self, reason: str) -> None:
        with self.lock:
            self.rejected_connections[reason] = self.rejected_connections.get(reason, 0) + 1

    def reject_message(self, reason: str) -> None:
        with self.lock:
            self.rejected_messages[reason] = self.rejected_messages.get(reason, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "rejected_connections": dict(self.rejected_connections),
                "rejected_messages": dict(self.rejected_messages),
                "messages": self.messages,
                "batches": self.batches,
                "records_stored": self.records_stored,
                "duplicates": self.duplicates,
                "quarantined": self.quarantined,
                "storage_errors": self.storage_errors,
                "down_batches": self.down_batches,
                "down_records_sent": self.down_records_sent,
                "down_records_acked": self.down_records_acked,
                "down_resends": self.down_resends,
                "down_behind": self.down_behind,
            }


class _PolicyAuthenticator(ThreadAuthenticator):
    """ZAP: the policy's verdict on each key; User-Id = the key's peer id."""

    def __init__(
        self,
        context: zmq.Context[Any],
        authorize: Callable[[bytes], KeyVerdict],
        counters: HubCounters,
    ) -> None:
        super().__init__(context)
        self._authorize = authorize
        self._counters = counters

    def callback(self, domain: str, key: bytes) -> bool:
        verdict = self._authorize(key)
        if verdict.refused:
            self._counters.reject_connection(verdict.refused)
            return False
        return True

    def curve_user_id(self, client_public_key: bytes) -> str:
        return self._authorize(z85.encode(client_public_key)).peer


_HANDSHAKE_REASONS: dict[int, str] = {
    zmq.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: "no_curve",
    zmq.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: "bad_handshake",
    zmq.PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: "bad_handshake",
}


@dataclass
class _Message:
    """One decoded message, with what its handler may need."""

    routing: bytes
    user_id: str
    header: dict[str, Any]
    body: bytes | None
    now: float
    session: _Session | None


@dataclass(frozen=True)
class _Handler:
    fn: Callable[[zmq.Socket[Any], _Message, list[_Received]], None]
    welcomed: bool
    """Only within a session opened by HELLO (else ``not_welcomed``)."""


class HubServer:
    def __init__(
        self,
        settings: HubSettings,
        storage: InboxSink,
        policy: SessionPolicy,
        *,
        context: zmq.Context[Any] | None = None,
        on_tick: Callable[[], None] | None = None,
        downlink: Downlink | None = None,
    ) -> None:
        """``downlink``: the records to send to consoles that ask (None: no downlink)."""
        self.settings = settings
        self.storage = storage
        self.policy = policy
        self.downlink = downlink
        self.counters = HubCounters()
        self.epoch = uuid.uuid4().hex[:16]
        self._ctx = context or zmq.Context()
        self._own_ctx = context is None
        self._limits = up.Limits(
            max_frame_bytes=settings.max_frame_bytes, max_records=settings.max_records
        )
        self._sessions: dict[bytes, _Session] = {}
        self._bulk: deque[_Received] = deque()
        """Bulk-stream DATA read and not yet wholly committed, oldest first."""
        self._handlers: dict[str, _Handler] = {
            up.HELLO: _Handler(self._on_hello, welcomed=False),
            up.PING: _Handler(self._on_ping, welcomed=True),
            up.DATA: _Handler(self._on_data, welcomed=True),
            up.ACK: _Handler(self._on_ack, welcomed=True),
        }
        self._on_tick = on_tick
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hub", daemon=True)
        self.bound_endpoint = ""

    @property
    def sessions(self) -> int:
        return len(self._sessions)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        if self._own_ctx:
            self._ctx.term()

    def wait(self) -> None:
        while self._thread.is_alive():
            self._thread.join(0.5)

    def _run(self) -> None:
        s = self.settings
        auth = _PolicyAuthenticator(self._ctx, self.policy.authorize, self.counters)
        sock = self._ctx.socket(zmq.ROUTER)
        mon = None
        try:
            auth.start()
            auth.configure_curve_callback(domain=ZAP_DOMAIN, credentials_provider=auth)
            sock.setsockopt(zmq.LINGER, 0)
            sock.setsockopt(zmq.ROUTER_MANDATORY, 1)
            sock.setsockopt(zmq.MAXMSGSIZE, s.max_frame_bytes * 4)
            sock.setsockopt(zmq.HEARTBEAT_IVL, int(s.heartbeat_s * 1000))
            sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, int(s.heartbeat_s * 3000))
            sock.setsockopt(zmq.RCVHWM, 10_000)
            sock.setsockopt(zmq.CURVE_SERVER, 1)
            sock.setsockopt(zmq.CURVE_SECRETKEY, s.secret_key)
            sock.setsockopt(zmq.CURVE_PUBLICKEY, s.public_key)
            sock.setsockopt(zmq.ZAP_DOMAIN, ZAP_DOMAIN.encode())
            mon = sock.get_monitor_socket(
                zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
            )
            sock.bind(s.bind)
            self.bound_endpoint = sock.getsockopt_string(zmq.LAST_ENDPOINT)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            auth.stop()
            sock.close(0)
            return
        self._ready.set()
        log.info("hub listening on %s (epoch %s)", self.bound_endpoint, self.epoch)
        try:
            self._loop(sock, mon)
        except BaseException:
            log.exception("hub loop failed")
            raise
        finally:
            sock.disable_monitor()
            mon.close(0)
            sock.close(0)
            auth.stop()

    def _loop(self, sock: zmq.Socket[Any], mon: zmq.Socket[Any]) -> None:
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(mon, zmq.POLLIN)
        next_tick = next_poll = 0.0
        while not self._stop.is_set():
            down = self.downlink is not None and self._downlink_sessions()
            wait_ms = int(self.settings.down_check_s * 1000) if down else 100
            events = dict(poller.poll(0 if self._bulk else wait_ms))
            if mon in events:
                self._monitor(mon)
            now = time.monotonic()
            if sock in events:
                urgent = self._drain(sock, now)
                if urgent:
                    self._commit(sock, [_Part(r, r.batch, last=True) for r in urgent])
            if down:
                t = time.monotonic()
                if t >= next_poll or self._downlink_changed():
                    next_poll = t + self.settings.down_poll_s
                    self._poll_downlink()
                self._pump_downlink(sock, t)
            if self._bulk:
                # One bounded transaction of the bulk streams per turn: what arrives
                # meanwhile (an escalation) is read and committed before the next.
                self._commit(sock, self._next_bulk())
            if now >= next_tick:
                next_tick = now + 1.0
                self._housekeeping(sock, now)

    def _drain(self, sock: zmq.Socket[Any], now: float) -> list[_Received]:
        """Read what has arrived from every peer (bounded in messages and records) and
        handle it; DATA of the bulk streams joins ``_bulk``, the rest is returned (to be
        committed together now)."""
        s = self.settings
        got: list[_Received] = []
        n = records = 0
        while n < s.max_drain and records < s.max_commit_records and sock.poll(0, zmq.POLLIN):
            frames = sock.recv_multipart(zmq.NOBLOCK, copy=False)
            n += 1
            before = len(got)
            try:
                self._handle(sock, frames, now, got)
            except Exception:
                # A bug met by one message must not stop the hub for every peer.
                self.counters.reject_message("internal_error")
                log.exception("hub: message handling failed; message dropped")
            if len(got) > before:
                records += len(got[-1].batch.records)
        urgent = []
        for r in got:
            if r.batch.stream in s.bulk_streams:
                self._bulk.append(r)
            else:
                urgent.append(r)
        return urgent

    def _next_bulk(self) -> list[_Part]:
        """The oldest ``bulk_commit_records`` bulk records, cutting a DATA where they end
        (its rest goes in the next transaction; it is answered after its last part)."""
        out: list[_Part] = []
        room = self.settings.bulk_commit_records
        while self._bulk and room > 0:
            r = self._bulk[0]
            if not self._current(r):
                # Its session ended (or a HELLO began another on the connection): an
                # answer would reach the new session, which did not send it. Not stored:
                # the console resends from the new session's WELCOME.
                self._bulk.popleft()
                continue
            part = r.batch.records[r.taken : r.taken + room]
            r.taken += len(part)
            last = r.taken >= len(r.batch.records)
            if last:
                self._bulk.popleft()
            batch = r.batch if len(part) == len(r.batch.records) else replace(r.batch, records=part)
            out.append(_Part(r, batch, last))
            room -= len(part)
        return out

    def _current(self, r: _Received) -> bool:
        """Is the session that sent ``r`` still the connection's session?"""
        return self._sessions.get(r.routing) is r.session

    def _reply(self, sock: zmq.Socket[Any], routing: bytes, frames: list[bytes]) -> None:
        try:
            sock.send_multipart([routing, *frames], zmq.NOBLOCK)
        except zmq.ZMQError as exc:  # EHOSTUNREACH (peer gone) or EAGAIN (peer not reading)
            log.debug("reply to a vanished console dropped: %s", exc)

    def _reject(
        self, sock: zmq.Socket[Any], routing: bytes, code: str, detail: str, **about: Any
    ) -> None:
        """Count and answer a refused message; some fatal codes also end the session."""
        self.counters.reject_message(code)
        log.warning("rejected a message: %s: %s", code, detail)
        if code in up.ENDS_SESSION:
            self._sessions.pop(routing, None)
        self._reply(sock, routing, up.error(code, detail, epoch=self.epoch, **about))

    def _refuse(self, sock: zmq.Socket[Any], routing: bytes, refusal: Refusal) -> None:
        if refusal.connection:
            self.counters.reject_connection(refusal.connection)
        self._reject(sock, routing, refusal.code, refusal.detail)

    def _handle(
        self, sock: zmq.Socket[Any], msg: list[Any], now: float, batches: list[_Received]
    ) -> None:
        routing = msg[0].bytes
        user_id = msg[1].get("User-Id") if len(msg) > 1 else ""
        with self.counters.lock:
            self.counters.messages += 1
        try:
            header, body = up.decode([f.bytes for f in msg[1:]], self._limits)
        except up.ProtocolError as exc:
            self._reject(sock, routing, exc.code, exc.detail)
            return
        t = header["t"]
        handler = self._handlers.get(t)
        m = _Message(routing, user_id, header, body, now, None)
        if handler is not None and not handler.welcomed:
            handler.fn(sock, m, batches)
            return
        m.session = self._sessions.get(routing)
        if m.session is None:
            self._reject(
                sock, routing, "not_welcomed", f"{t} on a connection without a session; HELLO"
            )
            return
        refusal = self.policy.recheck(m.session.peer)
        if refusal is not None:
            self._refuse(sock, routing, refusal)
            return
        m.session.last_rx = now
        if handler is None:
            self._reject(sock, routing, "unknown_type", f"{t} is not sent by consoles")
            return
        handler.fn(sock, m, batches)

    # -- handlers: {message type: handler} ------------------------------------------
    def _on_hello(self, sock: zmq.Socket[Any], m: _Message, batches: list[_Received]) -> None:
        h = m.header
        # A HELLO always starts over: whatever session this connection had ends here.
        self._sessions.pop(m.routing, None)
        verdict = self.policy.admit(
            Hello(
                m.user_id,
                h["console"],
                h["site"],
                h["db"],
                h["streams"],
                h["sw"],
                h.get("down_db"),
                h.get("down"),
            )
        )
        if isinstance(verdict, Refusal):
            self._refuse(sock, m.routing, verdict)
            return
        try:
            positions = self.storage.positions(verdict.peer, h["db"])
        except Exception as exc:
            log.error("storage unavailable for HELLO from %s: %s", verdict.peer, exc)
            self._reject(sock, m.routing, "storage_unavailable", str(exc)[:200])
            return
        streams: dict[str, int] = h["streams"]
        for name, written in streams.items():
            held = positions.get(name, 0)
            if held > written:
                # Acking new records as duplicates of old ones would lose them.
                self._refuse(
                    sock,
                    m.routing,
                    Refusal(
                        "db_reused",
                        f"this hub holds {name} up to seq {held} of database {h['db']}, "
                        f"but the console says it wrote only {written}: the database was "
                        "restored or copied; give it a new database id",
                        connection="db_reused",
                    ),
                )
                return
        credit = self.policy.welcome_credit()
        session = _Session(verdict.peer, verdict.scope, h["db"], set(streams), m.now, credit)
        welcome: dict[str, Any] = {
            "t": up.WELCOME,
            "epoch": self.epoch,
            "acks": {k: positions.get(k, 0) for k in streams},
            "credit": credit,
            "max_records": self._limits.max_records,
            "hb_s": self.settings.heartbeat_s,
        }
        if isinstance(h.get("down"), dict) and self.downlink is not None:
            try:
                welcome["down_db"], welcome["down"] = self._open_downlink(session, h)
            except Exception as exc:
                log.error("storage unavailable for the downlink of %s: %s", verdict.peer, exc)
                self._reject(sock, m.routing, "storage_unavailable", str(exc)[:200])
                return
        self._sessions[m.routing] = session
        self._reply(sock, m.routing, up.encode(welcome))
        log.info("console %s (site %s) online", verdict.peer, h["site"])

    def _open_downlink(self, session: _Session, h: dict[str, Any]) -> tuple[str, dict[str, int]]:
        """The session's downlink sender, from the marks the console's inbox holds of this
        hub's database (none, when it names another). Returns WELCOME's (down_db, down)."""
        assert self.downlink is not None
        self.downlink.poll()  # WELCOME says how far the hub has written: know it now
        db = self.downlink.identity()
        asked: dict[str, Any] = h["down"]
        served = [s for s in self.downlink.streams() if s in asked]
        held = {s: int(asked[s]) if h.get("down_db") == db else 0 for s in served}
        source = self.downlink.open(session.peer, session.scope, held)
        pos = source.positions()
        offered = {s: pos.get(s, (0, 0))[0] for s in served}
        try:
            sender = Sender(
                source,
                held,
                batch_records=self.settings.down_batch_records,
                ack_timeout_s=self.settings.ack_timeout_s,
            )
        except StreamBroken as exc:
            # The console holds more than this database wrote: it was restored from a
            # backup. Sending would renumber records the console drops as duplicates.
            with self.counters.lock:
                self.counters.down_behind += 1
            log.error(
                "console %s holds downlink %s up to %d, this hub wrote %d: the hub database "
                "was restored; no downlink until it gets a new id (hub new-downlink-id)",
                session.peer,
                exc.stream,
                exc.peer_seq,
                exc.local_seq,
            )
            return db, offered
        session.down = _Down(source, sender, frozenset(served), self.settings.down_window)
        return db, offered

    def _on_ping(self, sock: zmq.Socket[Any], m: _Message, batches: list[_Received]) -> None:
        self._reply(sock, m.routing, up.encode({"t": up.PONG, "epoch": self.epoch}))

    def _on_ack(self, sock: zmq.Socket[Any], m: _Message, batches: list[_Received]) -> None:
        """A console's cumulative ACK of downlink DATA (§2.10)."""
        session, h = m.session, m.header
        assert session is not None
        about = {"stream": h["stream"]}
        down = session.down
        if down is None or h["stream"] not in down.streams:
            self._reject(
                sock, m.routing, "unknown_stream", f"ACK of {h['stream']!r}: not sent here", **about
            )
            return
        if h["epoch"] != self.epoch:
            self._reject(sock, m.routing, "bad_header", "ACK.epoch is not this hub's", **about)
            return
        if h["credit"] < 1:
            self._reject(sock, m.routing, "bad_header", "ACK.credit must be at least 1", **about)
            return
        sent = down.sender.sent(h["stream"]) or 0
        if not 0 <= h["through"] <= sent:
            self._reject(
                sock,
                m.routing,
                "bad_ack",
                f"ACK of {h['stream']} through {h['through']}, sent up to {sent}",
                **about,
            )
            return
        down.credit = min(self.settings.down_window, h["credit"])
        newly, rewound = down.sender.ack(h["stream"], h["through"], h["resend"])
        with self.counters.lock:
            self.counters.down_records_acked += newly
            self.counters.down_resends += int(rewound)

    def _on_data(self, sock: zmq.Socket[Any], m: _Message, batches: list[_Received]) -> None:
        session, header = m.session, m.header
        assert session is not None and m.body is not None
        about = {"stream": header["stream"], "first": header["first"], "last": header["last"]}
        if header["stream"] not in session.streams:
            self._reject(sock, m.routing, "unknown_stream", repr(header["stream"]), **about)
            return
        try:
            records = up.decode_records(header, m.body, self._limits)
        except up.ProtocolError as exc:
            self._reject(sock, m.routing, exc.code, exc.detail, **about)
            return
        waiting = session.unanswered.get(header["stream"], 0)
        if waiting >= session.credit:
            self._reject(
                sock,
                m.routing,
                "over_credit",
                f"{waiting} DATA of {header['stream']} unanswered, credit {session.credit}",
                **about,
            )
            return
        session.unanswered[header["stream"]] = waiting + 1
        batch = Batch(session.peer, session.scope, session.db, header["stream"], records)
        batches.append(_Received(m.routing, batch, session))

    # -- commit, flow control, housekeeping ------------------------------------------
    def _commit(self, sock: zmq.Socket[Any], parts: list[_Part]) -> None:
        """One transaction for ``parts``, then an ACK (or ERROR) for each DATA whose last
        part it was. A part the storage refuses (``failed``) or that follows a gap answers
        its DATA at once; the rest of that DATA is then not committed."""
        try:
            results = self.storage.commit([p.batch for p in parts])
        except Exception as exc:
            with self.counters.lock:
                self.counters.storage_errors += 1
            log.error("hub storage commit failed; nothing acked: %s", exc)
            credit = self.policy.storage_failed()
            # The bulk DATA still waiting would fail the same way (a DATA cut short
            # among them): their senders resend them all once the storage is back (CREDIT).
            waiting = list(self._bulk)
            self._bulk.clear()
            for r in [*(p.received for p in parts if p.last), *waiting]:
                r.answered()
                if not self._current(r):
                    continue
                self._reply(
                    sock,
                    r.routing,
                    up.error("storage_unavailable", str(exc)[:200], **self._about(r.batch)),
                )
            self._broadcast_credit(sock, credit)
            return
        with self.counters.lock:
            self.counters.records_stored += sum(x.stored for x in results)
            self.counters.duplicates += sum(x.duplicates for x in results)
            self.counters.quarantined += sum(x.quarantined for x in results)
            self.counters.storage_errors += sum(1 for x in results if x.failed)
        credit = self.policy.ack_credit()
        for p, res in zip(parts, results, strict=True):
            r = p.received
            if not p.last:
                if not (res.failed or res.gap):
                    continue  # answered after its last part
                # What follows a refused or missing record cannot be stored either.
                assert self._bulk[0] is r
                self._bulk.popleft()
            r.answered()
            with self.counters.lock:
                self.counters.batches += 1
            if not self._current(r):
                continue  # stored; its session is gone (the console resends, deduped)
            routing, batch = r.routing, r.batch
            if res.failed:
                # This console's own data cannot be stored: it alone is told, and
                # resends from its last ack; nobody else is paused.
                log.error("hub: %s/%s not stored: %s", batch.peer, batch.stream, res.failed)
                self._reply(
                    sock,
                    routing,
                    up.error("storage_unavailable", res.failed[:200], **self._about(batch)),
                )
                continue
            r.session.credit = credit
            ack = {
                "t": up.ACK,
                "epoch": self.epoch,
                "stream": batch.stream,
                "through": res.through,
                "credit": credit,
                "resend": res.gap,
            }
            self._reply(sock, routing, up.encode(ack))

    def _about(self, b: Batch) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "stream": b.stream,
            "first": b.records[0][0],
            "last": b.records[-1][0],
        }

    def _broadcast_credit(self, sock: zmq.Socket[Any], credit: int) -> None:
        for routing, sess in list(self._sessions.items()):
            sess.credit = credit
            self._reply(
                sock, routing, up.encode({"t": up.CREDIT, "epoch": self.epoch, "credit": credit})
            )

    # -- the downlink ------------------------------------------------------------------
    def _downlink_sessions(self) -> bool:
        return any(sess.down is not None for sess in self._sessions.values())

    def _downlink_changed(self) -> bool:
        assert self.downlink is not None
        try:
            return self.downlink.changed()
        except Exception as exc:
            log.error("hub: cannot check the downlink for changes: %s", exc)
            return True

    def _poll_downlink(self) -> None:
        assert self.downlink is not None
        try:
            self.downlink.poll()
        except Exception as exc:
            log.error("hub: cannot read the downlink positions: %s", exc)

    def _pump_downlink(self, sock: zmq.Socket[Any], now: float) -> None:
        """Send each session what its console's credit allows; resend what timed out."""
        for routing, sess in list(self._sessions.items()):
            down = sess.down
            if down is None:
                continue
            if down.sender.overdue(now):
                acked = {k: v[1] for k, v in down.source.positions().items()}
                down.sender = Sender(
                    down.source,
                    acked,
                    batch_records=self.settings.down_batch_records,
                    ack_timeout_s=self.settings.ack_timeout_s,
                )
                with self.counters.lock:
                    self.counters.down_resends += 1
                log.warning("console %s: downlink not acknowledged; resending", sess.peer)

            def send(stream: str, records: list[Any], routing: bytes = routing) -> bool:
                try:
                    sock.send_multipart(
                        [routing, *up.data(stream, records, self.epoch)], zmq.NOBLOCK
                    )
                except zmq.ZMQError:  # the console is gone or not reading: keep it for later
                    return False
                with self.counters.lock:
                    self.counters.down_batches += 1
                    self.counters.down_records_sent += len(records)
                return True

            try:
                down.sender.pump(down.credit, now, send)
            except StreamBroken as exc:  # records pruned at the hub that the console lacks
                log.error("console %s: downlink cannot continue: %s", sess.peer, exc)
                sess.down = None
            except Exception as exc:
                log.error("hub: downlink to %s failed: %s", sess.peer, exc)

    def _storage_healthy(self) -> bool:
        try:
            return self.storage.healthy()
        except Exception:
            return False

    def _housekeeping(self, sock: zmq.Socket[Any], now: float) -> None:
        idle = self.settings.session_idle_s
        for routing, sess in list(self._sessions.items()):
            if now - sess.last_rx > idle:
                del self._sessions[routing]
                log.info("console %s: session idle, closed", sess.peer)
        credit = self.policy.tick(self._storage_healthy)
        if credit is not None:
            self._broadcast_credit(sock, credit)
        if self._on_tick is not None:
            self._on_tick()

    def _monitor(self, mon: zmq.Socket[Any]) -> None:
        while mon.poll(0, zmq.POLLIN):
            ev = recv_monitor_message(mon, zmq.NOBLOCK)
            if ev["event"] == zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL:
                value: Any = ev["value"]
                reason = _HANDSHAKE_REASONS.get(int(value), "protocol_error")
            else:
                # The peer hung up before the handshake ended. A plaintext client does
                # exactly that when it reads our CURVE greeting first (otherwise we read
                # its NULL greeting first: MECHANISM_MISMATCH); which one happens is a
                # race, so both are counted as one reason.
                reason = "no_curve"
            self.counters.reject_connection(reason)
            log.warning(
                "refused a connection from %s: %s", ev["endpoint"].decode(errors="replace"), reason
            )

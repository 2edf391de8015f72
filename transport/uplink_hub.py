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
peer), hands all DATA batches to ``InboxSink.commit`` as one transaction, and
only then acks. Dedupe (``transport.streams.intake``) and the stream's
high-water mark are committed by the sink together with the records.
Messages are dispatched through a table {type: handler}.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils import z85
from zmq.utils.monitor import recv_monitor_message

from transport import uplinkproto as up
from transport.streams import Batch, InboxSink

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
    fn: Callable[[zmq.Socket[Any], _Message, list[tuple[bytes, Batch]]], None]
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
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.policy = policy
        self.counters = HubCounters()
        self.epoch = uuid.uuid4().hex[:16]
        self._ctx = context or zmq.Context()
        self._own_ctx = context is None
        self._limits = up.Limits(
            max_frame_bytes=settings.max_frame_bytes, max_records=settings.max_records
        )
        self._sessions: dict[bytes, _Session] = {}
        self._handlers: dict[str, _Handler] = {
            up.HELLO: _Handler(self._on_hello, welcomed=False),
            up.PING: _Handler(self._on_ping, welcomed=True),
            up.DATA: _Handler(self._on_data, welcomed=True),
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
        next_tick = 0.0
        while not self._stop.is_set():
            events = dict(poller.poll(100))
            if mon in events:
                self._monitor(mon)
            now = time.monotonic()
            if sock in events:
                batches: list[tuple[bytes, Batch]] = []
                n = records = 0
                # One transaction for whatever has arrived from every peer, bounded
                # in messages and records (memory, commit latency).
                while (
                    n < self.settings.max_drain
                    and records < self.settings.max_commit_records
                    and sock.poll(0, zmq.POLLIN)
                ):
                    frames = sock.recv_multipart(zmq.NOBLOCK, copy=False)
                    n += 1
                    before = len(batches)
                    try:
                        self._handle(sock, frames, now, batches)
                    except Exception:
                        # A bug met by one message must not stop the hub for every peer.
                        self.counters.reject_message("internal_error")
                        log.exception("hub: message handling failed; message dropped")
                    if len(batches) > before:
                        records += len(batches[-1][1].records)
                if batches:
                    self._commit(sock, batches)
            if now >= next_tick:
                next_tick = now + 1.0
                self._housekeeping(sock, now)

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
        self, sock: zmq.Socket[Any], msg: list[Any], now: float, batches: list[tuple[bytes, Batch]]
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
    def _on_hello(
        self, sock: zmq.Socket[Any], m: _Message, batches: list[tuple[bytes, Batch]]
    ) -> None:
        h = m.header
        # A HELLO always starts over: whatever session this connection had ends here.
        self._sessions.pop(m.routing, None)
        verdict = self.policy.admit(
            Hello(m.user_id, h["console"], h["site"], h["db"], h["streams"], h["sw"])
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
        self._sessions[m.routing] = _Session(
            verdict.peer, verdict.scope, h["db"], set(streams), m.now, credit
        )
        welcome = {
            "t": up.WELCOME,
            "epoch": self.epoch,
            "acks": {k: positions.get(k, 0) for k in streams},
            "credit": credit,
            "max_records": self._limits.max_records,
            "hb_s": self.settings.heartbeat_s,
        }
        self._reply(sock, m.routing, up.encode(welcome))
        log.info("console %s (site %s) online", verdict.peer, h["site"])

    def _on_ping(
        self, sock: zmq.Socket[Any], m: _Message, batches: list[tuple[bytes, Batch]]
    ) -> None:
        self._reply(sock, m.routing, up.encode({"t": up.PONG, "epoch": self.epoch}))

    def _on_data(
        self, sock: zmq.Socket[Any], m: _Message, batches: list[tuple[bytes, Batch]]
    ) -> None:
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
        batches.append((m.routing, batch))

    # -- commit, flow control, housekeeping ------------------------------------------
    def _commit(self, sock: zmq.Socket[Any], batches: list[tuple[bytes, Batch]]) -> None:
        for sess in self._sessions.values():
            sess.unanswered.clear()  # every DATA of this drain is answered below
        try:
            results = self.storage.commit([b for _, b in batches])
        except Exception as exc:
            with self.counters.lock:
                self.counters.storage_errors += 1
            log.error("hub storage commit failed; nothing acked: %s", exc)
            credit = self.policy.storage_failed()
            for routing, b in batches:
                self._reply(
                    sock,
                    routing,
                    up.error("storage_unavailable", str(exc)[:200], **self._about(b)),
                )
            self._broadcast_credit(sock, credit)
            return
        with self.counters.lock:
            self.counters.batches += len(batches)
            self.counters.records_stored += sum(r.stored for r in results)
            self.counters.duplicates += sum(r.duplicates for r in results)
            self.counters.quarantined += sum(r.quarantined for r in results)
            self.counters.storage_errors += sum(1 for r in results if r.failed)
        credit = self.policy.ack_credit()
        for (routing, batch), res in zip(batches, results, strict=True):
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
            session = self._sessions.get(routing)
            if session is not None:
                session.credit = credit
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

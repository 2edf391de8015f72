"""The hub end of the city link: ROUTER + CURVE + ZAP, sessions, acks.

One thread owns the ROUTER and its monitor; pyzmq's ``ThreadAuthenticator``
answers ZAP requests in its own thread against the key ``Registry`` (re-read
on change: allow or revoke without restart). The ZAP handler maps a key to
its console id, libzmq attaches it to every message as ``User-Id``, and a
HELLO claiming any other id is refused.

Storage is not here: the loop drains what has arrived (from every console),
hands all DATA batches to ``HubStorage.commit`` as one transaction, and only
then acks. Dedupe and the stream's high-water mark are committed by the
storage together with the records.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import zmq
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils import z85
from zmq.utils.monitor import recv_monitor_message

from transport import uplinkproto as up
from transport.curve import Registry

log = logging.getLogger(__name__)

ZAP_DOMAIN = "opsconsole"


@dataclass(frozen=True)
class Batch:
    console_id: str
    site: str
    db: str
    stream: str
    records: list[up.Record]


@dataclass(frozen=True)
class BatchResult:
    through: int
    """The stream's last stored seq after this batch (the cumulative ack)."""
    stored: int
    duplicates: int
    gap: bool
    """The batch started after through+1: something before it was lost; resend."""


class HubStorage(Protocol):
    def positions(self, console_id: str, db: str) -> dict[str, int]:
        """Last stored seq per stream of this console database."""
        ...

    def commit(self, batches: list[Batch]) -> list[BatchResult]:
        """Store every batch in one transaction (dedupe + high-water marks included)."""
        ...

    def healthy(self) -> bool:
        """Can the storage commit again (after a failure)?"""
        ...


@dataclass(frozen=True)
class HubSettings:
    bind: str
    secret_key: bytes
    public_key: bytes
    registry: Path
    credit: int = 8
    max_records: int = 2000
    max_frame_bytes: int = 8 * 2**20
    heartbeat_s: float = 2.0
    session_idle_s: float = 30.0
    max_drain: int = 512
    max_commit_records: int = 20_000


@dataclass
class _Session:
    console_id: str
    site: str
    db: str
    streams: set[str]
    last_rx: float


@dataclass
class HubCounters:
    """Shared by the hub and ZAP threads; every change under one lock."""

    rejected_connections: dict[str, int] = field(default_factory=dict)
    rejected_messages: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    batches: int = 0
    records_stored: int = 0
    duplicates: int = 0
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
                "storage_errors": self.storage_errors,
            }


class _RegistryAuthenticator(ThreadAuthenticator):
    """ZAP: allow registered, unrevoked keys; User-Id = the key's console id."""

    def __init__(
        self, context: zmq.Context[Any], registry_path: Path, counters: HubCounters
    ) -> None:
        super().__init__(context)
        self._registry = Registry(registry_path)
        self._counters = counters

    def callback(self, domain: str, key: bytes) -> bool:
        entry = self._registry.by_key(key)
        if entry is None:
            self._counters.reject_connection("unknown_key")
            log.warning("refused a console with an unknown key %s…", key[:8].decode())
            return False
        if entry.revoked:
            self._counters.reject_connection("revoked_key")
            log.warning("refused console %s: its key is revoked", entry.console_id)
            return False
        return True

    def curve_user_id(self, client_public_key: bytes) -> str:
        entry = self._registry.by_key(z85.encode(client_public_key))
        return entry.console_id if entry else ""


def _ident(v: str, max_len: int) -> bool:
    return 0 < len(v) <= max_len and v.isascii() and v.isprintable()


_HANDSHAKE_REASONS: dict[int, str] = {
    zmq.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: "no_curve",
    zmq.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: "bad_handshake",
    zmq.PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: "bad_handshake",
}


class HubServer:
    def __init__(
        self,
        settings: HubSettings,
        storage: HubStorage,
        *,
        context: zmq.Context[Any] | None = None,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.counters = HubCounters()
        self.epoch = uuid.uuid4().hex[:16]
        self._ctx = context or zmq.Context()
        self._own_ctx = context is None
        self._limits = up.Limits(
            max_frame_bytes=settings.max_frame_bytes, max_records=settings.max_records
        )
        self._registry = Registry(settings.registry)
        self._sessions: dict[bytes, _Session] = {}
        self._credit = settings.credit
        self._degraded = False
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
        auth = _RegistryAuthenticator(self._ctx, s.registry, self.counters)
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
                # One transaction for whatever has arrived from every console, bounded
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
                        # A bug met by one message must not stop the hub for every console.
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

    def _reject(self, sock: zmq.Socket[Any], routing: bytes, code: str, detail: str) -> None:
        self.counters.reject_message(code)
        log.warning("rejected a message: %s: %s", code, detail)
        self._reply(sock, routing, up.error(code, detail))

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
        if t == up.HELLO:
            self._hello(sock, routing, user_id, header, now)
            return
        session = self._sessions.get(routing)
        if session is None:
            self._reject(sock, routing, "not_welcomed", f"{t} before HELLO")
            return
        entry = self._registry.by_id(session.console_id)
        if entry is None or entry.revoked:
            self._sessions.pop(routing, None)
            self.counters.reject_connection("revoked_key")
            self._reject(sock, routing, "key_revoked", f"console {session.console_id!r}")
            return
        session.last_rx = now
        if t == up.PING:
            self._reply(sock, routing, up.encode({"t": up.PONG, "epoch": self.epoch}))
        elif t == up.DATA:
            if header["stream"] not in session.streams:
                self._reject(sock, routing, "unknown_stream", repr(header["stream"]))
                return
            assert body is not None
            try:
                records = up.decode_records(header, body, self._limits)
            except up.ProtocolError as exc:
                self._reject(sock, routing, exc.code, exc.detail)
                return
            batches.append(
                (
                    routing,
                    Batch(session.console_id, session.site, session.db, header["stream"], records),
                )
            )
        else:
            self._reject(sock, routing, "unknown_type", f"{t} is not sent by consoles")

    def _hello(
        self,
        sock: zmq.Socket[Any],
        routing: bytes,
        user_id: str,
        header: dict[str, Any],
        now: float,
    ) -> None:
        claimed = header["console"]
        if not user_id or claimed != user_id:
            self.counters.reject_connection("id_mismatch")
            self._reject(
                sock, routing, "id_mismatch", f"claims {claimed!r}, key belongs to {user_id!r}"
            )
            return
        entry = self._registry.by_id(claimed)
        if entry is None or entry.revoked:
            self.counters.reject_connection("revoked_key")
            self._reject(sock, routing, "key_revoked", f"console {claimed!r}")
            return
        if header["site"] != entry.allowed_site:
            # A console reports for the site its key was registered for, and no other.
            self.counters.reject_connection("site_mismatch")
            self._reject(
                sock,
                routing,
                "site_mismatch",
                f"console {claimed!r} may report for site {entry.allowed_site!r}, not {header['site']!r}",
            )
            return
        if not _ident(header["db"], 64):
            self._reject(
                sock, routing, "bad_header", "HELLO.db must be 1-64 printable ASCII characters"
            )
            return
        streams = header["streams"]
        if len(streams) > self._limits.max_streams or not all(
            isinstance(k, str) and _ident(k, 32) for k in streams
        ):
            self._reject(sock, routing, "bad_header", "HELLO.streams")
            return
        try:
            positions = self.storage.positions(claimed, header["db"])
        except Exception as exc:
            log.error("storage unavailable for HELLO from %s: %s", claimed, exc)
            self._reject(sock, routing, "storage_unavailable", str(exc)[:200])
            return
        self._sessions[routing] = _Session(claimed, header["site"], header["db"], set(streams), now)
        welcome = {
            "t": up.WELCOME,
            "epoch": self.epoch,
            "acks": {k: positions.get(k, 0) for k in streams},
            "credit": 0 if self._degraded else self._credit,
            "max_records": self._limits.max_records,
            "hb_s": self.settings.heartbeat_s,
        }
        self._reply(sock, routing, up.encode(welcome))
        log.info("console %s (site %s) online", claimed, header["site"])

    def _commit(self, sock: zmq.Socket[Any], batches: list[tuple[bytes, Batch]]) -> None:
        try:
            results = self.storage.commit([b for _, b in batches])
        except Exception as exc:
            with self.counters.lock:
                self.counters.storage_errors += 1
            log.error("hub storage commit failed; nothing acked: %s", exc)
            self._degraded = True
            for routing in {r for r, _ in batches}:
                self._reply(sock, routing, up.error("storage_unavailable", str(exc)[:200]))
            self._broadcast_credit(sock, 0)
            return
        with self.counters.lock:
            self.counters.batches += len(batches)
            self.counters.records_stored += sum(r.stored for r in results)
            self.counters.duplicates += sum(r.duplicates for r in results)
        for (routing, batch), res in zip(batches, results, strict=True):
            ack = {
                "t": up.ACK,
                "epoch": self.epoch,
                "stream": batch.stream,
                "through": res.through,
                "credit": self._credit,
                "resend": res.gap,
            }
            self._reply(sock, routing, up.encode(ack))

    def _broadcast_credit(self, sock: zmq.Socket[Any], credit: int) -> None:
        for routing in list(self._sessions):
            self._reply(
                sock, routing, up.encode({"t": up.CREDIT, "epoch": self.epoch, "credit": credit})
            )

    def _housekeeping(self, sock: zmq.Socket[Any], now: float) -> None:
        idle = self.settings.session_idle_s
        for routing, sess in list(self._sessions.items()):
            if now - sess.last_rx > idle:
                del self._sessions[routing]
                log.info("console %s: session idle, closed", sess.console_id)
        if self._degraded:
            try:
                ok = self.storage.healthy()
            except Exception:
                ok = False
            if ok:
                self._degraded = False
                log.info("hub storage is back; resuming delivery")
                self._broadcast_credit(sock, self._credit)
        if self._on_tick is not None:
            self._on_tick()

    def _monitor(self, mon: zmq.Socket[Any]) -> None:
        while mon.poll(0, zmq.POLLIN):
            ev = recv_monitor_message(mon, zmq.NOBLOCK)
            if ev["event"] == zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL:
                value: Any = ev["value"]
                reason = _HANDSHAKE_REASONS.get(int(value), "protocol_error")
            else:
                reason = "handshake_failed"
            self.counters.reject_connection(reason)
            log.warning(
                "refused a connection from %s: %s", ev["endpoint"].decode(errors="replace"), reason
            )

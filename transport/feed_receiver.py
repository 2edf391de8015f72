"""The receiver thread: owns the feed sockets, decodes, hands batches to a sink.

One thread owns every socket it creates (ZeroMQ sockets are not thread-safe).
It polls, then drains the readable sockets in turn — each for at most
``max_frames_per_drain`` messages or ``drain_budget_s`` of decoding per round,
so one busy or hostile gateway cannot starve the others (docs/PROTOCOL.md
§1.3) — decodes every frame with ``feedproto.decode_frame`` and calls the sink
once per round, not once per message, so downstream costs are paid per batch.

Three kinds of socket (docs/PROTOCOL.md §1.1): a bound PULL, connected SUBs,
and bound ROUTERs for gateways in acknowledged mode (§1.9). For those, a
round's ``Decoded`` carries an ``on_committed`` callback: the sink calls it
once everything the round accepted is committed, and only then does this
thread acknowledge the messages to their gateways.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgpack
import msgspec
import zmq
from zmq.utils.monitor import recv_monitor_message

from transport.feedproto import Decoded, FrameLimits, decode_frame

log = logging.getLogger(__name__)

Sink = Callable[[Decoded], None]

MAX_TOPIC_BYTES = 256
ACK_PEER_IDLE_S = 600.0
"""A gateway connection silent this long is forgotten (it starts over with ``first``)."""


class TransportError(RuntimeError):
    """A socket could not be set up (bad endpoint, address in use, …)."""


class AckHeader(msgspec.Struct):
    """Frame 0 of a message in acknowledged mode (docs/PROTOCOL.md §1.9)."""

    seq: int
    first: int


_ACK_HEADER = msgspec.msgpack.Decoder(AckHeader)


def encode_ack_header(seq: int, first: int) -> bytes:
    """What a gateway in acknowledged mode sends before each payload."""
    return msgpack.packb({"seq": seq, "first": first})  # type: ignore[no-any-return]


def decode_ack(frame: bytes) -> tuple[int, bool]:
    """A console's acknowledgement, as a gateway reads it: (through, resend)."""
    msg = msgpack.unpackb(frame, raw=False)
    return int(msg["ack"]), bool(msg.get("resend", False))


@dataclass
class _Peer:
    """One acknowledged-mode connection: what was processed and what is committed."""

    done: int
    """Highest seq processed in order (its readings handed to the sink)."""
    committed: int
    """Highest seq whose readings the sink reported committed (what acks say)."""
    last_rx: float
    resend_asked: int = -1
    """``done`` when a resend was last asked for (once per gap)."""


@dataclass
class _Socket:
    sock: zmq.Socket[bytes]
    kind: str
    """"pull", "sub" or "ack"."""
    endpoint: str
    peers: dict[bytes, _Peer] = field(default_factory=dict)


class FeedReceiver:
    """Receive gateway frames on bound PULL/ROUTER sockets and/or connected SUB sockets."""

    def __init__(
        self,
        *,
        sink: Sink,
        limits: FrameLimits,
        pull_binds: Sequence[str] = (),
        sub_connects: Sequence[str] = (),
        ack_binds: Sequence[str] = (),
        context: zmq.Context[zmq.Socket[bytes]] | None = None,
        poll_ms: int = 100,
        max_frames_per_drain: int = 256,
        drain_budget_s: float = 0.02,
        rcvhwm: int = 10_000,
    ) -> None:
        if not pull_binds and not sub_connects and not ack_binds:
            raise TransportError(
                "no feed endpoint configured (need a PULL bind, a SUB connect or an ack bind)"
            )
        self._sink = sink
        self._limits = limits
        self._pull_binds = list(pull_binds)
        self._sub_connects = list(sub_connects)
        self._ack_binds = list(ack_binds)
        self._ctx = context or zmq.Context.instance()
        self._poll_ms = poll_ms
        self._max_frames = max_frames_per_drain
        self._budget = drain_budget_s
        self._rcvhwm = rcvhwm
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="feed-receiver", daemon=True)
        self._committed: queue.SimpleQueue[list[tuple[_Socket, bytes, int]]] = queue.SimpleQueue()
        self._awaiting = 0
        """Rounds handed to the sink whose commit has not been reported yet."""
        self.bound_endpoints: list[str] = []
        """PULL endpoints as bound (real ports for ``:*``)."""
        self.ack_endpoints: list[str] = []
        """ROUTER endpoints as bound."""
        self.frames_received = 0
        """Frames decoded and handed to the sink (good or rejected)."""
        self.bytes_received = 0
        self.sink_errors = 0
        self.disconnects = 0
        """Gateway connections that ended: closed by the gateway, or dropped by libzmq for a
        frame above 4 × max_frame_bytes (ZMQ_MAXMSGSIZE)."""
        self.decode_s = 0.0
        """Time spent decoding frames (the work §1.3 bounds)."""
        self.acks_sent = 0
        self.ack_duplicates = 0
        """Acknowledged-mode messages already processed on their connection (not decoded)."""
        self.ack_gaps = 0
        """Acknowledged-mode messages that arrived after a gap (not decoded; resend asked)."""

    def start(self, timeout: float = 10.0) -> None:
        """Start the thread; raise TransportError if a socket cannot be set up."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TransportError("feed receiver did not start in time")
        if self._error is not None:
            self._thread.join()
            raise TransportError(str(self._error)) from self._error

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current drain and close its sockets."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- sockets --------------------------------------------------------------------------
    def _open(self) -> list[_Socket]:
        socks: list[_Socket] = []
        try:
            for kind, eps, typ in (
                ("pull", self._pull_binds, zmq.PULL),
                ("ack", self._ack_binds, zmq.ROUTER),
                ("sub", self._sub_connects, zmq.SUB),
            ):
                for ep in eps:
                    s = self._ctx.socket(typ)
                    socks.append(_Socket(s, kind, ep))
                    self._configure(s)
                    if kind == "sub":
                        s.setsockopt(zmq.SUBSCRIBE, b"")
                    try:
                        s.connect(ep) if kind == "sub" else s.bind(ep)
                    except zmq.ZMQError as exc:
                        verb = "connect" if kind == "sub" else "bind"
                        raise TransportError(f"cannot {verb} feed endpoint {ep}: {exc}") from exc
                    if kind != "sub":
                        bound = s.getsockopt_string(zmq.LAST_ENDPOINT)
                        socks[-1].endpoint = bound
                        (self.bound_endpoints if kind == "pull" else self.ack_endpoints).append(
                            bound
                        )
        except BaseException:
            for x in socks:
                x.sock.close(linger=0)
            raise
        return socks

    def _configure(self, s: zmq.Socket[bytes]) -> None:
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVHWM, self._rcvhwm)
        s.setsockopt(zmq.MAXMSGSIZE, self._limits.hard_frame_bytes)

    def _run(self) -> None:
        try:
            socks = self._open()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        poller = zmq.Poller()
        monitors: dict[zmq.Socket[bytes], _Socket] = {}
        for x in socks:
            poller.register(x.sock, zmq.POLLIN)
            mon = x.sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)
            monitors[mon] = x
            poller.register(mon, zmq.POLLIN)
        by_sock = {x.sock: x for x in socks}
        next_expiry = time.monotonic() + 60
        try:
            while not self._stop.is_set():
                # While a commit is awaited, wake often to send its acks promptly.
                events = dict(poller.poll(5 if self._awaiting else self._poll_ms))
                self._send_acks()
                for mon, x in monitors.items():
                    if mon in events:
                        self._monitor(mon, x)
                ready = [by_sock[s] for s in events if s in by_sock]
                if ready:
                    self._round(ready)
                if time.monotonic() > next_expiry:
                    next_expiry = time.monotonic() + 60
                    self._expire(socks)
        finally:
            for mon, x in monitors.items():
                x.sock.disable_monitor()
                mon.close(linger=0)
            for x in socks:
                x.sock.close(linger=0)

    def _round(self, ready: list[_Socket]) -> None:
        out = Decoded()
        now_ms = int(time.time() * 1000)
        acked: list[tuple[_Socket, bytes, int]] = []
        for x in ready:
            self._drain(x, out, now_ms, acked)
        if acked:
            self._awaiting += 1

            def committed(done: list[tuple[_Socket, bytes, int]] = acked) -> None:
                self._committed.put(done)

            out.on_committed = committed
        if not self._deliver(out) and acked:
            # Nothing of this round will be acknowledged: forget that it was processed,
            # so the gateways' resends are decoded again.
            self._awaiting -= 1
            for x, routing, _seq in acked:
                peer = x.peers.get(routing)
                if peer is not None:
                    peer.done = peer.committed
        # Counted after the sink returned: a caller that sees N frames received
        # knows their readings and rejects have been handed on.
        self.frames_received += out.frames

    def _drain(
        self, x: _Socket, out: Decoded, now_ms: int, acked: list[tuple[_Socket, bytes, int]]
    ) -> None:
        limits = self._limits
        started = time.perf_counter()
        try:
            for _ in range(self._max_frames):
                try:
                    frames = x.sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    return
                self.bytes_received += len(frames[-1])
                if x.kind == "ack":
                    self._ack_message(x, frames, out, now_ms, acked)
                elif len(frames) == 1 or (len(frames) == 2 and len(frames[0]) <= MAX_TOPIC_BYTES):
                    # PULL and SUB alike: a topic frame, if any, is ignored (§1.1).
                    decode_frame(frames[-1], limits, now_ms, out)
                else:
                    out.frames += 1
                    out.reject(
                        "bad_multipart", f"{len(frames)} frames; expected payload or topic+payload"
                    )
                if time.perf_counter() - started > self._budget:
                    return  # the other sockets' turn; the rest waits for the next round
        finally:
            self.decode_s += time.perf_counter() - started

    # -- acknowledged mode ------------------------------------------------------------
    def _ack_message(
        self,
        x: _Socket,
        frames: list[bytes],
        out: Decoded,
        now_ms: int,
        acked: list[tuple[_Socket, bytes, int]],
    ) -> None:
        if len(frames) != 3:
            out.frames += 1
            out.reject("bad_multipart", f"{len(frames) - 1} frames; expected header + payload")
            return
        routing, header, payload = frames
        try:
            h = _ACK_HEADER.decode(header)
            if not 1 <= h.first <= h.seq:
                raise ValueError("need 1 <= first <= seq")
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
            out.frames += 1
            out.reject("bad_envelope", f"acknowledged mode: header frame {exc}")
            return
        peer = x.peers.get(routing)
        if peer is None:
            peer = x.peers[routing] = _Peer(h.first - 1, h.first - 1, 0.0)
        peer.last_rx = time.monotonic()
        # Everything before ``first`` was acknowledged to the gateway already.
        peer.done = max(peer.done, h.first - 1)
        peer.committed = max(peer.committed, h.first - 1)
        if h.seq == peer.done + 1:
            peer.done = h.seq
            decode_frame(payload, self._limits, now_ms, out)
            acked.append((x, routing, h.seq))
        elif h.seq <= peer.done:
            self.ack_duplicates += 1
            if h.seq <= peer.committed:
                self._ack(x, routing, peer.committed, resend=False)
        else:
            self.ack_gaps += 1
            if peer.resend_asked != peer.done:
                peer.resend_asked = peer.done
                self._ack(x, routing, peer.committed, resend=True)

    def _send_acks(self) -> None:
        latest: dict[tuple[int, bytes], tuple[_Socket, int]] = {}
        while True:
            try:
                done = self._committed.get_nowait()
            except queue.Empty:
                break
            self._awaiting -= 1
            for x, routing, seq in done:
                key = (id(x), routing)
                if key not in latest or latest[key][1] < seq:
                    latest[key] = (x, seq)
        for (_, routing), (x, seq) in latest.items():
            peer = x.peers.get(routing)
            if peer is not None:
                peer.committed = max(peer.committed, seq)
                self._ack(x, routing, peer.committed, resend=False)

    def _ack(self, x: _Socket, routing: bytes, through: int, *, resend: bool) -> None:
        msg = msgpack.packb({"v": 1, "ack": through, "resend": resend})
        try:
            x.sock.send_multipart([routing, msg], zmq.NOBLOCK)
            self.acks_sent += 1
        except zmq.ZMQError as exc:  # the gateway is gone or not reading: it will resend
            log.debug("ack to a gateway dropped: %s", exc)

    def _expire(self, socks: list[_Socket]) -> None:
        cutoff = time.monotonic() - ACK_PEER_IDLE_S
        for x in socks:
            for routing in [r for r, p in x.peers.items() if p.last_rx < cutoff]:
                del x.peers[routing]

    # -- the rest -------------------------------------------------------------------------
    def _monitor(self, mon: zmq.Socket[Any], x: _Socket) -> None:
        while mon.poll(0, zmq.POLLIN):
            ev = recv_monitor_message(mon, zmq.NOBLOCK)
            if ev["event"] != zmq.EVENT_DISCONNECTED:
                continue
            self.disconnects += 1
            log.warning(
                "feed: a gateway connection on %s ended (the gateway closed it, or sent a "
                "frame above %d bytes and was dropped)",
                x.endpoint,
                self._limits.hard_frame_bytes,
            )

    def _deliver(self, out: Decoded) -> bool:
        try:
            self._sink(out)
        except Exception:
            # A sink bug must not kill ingest; it is counted and logged loudly.
            self.sink_errors += 1
            log.exception("feed sink failed on a batch of %d readings", len(out.readings))
            return False
        return True

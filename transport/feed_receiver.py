"""The receiver thread: owns the feed sockets, decodes, hands batches to a sink.

One thread owns every socket it creates (ZeroMQ sockets are not thread-safe).
It polls, then drains each readable socket until it would block (or a fairness
cap is reached), decodes every frame with ``feedproto.decode_frame`` and calls
the sink once per drain, not once per message, so downstream costs are paid
per batch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

import zmq

from transport.feedproto import Decoded, FrameLimits, decode_frame

log = logging.getLogger(__name__)

Sink = Callable[[Decoded], None]


class TransportError(RuntimeError):
    """A socket could not be set up (bad endpoint, address in use, …)."""


class FeedReceiver:
    """Receive gateway frames on a bound PULL socket and/or connected SUB sockets."""

    def __init__(
        self,
        *,
        sink: Sink,
        limits: FrameLimits,
        pull_binds: Sequence[str] = (),
        sub_connects: Sequence[str] = (),
        context: zmq.Context[zmq.Socket[bytes]] | None = None,
        poll_ms: int = 100,
        max_frames_per_drain: int = 256,
        rcvhwm: int = 10_000,
    ) -> None:
        if not pull_binds and not sub_connects:
            raise TransportError("no feed endpoint configured (need a PULL bind or a SUB connect)")
        self._sink = sink
        self._limits = limits
        self._pull_binds = list(pull_binds)
        self._sub_connects = list(sub_connects)
        self._ctx = context or zmq.Context.instance()
        self._poll_ms = poll_ms
        self._max_frames = max_frames_per_drain
        self._rcvhwm = rcvhwm
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="feed-receiver", daemon=True)
        self.bound_endpoints: list[str] = []
        self.frames_received = 0
        """Frames decoded and handed to the sink (good or rejected)."""
        self.bytes_received = 0
        self.sink_errors = 0

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

    def _open(self) -> list[zmq.Socket[bytes]]:
        socks: list[zmq.Socket[bytes]] = []
        try:
            for ep in self._pull_binds:
                s = self._ctx.socket(zmq.PULL)
                socks.append(s)
                self._configure(s)
                try:
                    s.bind(ep)
                except zmq.ZMQError as exc:
                    raise TransportError(f"cannot bind feed endpoint {ep}: {exc}") from exc
                self.bound_endpoints.append(s.getsockopt_string(zmq.LAST_ENDPOINT))
            for ep in self._sub_connects:
                s = self._ctx.socket(zmq.SUB)
                socks.append(s)
                self._configure(s)
                s.setsockopt(zmq.SUBSCRIBE, b"")
                try:
                    s.connect(ep)
                except zmq.ZMQError as exc:
                    raise TransportError(f"cannot connect feed endpoint {ep}: {exc}") from exc
        except BaseException:
            for s in socks:
                s.close(linger=0)
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
        for s in socks:
            poller.register(s, zmq.POLLIN)
        try:
            while not self._stop.is_set():
                events = poller.poll(self._poll_ms)
                if not events:
                    continue
                out = Decoded()
                now_ms = int(time.time() * 1000)
                for sock, _ev in events:
                    self._drain(sock, out, now_ms)
                self._deliver(out)
                # Counted after the sink returned: a caller that sees N frames
                # received knows their readings and rejects have been handed on.
                self.frames_received += out.frames
        finally:
            for s in socks:
                s.close(linger=0)

    def _drain(self, sock: zmq.Socket[bytes], out: Decoded, now_ms: int) -> None:
        limits = self._limits
        for _ in range(self._max_frames):
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            payload = frames[-1]
            self.bytes_received += len(payload)
            # SUB messages may carry one topic frame before the payload.
            if len(frames) > 2 or (len(frames) == 2 and len(frames[0]) > 256):
                out.frames += 1
                out.reject(
                    "bad_multipart", f"{len(frames)} frames; expected payload or topic+payload"
                )
                continue
            decode_frame(payload, limits, now_ms, out)

    def _deliver(self, out: Decoded) -> None:
        try:
            self._sink(out)
        except Exception:
            # A sink bug must not kill ingest; it is counted and logged loudly.
            self.sink_errors += 1
            log.exception("feed sink failed on a batch of %d readings", len(out.readings))

"""A TCP relay the test controls, to cut the city link like a failed WAN would."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class Relay:
    """Forwards 127.0.0.1:<port> → 127.0.0.1:<target>.

    ``cut()`` turns every connection into a black hole (bytes vanish, nothing
    is closed: only heartbeats can tell); ``restore()`` closes the dead
    connections and forwards new ones again.
    """

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.endpoint = f"tcp://127.0.0.1:{self.port}"
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.listener, selectors.EVENT_READ, None)
        self._peer: dict[socket.socket, socket.socket | None] = {}
        self._cut = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.bytes_dropped = 0
        self._thread = threading.Thread(target=self._run, name="test-relay", daemon=True)
        self._thread.start()

    def cut(self) -> None:
        with self._lock:
            self._cut = True

    def restore(self) -> None:
        with self._lock:
            self._cut = False
            for s in list(self._peer):
                self._close(s)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for s in list(self._peer):
            self._close(s)
        self.listener.close()

    def _close(self, s: socket.socket) -> None:
        other = self._peer.pop(s, None)
        for x in (s, other):
            if x is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                self._sel.unregister(x)
            x.close()
            self._peer.pop(x, None)

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._sel.select(0.05):
                with self._lock:
                    if key.fileobj is self.listener:
                        self._accept()
                    else:
                        self._pump(key.fileobj)  # type: ignore[arg-type]

    def _accept(self) -> None:
        try:
            client, _ = self.listener.accept()
        except BlockingIOError:
            return
        client.setblocking(False)
        upstream = None
        if not self._cut:
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=1)
            except OSError:
                client.close()
                return
            upstream.setblocking(False)
            self._peer[upstream] = client
            self._sel.register(upstream, selectors.EVENT_READ, None)
        self._peer[client] = upstream
        self._sel.register(client, selectors.EVENT_READ, None)

    def _pump(self, s: socket.socket) -> None:
        try:
            data = s.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(s)
            return
        other = self._peer.get(s)
        if self._cut or other is None:
            self.bytes_dropped += len(data)
            return
        try:
            other.setblocking(True)
            other.sendall(data)
            other.setblocking(False)
        except OSError:
            self._close(s)

"""A console process that sends only poison: one new record every ``--period`` s, each of a
kind the hub cannot store as intended, and — like any console — every record not yet
acknowledged again with it (a hub that cannot store one is asked again every period).
Prints a JSON report when stopped (SIGTERM/SIGINT).

Run by tests: ``python -m tests.poison_console --endpoint … --hub-key … --secret … --id …``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import msgpack
import zmq

from tests.test_uplink import minute_payload
from transport import uplinkproto as up
from transport.curve import load_keypair

GOOD = minute_payload("poison", "river-1", 29_000_001, 1.0)
POISONS: list[tuple[str, int, bytes]] = [
    ("valid_but_refused", 0, GOOD),  # refused by the injected trigger (every 4th seq)
    ("bad_created_ms", 2**64 - 1, GOOD),
    ("nan", 0, msgpack.packb({**msgpack.unpackb(GOOD), "mean": float("nan")})),
    ("u64_count", 0, msgpack.packb({**msgpack.unpackb(GOOD), "n": 2**64 - 1})),
]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--hub-key", type=Path, required=True)
    p.add_argument("--secret", type=Path, required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--period", type=float, default=0.05)
    a = p.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    mine = load_keypair(a.secret, need_secret=True)
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.linger = 0
    s.curve_serverkey = load_keypair(a.hub_key, need_secret=False).public
    s.curve_publickey, s.curve_secretkey = mine.public, mine.secret
    s.connect(a.endpoint)
    report: dict[str, Any] = {"sent": 0, "acked": 0, "errors": {}, "kinds": {}}
    s.send_multipart(up.hello(a.id, a.id, "poison-db", {"summary": 0}, "poison"))
    seq = 0
    next_send = 0.0
    welcomed = False
    stopping: float | None = None
    pending: dict[int, tuple[int, str, int, bytes]] = {}
    unanswered = credit = 0  # the credit is respected, like any console
    while True:
        now = time.monotonic()
        if stop.is_set():
            stopping = stopping or now
            if report["acked"] == seq or now > stopping + 5:
                break  # the last acks arrived (or never will)
        if welcomed and not stop.is_set() and now >= next_send and unanswered < credit:
            seq += 1
            kind, created, payload = POISONS[seq % len(POISONS)]
            pending[seq] = (seq, "minute", created, payload)
            unacked = [pending[k] for k in sorted(pending) if k > report["acked"]][-100:]
            s.send_multipart(up.data("summary", unacked))
            unanswered += 1
            report["sent"] = seq
            report["kinds"][kind] = report["kinds"].get(kind, 0) + 1
            next_send = now + a.period
        if not s.poll(10):
            continue
        header, _ = up.decode(s.recv_multipart(), up.Limits())
        if header["t"] == up.WELCOME:
            welcomed, credit = True, header["credit"]
            continue
        unanswered -= 1  # every DATA is answered once, by an ACK or an ERROR
        if header["t"] == up.ACK:
            report["acked"] = max(report["acked"], header["through"])
            pending = {k: v for k, v in pending.items() if k > report["acked"]}
        elif header["t"] == up.ERROR:
            report["errors"][header["code"]] = report["errors"].get(header["code"], 0) + 1
    print(json.dumps(report), flush=True)
    s.close()
    ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())

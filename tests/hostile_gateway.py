"""A gateway process that sends the costliest frames it can: ~0.9 MB of empty arrays each
(10,000 "readings" of 89 empty arrays), as fast as the console takes them, until stopped.

Run by tests: ``python -m tests.hostile_gateway --endpoint … [--seconds S]``; prints
{"frames": n} at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import msgpack
import zmq


def hostile_frame() -> bytes:
    return msgpack.packb({"v": 1, "r": [[[] for _ in range(89)] for _ in range(10_000)]})  # type: ignore[no-any-return]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--seconds", type=float, default=10.0)
    a = p.parse_args()
    frame = hostile_frame()
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.sndhwm = 4
    s.sndtimeo = 200
    s.linger = 0
    s.connect(a.endpoint)
    n = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        try:
            s.send(frame, copy=False)
            n += 1
        except zmq.Again:
            pass
    print(json.dumps({"frames": n, "bytes": len(frame)}), flush=True)
    s.close()
    ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A gateway stand-in for benchmarks, run as its own process.

Two modes: ``burst`` pre-packs every frame, then sends them back to back
(throughput); ``paced`` packs frames at send time with the send time as the
readings' timestamp, at a fixed offered load (latency).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import zmq

from transport.feedproto import encode_batch


def burst_frames(feeds: list[str], readings: int, batch: int, start_ms: int) -> list[bytes]:
    """Readings round-robin over feeds; per-feed timestamps rise by 1 ms."""
    frames = []
    n_feeds = len(feeds)
    for k in range(0, readings, batch):
        rows = []
        for i in range(k, min(k + batch, readings)):
            step, f = divmod(i, n_feeds)
            rows.append([feeds[f], start_ms + step, 5.0 + (i % 3) * 0.01, 0])
        frames.append(encode_batch(rows, src="bench", seq=k // batch))
    return frames


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--feeds", required=True, help="comma-separated feed ids")
    p.add_argument("--mode", choices=("burst", "paced"), required=True)
    p.add_argument("--readings", type=int, default=0)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--rate", type=float, default=0.0)
    p.add_argument("--duration", type=float, default=0.0)
    a = p.parse_args(argv)
    feeds = a.feeds.split(",")
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PUSH)
    sock.setsockopt(zmq.SNDHWM, 1000)
    sock.setsockopt(zmq.LINGER, 60_000)
    sock.connect(a.endpoint)
    sent = 0
    if a.mode == "burst":
        frames = burst_frames(feeds, a.readings, a.batch, int(time.time() * 1000) - 600_000)
        t0 = time.perf_counter()
        for fr in frames:
            sock.send(fr)
        sent = a.readings
        elapsed = time.perf_counter() - t0
    else:
        last = dict.fromkeys(feeds, 0)
        per_frame = a.batch
        interval = per_frame / a.rate
        t0 = time.perf_counter()
        next_t = t0
        f = 0
        while time.perf_counter() - t0 < a.duration:
            now_ms = int(time.time() * 1000)
            rows = []
            for _ in range(per_frame):
                fid = feeds[f]
                f = (f + 1) % len(feeds)
                ts = max(now_ms, last[fid] + 1)
                last[fid] = ts
                rows.append([fid, ts, 1.0, 0])
            sock.send(encode_batch(rows, src="bench"))
            sent += per_frame
            next_t += interval
            delay = next_t - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        elapsed = time.perf_counter() - t0
    sock.close()
    ctx.term()
    json.dump({"sent": sent, "send_seconds": elapsed}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

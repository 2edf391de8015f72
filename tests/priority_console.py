"""A console process with a large summary backlog in a real outbox: it starts delivering, then
writes one alarm transition (stream ``alarm``) and reports when the hub acknowledged it and how
much of the backlog was still waiting then, as one JSON line.

Run by tests: ``python -m tests.priority_console --root DIR --id ID --endpoint … --hub-key …
--secret … --records N``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from console.shared import records
from console.shared.records import AlarmTransition
from console.shared.vocab import Stream
from tests.test_uplink import OutboxConsole
from transport.curve import load_keypair
from transport.uplink_client import LinkSettings


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--root", type=Path, required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--hub-key", type=Path, required=True)
    p.add_argument("--secret", type=Path, required=True)
    p.add_argument("--records", type=int, required=True)
    p.add_argument("--timeout", type=float, default=30.0)
    a = p.parse_args()
    mine = load_keypair(a.secret, need_secret=True)
    assert mine.secret is not None
    settings = LinkSettings(
        endpoint=a.endpoint,
        console_id=a.id,
        server_key=load_keypair(a.hub_key, need_secret=False).public,
        public_key=mine.public,
        secret_key=mine.secret,
        heartbeat_s=0.5,
        batch_records=1000,
    )
    c = OutboxConsole(a.root, a.id, settings)
    try:
        t0 = time.monotonic()
        c.write_summaries(a.records)
        written_s = time.monotonic() - t0
        c.client.start()
        deadline = time.monotonic() + a.timeout
        while c.acked(Stream.SUMMARY) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        now_ms = int(time.time() * 1000)
        rec = AlarmTransition(
            site=a.id, alarm="river-1:high", feed="river-1", rule="high", event="ack",
            state="active_ack", prior="active_unack", severity=3, ts=now_ms, user="vanan",
            ws="oc-1", note="priority test",
        )  # fmt: skip
        sent = time.monotonic()
        c.writer.submit_job(
            c.outbox.append_job(Stream.ALARM, [(rec.KIND.value, now_ms, records.encode(rec))])
        )
        while c.acked(Stream.ALARM) < 1 and time.monotonic() < deadline:
            time.sleep(0.001)
        latency = time.monotonic() - sent
        print(
            json.dumps(
                {
                    "event": "done",
                    "records": a.records,
                    "written_s": round(written_s, 2),
                    "alarm_acked": c.acked(Stream.ALARM),
                    "alarm_latency_s": round(latency, 3),
                    "summaries_acked_then": c.acked(Stream.SUMMARY),
                    "state": c.client.status().state,
                }
            ),
            flush=True,
        )
    finally:
        c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

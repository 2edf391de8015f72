"""A console process with a large summary backlog in a real outbox: it starts delivering, then
writes one alarm transition (stream ``alarm``) or, with ``--stream escalation``, one escalation
(a schema-valid CAP 1.2 alert from the site), and reports when the hub acknowledged it and how
much of the backlog was still waiting then, as one JSON line.

Run by tests: ``python -m tests.priority_console --root DIR --id ID --endpoint … --hub-key …
--secret … --records N [--stream alarm|escalation]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from console.hub.services.downlink import build_warning
from console.shared import cap, records
from console.shared.records import AlarmTransition, Escalation
from console.shared.vocab import Stream
from tests.test_uplink import OutboxConsole
from transport.curve import load_keypair
from transport.uplink_client import LinkSettings


def _record(site: str, stream: Stream, now_ms: int) -> tuple[str, int, bytes]:
    """(kind, ts, payload) of the one record that must overtake the backlog."""
    if stream is Stream.ESCALATION:
        sent = datetime.fromtimestamp(now_ms // 1000, ZoneInfo("Asia/Ho_Chi_Minh"))
        xml = build_warning(
            sender=site, identifier=f"{site}-priority-1", event_vi="Lũ", area_vi="Cẩm Lệ",
            severity=cap.Severity.SEVERE, expires=sent + timedelta(hours=6), sent=sent,
        )  # fmt: skip
        esc = Escalation(cap=xml, incident="HC-2026-0001")
        return esc.KIND.value, now_ms, records.encode(esc)
    rec = AlarmTransition(
        site=site, alarm="river-1:high", feed="river-1", rule="high", event="ack",
        state="active_ack", prior="active_unack", severity=3, ts=now_ms, user="vanan",
        ws="oc-1", note="priority test",
    )  # fmt: skip
    return rec.KIND.value, now_ms, records.encode(rec)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--root", type=Path, required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--hub-key", type=Path, required=True)
    p.add_argument("--secret", type=Path, required=True)
    p.add_argument("--records", type=int, required=True)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--stream", choices=("alarm", "escalation"), default="alarm")
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
        stream = Stream(a.stream)
        sent = time.monotonic()
        c.writer.submit_job(c.outbox.append_job(stream, [_record(a.id, stream, now_ms)]))
        while c.acked(stream) < 1 and time.monotonic() < deadline:
            time.sleep(0.001)
        latency = time.monotonic() - sent
        print(
            json.dumps(
                {
                    "event": "done",
                    "records": a.records,
                    "written_s": round(written_s, 2),
                    "stream": stream.value,
                    "acked": c.acked(stream),
                    "latency_s": round(latency, 3),
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

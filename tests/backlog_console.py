"""A console process that writes a backlog of summaries into a real outbox, then delivers it
to the hub at full speed and prints {records, seconds, errors, state} as JSON.

Run by tests: ``python -m tests.backlog_console --root DIR --id ID --endpoint … --hub-key …
--secret … --records N``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

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
    p.add_argument("--timeout", type=float, default=120.0)
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
    )
    c = OutboxConsole(a.root, a.id, settings)
    try:
        c.write_summaries(a.records)
        print(json.dumps({"event": "ready"}), flush=True)
        started = time.monotonic()
        c.client.start()
        deadline = started + a.timeout
        while c.acked(Stream.SUMMARY) < a.records and time.monotonic() < deadline:
            time.sleep(0.01)
        seconds = time.monotonic() - started
        st = c.client.status()
        print(
            json.dumps(
                {
                    "event": "done",
                    "records": a.records,
                    "acked": c.acked(Stream.SUMMARY),
                    "seconds": round(seconds, 2),
                    "errors": st.errors,
                    "state": st.state,
                    "sessions": st.sessions,
                }
            ),
            flush=True,
        )
    finally:
        c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

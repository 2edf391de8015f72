"""``opsconsole bench uplink``: what the city link costs, against its ceiling and a peer.

In one run, with the same records (real per-minute summary payloads):

- ``raw_per_s``: pyzmq DEALER → ROUTER over loopback TCP with CURVE, the
  same 1000-record DATA frames, no storage, no acks: the ceiling.
  ``raw_plain_per_s`` is the same without CURVE.
- ``reliable_per_s``: the real thing. Records are appended to the console's
  durable outbox (SQLite, synchronous=FULL) while the uplink thread sends them
  to a hub *process* that commits them durably and acks; the clock stops when
  the last ack is back.
- ``backlog_300k_drain_s``: an outbox of ``--backlog`` records (one hour of
  per-minute summaries for 5,000 feeds) written while the hub was away, from
  the moment the link starts until the last ack.
- ``mqtt_qos1_per_s``: the same records, one message each, published with
  paho-mqtt at QoS 1 through a local Mosquitto broker to a QoS 1 subscriber
  (null, with the reason, when no broker can be started).
- ``many_consoles``: N consoles (threads of this process, each with its own
  outbox database and CURVE key) draining into one hub process: hub
  throughput and its peak memory.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import zmq

from console.bench.ingest import machine
from console.bench.targets import judge
from console.district.store.database import open_site_database
from console.district.store.outbox import Outbox
from console.district.store.writer import StoreWriter
from console.hub.config import write_hub_config
from console.hub.registry import Entry, utc_now, write_registry
from console.shared import records
from console.shared.vocab import UPLINK_PRIORITY, Stream
from transport import uplinkproto as up
from transport.curve import generate, load_keypair
from transport.uplink_client import LinkSettings, UplinkClient

BATCH = 1000


def _payload(i: int) -> bytes:
    minute = (29_000_000 + i // 5000) * 60_000
    return records.encode(
        records.MinuteSummary(
            site="bench-site",
            feed=f"feed-{i % 5000:04d}",
            kind="river_level",
            unit="m",
            minute=minute,
            n=60,
            min=1.25,
            max=1.75,
            mean=1.5 + (i % 7) / 100,
            last=1.5,
            last_ts=minute + 59_000,
            q=(60, 0, 0),
        )
    )


# -- raw ceiling ---------------------------------------------------------------------
def _raw(n_records: int, curve: bool) -> float:
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    dealer = ctx.socket(zmq.DEALER)
    if curve:
        spub, ssec = zmq.curve_keypair()
        cpub, csec = zmq.curve_keypair()
        router.curve_server = True
        router.curve_secretkey, router.curve_publickey = ssec, spub
        dealer.curve_serverkey, dealer.curve_publickey, dealer.curve_secretkey = spub, cpub, csec
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer.connect(f"tcp://127.0.0.1:{port}")
    payloads = [_payload(i) for i in range(BATCH)]
    batches = max(1, n_records // BATCH)
    frames = [
        up.data("summary", [(b * BATCH + i + 1, "minute", 0, payloads[i]) for i in range(BATCH)])
        for b in range(min(batches, 50))
    ]
    got = 0

    def receive() -> None:
        nonlocal got
        while got < batches:
            router.recv_multipart()
            got += 1

    dealer.send_multipart(up.encode({"t": up.PING}))  # complete the handshake first
    router.recv_multipart()
    t = threading.Thread(target=receive)
    start = time.perf_counter()
    t.start()
    for b in range(batches):
        dealer.send_multipart(frames[b % len(frames)])
    t.join()
    elapsed = time.perf_counter() - start
    dealer.close(0)
    router.close(0)
    ctx.term()
    return batches * BATCH / elapsed


# -- hub process and consoles --------------------------------------------------------
class _HubProc:
    def __init__(self, root: Path, consoles: list[str]) -> None:
        generate(root / "keys", "hub")
        entries = []
        self.console_keys: dict[str, tuple[bytes, bytes]] = {}
        for cid in consoles:
            generate(root / "keys", cid)
            kp = load_keypair(root / "keys" / f"{cid}.key_secret", need_secret=True)
            assert kp.secret is not None
            self.console_keys[cid] = (kp.public, kp.secret)
            entries.append(Entry(cid, kp.public, False, utc_now()))
        write_registry(root / "consoles.toml", entries)
        self.config = root / "hub.toml"
        write_hub_config(
            self.config,
            bind="tcp://127.0.0.1:*",
            database="sqlite:///hub.sqlite3",
            secret_key="keys/hub.key_secret",
            credit=8,
            max_records=2000,
        )
        self.public = load_keypair(root / "keys" / "hub.key", need_secret=False).public
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "console", "hub", "--config", str(self.config), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.endpoint = json.loads(self.proc.stdout.readline())["endpoint"]

    def memory_mb(self) -> dict[str, float]:
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(line.split()[1]) / 1024, 1)
        return {"rss_mb": out.get("VmRSS", 0.0), "peak_rss_mb": out.get("VmHWM", 0.0)}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class _Console:
    def __init__(self, root: Path, cid: str, hub: _HubProc) -> None:
        self.db = open_site_database(root / cid, cid, [])
        self.writer = StoreWriter(self.db.engine)
        self.writer.start()
        self.outbox = Outbox(
            self.db.engine, cid, self.db.stream_id, UPLINK_PRIORITY, self.writer.submit_job
        )
        pub, sec = hub.console_keys[cid]
        self.client = UplinkClient(
            LinkSettings(hub.endpoint, cid, hub.public, pub, sec, batch_records=BATCH),
            self.outbox,
        )

    def write(self, n: int, start: int = 0) -> None:
        now = int(time.time() * 1000)
        for k in range(start, start + n, 5000):
            recs = [("minute", now, _payload(i)) for i in range(k, min(k + 5000, start + n))]
            self.writer.submit_job(self.outbox.append_job(Stream.SUMMARY, recs))

    def acked(self) -> int:
        return self.outbox.positions()[Stream.SUMMARY][1]

    def close(self) -> None:
        self.client.stop()
        self.writer.stop()
        self.db.engine.dispose()


def _wait(pred: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def _reliable(root: Path, n: int) -> float:
    hub = _HubProc(root / "hub", ["rel"])
    c = _Console(root, "rel", hub)
    try:
        start = time.perf_counter()
        c.client.start()
        c.write(n)
        if not _wait(lambda: c.acked() >= n, 600):
            raise RuntimeError("reliable run did not finish in 600 s")
        return n / (time.perf_counter() - start)
    finally:
        c.close()
        hub.stop()


def _drain(root: Path, n: int) -> dict[str, float]:
    hub = _HubProc(root / "hub-drain", ["drain"])
    c = _Console(root, "drain", hub)
    try:
        t0 = time.perf_counter()
        c.write(n)
        assert c.writer.flush(600)
        write_s = time.perf_counter() - t0
        start = time.perf_counter()
        c.client.start()
        if not _wait(lambda: c.acked() >= n, 600):
            raise RuntimeError("backlog did not drain in 600 s")
        return {"drain_s": time.perf_counter() - start, "backlog_write_s": write_s}
    finally:
        c.close()
        hub.stop()


def _many(root: Path, consoles: int, per_console: int) -> dict[str, Any]:
    ids = [f"oc-{i:02d}" for i in range(consoles)]
    hub = _HubProc(root / "hub-many", ids)
    cs = [_Console(root / "many", cid, hub) for cid in ids]
    try:
        for c in cs:
            c.write(per_console)
        for c in cs:
            assert c.writer.flush(600)
        idle = hub.memory_mb()
        start = time.perf_counter()
        for c in cs:
            c.client.start()
        total = consoles * per_console
        if not _wait(lambda: sum(c.acked() for c in cs) >= total, 900):
            raise RuntimeError("many-console run did not finish in 900 s")
        elapsed = time.perf_counter() - start
        mem = hub.memory_mb()
        return {
            "consoles": consoles,
            "records": total,
            "hub_records_per_s": round(total / elapsed),
            "elapsed_s": round(elapsed, 2),
            "hub_rss_mb_before": idle["rss_mb"],
            "hub_peak_rss_mb": mem["peak_rss_mb"],
        }
    finally:
        for c in cs:
            c.close()
        hub.stop()


# -- MQTT peer -------------------------------------------------------------------------
def _mqtt(root: Path, n: int) -> tuple[float | None, str]:
    broker = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if broker is None:
        return None, "no mosquitto broker installed (apt-get install mosquitto)"
    try:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion
    except ImportError:
        return None, "paho-mqtt is not installed (pip install -e '.[dev]')"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = root / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 1000\nmax_queued_messages 0\n"
    )
    proc = subprocess.Popen(
        [broker, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        payloads = [_payload(i) for i in range(n)]
        received = 0
        done = threading.Event()
        subscribed = threading.Event()

        def on_message(_c: Any, _u: Any, _m: Any) -> None:
            nonlocal received
            received += 1
            if received >= n:
                done.set()

        sub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="ioc-hub", clean_session=True)
        sub.on_message = on_message
        sub.on_subscribe = lambda *_a: subscribed.set()
        pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="oc-console")
        pub.max_inflight_messages_set(1000)
        pub.max_queued_messages_set(0)
        deadline = time.monotonic() + 10
        while True:
            try:
                sub.connect("127.0.0.1", port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    return None, "mosquitto did not start"
                time.sleep(0.05)
        sub.subscribe("city/#", qos=1)
        sub.loop_start()
        if not subscribed.wait(10):
            return None, "subscription not confirmed"
        pub.connect("127.0.0.1", port)
        pub.loop_start()
        start = time.perf_counter()
        infos = [
            pub.publish(f"city/bench-site/summary/{i % 5000}", p, qos=1)
            for i, p in enumerate(payloads)
        ]
        for info in infos:
            info.wait_for_publish(60)
        ok = done.wait(120)
        elapsed = time.perf_counter() - start
        pub.loop_stop()
        sub.loop_stop()
        pub.disconnect()
        sub.disconnect()
        if not ok:
            return None, f"subscriber got {received} of {n} messages"
        return (
            n / elapsed,
            f"mosquitto {broker}, persistence off, one message per record, QoS 1 both ways",
        )
    finally:
        proc.terminate()
        proc.wait(10)


def run_uplink_bench(
    *, records: int, backlog: int, consoles: int, quick: bool = False
) -> dict[str, Any]:
    if quick:
        records, backlog, consoles = min(records, 5000), min(backlog, 10_000), min(consoles, 3)
    per_console = 2000 if quick else 15_000
    mqtt_n = 2000 if quick else 50_000
    root = Path(tempfile.mkdtemp(prefix="opsconsole-bench-uplink-"))
    try:
        raw = _raw(max(records, 100_000) if not quick else records, curve=True)
        raw_plain = _raw(max(records, 100_000) if not quick else records, curve=False)
        reliable = _reliable(root / "reliable", records)
        drain = _drain(root / "drain", backlog)
        mqtt_rate, mqtt_note = _mqtt(root, mqtt_n)
        many = _many(root, consoles, per_console)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    result: dict[str, Any] = {
        "bench": "uplink",
        "machine": machine(),
        "protocol": up.TAG.decode(),
        "batch_records": BATCH,
        "records": records,
        "raw_per_s": round(raw),
        "raw_plain_per_s": round(raw_plain),
        "reliable_per_s": round(reliable),
        "reliable_vs_raw": round(reliable / raw, 3),
        "backlog_records": backlog,
        "backlog_300k_drain_s": round(drain["drain_s"], 2),
        "backlog_write_s": round(drain["backlog_write_s"], 2),
        "mqtt_qos1_per_s": None if mqtt_rate is None else round(mqtt_rate),
        "mqtt_note": mqtt_note,
        "mqtt_records": mqtt_n,
        "reliable_vs_mqtt": None if mqtt_rate is None else round(reliable / mqtt_rate, 2),
        "many_consoles": many,
    }
    result["targets"] = judge(
        result,
        {
            "reliable_per_s": (">=", 50_000),
            "backlog_300k_drain_s": ("<", 10.0),
            "reliable_vs_mqtt": (">=", 3.0),
        },
        note="--quick: smaller sizes than the targets are set for" if quick else "",
    )
    return result

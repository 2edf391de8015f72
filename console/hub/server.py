"""Run a hub: config → keys → storage → ROUTER loop, until stopped."""

from __future__ import annotations

import logging
from typing import Any

from console.hub.config import HubConfig
from console.hub.policy import HubPolicy
from console.hub.registry import read_registry
from console.hub.store.downlink import HubDownlink
from console.hub.store.retention import HubRetention
from console.hub.store.store import HubStore
from console.shared.errors import ConfigError
from console.shared.vocab import Stream
from transport.curve import KeyFileError, load_keypair
from transport.uplink_hub import HubServer, HubSettings

log = logging.getLogger(__name__)


class Hub:
    """A HubServer with its SQLAlchemy store and the hub's policy; counters saved for
    ``hub stats``."""

    def __init__(self, cfg: HubConfig) -> None:
        self.cfg = cfg
        try:
            keys = load_keypair(cfg.secret_key, need_secret=True)
        except KeyFileError as exc:
            raise ConfigError(
                f"{cfg.path}: hub.secret_key: {exc} (make one with `opsconsole keys generate --out DIR --name hub`)"
            ) from exc
        read_registry(cfg.registry)  # a broken registry is a ConfigError naming its line
        assert keys.secret is not None
        self.store = HubStore(cfg.database)
        try:
            self.store.lock(f"opsconsole hub {cfg.id}")
        except BaseException:
            self.store.close()
            raise
        self.retention = HubRetention(self.store.engine, cfg.records_days)
        self._saved: dict[str, int] = {}
        self._stopped = False
        self._base = self.store.load_counters()
        self.policy = HubPolicy(cfg.registry, credit=cfg.credit)
        self.downlink = HubDownlink(self.store.engine)
        self.server = HubServer(
            HubSettings(
                bind=cfg.bind,
                secret_key=keys.secret,
                public_key=keys.public,
                max_records=cfg.max_records,
                max_frame_bytes=cfg.max_frame_bytes,
                heartbeat_s=cfg.heartbeat_s,
                max_commit_records=cfg.max_commit_records,
                bulk_streams=frozenset({Stream.SUMMARY.value}),
                down_window=cfg.credit,
            ),
            self.store,
            self.policy,
            on_tick=self._tick,
            downlink=self.downlink,
        )

    def _tick(self) -> None:
        """Every second on the hub loop: counters, then a time-boxed step of retention."""
        self.save_counters()
        self.retention.tick()  # never raises: a failed pass is logged, retried a period later

    def counter_values(self) -> dict[str, int]:
        snap: dict[str, Any] = self.server.counters.snapshot()
        out = {f"rejected_connections.{k}": v for k, v in snap["rejected_connections"].items()}
        out |= {f"rejected_messages.{k}": v for k, v in snap["rejected_messages"].items()}
        out["storage_errors"] = snap["storage_errors"]
        out["bad_payloads"] = self.store.bad_payloads
        return {k: self._base.get(k, 0) + v for k, v in out.items()}

    def save_counters(self) -> None:
        values = self.counter_values()
        if values != self._saved:
            try:
                self.store.save_counters(values)
                self._saved = values
            except Exception as exc:
                log.error("could not save hub counters: %s", exc)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.server.stop()
        self.downlink.close()
        self.save_counters()
        self.store.close()

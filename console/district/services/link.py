"""The console's side of the city link, assembled: keys, outbox, uplink thread, status.

``LinkView`` is what the window's link lamp, ``opsconsole outbox`` and the
headless JSON show: the uplink thread's state merged with the outbox
positions. It is built from in-memory values only (no I/O), so the GUI
thread may ask for it on every tick.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console import __version__
from console.district.config import UplinkConfig
from console.district.store.inbox import ConsoleInbox
from console.district.store.outbox import Outbox
from console.shared.clock import Clock
from console.shared.errors import ConfigError
from console.shared.vocab import Stream
from transport.curve import KeyFileError, load_keypair, public_key
from transport.uplink_client import LinkSettings, LinkStatus, UplinkClient


def link_settings(cfg: UplinkConfig, site_path: Path) -> LinkSettings:
    """Load and check the keys named in ``[uplink]``; ConfigError says which and why."""
    base = site_path.parent
    try:
        server = public_key(cfg.hub_public_key, base)
    except KeyFileError as exc:
        raise ConfigError(f"{site_path}: uplink.hub_public_key: {exc}") from exc
    try:
        mine = load_keypair(cfg.secret_key, need_secret=True)
    except KeyFileError as exc:
        raise ConfigError(
            f"{site_path}: uplink.secret_key: {exc} "
            "(make one with `opsconsole keys generate --out DIR --name CONSOLE_ID`)"
        ) from exc
    assert mine.secret is not None
    return LinkSettings(
        endpoint=cfg.hub,
        console_id=cfg.console_id,
        server_key=server,
        public_key=mine.public,
        secret_key=mine.secret,
        batch_records=cfg.batch_records,
        heartbeat_s=cfg.heartbeat_s,
        sw=f"opsconsole/{__version__}",
    )


@dataclass(frozen=True)
class StreamView:
    last_seq: int
    acked_seq: int

    @property
    def backlog(self) -> int:
        return self.last_seq - self.acked_seq


@dataclass(frozen=True)
class LinkView:
    configured: bool
    state: str = "off"
    since: float = 0.0
    detail: str = ""
    hub: str = ""
    console_id: str = ""
    last_ack: float = 0.0
    backlog: int = 0
    backlog_warn: int = 0
    oldest_unsent_age_s: float | None = None
    streams: dict[str, StreamView] = field(default_factory=dict)
    records_sent: int = 0
    records_acked: int = 0
    resends: int = 0
    """Times the hub reported a gap and the stream was resent from its ack."""
    sessions: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    down: str = ""
    """The downlink (hub → console): ``online``, ``none`` (the hub sends none), ``behind``
    (the hub's database holds less than this console received), "" before the first WELCOME."""
    down_records: int = 0
    """Downlink records stored in the inbox since start (duplicates not counted)."""
    down_duplicates: int = 0
    inbox: dict[str, int] = field(default_factory=dict)
    """Per downlink stream, the last seq the inbox holds (of the hub database it last heard)."""
    inbox_problems: dict[str, int] = field(default_factory=dict)
    """Downlink records kept but not applied since start, by reason."""

    @property
    def backlog_high(self) -> bool:
        return self.configured and self.backlog > self.backlog_warn

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["streams"] = {
            k: {"last_seq": v.last_seq, "acked_seq": v.acked_seq, "backlog": v.backlog}
            for k, v in self.streams.items()
        }
        d["backlog_high"] = self.backlog_high
        return d


class Link:
    def __init__(
        self,
        cfg: UplinkConfig,
        settings: LinkSettings,
        outbox: Outbox,
        clock: Clock,
        inbox: ConsoleInbox | None = None,
    ) -> None:
        self.cfg = cfg
        self.outbox = outbox
        self.inbox = inbox
        self.clock = clock
        self.client = UplinkClient(settings, outbox, inbox=inbox)
        outbox.on_advance(self._written)

    def _written(self, stream: str) -> None:
        """Records were committed to ``stream``: send them now — unless they are summaries,
        many and never urgent, which go in full DATA at the link loop's next turn (≤ 50 ms)."""
        if stream != Stream.SUMMARY.value:
            self.client.wake()

    def start(self) -> None:
        self.client.start()

    def stop(self) -> None:
        self.client.stop()

    def wait_delivered(self, timeout: float) -> bool:
        """Wait (real time: the network is real) until the hub acknowledged every record."""
        deadline = time.monotonic() + timeout
        while self.view().backlog > 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def view(self, now: float | None = None) -> LinkView:
        now = self.clock.time() if now is None else now
        st: LinkStatus = self.client.status()
        pos = self.outbox.positions()
        streams = {k: StreamView(last, acked) for k, (last, acked) in sorted(pos.items())}
        backlog = sum(v.backlog for v in streams.values())
        age = None
        if backlog and st.oldest_unsent_ms is not None:
            age = max(0.0, now - st.oldest_unsent_ms / 1000)
        return LinkView(
            configured=True,
            state=st.state,
            since=st.since,
            detail=st.detail,
            hub=self.cfg.hub,
            console_id=self.cfg.console_id,
            last_ack=st.last_ack,
            backlog=backlog,
            backlog_warn=self.cfg.backlog_warn,
            oldest_unsent_age_s=age,
            streams=streams,
            records_sent=st.records_sent,
            records_acked=st.records_acked,
            resends=st.resends,
            sessions=st.sessions,
            errors=st.errors,
            down=st.down,
            down_records=st.down_records,
            down_duplicates=st.down_duplicates,
            inbox=self.inbox.hello()[1] if self.inbox is not None else {},
            inbox_problems=dict(self.inbox.problems) if self.inbox is not None else {},
        )


class LinkService:
    """The city link as the window and CLIs see it; ``configured`` is False without [uplink]."""

    def __init__(self, link: Link | None) -> None:
        self._link = link

    @property
    def configured(self) -> bool:
        return self._link is not None

    def view(self, now: float | None = None) -> LinkView:
        """In-memory only: safe on the GUI thread every tick."""
        return self._link.view(now) if self._link is not None else LinkView(configured=False)

"""``opsconsole console --headless``: the console without a window, until SIGTERM/SIGINT.

For servers, scripts and fault tests. With ``--json`` it writes one JSON
object per line on stdout: ``ready`` (endpoints, database), ``status`` every
``--status-interval`` seconds, ``stopped`` after the final commit. Every
``readings_stored`` it prints is already committed.

Stopping is bounded (``ConsoleApp.stop``): on a full disk the writer gives up
after its timeout and ``stopped`` says what was not committed
(``uncommitted``: readings and jobs by kind); the log stays consistent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from console.district.config import SiteConfig
from console.district.services.app import ConsoleApp
from console.shared.runtime import emit, install_stop_signals

log = logging.getLogger(__name__)


def run_headless(
    site: SiteConfig,
    data_dir: Path,
    *,
    feeds_pull: Sequence[str] | None,
    json_lines: bool,
    feeds_ack: Sequence[str] | None = None,
    status_interval: float,
    stop_timeout: float = 20.0,
) -> int:
    stop = threading.Event()
    install_stop_signals(stop)
    app = ConsoleApp(site, data_dir, feeds_pull=feeds_pull, feeds_ack=feeds_ack)
    app.start()
    if json_lines:
        emit(
            {
                "event": "ready",
                "site": site.id,
                "endpoints": app.endpoints,
                "ack_endpoints": app.ack_endpoints,
                "database": str(app.db.path),
                "uplink": app.link_view().as_dict(),
            }
        )
    last = app.stats()
    last_t = time.monotonic()
    while not stop.wait(status_interval):
        st = app.stats()
        now = time.monotonic()
        rate = (st.readings_received - last.readings_received) / max(now - last_t, 1e-9)
        last, last_t = st, now
        if json_lines:
            emit(
                {
                    "event": "status",
                    "rate_per_s": round(rate, 1),
                    **st.as_dict(),
                    "uplink": app.link_view().as_dict(),
                    "retention": app.services.retention.view(),
                }
            )
        else:
            log.info(
                "%.0f readings/s, %d stored, %d pending, rejected %s",
                rate,
                st.readings_stored,
                st.readings_pending,
                st.readings_rejected or "none",
            )
    report = app.stop(stop_timeout)
    final = app.stats()
    if json_lines:
        emit(
            {
                "event": "stopped",
                "database": str(app.db.path),
                **final.as_dict(),
                "uncommitted": report.as_dict(),
            }
        )
    elif report.clean:
        log.info("stopped: %d readings stored in %s", final.readings_stored, app.db.path)
    else:
        log.error(
            "stopped with %d readings and jobs %s NOT committed (%s); %d readings stored in %s",
            report.readings_uncommitted,
            report.jobs_uncommitted,
            report.last_error,
            final.readings_stored,
            app.db.path,
        )
    return 0 if report.clean else 1

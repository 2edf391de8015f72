"""A real console process (ConsoleApp on the site file, its own log, its city link) in which a
supervisor escalates a new incident every ``--every`` seconds and sends an Update to the
previous one every third time, until SIGTERM (a clean stop) or SIGKILL (the test's fault).

The console's log is the record of what was escalated (each escalation is one transaction with
its outbox record), so a process killed mid-way leaves nothing to reconcile by hand. With
``--every 0`` it escalates nothing: it runs the link until stopped (the test's drain run).
One JSON line ``{"event": "ready"}`` when it runs, one ``{"event": "escalated", ...}`` each.

Run by tests: ``python -m tests.escalating_console --site FILE --data-dir DIR --every S``.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from console.district.config import load_site
from console.district.domain.escalation import EscalationRequest
from console.district.domain.incidents import NewIncident
from console.district.services.app import ConsoleApp
from console.shared.runtime import emit, install_stop_signals
from console.shared.session import Session
from console.shared.vocab import Role

SUP = Session("ha", "Trần Thu Hà", Role.SUPERVISOR, "oc-2", authenticated=False)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--site", type=Path, required=True)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--every", type=float, required=True)
    a = p.parse_args()
    stop = threading.Event()
    install_stop_signals(stop)
    app = ConsoleApp(load_site(a.site), a.data_dir, instance="tests.escalating_console")
    app.start(receive=False)
    try:
        emit({"event": "ready"})
        esc = app.services.escalations
        n = 0
        last = ""
        while a.every > 0 and not stop.wait(a.every):
            n += 1
            if n % 3 == 0 and last:
                view = esc.update(SUP, last, EscalationRequest(reason=f"cập nhật {n}"))
            else:
                new = NewIncident(type="flood", severity=2, title=f"Ngập {n}", ward="Hải Châu I")
                last = app.services.incidents.open(SUP, new)
                view = esc.escalate(SUP, last, EscalationRequest(reason=f"cần hỗ trợ {n}"))
            emit({"event": "escalated", "identifier": view.identifier, "n": n})
        stop.wait()
    finally:
        app.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

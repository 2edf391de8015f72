"""Who is on duty at this IOC workstation, and the IOC's action log: the shared widgets
(widgets/duty_bar.py, widgets/action_log.py) over ``IocAccess``, with the IOC's words.

The duty bar sits above the city strip: the city stays on screen and live
before anyone logs in, while someone types a password and while the screen is
locked (the IOC never goes dark); only commands wait for a person on duty.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QWidget

from console.hub.services.access import IocAccess
from console.hub.ui.access_text import IocLogWords, refusal_text, session_roles
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from widgets import action_log, duty_bar


class IocDutyBar(duty_bar.DutyBar[Session]):
    """``dutyChanged(session or None)`` whenever the person who acts here changes."""

    def __init__(self, access: IocAccess, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        def explain(exc: BaseException) -> str | None:
            return refusal_text(exc, tz) if isinstance(exc, ActionRefusedError) else None

        super().__init__(access, tz, None, parent, explain=explain, roles=session_roles)


class IocActionLog(action_log.ActionLogPanel):
    """The IOC's log: search (newest first) and check the chain, as the person on duty."""

    def __init__(self, access: IocAccess, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(
            access.search_log,
            access.verify_log,
            lambda: access.duty().session,
            tz,
            access.clock_s,
            IocLogWords(tz),
            parent,
        )
        self.access = access

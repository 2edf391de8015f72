"""The duty bar of the district window: the shared one (widgets/duty_bar.py) over the
console's access service, with the district's words for refusals and roles.

Never a modal dialog: the bar sits above the tiles, so the banner, tiles and
alarm table stay visible and live while someone types a password.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from console.district.services.access import AccessService
from console.district.ui.access_text import refusal_text, session_roles
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from widgets import duty_bar


class ActivityFilter(duty_bar.ActivityFilter):
    """Keyboard and mouse input anywhere in the application restart the idle time."""

    def __init__(self, access: AccessService, parent: QObject | None = None) -> None:
        super().__init__(access.touch, parent)


class DutyBar(duty_bar.DutyBar[Session]):
    """``dutyChanged(session or None)`` whenever the person who acts here changes."""

    def __init__(
        self,
        access: AccessService,
        tz: ZoneInfo,
        fixed: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        def explain(exc: BaseException) -> str | None:
            return refusal_text(exc, tz) if isinstance(exc, ActionRefusedError) else None

        super().__init__(access, tz, fixed, parent, explain=explain, roles=session_roles)

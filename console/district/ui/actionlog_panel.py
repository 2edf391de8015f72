"""The site's action log in the window: the shared view (widgets/action_log.py) over the
console's ``AuditService``, with the district's words for its actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from console.district.services.audit import AuditService
from console.district.ui import access_text as text
from console.shared.clock import Clock
from console.shared.errors import ActionRefusedError
from console.shared.session import Session
from widgets import action_log

LIMIT = action_log.LIMIT


class DistrictWords:
    """The district's words for its log (``widgets.action_log.ActionLogWords``)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        return text.ACTION_GROUPS

    def group_name(self, group: str) -> str:
        return text.group_name(group)

    def action_name(self, action: str) -> str:
        return text.action_name(action)

    def roles_name(self, roles: str) -> str:
        return text.roles_name(roles)

    def value_text(self, action: str, value: str) -> str:
        return text.value_text(action, value)

    def note_text(self, note: str, tz: ZoneInfo) -> str:
        return text.note_text(note, tz)

    def person_text(self, user: str, name: str, authenticated: bool) -> str:
        return text.person_text(user, name, authenticated)

    def refusal(self, exc: BaseException) -> str | None:
        return text.refusal_text(exc, self.tz) if isinstance(exc, ActionRefusedError) else None


class ActionLogModel(action_log.ActionLogModel):
    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(tz, DistrictWords(tz), parent)


class ActionLogPanel(action_log.ActionLogPanel):
    def __init__(
        self,
        audit: AuditService,
        session: Callable[[], Session | None],
        tz: ZoneInfo,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            audit.search, audit.verify, session, tz, clock.time, DistrictWords(tz), parent
        )
        self.audit = audit
        self.clock = clock

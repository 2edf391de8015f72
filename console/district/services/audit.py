"""The action log as the window and the CLI use it: search, verify, and how to append.

Features that change state append their entry inside their own writer job
(``entry`` builds it from the session and the clock; the job calls
``console.district.store.action_log.append(conn, [entry])``), so the record
and the change commit together. ``record`` is for actions with no rows of
their own. Searching and verifying read SQL: call them off the GUI thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from console.district.services.access import AccessService
from console.district.store import action_log
from console.district.store.action_log import ChainHead, VerifyReport
from console.district.store.commit import Commit
from console.shared.audit import ActionEntry
from console.shared.clock import Clock, time_ms
from console.shared.session import Session, os_session
from console.shared.vocab import AuditAction, Permission, Role


class AuditService:
    def __init__(self, engine: Engine, commit: Commit, access: AccessService, clock: Clock) -> None:
        self._engine = engine
        self._commit = commit
        self._access = access
        self._clock = clock

    def entry(
        self,
        session: Session,
        action: AuditAction,
        *,
        obj: str = "",
        before: str = "",
        after: str = "",
        note: str = "",
    ) -> ActionEntry:
        """An entry stamped now, for a writer job to ``append`` with its change."""
        return ActionEntry.of(
            session, action, time_ms(self._clock), obj=obj, before=before, after=after, note=note
        )

    def record(self, entry: ActionEntry) -> None:
        """Append an entry that has no other rows to commit with (no waiting)."""
        self._commit.submit(lambda conn: action_log.append(conn, [entry]))

    def search(
        self,
        session: Session | None,
        *,
        text: str = "",
        since_ms: int | None = None,
        until_ms: int | None = None,
        actions: Sequence[str] = (),
        limit: int = 10_000,
    ) -> list[dict[str, Any]]:
        """Entries newest first (SQL: not on the GUI thread)."""
        self._access.authorize(session, Permission.VIEW_ACTION_LOG)
        return action_log.search(
            self._engine,
            text=text,
            since_ms=since_ms,
            until_ms=until_ms,
            actions=actions,
            limit=limit,
        )

    def verify(self, session: Session | None) -> VerifyReport:
        self._access.authorize(session, Permission.VIEW_ACTION_LOG)
        return action_log.verify(self._engine)

    def head(self) -> ChainHead:
        return action_log.head(self._engine)


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def record_config_load(conn: Connection, site_path: Path, now_ms: int) -> bool:
    """At start: an entry when the site file differs from the one last recorded (before and
    after are the files' SHA-256), by the OS account that started the console."""
    digest = file_digest(site_path)
    last = action_log.last_entry(conn, AuditAction.CONFIG_LOADED)
    if last is not None and last["after_value"] == digest:
        return False
    entry = ActionEntry.of(
        os_session(Role.ADMIN),
        AuditAction.CONFIG_LOADED,
        now_ms,
        obj=site_path.name,
        before="" if last is None else str(last["after_value"]),
        after=digest,
        note="console_start",
    )
    action_log.append(conn, [entry])
    return True


__all__ = ["AuditService", "ChainHead", "VerifyReport", "file_digest", "record_config_load"]

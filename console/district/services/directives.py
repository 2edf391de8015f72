"""The city IOC's directives at this site: the inbox list, and a person marking each read/done.

Directives arrive on the downlink (``console.district.store.inbox``). The list the
window shows is held in memory and reloaded (SQL, on the scheduler thread) when
the log's inbox revision moves, so the window reads it without I/O.

``mark`` is a command: it takes the acting ``Session``, passes the one permission
check (``handle_directives``) and then, in ONE transaction, changes the
directive, appends the action-log entry and appends the ``dir_status`` record for
the hub (docs/PROTOCOL.md §2.6) — the city learns who read or did it exactly
once. It waits for the commit: call it from a worker, not the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from console.district.services.access import AccessService
from console.district.store.action_log import append
from console.district.store.commit import Commit
from console.district.store.inbox import bump_rev
from console.district.store.outbox import NewRecord, Outbox
from console.district.store.schema import directives
from console.shared import records
from console.shared.audit import ActionEntry, clean
from console.shared.clock import Clock, time_ms
from console.shared.errors import ActionRefusedError
from console.shared.records import DirectiveState
from console.shared.session import Session
from console.shared.vocab import AuditAction, DirectivePriority, DirectiveStep, Permission, Stream


class DirectiveError(ActionRefusedError):
    """A mark that does not apply: ``unknown`` directive, ``already`` read or done."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class DirectiveView:
    id: str
    text: str
    priority: DirectivePriority
    due_ms: int | None
    ref: str
    sites: tuple[str, ...]
    issued_by: str
    issued_name: str
    issued_ms: int
    received_ms: int
    read_by: str = ""
    read_name: str = ""
    read_ms: int = 0
    done_by: str = ""
    done_name: str = ""
    done_ms: int = 0
    done_note: str = ""

    @property
    def unread(self) -> bool:
        return not self.read_ms

    @property
    def done(self) -> bool:
        return bool(self.done_ms)

    def overdue(self, now_ms: int) -> bool:
        return self.due_ms is not None and not self.done and now_ms > self.due_ms

    def sort_key(self) -> tuple[int, int, int, int]:
        """Unread first, then not done, then the most urgent, then the newest."""
        return (
            0 if self.unread else 1,
            1 if self.done else 0,
            -self.priority.rank,
            -self.issued_ms,
        )


def _view(r: Any) -> DirectiveView:
    try:
        priority = DirectivePriority(r.priority)
    except ValueError:
        priority = DirectivePriority.NORMAL
    return DirectiveView(
        id=r.directive_id,
        text=r.text,
        priority=priority,
        due_ms=None if r.due_ms is None else int(r.due_ms),
        ref=r.ref,
        sites=tuple(s for s in r.sites.split(",") if s),
        issued_by=r.issued_by,
        issued_name=r.issued_name,
        issued_ms=int(r.issued_ms),
        received_ms=int(r.received_ms),
        read_by=r.read_by,
        read_name=r.read_name,
        read_ms=int(r.read_ms),
        done_by=r.done_by,
        done_name=r.done_name,
        done_ms=int(r.done_ms),
        done_note=r.done_note,
    )


class DirectiveService:
    def __init__(
        self,
        engine: Engine,
        commit: Commit,
        access: AccessService,
        clock: Clock,
        outbox: Outbox | None,
    ) -> None:
        """``outbox``: where the steps go to the hub (None: a console without a city link)."""
        self._engine = engine
        self._commit = commit
        self._access = access
        self._clock = clock
        self._outbox = outbox
        self._lock = threading.Lock()
        self._items: list[DirectiveView] = []
        self.rev = 0
        """Moves whenever the list changes (the window redraws then)."""

    # -- the list (memory; reloaded off the GUI thread) ------------------------------------
    def reload(self) -> None:
        with self._engine.connect() as conn:
            rows = conn.execute(select(directives)).all()
        items = sorted((_view(r) for r in rows), key=DirectiveView.sort_key)
        with self._lock:
            if items != self._items:
                self._items = items
                self.rev += 1

    def items(self) -> list[DirectiveView]:
        with self._lock:
            return list(self._items)

    def unread(self) -> int:
        with self._lock:
            return sum(1 for d in self._items if d.unread)

    # -- the command --------------------------------------------------------------------
    def mark(
        self, session: Session | None, directive_id: str, step: DirectiveStep, note: str = ""
    ) -> DirectiveView:
        """Mark a directive read, or done (done also marks it read if it was not)."""
        self._access.authorize(session, Permission.HANDLE_DIRECTIVES)
        assert session is not None
        self._access.touch()
        now = time_ms(self._clock)
        text = clean(note.strip(), 1000)

        def job(conn: Connection) -> tuple[DirectiveView, Callable[[], None] | None]:
            row = conn.execute(
                select(directives).where(directives.c.directive_id == directive_id)
            ).first()
            if row is None:
                raise DirectiveError("unknown", f"no directive {directive_id} at this console")
            old = _view(row)
            steps = []
            if step is DirectiveStep.DONE:
                if old.done:
                    raise DirectiveError(
                        "already", f"directive {directive_id} was marked done by {old.done_by}"
                    )
                if old.unread:
                    steps.append(DirectiveStep.READ)
                steps.append(DirectiveStep.DONE)
            else:
                if not old.unread:
                    raise DirectiveError(
                        "already", f"directive {directive_id} was read by {old.read_by}"
                    )
                steps.append(DirectiveStep.READ)
            values: dict[str, Any] = {}
            entries = []
            ups: list[NewRecord] = []
            before = _state(old)
            for s in steps:
                if s is DirectiveStep.READ:
                    values.update(
                        read_by=session.user_id, read_name=session.display_name[:128], read_ms=now
                    )
                    action, after = AuditAction.DIRECTIVE_READ, "read"
                else:
                    values.update(
                        done_by=session.user_id,
                        done_name=session.display_name[:128],
                        done_ms=now,
                        done_note=text,
                    )
                    action, after = AuditAction.DIRECTIVE_DONE, "done"
                entries.append(
                    ActionEntry.of(
                        session,
                        action,
                        now,
                        obj=directive_id,
                        before=before,
                        after=after,
                        note=text if s is DirectiveStep.DONE else "",
                    )
                )
                before = after
                rec = DirectiveState(
                    id=directive_id,
                    step=s,
                    ts=now,
                    user=session.user_id,
                    name=clean(session.display_name, 128),
                    roles=session.roles_text,
                    ws=clean(session.workstation, 64),
                    note=text if s is DirectiveStep.DONE else "",
                )
                ups.append((DirectiveState.KIND.value, now, records.encode(rec)))
            conn.execute(
                directives.update().where(directives.c.directive_id == directive_id).values(values)
            )
            append(conn, entries)
            bump_rev(conn)
            advance = None
            if self._outbox is not None:
                advance = self._outbox.append_job(Stream.DIRECTIVE_STATE, ups)(conn)
            new = conn.execute(
                select(directives).where(directives.c.directive_id == directive_id)
            ).one()
            return _view(new), advance

        view, advance = self._commit.run(job)
        if advance is not None:
            advance()  # the outbox's positions move only after the commit
        with self._lock:
            items = [view if d.id == view.id else d for d in self._items]
            self._items = sorted(items, key=DirectiveView.sort_key)
            self.rev += 1
        return view


def _state(d: DirectiveView) -> str:
    return "done" if d.done else ("unread" if d.unread else "read")

"""Backups of a running console's log, and restoring one (docs/BACKUP.md).

``backup_log`` copies the log with SQLite's online backup API in one step: it
reads one consistent snapshot (the last commit when it starts) while the
console keeps committing (WAL: a reader never blocks the writer, nor the
writer a reader). The copy is written beside ``out``, switched to a rollback
journal (one self-contained file), checked (``quick_check`` by default) and
then renamed into place, so ``out`` is either the old file or a complete
backup.

``restore_log`` puts a backup in place of a site's log: it refuses a backup
that fails ``integrity_check`` (the full check, by default), belongs to
another site or was written by a newer opsconsole, and refuses while any
opsconsole process holds the log. The restored log is built beside the
log as ``<log>.restoring`` and only renamed into place once complete and
checked: a restore that fails (a full disk) leaves the log in place
untouched. The log it replaces is kept beside it (renamed, never deleted).
Before any console opens it, the restored log gets a **new database id** (``outbox.new_database_id``, docs/PROTOCOL.md
§2.4): the lost log may have numbered and delivered records after the backup
was taken, so the old id's sequence numbers may already be taken at the hub.
Under the new id the outbox resumes with what the hub had not acknowledged
when the backup was made, renumbered from 1 (the hub's dedupe per database
makes any resend within it harmless); what the hub acknowledged stays there
under the old id.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.exc import SQLAlchemyError

from console.district.store.database import (
    MIGRATIONS,
    DatabaseRefusedError,
    database_path,
    make_engine,
    migrate,
)
from console.district.store.outbox import new_database_id
from console.shared.instance import InstanceLock
from console.shared.sql import alembic_config


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (the message says why and what to do)."""


@dataclass
class LogFacts:
    site_id: str
    stream_id: str
    revision: str
    outbox: dict[str, dict[str, int]] = field(default_factory=dict)
    """stream → {last_seq, acked_seq}."""
    newest_reading_ms: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    con = sqlite3.connect(uri, uri=True, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 10000")
    return con


CHECKS = ("full", "quick", "none")
"""``full``: PRAGMA integrity_check; ``quick``: PRAGMA quick_check (no index cross-checks);
both read every page (integrity_check: ~33 s per GB measured on a busy 2-core machine)."""


def _integrity(con: sqlite3.Connection, check: str = "full") -> str:
    if check == "none":
        return "not checked"
    pragma = "integrity_check" if check == "full" else "quick_check"
    rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
    return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])


def _checked(result: str) -> bool:
    return result in ("ok", "not checked")


def _facts(con: sqlite3.Connection, where: Path) -> LogFacts:
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        (revision,) = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.DatabaseError, TypeError) as exc:
        raise BackupError(f"{where}: not an opsconsole site log ({exc})") from exc
    if "site_id" not in meta or "stream_id" not in meta:
        raise BackupError(f"{where}: not an opsconsole site log (no site identity)")
    facts = LogFacts(meta["site_id"], meta["stream_id"], str(revision))
    try:
        for stream, last, acked in con.execute(
            "SELECT stream, last_seq, acked_seq FROM outbox_streams ORDER BY stream"
        ):
            facts.outbox[stream] = {"last_seq": int(last), "acked_seq": int(acked)}
    except sqlite3.OperationalError:
        pass  # a log from before the outbox existed
    row = con.execute("SELECT max(ts_ms) FROM readings").fetchone()
    facts.newest_reading_ms = None if row[0] is None else int(row[0])
    return facts


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_log(db_path: Path, out: Path, *, check: str = "quick") -> dict[str, Any]:
    """Copy a (running) console's log to ``out``; return what was copied."""
    if not db_path.exists():
        raise BackupError(f"{db_path}: no site log here")
    out = out.resolve()
    if out == db_path.resolve():
        raise BackupError(f"{out}: the backup cannot replace the log itself")
    if out.is_dir():
        raise BackupError(f"{out}: is a directory; --out names the backup file to write")
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise BackupError(f"{out}: cannot write the backup there ({exc.strerror})") from exc
    t0 = time.perf_counter()
    src = _connect(db_path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            # One step (pages=-1): one read snapshot; the console's writer is not blocked.
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup of {db_path} to {out} failed: {exc}") from exc
    finally:
        src.close()
    copied_s = time.perf_counter() - t0
    con = _connect(tmp, readonly=True)
    try:
        integrity = _integrity(con, check)
        facts = _facts(con, tmp)
    finally:
        con.close()
    if not _checked(integrity):
        tmp.unlink(missing_ok=True)
        raise BackupError(f"the copy of {db_path} failed its {check} check: {integrity}")
    try:
        _fsync(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"{out}: cannot put the backup in place ({exc})") from exc
    return {
        "backup": str(out),
        "database": str(db_path),
        "bytes": out.stat().st_size,
        "copy_s": round(copied_s, 3),
        "total_s": round(time.perf_counter() - t0, 3),
        "check": check,
        "integrity": integrity,
        **facts.as_dict(),
    }


def _known_revision(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config(MIGRATIONS))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def restore_log(
    backup: Path,
    data_dir: Path,
    *,
    site_id: str | None = None,
    now: float | None = None,
    check: str = "full",
) -> dict[str, Any]:
    """Put ``backup`` in place of its site's log in ``data_dir``; return what was done.

    ``check`` applies to the backup before anything is touched; the restored copy
    (page for page the backup, then upgraded) gets a ``quick_check`` unless ``none``."""
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    con = _connect(backup, readonly=True)
    try:
        source = _integrity(con, check)
        if not _checked(source):
            raise BackupError(f"{backup}: fails its {check} check ({source}); not restored")
        facts = _facts(con, backup)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup}: not a readable SQLite database ({exc})") from exc
    finally:
        con.close()
    if site_id is not None and facts.site_id != site_id:
        raise BackupError(
            f"{backup}: a backup of site {facts.site_id!r}, not of {site_id!r}; not restored"
        )
    if not _known_revision(facts.revision):
        raise BackupError(
            f"{backup}: schema revision {facts.revision!r} was written by a newer opsconsole; "
            "restore it with that version"
        )
    target = database_path(data_dir, facts.site_id)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"{data_dir}: cannot be the data directory ({exc.strerror})") from exc
    stamp = datetime.fromtimestamp(now or time.time(), UTC).strftime("%Y%m%dT%H%M%SZ")
    lock = InstanceLock(
        target.with_name(target.name + ".lock"), "opsconsole restore", target=target
    )
    lock.acquire("stop the console first")
    # Built and checked beside the log, then renamed into place: a restore that fails
    # (a full disk, a migration refused) leaves the log in place untouched.
    tmp = target.with_name(target.name + ".restoring")
    try:
        _remove_with_journals(tmp)
        try:
            integrity, restored, streams = _build_restored(backup, tmp, target, stamp, check)
        except (sqlite3.Error, OSError, SQLAlchemyError, DatabaseRefusedError) as exc:
            _remove_with_journals(tmp)
            raise BackupError(
                f"restore of {backup} failed: {exc}; not restored (the log in place is untouched)"
            ) from exc
        if not _checked(integrity):
            _remove_with_journals(tmp)
            raise BackupError(f"{target}: the restored log fails quick_check ({integrity})")
        try:
            aside = _move_aside(target, stamp)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise BackupError(
                f"restore of {backup} failed putting it in place: {exc} (the restored log is "
                f"{tmp}; the replaced one keeps its name or {target.name}.replaced-{stamp})"
            ) from exc
    finally:
        lock.release()
    return {
        "restored": str(target),
        "from": str(backup),
        "replaced_log_kept_as": [str(p) for p in aside],
        "backup_check": {"check": check, "result": source},
        "integrity": integrity,
        "previous_stream_id": facts.stream_id,
        "outbox_at_backup": facts.outbox,
        "outbox_resent_under_new_id": {s: kept for s, (kept, _dropped) in streams.items()},
        **restored.as_dict(),
    }


def _build_restored(
    backup: Path, tmp: Path, target: Path, stamp: str, check: str
) -> tuple[str, LogFacts, dict[str, tuple[int, int]]]:
    """Copy ``backup`` to ``tmp``, upgrade it, give it a new database id, check it and
    leave it one self-contained, flushed file (no ``-wal``) ready to be renamed."""
    src = _connect(backup, readonly=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        with dst:
            dst.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('restored_from', ?)",
                (f"{backup.name} at {stamp}",),
            )
    finally:
        src.close()
        dst.close()
    engine = make_engine(tmp)
    try:
        migrate(engine, target)
        _, streams = new_database_id(engine)
    finally:
        engine.dispose()
    con = _connect(tmp)
    try:
        integrity = _integrity(con, "none" if check == "none" else "quick")
        restored = _facts(con, target)
        con.execute("PRAGMA journal_mode = DELETE")  # the WAL folded in: safe to rename
    finally:
        con.close()
    _fsync(tmp)
    return integrity, restored, streams


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to flush)."""
    if os.name == "nt":
        return
    _fsync(path)


def _move_aside(target: Path, stamp: str) -> list[Path]:
    """Rename the current log and its WAL/shared-memory files out of the way (kept)."""
    moved = []
    base = target.with_name(f"{target.name}.replaced-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        p = target.with_name(target.name + suffix)
        if p.exists():
            dest = base.with_name(base.name + suffix)
            os.replace(p, dest)
            moved.append(dest)
    return moved

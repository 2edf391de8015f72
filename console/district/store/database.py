"""Open a site's SQLite log: pragmas, schema migration, identity checks.

SQLite runs in WAL mode so that readers (history views, CLI) never block the
single writer. ``synchronous=FULL`` on every connection: with group commit an
fsync per transaction costs little (see docs/PERFORMANCE.md), and the log then
survives power loss as well as a killed process.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.exc import DatabaseError, OperationalError

from console.district.store.schema import feeds, meta, readings
from console.shared.sql import alembic_config, sqlite_durable, upgrade_or_refuse

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseRefusedError(RuntimeError):
    """The database cannot be used by this build (newer schema, other site, corrupt)."""


@dataclass(frozen=True)
class SiteDatabase:
    engine: Engine
    path: Path
    site_id: str
    stream_id: str
    feed_ids: dict[str, int]
    """feed key → integer id in the ``feeds`` table."""


def database_path(data_dir: Path, site_id: str) -> Path:
    return data_dir / f"{site_id}.sqlite3"


def make_engine(path: Path) -> Engine:
    return sqlite_durable(create_engine(f"sqlite:///{path}"))


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine, path: Path) -> None:
    """Upgrade an older schema to head; refuse a schema this build does not know."""

    def refuse(current: str, head: str | None) -> DatabaseRefusedError:
        return DatabaseRefusedError(
            f"{path}: the database has schema revision {current!r}, written by a newer "
            f"opsconsole; this build knows revisions up to {head!r}. "
            "Upgrade opsconsole, or point --data-dir elsewhere."
        )

    upgrade_or_refuse(engine, MIGRATIONS, refuse)


def open_site_database(
    data_dir: Path, site_id: str, feed_specs: list[tuple[str, str, str]]
) -> SiteDatabase:
    """Open (creating or upgrading) the log of ``site_id`` and register its feeds.

    ``feed_specs`` is (key, kind, unit) per configured feed.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = database_path(data_dir, site_id)
    engine = make_engine(path)
    try:
        migrate(engine, path)
        with engine.begin() as conn:
            rows = dict(conn.execute(select(meta.c.key, meta.c.value)).all())
            if "site_id" not in rows:
                rows = {
                    "site_id": site_id,
                    "stream_id": str(uuid.uuid4()),
                    "created_ms": str(int(time.time() * 1000)),
                }
                conn.execute(meta.insert(), [{"key": k, "value": v} for k, v in rows.items()])
            elif rows["site_id"] != site_id:
                raise DatabaseRefusedError(
                    f"{path}: this log belongs to site {rows['site_id']!r}, not {site_id!r}"
                )
            known = dict(conn.execute(select(feeds.c.feed_key, feeds.c.id)).all())
            now_ms = int(time.time() * 1000)
            new = [
                {"feed_key": k, "kind": kind, "unit": unit, "first_seen_ms": now_ms}
                for k, kind, unit in feed_specs
                if k not in known
            ]
            if new:
                conn.execute(feeds.insert(), new)
                known = dict(conn.execute(select(feeds.c.feed_key, feeds.c.id)).all())
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise DatabaseRefusedError(f"{path}: cannot open the site log: {exc.orig}") from exc
    except BaseException:
        engine.dispose()
        raise
    return SiteDatabase(
        engine=engine, path=path, site_id=site_id, stream_id=rows["stream_id"], feed_ids=known
    )


def last_timestamps(engine: Engine) -> dict[int, int]:
    """Newest stored ts per feed id (the index makes this one seek per feed)."""
    with engine.connect() as conn:
        q = select(readings.c.feed_id, func.max(readings.c.ts_ms)).group_by(readings.c.feed_id)
        return {int(f): int(t) for f, t in conn.execute(q)}


def count_readings(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(readings)).scalar_one())
